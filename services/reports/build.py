"""The service report for one period, computed with database aggregates.

``build_report`` returns plain JSON-ready data (kept as is in a
``StoredReport``); ``report_tables`` turns it into the tables that the page,
the print view, the CSV and the XLSX all show, so the four always hold the
same numbers.

What is counted:
- requests: tickets submitted in the period, by their status when the report
  was built (received = completed + rejected + cancelled + open);
- steps: the steps of those tickets; a step is within target when it was
  done by its due time; times are elapsed minutes from start to done;
- satisfaction: survey answers given in the period (links and walk-ins);
  the score of an answer is the mean of its five questions;
- breaches: steps of those tickets that missed their due time.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from home.thai import thai_datetime
from services.catalogue.models import ServicePage
from services.core.targets import describe_target
from services.reports.kpi import DEFAULT_TARGET, FORMULA, Satisfaction
from services.reports.period import Period
from services.reports.queries import breached_q, finished_timed_q, step_percentiles, within_target_q
from services.surveys.models import SCORE_FIELDS, SurveyResponse
from services.tickets.models import Ticket, TicketStep

BREACH_LIST_LIMIT = 500
COMPLETED = (Ticket.Status.RESOLVED, Ticket.Status.CLOSED)
SCORE_MEAN = (
    sum((F(name) for name in SCORE_FIELDS[1:]), F(SCORE_FIELDS[0])) * 1.0 / len(SCORE_FIELDS)
)


def _num(value, places=2):
    """A JSON-safe rounded number (None stays None)."""
    if value is None:
        return None
    return float(round(Decimal(str(value)), places))


def _share(part, whole):
    return _num(Decimal(part) * 100 / Decimal(whole)) if whole else None


def _satisfaction(mean, count, target):
    kpi = Satisfaction.from_aggregate(mean, count, target)
    return {
        "mean": _num(kpi.mean),
        "percent": _num(kpi.percent),
        "count": kpi.count,
        "target": _num(kpi.target),
        "met": kpi.met,
    }


def build_report(period: Period, now=None):
    now = now or timezone.now()
    start, end = period.bounds()
    tickets = Ticket.objects.filter(created_at__gte=start, created_at__lt=end)
    steps = TicketStep.objects.filter(ticket__created_at__gte=start, ticket__created_at__lt=end)
    answers = SurveyResponse.objects.filter(created_at__gte=start, created_at__lt=end)

    # --- requests per service: one GROUP BY with conditional counts ------------------
    per_service = {
        row["service_id"]: row
        for row in tickets.values("service_id")
        .annotate(
            title=Max("service_title"),
            code=Max("service_code"),
            received=Count("id"),
            completed=Count("id", filter=Q(status__in=COMPLETED)),
            rejected=Count("id", filter=Q(status=Ticket.Status.REJECTED)),
            cancelled=Count("id", filter=Q(status=Ticket.Status.CANCELLED)),
            open=Count("id", filter=Q(status=Ticket.Status.OPEN)),
        )
        .order_by()
    }
    step_totals = {
        row["service_id"]: row
        for row in steps.values(service_id=F("ticket__service_id"))
        .annotate(
            finished=Count("id", filter=finished_timed_q()),
            within=Count("id", filter=within_target_q()),
            breached=Count("id", filter=breached_q(now)),
        )
        .order_by()
    }
    score_aggregates = {f"q_{name}": Avg(name) for name in SCORE_FIELDS}
    satisfaction_rows = {
        row["service_id"]: row
        for row in answers.values("service_id")
        .annotate(mean=Avg(SCORE_MEAN), count=Count("id"), **score_aggregates)
        .order_by()
    }
    ids = [i for i in {*per_service, *satisfaction_rows} if i is not None]
    pages = {
        page.pk: page
        for page in ServicePage.objects.filter(pk__in=ids).only(
            "pk", "title", "code", "kpi_target_percent"
        )
    }

    services = []
    for service_id in sorted({*per_service, *satisfaction_rows}, key=lambda i: (i is None, i or 0)):
        counts = per_service.get(service_id, {})
        page = pages.get(service_id)
        title = (page.title if page else counts.get("title")) or _("บริการที่ถูกลบ")
        code = (page.code if page else counts.get("code")) or ""
        target = page.kpi_target_percent if page else DEFAULT_TARGET
        sat = satisfaction_rows.get(service_id, {})
        stepped = step_totals.get(service_id, {})
        services.append(
            {
                "id": service_id,
                "code": code,
                "title": title,
                **{
                    key: counts.get(key, 0)
                    for key in ("received", "completed", "rejected", "cancelled", "open")
                },
                "steps_finished": stepped.get("finished", 0),
                "steps_within": stepped.get("within", 0),
                "share_within": _share(stepped.get("within", 0), stepped.get("finished", 0)),
                "breaches": stepped.get("breached", 0),
                "satisfaction": _satisfaction(sat.get("mean"), sat.get("count", 0), target),
            }
        )
    services.sort(key=lambda s: (s["code"] or "~", s["title"]))

    totals = {
        key: sum(s[key] for s in services)
        for key in (
            "received",
            "completed",
            "rejected",
            "cancelled",
            "open",
            "steps_finished",
            "steps_within",
            "breaches",
        )
    }
    totals["share_within"] = _share(totals["steps_within"], totals["steps_finished"])
    overall = answers.aggregate(mean=Avg(SCORE_MEAN), count=Count("id"), **score_aggregates)
    satisfaction = _satisfaction(overall["mean"], overall["count"], DEFAULT_TARGET)
    satisfaction["questions"] = {name: _num(overall[f"q_{name}"]) for name in SCORE_FIELDS}
    # Walk-in answers (QR code, no ticket) apart from answers to a ticket's link.
    by_channel = {
        row["channel"]: row
        for row in answers.values("channel").annotate(mean=Avg(SCORE_MEAN), count=Count("id"))
    }
    satisfaction["channels"] = [
        {
            "channel": channel.value,
            "label": str(channel.label),
            **_satisfaction(
                by_channel.get(channel.value, {}).get("mean"),
                by_channel.get(channel.value, {}).get("count", 0),
                DEFAULT_TARGET,
            ),
        }
        for channel in SurveyResponse.Channel
    ]

    return {
        "period": period.as_dict(),
        "built_at": now.isoformat(),
        "services": services,
        "totals": totals,
        "satisfaction": satisfaction,
        "steps": _step_rows(steps, now, {s["id"]: s["title"] for s in services}),
        "trend": _trend(tickets, period),
        "breaches": _breaches(steps, now),
    }


def _step_rows(steps, now, titles):
    groups = {
        "g_service": F("ticket__service_id"),
        "g_position": F("position"),
        "g_title": F("title"),
        "g_amount": F("target_amount"),
        "g_unit": F("target_unit"),
        "g_mode": F("target_mode"),
        "g_label": F("target_label"),
    }
    names = list(groups)
    counts = (
        steps.annotate(**groups)
        .values(*names)
        .annotate(
            total=Count("id"),
            finished=Count("id", filter=finished_timed_q()),
            within=Count("id", filter=within_target_q()),
            breached=Count("id", filter=breached_q(now)),
        )
        .order_by()
    )
    percentiles = step_percentiles(steps, groups)
    rows = []
    for row in counts:
        key = tuple(row[n] for n in names)
        median, p90 = percentiles.get(key, [None, None])
        rows.append(
            {
                "service_id": row["g_service"],
                "service_title": titles.get(row["g_service"], ""),
                "position": row["g_position"],
                "title": row["g_title"],
                "target": str(
                    describe_target(row["g_amount"], row["g_unit"], row["g_mode"], row["g_label"])
                ),
                "total": row["total"],
                "finished": row["finished"],
                "within": row["within"],
                "share_within": _share(row["within"], row["finished"]),
                "breached": row["breached"],
                "median_minutes": _num(median, 1),
                "p90_minutes": _num(p90, 1),
            }
        )
    rows.sort(key=lambda r: (r["service_title"], r["position"], r["title"]))
    return rows


def _trend(tickets, period):
    """Received and completed per day (a month) or per month, in one query of
    conditional counts."""
    buckets = period.buckets()
    aggregates = {}
    for index, (_label, start, end) in enumerate(buckets):
        in_bucket = Q(created_at__gte=start, created_at__lt=end)
        aggregates[f"r{index}"] = Count("id", filter=in_bucket)
        aggregates[f"c{index}"] = Count("id", filter=in_bucket & Q(status__in=COMPLETED))
    values = tickets.aggregate(**aggregates) if aggregates else {}
    return {
        "labels": [label for label, _s, _e in buckets],
        "received": [values.get(f"r{i}", 0) for i in range(len(buckets))],
        "completed": [values.get(f"c{i}", 0) for i in range(len(buckets))],
    }


def _breaches(steps, now):
    late = steps.filter(breached_q(now))
    rows = (
        late.annotate(reference=F("ticket__reference"), service_title=F("ticket__service_title"))
        .order_by("due_at", "pk")
        .values("reference", "service_title", "position", "title", "due_at", "done_at", "status")[
            :BREACH_LIST_LIMIT
        ]
    )
    result = []
    for row in rows:
        finished = row["done_at"] or now
        late_minutes = (finished - row["due_at"]).total_seconds() / 60 if row["due_at"] else None
        result.append(
            {
                "reference": row["reference"],
                "service_title": row["service_title"],
                "position": row["position"],
                "title": row["title"],
                "due_at": row["due_at"].isoformat() if row["due_at"] else None,
                "done_at": row["done_at"].isoformat() if row["done_at"] else None,
                "late_minutes": _num(late_minutes, 0),
            }
        )
    return {"total": late.count(), "rows": result}


# --- tables: the one layout of the page, the print view, CSV and XLSX --------------------
@dataclass
class Table:
    key: str
    title: str
    headers: list
    rows: list


def _cell(value):
    return "" if value is None else value


def _when(iso):
    if not iso:
        return ""
    import datetime as dt

    return thai_datetime(dt.datetime.fromisoformat(iso))


def report_tables(data):
    sat_headers = [
        _("จำนวนผู้ตอบ"),
        _("คะแนนเฉลี่ย (เต็ม 5)"),
        _("ร้อยละความพึงพอใจ"),
        _("เป้าหมาย (ร้อยละ)"),
        _("ผ่านเป้าหมาย"),
    ]

    def yes_no(sat):
        if sat["percent"] is None:
            return _("ยังไม่มีผู้ตอบ")
        return _("ผ่าน") if sat["met"] else _("ไม่ผ่าน")

    def sat_cells(sat):
        return [
            sat["count"],
            _cell(sat["mean"]),
            _cell(sat["percent"]),
            _cell(sat["target"]),
            yes_no(sat),
        ]

    services = Table(
        "services",
        _("สรุปผลการให้บริการรายบริการ"),
        [
            _("รหัส"),
            _("บริการ"),
            _("คำขอที่ได้รับ"),
            _("ดำเนินการเสร็จ"),
            _("ไม่อนุมัติ"),
            _("ยกเลิก"),
            _("ยังไม่เสร็จ"),
            _("ร้อยละขั้นตอนที่เสร็จทันเวลา"),
            _("ขั้นตอนที่เกินกำหนด"),
            *sat_headers,
        ],
        [],
    )
    for s in data["services"]:
        services.rows.append(
            [
                s["code"],
                s["title"],
                s["received"],
                s["completed"],
                s["rejected"],
                s["cancelled"],
                s["open"],
                _cell(s["share_within"]),
                s["breaches"],
                *sat_cells(s["satisfaction"]),
            ]
        )
    t = data["totals"]
    services.rows.append(
        [
            "",
            _("รวมทุกบริการ"),
            t["received"],
            t["completed"],
            t["rejected"],
            t["cancelled"],
            t["open"],
            _cell(t["share_within"]),
            t["breaches"],
            *sat_cells(data["satisfaction"]),
        ]
    )

    steps = Table(
        "steps",
        _("ระยะเวลาแต่ละขั้นตอน"),
        [
            _("บริการ"),
            _("ลำดับ"),
            _("ขั้นตอน"),
            _("ระยะเวลามาตรฐาน"),
            _("จำนวน"),
            _("เสร็จแล้ว (มีกำหนดเวลา)"),
            _("เสร็จทันเวลา"),
            _("ร้อยละที่ทันเวลา"),
            _("เกินกำหนด"),
            _("มัธยฐาน (นาที)"),
            _("เปอร์เซ็นไทล์ที่ 90 (นาที)"),
        ],
        [
            [
                r["service_title"],
                r["position"],
                r["title"],
                r["target"],
                r["total"],
                r["finished"],
                r["within"],
                _cell(r["share_within"]),
                r["breached"],
                _cell(r["median_minutes"]),
                _cell(r["p90_minutes"]),
            ]
            for r in data["steps"]
        ],
    )

    questions = Table(
        "satisfaction",
        _("ความพึงพอใจรายข้อ (ภาพรวม)"),
        [_("ข้อ"), _("คะแนนเฉลี่ย (เต็ม 5)"), _("ร้อยละ")],
        [],
    )
    for name in SCORE_FIELDS:
        mean = data["satisfaction"]["questions"].get(name)
        questions.rows.append(
            [
                str(SurveyResponse._meta.get_field(name).verbose_name),
                _cell(mean),
                _cell(_num(Decimal(str(mean)) / 5 * 100) if mean is not None else None),
            ]
        )

    breaches = Table(
        "breaches",
        _("รายการขั้นตอนที่เกินกำหนด"),
        [
            _("เลขที่คำขอ"),
            _("บริการ"),
            _("ลำดับ"),
            _("ขั้นตอน"),
            _("กำหนดเสร็จ"),
            _("เสร็จเมื่อ"),
            _("เกินกำหนด (นาที)"),
        ],
        [
            [
                r["reference"],
                r["service_title"],
                r["position"],
                r["title"],
                _when(r["due_at"]),
                _when(r["done_at"]) or _("ยังไม่เสร็จ"),
                _cell(r["late_minutes"]),
            ]
            for r in data["breaches"]["rows"]
        ],
    )
    return [services, steps, questions, breaches]


FORMULA_TEXT = FORMULA
SATISFACTION_NOTE = gettext_lazy("คะแนนของผู้ตอบแต่ละคนคือค่าเฉลี่ยของคำถาม 5 ข้อ (คะแนน 1–5)")
