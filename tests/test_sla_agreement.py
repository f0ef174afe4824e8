"""One definition of "due soon" and "breached": every place that asks agrees, ticket by ticket.

A fixed set of tickets (on time, due soon at 30 % and 60 % of the target left,
due this very minute, breached, paused on the requester, closed late) is put
to the desk list filter, the SLA badge, the dashboard panels, the SLA sweep
and the report.
"""

import datetime as dt

import pytest
from django.test import RequestFactory

from services.desk.admin_views import DueSoonPanel, SlaStateFilter
from services.reports.build import build_report
from services.reports.panels import BreachesPanel
from services.reports.period import Period
from services.templatetags.desk_tags import ticket_sla_badge
from services.tickets import sla
from services.tickets.models import Ticket, TicketStep

from .desk_helpers import bkk, make_ticket, make_user, step

# Wednesday 18 March 2026, 10:00 in Bangkok: an ordinary working day.
NOW = bkk(2026, 3, 18, 10, 0)


def _elapsed_hour_left(share_left):
    """A one-hour elapsed-time step started so that ``share_left`` of it remains at NOW."""
    start = NOW - dt.timedelta(minutes=60 * (1 - share_left))
    return make_ticket([step("work", amount=60, unit="minutes", mode="elapsed")], start)


@pytest.fixture
def fixed_tickets(db, settings):
    # The rule under test: the last min(2 h, 40 %) of a target is "due soon".
    settings.DESK_DUE_SOON_MINUTES = 120
    settings.DESK_DUE_SOON_SHARE = 0.4
    officer = make_user("officer1")
    tickets = {
        "on_time": make_ticket([step("work", amount=3, unit="days")], NOW - dt.timedelta(hours=1)),
        "due_soon_30": _elapsed_hour_left(0.30),
        "on_time_60": _elapsed_hour_left(0.60),
        # At the due minute itself a step is not late yet: still due soon.
        "due_now": _elapsed_hour_left(0),
        "breached": make_ticket([step("work", amount=1, unit="hours")], bkk(2026, 3, 17, 9, 0)),
        "paused": make_ticket(
            [step("work", role="requester", amount=1, unit="hours"), step("work")],
            bkk(2026, 3, 16, 9, 0),
        ),
    }
    # Closed late: its only step was done a day after its one-hour target.
    late = make_ticket([step("work", amount=1, unit="hours")], bkk(2026, 3, 16, 9, 0))
    late.steps.update(
        status=TicketStep.Status.DONE, done_at=bkk(2026, 3, 17, 9, 0), done_by=officer
    )
    Ticket.objects.filter(pk=late.pk).update(status=Ticket.Status.CLOSED, active_step=None)
    tickets["closed_late"] = late
    return {name: Ticket.objects.get(pk=t.pk) for name, t in tickets.items()}


EXPECTED = {
    "on_time": sla.ON_TIME,
    "due_soon_30": sla.DUE_SOON,
    "on_time_60": sla.ON_TIME,
    "due_now": sla.DUE_SOON,
    "breached": sla.BREACHED,
    "paused": sla.PAUSED,
    "closed_late": sla.BREACHED,
}


def _filtered(state):
    """The desk list's SLA filter, as the ticket list applies it."""
    request = RequestFactory().get("/", {"sla": state})
    list_filter = SlaStateFilter(request, {"sla": [state]}, Ticket, None)
    return set(list_filter.queryset(request, Ticket.objects.all()).values_list("pk", flat=True))


def test_the_five_places_agree_ticket_by_ticket(fixed_tickets, monkeypatch):
    # The list filter and the panels read the clock themselves: stop it at NOW.
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    officer = make_user("officer2")
    ids = {name: ticket.pk for name, ticket in fixed_tickets.items()}

    # 1. The badge (desk list column, panels and ticket view use the same tag).
    badges = {
        name: ticket_sla_badge(sla.with_sla(Ticket.objects.filter(pk=t.pk), NOW).get(), NOW)
        for name, t in fixed_tickets.items()
    }
    for name, expected in EXPECTED.items():
        assert f"sla-badge--{expected}" in badges[name], (name, badges[name])

    # 2. The desk list filter: each ticket is in exactly the bucket of its state.
    for state in sla.STATE_LABELS:
        assert _filtered(state) == {ids[n] for n, s in EXPECTED.items() if s == state}, state

    # 3. The dashboard: "due soon and breached" lists open tickets in those states;
    #    "breaches this week" lists the late steps due this week.
    panel = DueSoonPanel(officer)
    listed = set(panel.tickets(NOW).values_list("pk", flat=True))
    assert listed == {ids["due_soon_30"], ids["due_now"], ids["breached"]}
    week = BreachesPanel(now=NOW).get_context_data()
    assert {row.ticket_id for row in week["rows"]} == {ids["breached"], ids["closed_late"]}
    assert week["total"] == 2

    # 4. The sweep escalates exactly the open breached ticket, and flags nothing else.
    result = sla.sweep(now=NOW)
    assert result == {"escalated": 1}
    escalated = set(
        TicketStep.objects.filter(escalated_at__isnull=False).values_list("ticket_id", flat=True)
    )
    assert escalated == {ids["breached"]}
    flagged = set(TicketStep.objects.filter(breached=True).values_list("ticket_id", flat=True))
    assert flagged <= {ids["breached"], ids["closed_late"]}

    # 5. The report lists a breach for exactly the breached tickets.
    data = build_report(Period.between(dt.date(2026, 3, 1), dt.date(2026, 3, 31)), now=NOW)
    reported = {row["reference"] for row in data["breaches"]["rows"]}
    assert reported == {fixed_tickets["breached"].reference, fixed_tickets["closed_late"].reference}
    assert data["breaches"]["total"] == 2

    # After the sweep every place still answers the same.
    for name, expected in EXPECTED.items():
        ticket = sla.with_sla(Ticket.objects.filter(pk=ids[name]), NOW).get()
        assert sla.ticket_state(ticket, NOW) == expected, name
    for state in sla.STATE_LABELS:
        assert _filtered(state) == {ids[n] for n, s in EXPECTED.items() if s == state}, state


def test_due_soon_moment_follows_the_one_rule(fixed_tickets):
    """30 % left is inside the 40 % window, 60 % left is not; publication steps share it."""
    from services.core.targets import due_soon_window

    assert due_soon_window(60) == 24  # 40 % of an hour, shorter than 2 h
    assert due_soon_window(3 * 480) == 120  # 2 working hours of a 3-day target
    soon = fixed_tickets["due_soon_30"].active_step
    assert soon.warn_at == soon.due_at - dt.timedelta(minutes=24)


def test_a_requester_step_has_no_clock_and_is_never_escalated(fixed_tickets):
    paused = fixed_tickets["paused"].active_step
    assert paused.role == "requester"
    assert paused.due_at is None and paused.warn_at is None
    sla.sweep(now=NOW + dt.timedelta(days=30))
    paused.refresh_from_db()
    assert paused.escalated_at is None and not paused.breached


@pytest.mark.parametrize("few", [0, 1000], ids=["walk the open tickets", "start from the steps"])
def test_both_plans_of_the_sla_filter_agree_with_the_badge(fixed_tickets, monkeypatch, few):
    """The list filter has two plans (``sla.filter_by_state``); each gives every
    ticket the state its badge shows, including tickets that missed an earlier
    step's target, flagged or not, while their current step is on time."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    monkeypatch.setattr(sla, "FEW_MATCHES", few)
    two_steps = [step("work", amount=1, unit="hours"), step("work", amount=3, unit="days")]
    made = {}
    for name, late, flagged in (
        ("missed_unflagged", True, False),
        ("missed_flagged", True, True),
        ("first_in_time", False, False),
    ):
        ticket = make_ticket(two_steps, bkk(2026, 3, 17, 9, 0))
        done = bkk(2026, 3, 17, 13, 0) if late else bkk(2026, 3, 17, 9, 30)
        ticket.steps.filter(position=1).update(
            status=TicketStep.Status.DONE, done_at=done, breached=flagged
        )
        ticket.steps.get(position=2).start(done)
        made[name] = ticket.pk
    expected = {
        ticket.pk: state for name, ticket in fixed_tickets.items() for state in [EXPECTED[name]]
    }
    expected.update({made["missed_unflagged"]: sla.BREACHED, made["missed_flagged"]: sla.BREACHED})
    expected[made["first_in_time"]] = sla.ON_TIME
    for pk, state in expected.items():
        badge = ticket_sla_badge(sla.with_sla(Ticket.objects.filter(pk=pk), NOW).get(), NOW)
        assert f"sla-badge--{state}" in badge, (pk, state, badge)
    for state in sla.STATE_LABELS:
        assert _filtered(state) == {pk for pk, s in expected.items() if s == state}, state


def test_the_missed_index_is_the_expression_the_filter_asks_for(db):
    """The database uses the partial index ``ticketstep_missed`` only for a query
    term equal to its condition: the filter must keep asking exactly that."""
    from django.db import connection

    index = next(i for i in TicketStep._meta.indexes if i.name == "ticketstep_missed")
    editor = connection.schema_editor(collect_sql=True)  # only compiles, never entered
    created = str(index.create_sql(TicketStep, editor))
    condition = created[created.index(" WHERE ") + len(" WHERE ") :]
    sql, params = Ticket.objects.filter(
        sla.ticket_state_q(sla.ON_TIME, NOW)
    ).query.sql_with_params()
    asked = sql.replace('U0."', '"')
    assert "'done'" in condition and "done" in params
    assert condition.replace("'done'", "%s") in asked


def test_sqlite_gets_fresh_planner_statistics_every_night(fixed_tickets):
    from django.db import connection
    from django.utils import timezone
    from django_q.models import Schedule

    from services.core.schedules import ensure_schedules, refresh_statistics

    ensure_schedules()
    nightly = Schedule.objects.get(name="database statistics")
    assert nightly.schedule_type == Schedule.DAILY
    assert timezone.localtime(nightly.next_run).hour == 2
    refresh_statistics()
    if connection.vendor != "sqlite":
        return  # autovacuum keeps PostgreSQL's statistics
    with connection.cursor() as cursor:
        cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'services_ticketstep'")
        analysed = {row[0] for row in cursor.fetchall()}
    assert {"ticketstep_missed", "ticketstep_status_due_warn"} <= analysed
