"""What a report looks like: its charts, and its CSV and XLSX files, from one data dict."""

import datetime as dt

from django.utils.translation import gettext as _

from services.reports import charts, export
from services.reports.build import SATISFACTION_NOTE, TIME_NOTE, Moment, report_tables
from services.reports.kpi import DEFAULT_TARGET, FORMULA
from services.reports.period import Period


def office_name(request=None):
    from wagtail.models import Site

    from home.models import OfficeSettings

    site = Site.find_for_request(request) if request else None
    site = site or Site.objects.filter(is_default_site=True).first()
    return (OfficeSettings.for_site(site).name if site else "") or ""


def _short(text, limit=28):
    """Chart labels have about 210 px: long Thai titles are cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def report_charts(data):
    services = data["services"]
    labels = [_short(f"{s['code']} {s['title']}".strip()) for s in services]
    trend = data["trend"]
    titles = [
        _("ร้อยละความพึงพอใจรายบริการ (เส้นประคือเป้าหมาย)"),
        _("คำขอที่ได้รับและดำเนินการเสร็จ"),
        _("คำขอที่ได้รับรายบริการ"),
        _("ร้อยละขั้นตอนที่เสร็จทันเวลารายบริการ"),
    ]
    svgs = [
        charts.bar_chart(
            titles[0],
            labels,
            [s["satisfaction"]["percent"] for s in services],
            unit="%",
            target=float(DEFAULT_TARGET),
            max_value=100,
        ),
        charts.line_chart(
            titles[1],
            trend["labels"],
            {_("ได้รับ"): trend["received"], _("เสร็จ"): trend["completed"]},
        ),
        charts.bar_chart(titles[2], labels, [s["received"] for s in services]),
        charts.bar_chart(
            titles[3], labels, [s["share_within"] for s in services], unit="%", max_value=100
        ),
    ]
    return list(zip(titles, svgs, strict=True))


def report_context(data, request=None, office=None):
    period = Period.from_dict(data["period"])
    return {
        "report": data,
        "period": period,
        "built_at": dt.datetime.fromisoformat(data["built_at"]),
        "tables": report_tables(data),
        "charts": report_charts(data),
        "formula": FORMULA,
        "satisfaction_note": SATISFACTION_NOTE,
        "time_note": TIME_NOTE,
        "office_name": office if office is not None else office_name(request),
    }


def info_rows(data, office):
    period = Period.from_dict(data["period"])
    return [
        [_("หน่วยงาน"), office],
        [_("ช่วงเวลา"), str(period.label)],
        [_("ตั้งแต่วันที่"), Moment(period.start)],
        [_("ถึงวันที่"), Moment(period.end)],
        [_("จัดทำเมื่อ"), Moment(dt.datetime.fromisoformat(data["built_at"]))],
        [_("สูตรคำนวณ"), str(FORMULA)],
        [_("หมายเหตุ"), str(SATISFACTION_NOTE)],
        [_("เกณฑ์การนับเวลา"), str(TIME_NOTE)],
    ]


def to_xlsx(data, office=""):
    sheets = [(_("ข้อมูลรายงาน"), [_("รายการ"), _("ค่า")], info_rows(data, office))]
    sheets += [(table.title, table.headers, table.rows) for table in report_tables(data)]
    return export.to_xlsx(sheets)


def to_pdf(data, office=""):
    """The print view as an A4 PDF with Thai fonts (see ``services.reports.pdf``)."""
    from django.template.loader import render_to_string

    from services.reports.pdf import html_to_pdf

    context = {**report_context(data, office=office), "pdf": True}
    return html_to_pdf(render_to_string("services/reports/report_print.html", context))


def to_csv(data, table_key="services"):
    for table in report_tables(data):
        if table.key == table_key:
            return export.to_csv(table.headers, table.rows)
    raise KeyError(table_key)


def filename(data, extension, table_key=None):
    key = data["period"]["key"].replace(":", "-")
    suffix = f"-{table_key}" if table_key else ""
    return f"ict-report-{key}{suffix}.{extension}"
