"""Reports read daily roll-ups, and give the numbers a direct count of the tickets gives,
for random fiscal years, also after tickets moved since the roll-ups last ran."""

import datetime as dt
import random

import pytest
from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone

from services.reports import rollups
from services.reports.build import COMPLETED, SCORE_MEAN, build_report
from services.reports.models import StepDay, TicketDay
from services.reports.period import Period
from services.reports.queries import finished_timed_q, within_target_q
from services.surveys.models import SurveyResponse
from services.tickets import moves
from services.tickets.models import Ticket, TicketStep
from services.tickets.sla import step_breached_q
from tests.reporting import BKK, answer, make_service, make_ticket

YEARS = (2567, 2568, 2569)


def direct(year, now):
    """The report's numbers counted straight from the tables."""
    start, end = Period.fiscal_year(year).bounds()
    tickets = Ticket.objects.filter(created_at__gte=start, created_at__lt=end)
    steps = TicketStep.objects.filter(ticket__created_at__gte=start, ticket__created_at__lt=end)
    answers = SurveyResponse.objects.filter(created_at__gte=start, created_at__lt=end)
    per_service = {
        row["service_id"]: row
        for row in tickets.values("service_id")
        .annotate(
            received=Count("id"),
            completed=Count("id", filter=Q(status__in=COMPLETED)),
            cancelled=Count("id", filter=Q(status=Ticket.Status.CANCELLED)),
            open=Count("id", filter=Q(status=Ticket.Status.OPEN)),
        )
        .order_by()
    }
    step_rows = {
        (row["ticket__service_id"], row["position"]): row
        for row in steps.values("ticket__service_id", "position")
        .annotate(
            total=Count("id"),
            finished=Count("id", filter=finished_timed_q()),
            within=Count("id", filter=within_target_q()),
            breached=Count("id", filter=step_breached_q(now)),
            worked=Sum("working_minutes", filter=Q(status=TicketStep.Status.DONE), default=0),
        )
        .order_by()
    }
    satisfaction = answers.aggregate(mean=Avg(SCORE_MEAN), count=Count("id"))
    return per_service, step_rows, satisfaction, tickets.count()


def direct_people(year, now):
    """Channels and officers' workload counted straight from the tables."""
    start, end = Period.fiscal_year(year).bounds()
    tickets = Ticket.objects.filter(created_at__gte=start, created_at__lt=end)
    done = TicketStep.objects.filter(
        ticket__created_at__gte=start,
        ticket__created_at__lt=end,
        status=TicketStep.Status.DONE,
        done_by__isnull=False,
    )
    channels = {
        row["channel"]: (row["received"], row["completed"], row["open"])
        for row in tickets.values("channel")
        .annotate(
            received=Count("id"),
            completed=Count("id", filter=Q(status__in=COMPLETED)),
            open=Count("id", filter=Q(status=Ticket.Status.OPEN)),
        )
        .order_by()
    }
    officers = {}
    for row in (
        tickets.filter(assignee__isnull=False)
        .values("assignee__username")
        .annotate(n=Count("id"), open=Count("id", filter=Q(status=Ticket.Status.OPEN)))
    ):
        officers[row["assignee__username"]] = [row["n"], row["open"], 0, 0, 0]
    for row in done.values("done_by__username").annotate(
        n=Count("id"),
        within=Count("id", filter=within_target_q()),
        breached=Count("id", filter=step_breached_q(now)),
    ):
        into = officers.setdefault(row["done_by__username"], [0, 0, 0, 0, 0])
        into[2:] = [row["n"], row["within"], row["breached"]]
    return channels, officers


def assert_report_equals_direct(year, now):
    report = build_report(Period.fiscal_year(year), now=now)
    per_service, step_rows, satisfaction, received = direct(year, now)
    assert report["totals"]["received"] == received
    for row in report["services"]:
        counted = per_service.get(row["id"], {})
        for key in ("received", "completed", "cancelled", "open"):
            assert row[key] == counted.get(key, 0), (year, row["title"], key)
    reported_steps = {}
    for r in report["steps"]:  # rows are per step of the standard; add up per position
        into = reported_steps.setdefault((r["service_id"], r["position"]), {})
        for name in ("total", "finished", "within", "breached"):
            into[name] = into.get(name, 0) + r[name]
    assert set(reported_steps) == set(step_rows)
    for key, counted in step_rows.items():
        for name in ("total", "finished", "within", "breached"):
            assert reported_steps[key][name] == counted[name], (year, key, name)
    assert report["breaches"]["total"] == sum(r["breached"] for r in step_rows.values())
    # The roll-ups' time sums are working minutes, as the steps keep them.
    period = Period.fiscal_year(year)
    summed = {
        (row["service_id"], row["position"]): row["worked"]
        for row in StepDay.objects.filter(day__range=(period.start, period.end))
        .values("service_id", "position")
        .annotate(worked=Sum("working_minutes_sum"))
        .order_by()
    }
    assert summed == {key: row["worked"] for key, row in step_rows.items()}, year
    assert report["satisfaction"]["count"] == satisfaction["count"]
    if satisfaction["count"]:
        assert report["satisfaction"]["mean"] == pytest.approx(satisfaction["mean"], abs=0.006)
    assert sum(report["trend"]["received"]) == received
    channels, officers = direct_people(year, now)
    assert {
        row["channel"]: (row["received"], row["completed"], row["open"])
        for row in report["channels"]
        if row["received"]
    } == channels, year
    assert {
        row["name"]: [row["assigned"], row["open"], row["steps"], row["within"], row["breached"]]
        for row in report["officers"]
    } == officers, year
    return report


@pytest.fixture
def generated(home_page, django_user_model):
    rng = random.Random(14)
    services = [
        make_service(home_page, "repair-rollup", "ICT 02", "ซ่อม"),
        make_service(home_page, "zoom-rollup", "ICT 01", "ประชุม"),
    ]
    tickets = []
    for _ in range(90):
        year_ce = rng.choice(YEARS) - 543
        created = dt.datetime(year_ce - 1, 10, 1, tzinfo=BKK) + dt.timedelta(
            minutes=rng.randrange(365 * 24 * 60)
        )
        steps = []
        for _position in range(3):
            done = rng.random() < 0.7 and all(s[2] for s in steps)
            steps.append((rng.randrange(5, 300), rng.choice([None, 30, 120]), done))
        status = Ticket.Status.RESOLVED if all(s[2] for s in steps) else Ticket.Status.OPEN
        ticket = make_ticket(rng.choice(services), created, status=status, steps=steps)
        tickets.append(ticket)
        if rng.random() < 0.5:
            scores = [rng.randint(1, 5) for _ in range(5)]
            answer(ticket.service, scores, when=created + dt.timedelta(days=1))
    officers = [
        django_user_model.objects.create_user(f"officer{n}", f"officer{n}@example.com", "pw")
        for n in range(3)
    ]
    for ticket in tickets:
        ticket.channel = rng.choice(Ticket.Channel.values)
        ticket.assignee = rng.choice([None, *officers])
        ticket.save(update_fields=["channel", "assignee"])
        ticket.steps.filter(status=TicketStep.Status.DONE).update(done_by=rng.choice(officers))
    return rng, tickets


def test_rollup_report_equals_direct_count_before_and_after_moves(generated, django_user_model):
    rng, tickets = generated
    now = timezone.now()
    for year in rng.sample(YEARS, len(YEARS)):
        assert_report_equals_direct(year, now)
    assert TicketDay.objects.exists()

    # Moves after the roll-ups ran: cancellations, and a ticket submitted since.
    officer = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    open_tickets = [t for t in tickets if t.status == Ticket.Status.OPEN]
    for ticket in rng.sample(open_tickets, min(5, len(open_tickets))):
        moves.cancel(ticket, officer, reason="ผู้ขอแจ้งยกเลิก")
    still_open = list(Ticket.objects.filter(pk__in=[t.pk for t in open_tickets], status="open"))
    for ticket in rng.sample(still_open, min(5, len(still_open))):
        moves.assign(ticket, officer, officer)
    late = make_ticket(
        tickets[0].service,
        dt.datetime(2568 - 543, 3, 3, 10, tzinfo=BKK),
        status=Ticket.Status.OPEN,
        steps=[(10, 30, True), (0, 60, False)],
    )
    assert late.pk
    for year in rng.sample(YEARS, len(YEARS)):
        assert_report_equals_direct(year, now)


def test_refresh_rebuilds_only_the_days_that_changed(generated, django_user_model):
    _rng, tickets = generated
    rollups.refresh()
    assert rollups.refresh() == {"ticket_days": 0, "survey_days": 0}
    officer = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    ticket = next(t for t in tickets if t.status == Ticket.Status.OPEN)
    moves.cancel(ticket, officer, reason="ยกเลิก")
    assert rollups.refresh() == {"ticket_days": 1, "survey_days": 0}
