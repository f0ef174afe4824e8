"""Admin views of the reports: the report page, its exports and print view, stored reports.

Views stay thin: ``build_report`` computes, ``output`` formats.
"""

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from home.thai import EN_MONTHS, THAI_MONTHS, BEDateField, be_year, fiscal_year_be
from services.core.roles import can_view_reports
from services.reports import output
from services.reports.build import build_report
from services.reports.models import StoredReport
from services.reports.period import FISCAL_YEAR, MONTH, RANGE, Period

MAX_RANGE_DAYS = 5 * 366


def _check(request):
    if not can_view_reports(request.user):
        raise PermissionDenied


def _years_be():
    this_year = be_year(timezone.localdate().year)
    return [(year, str(year)) for year in range(this_year + 1, this_year - 6, -1)]


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("ช่วงเวลา"),
        choices=[(MONTH, _("รายเดือน")), (FISCAL_YEAR, _("ปีงบประมาณ")), (RANGE, _("ช่วงวันที่"))],
    )
    month = forms.TypedChoiceField(
        label=_("เดือน"),
        coerce=int,
        required=False,
        choices=[(i, name) for i, name in enumerate(THAI_MONTHS, 1)],
    )
    year = forms.TypedChoiceField(label=_("ปี พ.ศ."), coerce=int, required=False, choices=[])
    fiscal_year = forms.TypedChoiceField(
        label=_("ปีงบประมาณ พ.ศ."), coerce=int, required=False, choices=[]
    )
    start = BEDateField(label=_("ตั้งแต่วันที่"), required=False)
    end = BEDateField(label=_("ถึงวันที่"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        months = EN_MONTHS if (translation.get_language() or "").startswith("en") else THAI_MONTHS
        self.fields["month"].choices = list(enumerate(months, 1))
        self.fields["year"].choices = _years_be()
        self.fields["fiscal_year"].choices = _years_be()
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = _("กรุณาเลือกจากรายการ")

    @classmethod
    def initial_data(cls):
        today = timezone.localdate()
        return {
            "kind": FISCAL_YEAR,
            "month": today.month,
            "year": be_year(today.year),
            "fiscal_year": fiscal_year_be(today),
            "start": "",
            "end": "",
        }

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == MONTH and not (cleaned.get("month") and cleaned.get("year")):
            self.add_error("month", _("กรุณาเลือกเดือนและปี"))
        if kind == FISCAL_YEAR and not cleaned.get("fiscal_year"):
            self.add_error("fiscal_year", _("กรุณาเลือกปีงบประมาณ"))
        if kind == RANGE:
            start, end = cleaned.get("start"), cleaned.get("end")
            if not start:
                self.add_error("start", _("กรุณาเลือกวันเริ่มต้น"))
            if not end:
                self.add_error("end", _("กรุณาเลือกวันสิ้นสุด"))
            if start and end and start > end:
                self.add_error("end", _("วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น"))
            elif start and end and (end - start).days > MAX_RANGE_DAYS:
                self.add_error("end", _("ช่วงวันที่ยาวได้ไม่เกิน 5 ปี"))
        return cleaned

    def period(self):
        data = self.cleaned_data
        if data["kind"] == MONTH:
            return Period.month(data["year"] - 543, data["month"])
        if data["kind"] == FISCAL_YEAR:
            return Period.fiscal_year(data["fiscal_year"])
        return Period.between(data["start"], data["end"])


def _form(request):
    if "kind" in request.GET:
        return PeriodForm(request.GET)
    return PeriodForm(PeriodForm.initial_data())


def _data_for(request):
    form = _form(request)
    if not form.is_valid():
        return form, None
    return form, build_report(form.period())


def report(request):
    _check(request)
    form, data = _data_for(request)
    context = {
        "form": form,
        "query": request.GET.urlencode(),
        "header_title": _("รายงานผลการให้บริการ"),
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": _("หน้าแรก")},
            {"url": "", "label": _("รายงานผลการให้บริการ")},
        ],
    }
    if data is None:
        return TemplateResponse(request, "services/reports/report.html", context, status=400)
    if not request.GET.get("kind"):
        context["query"] = urlencode(PeriodForm.initial_data())
    context.update(output.report_context(data, request))
    context["csv_url"] = reverse("services_reports_export", args=["csv"])
    return TemplateResponse(request, "services/reports/report.html", context)


def _export(request, data, fmt):
    if fmt == "xlsx":
        body = output.to_xlsx(data, output.office_name(request))
        response = HttpResponse(
            body, content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        )
        name = output.filename(data, "xlsx")
    elif fmt == "pdf":
        body = output.to_pdf(data, output.office_name(request))
        response = HttpResponse(body, content_type="application/pdf")
        name = output.filename(data, "pdf")
    elif fmt == "csv":
        table = request.GET.get("table", "services")
        try:
            body = output.to_csv(data, table)
        except KeyError:
            raise Http404
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        name = output.filename(data, "csv", table)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def report_export(request, fmt):
    _check(request)
    form, data = _data_for(request)
    if data is None:
        return HttpResponse(_("ช่วงเวลาไม่ถูกต้อง"), status=400)
    return _export(request, data, fmt)


def report_print(request):
    _check(request)
    form, data = _data_for(request)
    if data is None:
        return HttpResponse(_("ช่วงเวลาไม่ถูกต้อง"), status=400)
    return TemplateResponse(
        request, "services/reports/report_print.html", output.report_context(data, request)
    )


# --- stored monthly reports -------------------------------------------------------
def stored_list(request):
    _check(request)
    return TemplateResponse(
        request,
        "services/reports/stored_report_list.html",
        {
            "reports": StoredReport.objects.defer("data"),
            "header_title": _("รายงานประจำเดือนที่จัดเก็บ"),
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("หน้าแรก")},
                {"url": "", "label": _("รายงานประจำเดือนที่จัดเก็บ")},
            ],
        },
    )


def stored_detail(request, pk):
    _check(request)
    stored = get_object_or_404(StoredReport, pk=pk)
    context = output.report_context(stored.data, request)
    context.update(
        {
            "stored": stored,
            "header_title": stored.period_label,
            "query": "",
            "csv_url": reverse("services_reports_stored_file", args=[stored.pk, "csv"]),
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("หน้าแรก")},
                {"url": reverse("services_reports_stored"), "label": _("รายงานประจำเดือนที่จัดเก็บ")},
                {"url": "", "label": stored.period_label},
            ],
        }
    )
    template = (
        "services/reports/report_print.html"
        if request.GET.get("print")
        else "services/reports/report.html"
    )
    return TemplateResponse(request, template, context)


def stored_file(request, pk, fmt):
    _check(request)
    stored = get_object_or_404(StoredReport, pk=pk)
    if fmt == "xlsx" and stored.xlsx:
        return FileResponse(
            stored.xlsx.open("rb"),
            as_attachment=True,
            filename=output.filename(stored.data, "xlsx"),
        )
    return _export(request, stored.data, fmt)
