"""The service report for one period, computed with database aggregates.

``build_report`` returns plain JSON-ready data (kept as is in a
``StoredReport``); ``report_tables`` turns it into the tables that the page,
the print view, the CSV and the XLSX all show, so the four always hold the
same numbers.

What is counted:
- requests: tickets submitted in the period, by their status when the report
  was built (received = completed + rejected + cancelled + open);
- steps: the steps of those tickets; a step is within target when it was
  done by its due time; the time a step took is its working minutes (office
  hours on the business clock, kept when it was done), with the elapsed
  minutes from start to done shown beside it;
- satisfaction: survey answers given in the period (links and walk-ins);
  the score of an answer is the mean of its five questions;
- breaches: steps of those tickets that missed their due time, with how late
  in working minutes and, beside them, in elapsed minutes;
- channels: those tickets by the way they came in (web form, walk-in, letter,
  phone, LINE, e-mail), as recorded on the ticket;
- officers: per officer, the tickets assigned and the steps done (of those
  tickets), on time or late, and the median and 90th percentile of the working
  time a step took them, with the elapsed median beside them;
- bookings: confirmed bookings starting in the period, per resource, with
  their hours and participants.

One time basis: working time. On-time shares compare each step's done time
with its due time, counted on the business clock as the step's target says
(working time, unless the standard gives a step an elapsed target), and the
medians and 90th percentiles beside them are working minutes too, so a step
done within a working-time target never shows a median above it. The elapsed
(wall-clock) median is shown beside them where it helps, labelled as such.
Reports stored before working minutes were kept show the elapsed median only.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from home.thai import thai_date, thai_datetime
from services.bookings.models import Booking
from services.catalogue.models import ServicePage
from services.core.clock import get_clock
from services.core.targets import describe_target
from services.reports import rollups
from services.reports.kpi import DEFAULT_TARGET, FORMULA, Satisfaction
from services.reports.period import Period
from services.reports.queries import (
    breached_q,
)
from services.surveys.models import SCORE_FIELDS, SCORE_MEAN, SurveyResponse
from services.tickets.models import Ticket, TicketStep

BREACH_LIST_LIMIT = 500
COMPLETED = (Ticket.Status.RESOLVED, Ticket.Status.CLOSED)


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
    steps = TicketStep.objects.filter(ticket__created_at__gte=start, ticket__created_at__lt=end)

    # --- counts from the daily roll-ups (brought up to date first) -------------------
    rollups.refresh()
    first, last = period.start, period.end
    per_service = rollups.ticket_counts(first, last, COMPLETED)
    groups = rollups.step_group_counts(first, last, start, end, now)
    step_totals = {}
    for key, counts in groups.items():
        totals_of = step_totals.setdefault(key[0], {"finished": 0, "within": 0, "breached": 0})
        for name in totals_of:
            totals_of[name] += counts[name]
    satisfaction_rows = rollups.survey_sums(first, last)
    figures = rollups.period_figures(period, steps, STEP_GROUPS, BREACH_LIST_LIMIT)
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
    overall = rollups.survey_sums(first, last, by_service=False)
    satisfaction = _satisfaction(overall["mean"], overall["count"], DEFAULT_TARGET)
    satisfaction["questions"] = {name: _num(overall[f"q_{name}"]) for name in SCORE_FIELDS}
    # Walk-in answers (QR code, no ticket) apart from answers to a ticket's link.
    by_channel = {
        row["channel"]: row
        for row in SurveyResponse.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("channel")
        .annotate(mean=Avg(SCORE_MEAN), count=Count("id"))
        .order_by()
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
        "steps": _step_rows(figures, groups, {s["id"]: s["title"] for s in services}),
        "trend": _trend(period, now),
        "breaches": _breaches(figures, steps, now, totals["breaches"]),
        "channels": _channels(first, last),
        "officers": _officers(first, last, figures),
        # Bookings are read directly: a period holds few.
        "bookings": _bookings(start, end),
    }


def _channels(first, last):
    """Every channel with its counts (zeros too, so a channel nobody used shows)."""
    rows = rollups.channel_counts(first, last, COMPLETED)
    return [
        {
            "channel": value,
            "label": str(label),
            "received": rows.get(value, {}).get("received", 0),
            "completed": rows.get(value, {}).get("completed", 0),
            "open": rows.get(value, {}).get("open", 0),
        }
        for value, label in Ticket.Channel.choices
    ]


def _officers(first, last, figures):
    """Each officer's tickets (assigned, still open) and the steps they did, with the
    share on time and the time they took (kept with the period's percentiles)."""
    from django.contrib.auth import get_user_model

    assigned, done = rollups.officer_counts(first, last)
    times = {pk: values for pk, values in figures.get("officer_percentiles", [])}
    users = get_user_model().objects.in_bulk([*assigned, *done])
    rows = []
    for pk, user in users.items():
        a, d = assigned.get(pk, {}), done.get(pk, {})
        rows.append(
            {
                "name": user.get_full_name() or user.get_username(),
                "assigned": a.get("assigned", 0),
                "open": a.get("open", 0),
                "steps": d.get("steps", 0),
                "within": d.get("within", 0),
                "share_within": _share(d.get("within", 0), d.get("timed", 0)),
                "breached": d.get("breached", 0),
                **_time_figures(times.get(pk)),
            }
        )
    rows.sort(key=lambda r: (-r["steps"], -r["assigned"], r["name"]))
    return rows


def _time_figures(values):
    """The time columns of a row, from ``step_percentiles``' {measure: [values]}."""
    values = values or {}
    working = values.get("working") or [None, None]
    elapsed = values.get("elapsed") or [None]
    return {
        "median_working_minutes": _num(working[0], 1),
        "p90_working_minutes": _num(working[1], 1),
        "median_elapsed_minutes": _num(elapsed[0], 1),
    }


def _time_cells(row):
    """Working median, working p90, elapsed median; a report stored before working
    minutes were kept has only ``median_minutes``, which were elapsed."""
    return [
        _cell(row.get("median_working_minutes")),
        _cell(row.get("p90_working_minutes")),
        _cell(row.get("median_elapsed_minutes", row.get("median_minutes"))),
    ]


def _bookings(start, end):
    from services.reports.queries import minutes_between

    rows = (
        Booking.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .values("resource_id", "resource__name", "resource__kind")
        .annotate(
            confirmed=Count("id", filter=Q(status=Booking.Status.CONFIRMED)),
            cancelled=Count("id", filter=Q(status=Booking.Status.CANCELLED)),
            minutes=Sum(
                minutes_between(F("starts_at"), F("ends_at")),
                filter=Q(status=Booking.Status.CONFIRMED),
            ),
            participants=Sum("participants", filter=Q(status=Booking.Status.CONFIRMED)),
        )
        .order_by("resource__kind", "resource__name")
    )
    return [
        {
            "resource": row["resource__name"],
            "confirmed": row["confirmed"],
            "cancelled": row["cancelled"],
            "hours": _num((row["minutes"] or 0) / 60, 1),
            "participants": row["participants"] or 0,
        }
        for row in rows
    ]


STEP_GROUPS = {
    "g_service": F("ticket__service_id"),
    "g_position": F("position"),
    "g_title": F("title"),
    "g_amount": F("target_amount"),
    "g_unit": F("target_unit"),
    "g_mode": F("target_mode"),
    "g_label": F("target_label"),
}


def _step_rows(figures, counted, titles):
    names = list(STEP_GROUPS)
    counts = [{**dict(zip(names, key, strict=True)), **values} for key, values in counted.items()]
    percentiles = {tuple(key): values for key, values in figures["percentiles"]}
    rows = []
    for row in counts:
        key = tuple(row[n] for n in names)
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
                **_time_figures(percentiles.get(key)),
            }
        )
    rows.sort(key=lambda r: (r["service_title"], r["position"], r["title"]))
    return rows


def _trend(period, now):
    """Received and completed per day (a month) or per month, from the roll-ups;
    days or months that have not begun are left out, so the chart does not fall
    to 0 in the future."""
    buckets = [bucket for bucket in period.buckets() if bucket[1] <= now]
    values = rollups.trend_counts(buckets, COMPLETED)
    return {
        "labels": [label for label, _s, _e in buckets],
        "received": [values.get(f"r{i}", 0) for i in range(len(buckets))],
        "completed": [values.get(f"c{i}", 0) for i in range(len(buckets))],
    }


def _breaches(figures, steps, now, total):
    """The longest-late list: settled breaches kept with the period's figures, and
    active steps past due counted now (few: the index of active steps)."""
    active_late = steps.filter(
        breached_q(now), status=TicketStep.Status.ACTIVE, ticket__status=Ticket.Status.OPEN
    ).order_by("due_at", "pk")
    ids = figures["settled_breaches"] + list(
        active_late.values_list("pk", flat=True)[:BREACH_LIST_LIMIT]
    )
    rows = (
        TicketStep.objects.filter(pk__in=ids)
        .annotate(reference=F("ticket__reference"), service_title=F("ticket__service_title"))
        .order_by("due_at", "pk")
        .values("reference", "service_title", "position", "title", "due_at", "done_at", "status")[
            :BREACH_LIST_LIMIT
        ]
    )
    result = []
    clock = get_clock()
    for row in rows:
        finished = row["done_at"] or now
        due = row["due_at"]
        late_elapsed = (finished - due).total_seconds() / 60 if due else None
        late_working = clock.working_minutes_between(due, finished) if due else None
        result.append(
            {
                "reference": row["reference"],
                "service_title": row["service_title"],
                "position": row["position"],
                "title": row["title"],
                "due_at": row["due_at"].isoformat() if row["due_at"] else None,
                "done_at": row["done_at"].isoformat() if row["done_at"] else None,
                "late_working_minutes": _num(late_working, 0),
                "late_elapsed_minutes": _num(late_elapsed, 0),
            }
        )
    return {"total": total, "rows": result}


# --- tables: the one layout of the page, the print view, CSV and XLSX --------------------
@dataclass
class Table:
    key: str
    title: str
    headers: list
    rows: list


def _cell(value):
    return "" if value is None else value


class Moment(str):
    """A date or a time as people read it (Thai, Buddhist Era) that keeps its value:
    the page and the CSV show the text, the XLSX writes a real date cell."""

    def __new__(cls, value):
        text = thai_datetime(value) if isinstance(value, dt.datetime) else thai_date(value)
        moment = super().__new__(cls, text)
        moment.moment = value
        return moment


def _when(iso):
    if not iso:
        return ""
    return Moment(dt.datetime.fromisoformat(iso))


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
            _("มัธยฐานเวลาทำการ (นาที)"),
            _("เปอร์เซ็นไทล์ที่ 90 เวลาทำการ (นาที)"),
            _("มัธยฐานเวลาที่ผ่านไปจริง (นาที)"),
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
                *_time_cells(r),
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
            _("เกินกำหนด (นาที เวลาทำการ)"),
            _("เกินกำหนด (นาที เวลาที่ผ่านไปจริง)"),
        ],
        [
            [
                r["reference"],
                r["service_title"],
                r["position"],
                r["title"],
                _when(r["due_at"]),
                _when(r["done_at"]) or _("ยังไม่เสร็จ"),
                _cell(r.get("late_working_minutes")),
                # Reports stored before working time was counted hold elapsed minutes only.
                _cell(r.get("late_elapsed_minutes", r.get("late_minutes"))),
            ]
            for r in data["breaches"]["rows"]
        ],
    )
    channels = Table(
        "channels",
        _("คำขอตามช่องทาง"),
        [_("ช่องทาง"), _("คำขอที่ได้รับ"), _("ดำเนินการเสร็จ"), _("ยังไม่เสร็จ")],
        [[r["label"], r["received"], r["completed"], r["open"]] for r in data.get("channels", [])],
    )
    officers = Table(
        "officers",
        _("ภาระงานของเจ้าหน้าที่"),
        [
            _("เจ้าหน้าที่"),
            _("คำขอที่รับผิดชอบ"),
            _("ยังไม่เสร็จ"),
            _("ขั้นตอนที่ทำเสร็จ"),
            _("เสร็จทันเวลา"),
            _("ร้อยละที่ทันเวลา"),
            _("เกินกำหนด"),
            _("มัธยฐานเวลาทำการต่อขั้นตอน (นาที)"),
            _("เปอร์เซ็นไทล์ที่ 90 เวลาทำการต่อขั้นตอน (นาที)"),
            _("มัธยฐานเวลาที่ผ่านไปจริงต่อขั้นตอน (นาที)"),
        ],
        [
            [
                r["name"],
                r["assigned"],
                r["open"],
                r["steps"],
                r["within"],
                _cell(r["share_within"]),
                r["breached"],
                *_time_cells(r),
            ]
            for r in data.get("officers", [])
        ],
    )
    bookings = Table(
        "bookings",
        _("การใช้ทรัพยากรที่จอง"),
        [
            _("ทรัพยากร"),
            _("การจองที่ยืนยัน"),
            _("ยกเลิก"),
            _("ชั่วโมงที่ใช้"),
            _("ผู้เข้าร่วมรวม"),
        ],
        [
            [r["resource"], r["confirmed"], r["cancelled"], r["hours"], r["participants"]]
            for r in data.get("bookings", [])
        ],
    )
    return [services, steps, questions, breaches, channels, officers, bookings]


FORMULA_TEXT = FORMULA
SATISFACTION_NOTE = gettext_lazy("คะแนนของผู้ตอบแต่ละคนคือค่าเฉลี่ยของคำถาม 5 ข้อ (คะแนน 1–5)")
TIME_NOTE = gettext_lazy(
    "นับคำขอที่ยื่นในช่วงเวลานี้ตามสถานะ ณ เวลาที่จัดทำรายงาน ขั้นตอนที่ทันเวลาคือเสร็จไม่เกินกำหนดเสร็จ "
    "ซึ่งนับตามเวลาทำการ (เว้นแต่มาตรฐานของขั้นตอนกำหนดเป็นเวลาต่อเนื่อง) "
    "มัธยฐาน เปอร์เซ็นไทล์ที่ 90 และเวลาที่เกินกำหนดนับเป็นเวลาทำการเช่นเดียวกัน คือเฉพาะเวลาราชการในวันทำการ "
    "ส่วนคอลัมน์ที่ระบุว่าเวลาที่ผ่านไปจริงนับตามนาฬิกา รวมนอกเวลาราชการและวันหยุด"
)
