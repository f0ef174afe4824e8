"""Daily roll-ups of tickets, steps and survey answers, kept with a watermark.

``refresh`` (a Django-Q2 schedule, and the first thing each report does) finds
what changed since it last ran, without scanning the ticket table:

- tickets with an id above the watermark (new submissions);
- tickets named by audit-log entries above the watermark: every move writes
  one (``services.tickets.moves.log_move``, the sweep's escalations);
- survey answers with an id above the watermark.

It then rebuilds the roll-up rows of each day those belong to, from the ticket
tables, in one transaction. The numbers a report reads are therefore the same
as counting the tickets; only an active step's state moves with the clock, and
reports count active steps live (see ``StepDay``). Time sums are working
minutes (office hours on the business clock), as the targets are counted.
"""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from wagtail.models import ModelLogEntry

from services.reports.models import (
    OfficerDay,
    PeriodFigures,
    RollupWatermark,
    StepDay,
    SurveyDay,
    TicketDay,
)
from services.reports.queries import finished_timed_q, within_target_q
from services.surveys.models import SCORE_FIELDS, SCORE_MEAN, SurveyResponse
from services.tickets.models import Ticket, TicketStep
from services.tickets.sla import step_breached_q

WATERMARK = "daily"
#: What the kept step-time figures count: see ``queries.step_percentiles``.
BASIS = "working+elapsed:officers"


def _local_day(field):
    return TruncDate(field, tzinfo=timezone.get_current_timezone())


def _runs(days, longest=31):
    """Sorted days cut into runs of consecutive days: [(first, last), ...]."""
    runs = []
    for day in sorted(days):
        follows = runs and day == runs[-1][1] + dt.timedelta(days=1)
        if follows and (day - runs[-1][0]).days < longest:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [tuple(run) for run in runs]


def _between(field, first, last):
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _days_of(queryset, field):
    return set(
        queryset.annotate(d=_local_day(field)).values_list("d", flat=True).distinct().order_by()
    )


def rebuild_ticket_days(days):
    """Replace the TicketDay, StepDay and OfficerDay rows of these days with fresh counts."""
    for first, last in _runs(days):
        for model in (TicketDay, StepDay, OfficerDay):
            model.objects.filter(day__range=(first, last)).delete()
        tickets = Ticket.objects.filter(_between("created_at", first, last))
        TicketDay.objects.bulk_create(
            TicketDay(
                day=row["d"],
                service_id=row["service_id"],
                form_kind=row["form_kind"],
                channel=row["channel"],
                assignee_id=row["assignee_id"],
                status=row["status"],
                service_title=row["title"] or "",
                service_code=row["code"] or "",
                count=row["n"],
            )
            for row in tickets.annotate(d=_local_day("created_at"))
            .values("d", "service_id", "form_kind", "channel", "assignee_id", "status")
            .annotate(title=Max("service_title"), code=Max("service_code"), n=Count("id"))
            .order_by()
        )
        steps = TicketStep.objects.filter(_between("ticket__created_at", first, last))
        settled_breach = step_breached_q() & ~Q(status=TicketStep.Status.ACTIVE)
        StepDay.objects.bulk_create(
            StepDay(
                day=row["d"],
                service_id=row["service_id"],
                position=row["position"],
                title=row["title"],
                target_amount=row["target_amount"],
                target_unit=row["target_unit"],
                target_mode=row["target_mode"],
                target_label=row["target_label"],
                total=row["total"],
                finished=row["finished"],
                within=row["within"],
                breached_settled=row["breached"],
                working_minutes_sum=row["worked"] or 0,
            )
            for row in steps.annotate(
                d=_local_day("ticket__created_at"), service_id=F("ticket__service_id")
            )
            .values(
                "d",
                "service_id",
                "position",
                "title",
                "target_amount",
                "target_unit",
                "target_mode",
                "target_label",
            )
            .annotate(
                total=Count("id"),
                finished=Count("id", filter=finished_timed_q()),
                within=Count("id", filter=within_target_q()),
                breached=Count("id", filter=settled_breach),
                worked=Sum("working_minutes", filter=Q(status=TicketStep.Status.DONE)),
            )
            .order_by()
        )
        OfficerDay.objects.bulk_create(
            OfficerDay(
                day=row["d"],
                user_id=row["done_by_id"],
                steps=row["n"],
                timed=row["timed"],
                within=row["within"],
                breached=row["breached"],
            )
            for row in steps.filter(status=TicketStep.Status.DONE, done_by__isnull=False)
            .annotate(d=_local_day("ticket__created_at"))
            .values("d", "done_by_id")
            .annotate(
                n=Count("id"),
                timed=Count("id", filter=finished_timed_q()),
                within=Count("id", filter=within_target_q()),
                breached=Count("id", filter=step_breached_q()),
            )
            .order_by()
        )


def rebuild_survey_days(days):
    for first, last in _runs(days):
        SurveyDay.objects.filter(day__range=(first, last)).delete()
        answers = SurveyResponse.objects.filter(_between("created_at", first, last))
        SurveyDay.objects.bulk_create(
            SurveyDay(
                day=row["d"],
                service_id=row["service_id"],
                channel=row["channel"],
                count=row["n"],
                score_sum=row["score"],
                **{f"{name}_sum": row[f"s_{name}"] for name in SCORE_FIELDS},
            )
            for row in answers.annotate(d=_local_day("created_at"))
            .values("d", "service_id", "channel")
            .annotate(
                n=Count("id"),
                score=Sum(SCORE_MEAN),
                **{f"s_{name}": Sum(name) * 1.0 for name in SCORE_FIELDS},
            )
            .order_by()
        )


def refresh():
    """Bring the roll-ups up to date; returns how many days were rebuilt."""
    with transaction.atomic():
        mark, _created = RollupWatermark.objects.select_for_update().get_or_create(name=WATERMARK)
        ticket_type = ContentType.objects.get_for_model(Ticket)
        last_ticket = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        last_log = ModelLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        last_answer = (
            SurveyResponse.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        )
        changed_ids = {
            int(pk)
            for pk in ModelLogEntry.objects.filter(
                pk__gt=mark.last_log, pk__lte=last_log, content_type=ticket_type
            ).values_list("object_id", flat=True)
            if str(pk).isdigit()
        }
        ticket_days = _days_of(
            Ticket.objects.filter(pk__gt=mark.last_ticket, pk__lte=last_ticket), "created_at"
        )
        if changed_ids:
            ids = sorted(changed_ids)
            for first in range(0, len(ids), 5000):
                ticket_days |= _days_of(
                    Ticket.objects.filter(pk__in=ids[first : first + 5000]), "created_at"
                )
        survey_days = _days_of(
            SurveyResponse.objects.filter(pk__gt=mark.last_answer, pk__lte=last_answer),
            "created_at",
        )
        if ticket_days:
            rebuild_ticket_days(ticket_days)
            _mark_stale(ticket_days)
        if survey_days:
            rebuild_survey_days(survey_days)
        mark.last_ticket, mark.last_log, mark.last_answer = last_ticket, last_log, last_answer
        mark.refreshed_at = timezone.now()
        mark.save()
    return {"ticket_days": len(ticket_days), "survey_days": len(survey_days)}


def rebuild_all():
    """Start over: every day from the tables (after an import or a restore)."""
    with transaction.atomic():
        for model in (TicketDay, StepDay, OfficerDay, SurveyDay, PeriodFigures):
            model.objects.all().delete()
        RollupWatermark.objects.filter(name=WATERMARK).delete()
    return refresh()


# --- reading: what build_report asks for -------------------------------------------
GROUP_FIELDS = (
    "position",
    "title",
    "target_amount",
    "target_unit",
    "target_mode",
    "target_label",
)


def _zero(expression):
    from django.db.models.functions import Coalesce

    return Coalesce(expression, 0)


def ticket_counts(first, last, completed):
    """{service_id: {title, code, received, completed, rejected, cancelled, open}}."""
    rows = (
        TicketDay.objects.filter(day__range=(first, last))
        .values("service_id")
        .annotate(
            title=Max("service_title"),
            code=Max("service_code"),
            received=_zero(Sum("count")),
            completed=_zero(Sum("count", filter=Q(status__in=completed))),
            rejected=_zero(Sum("count", filter=Q(status=Ticket.Status.REJECTED))),
            cancelled=_zero(Sum("count", filter=Q(status=Ticket.Status.CANCELLED))),
            open=_zero(Sum("count", filter=Q(status=Ticket.Status.OPEN))),
        )
        .order_by()
    )
    return {row["service_id"]: row for row in rows}


def channel_counts(first, last, completed):
    """{channel: {received, completed, open}}."""
    rows = (
        TicketDay.objects.filter(day__range=(first, last))
        .values("channel")
        .annotate(
            received=_zero(Sum("count")),
            completed=_zero(Sum("count", filter=Q(status__in=completed))),
            open=_zero(Sum("count", filter=Q(status=Ticket.Status.OPEN))),
        )
        .order_by()
    )
    return {row["channel"]: row for row in rows}


def officer_counts(first, last):
    """({user id: {assigned, open}}, {user id: {steps, timed, within, breached}})."""
    assigned = (
        TicketDay.objects.filter(day__range=(first, last), assignee_id__isnull=False)
        .values("assignee_id")
        .annotate(
            assigned=_zero(Sum("count")),
            open=_zero(Sum("count", filter=Q(status=Ticket.Status.OPEN))),
        )
        .order_by()
    )
    done = (
        OfficerDay.objects.filter(day__range=(first, last))
        .values("user_id")
        .annotate(
            steps=Sum("steps"), timed=Sum("timed"), within=Sum("within"), breached=Sum("breached")
        )
        .order_by()
    )
    return (
        {row["assignee_id"]: row for row in assigned},
        {row["user_id"]: row for row in done},
    )


def step_group_counts(first, last, start, end, now):
    """{(service_id, position, title, amount, unit, mode, label): {total, finished,
    within, breached}}: settled steps from the roll-ups, active steps counted live."""
    result = {}
    rows = (
        StepDay.objects.filter(day__range=(first, last))
        .values("service_id", *GROUP_FIELDS)
        .annotate(
            total=Sum("total"),
            finished=Sum("finished"),
            within=Sum("within"),
            breached=Sum("breached_settled"),
        )
        .order_by()
    )
    for row in rows:
        key = (row["service_id"], *(row[name] for name in GROUP_FIELDS))
        result[key] = {k: row[k] for k in ("total", "finished", "within", "breached")}
    live = (
        TicketStep.objects.filter(
            step_breached_q(now),
            status=TicketStep.Status.ACTIVE,
            # Only open tickets have an active step (every move that ends a ticket
            # finishes or skips the rest): said here, it lets the database start
            # from the few open tickets instead of every ticket of the period.
            ticket__status=Ticket.Status.OPEN,
            ticket__created_at__gte=start,
            ticket__created_at__lt=end,
        )
        .annotate(service_id=F("ticket__service_id"))
        .values("service_id", *GROUP_FIELDS)
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in live:
        key = (row["service_id"], *(row[name] for name in GROUP_FIELDS))
        counts = result.setdefault(key, {"total": 0, "finished": 0, "within": 0, "breached": 0})
        counts["breached"] += row["n"]
    return result


def survey_sums(first, last, by_service=True):
    """Counts and score sums of the answers, per service (or overall)."""
    queryset = SurveyDay.objects.filter(day__range=(first, last))
    sums = {
        "count": Sum("count"),
        "score": Sum("score_sum"),
        **{f"s_{name}": Sum(f"{name}_sum") for name in SCORE_FIELDS},
    }

    def means(row):
        count = row["count"] or 0
        return {
            "count": count,
            "mean": row["score"] / count if count else None,
            **{f"q_{name}": row[f"s_{name}"] / count if count else None for name in SCORE_FIELDS},
        }

    if not by_service:
        return means(queryset.aggregate(**sums))
    return {
        row["service_id"]: means(row)
        for row in queryset.values("service_id").annotate(**sums).order_by()
    }


def trend_counts(buckets, completed):
    """Received and completed per bucket of the trend chart."""
    zone = timezone.get_current_timezone()
    aggregates = {}
    for index, (_label, start, end) in enumerate(buckets):
        in_bucket = Q(day__gte=start.astimezone(zone).date(), day__lt=end.astimezone(zone).date())
        aggregates[f"r{index}"] = _zero(Sum("count", filter=in_bucket))
        aggregates[f"c{index}"] = _zero(Sum("count", filter=in_bucket & Q(status__in=completed)))
    if not aggregates:
        return {}
    first = buckets[0][1].astimezone(zone).date()
    last = buckets[-1][2].astimezone(zone).date()
    return TicketDay.objects.filter(day__gte=first, day__lt=last).aggregate(**aggregates)


def _mark_stale(days):

    for first, last in _runs(days):
        PeriodFigures.objects.filter(first_day__lte=last, last_day__gte=first).update(stale=True)


def period_figures(period, steps, groups, breach_limit):
    """Step-time percentiles (working minutes, and the elapsed median beside them)
    and the settled breaches of a period, computed once and kept until a day of
    the period is rebuilt. Figures kept on another basis (elapsed medians, before
    working time was kept on the steps) are computed again."""
    from services.reports.queries import step_percentiles

    kept = PeriodFigures.objects.filter(period_key=period.key, stale=False).first()
    if kept is not None and kept.data.get("basis") == BASIS:
        return kept.data
    percentiles = step_percentiles(steps, groups)
    officers = step_percentiles(steps.filter(done_by__isnull=False), {"g_user": F("done_by")})
    settled = (
        steps.filter(step_breached_q())
        .exclude(status=TicketStep.Status.ACTIVE)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:breach_limit]
    )
    data = {
        "basis": BASIS,
        "percentiles": [[list(key), values] for key, values in percentiles.items()],
        "officer_percentiles": [[key[0], values] for key, values in officers.items()],
        "settled_breaches": list(settled),
    }
    PeriodFigures.objects.update_or_create(
        period_key=period.key,
        defaults={
            "first_day": period.start,
            "last_day": period.end,
            "stale": False,
            "computed_at": timezone.now(),
            "data": data,
        },
    )
    return data
