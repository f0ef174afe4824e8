"""SLA states of steps and the sweep that escalates each breached step exactly once."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone
from wagtail.models import ModelLogEntry

from services.core.models import OutboxMessage
from services.core.roles import DIRECTORS, GROUP_HEADS
from services.core.schedules import SCHEDULES, ensure_schedules
from services.tickets import sla
from services.tickets.models import TicketStep

from .desk_helpers import advance_to, bkk, make_ticket, make_user, step


@pytest.mark.django_db
def test_states_on_time_due_soon_breached():
    # One working day is 480 min; "due soon" is the last min(2 h, 25 %) = 2 working hours.
    start = bkk(2026, 3, 16, 9, 0)  # Monday (3 March is Makha Bucha)
    ticket = make_ticket([step("work", amount=1, unit="days")], start)
    work = ticket.steps.get()
    assert work.due_at == bkk(2026, 3, 17, 9, 0)
    assert work.warn_at == bkk(2026, 3, 16, 15, 0)  # 15:00-16:30 and 08:30-09:00
    assert sla.step_state(work, bkk(2026, 3, 16, 14, 59)) == sla.ON_TIME
    assert sla.step_state(work, bkk(2026, 3, 16, 15, 0)) == sla.DUE_SOON
    # At the due minute itself the step is not late yet; one minute after, it is.
    assert sla.step_state(work, bkk(2026, 3, 17, 9, 0)) == sla.DUE_SOON
    assert sla.step_state(work, bkk(2026, 3, 17, 9, 1)) == sla.BREACHED
    # 3 working days: 2 working hours is the shorter window.
    long = make_ticket([step("work", amount=3, unit="days")], start).steps.get()
    assert long.due_at == bkk(2026, 3, 19, 9, 0)
    assert long.warn_at == bkk(2026, 3, 18, 15, 0)  # 15:00-16:30 and 08:30-09:00
    # A 10-minute step: 25 % (2.5 min) is the shorter window.
    short = make_ticket([step("intake", amount=10, unit="minutes")], start).steps.get()
    assert sla.step_state(short, start) == sla.ON_TIME
    assert sla.step_state(short, bkk(2026, 3, 16, 9, 6)) == sla.ON_TIME
    assert sla.step_state(short, bkk(2026, 3, 16, 9, 7)) == sla.DUE_SOON


@pytest.mark.django_db
def test_sweep_escalates_a_breached_step_exactly_once_however_often_it_runs():
    heads = [make_user("head1", GROUP_HEADS), make_user("head2", GROUP_HEADS)]
    director = make_user("dir1", DIRECTORS)
    start = timezone.now() - dt.timedelta(days=10)
    late = make_ticket([step("work", amount=1, unit="hours"), step("report")], start)
    approval = advance_to(
        make_ticket([step("intake"), step("approval", "approver")], start), 2, start
    )
    on_time = make_ticket([step("work", amount=1, unit="days")], timezone.now())

    assert sla.sweep() == {"escalated": 2}
    for _ in range(5):
        assert sla.sweep() == {"escalated": 0}

    work = late.steps.get(position=1)
    assert work.breached and work.escalated_at is not None
    assert not on_time.steps.get().breached
    escalations = OutboxMessage.objects.filter(kind="sla_escalation")
    assert escalations.count() == 2
    to_heads = escalations.get(key__startswith="sla:escalation:Group heads:")
    assert to_heads.to == sorted(h.email for h in heads)
    assert late.reference in to_heads.body and approval.reference not in to_heads.body
    assert late.get_absolute_tracking_url() in to_heads.body
    # A breached approval goes to those who can act on it: the group heads it names.
    to_approvers = escalations.get(key__startswith="sla:escalation:approval:approver:")
    assert to_approvers.to == sorted(h.email for h in heads)
    assert director.email not in to_approvers.to
    assert approval.reference in to_approvers.body
    entries = {
        entry.object_id: entry
        for entry in ModelLogEntry.objects.filter(action="services.ticket.escalate")
    }
    assert set(entries) == {str(late.pk), str(approval.pk)}
    entry = entries[str(late.pk)]
    assert entry.label == str(late) and entry.user is None and entry.content_type.model == "ticket"
    assert entry.timestamp == work.escalated_at
    assert entry.data == {
        "step": 1,
        "title": work.title,
        "role": work.role,
        "due_at": entry.data["due_at"],
        "to": GROUP_HEADS,
    }
    assert dt.datetime.fromisoformat(entry.data["due_at"]) == work.due_at
    assert entries[str(approval.pk)].data["to"] == "approval:approver"
    # The ticket's history names the escalation.
    assert "เกินกำหนด" in str(entry.message)
    # The desk shows it as breached.
    late.refresh_from_db()
    assert sla.ticket_state(late) == sla.BREACHED


@pytest.mark.django_db
def test_sweep_claims_and_lists_the_earliest_due_steps_first():
    make_user("head1", GROUP_HEADS)
    start = timezone.now() - dt.timedelta(days=10)
    # Made in the reverse order of their due times, so id order is not due order.
    tickets = [
        make_ticket(
            [step("work", amount=60, unit="minutes", mode="elapsed")],
            start + dt.timedelta(hours=hours),
        )
        for hours in (3, 2, 1)
    ]
    late_last, late_second, late_first = (t.reference for t in tickets)

    assert sla.sweep(batch=2) == {"escalated": 3}
    first, second = OutboxMessage.objects.filter(kind="sla_escalation").order_by("pk")
    assert late_first in first.body and late_second in first.body
    assert late_last not in first.body and late_last in second.body
    assert first.body.index(late_first) < first.body.index(late_second)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_sweeps_escalate_once():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent sweeps on several hosts need PostgreSQL")
    make_user("head1", GROUP_HEADS)
    start = timezone.now() - dt.timedelta(days=10)
    for _ in range(30):
        make_ticket([step("work", amount=1, unit="hours")], start)
    barrier = threading.Barrier(3)
    totals = []

    def run():
        try:
            barrier.wait()
            totals.append(sla.sweep(batch=7)["escalated"])
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(totals) == 30
    assert TicketStep.objects.filter(escalated_at__isnull=True).count() == 0
    assert ModelLogEntry.objects.filter(action="services.ticket.escalate").count() == 30


@pytest.mark.django_db
def test_desk_schedules_run_every_minute():
    from django_q.models import Schedule

    names = {name for name, *_ in SCHEDULES}
    assert {"sla sweep", "booking reminders", "outbox sweep"} <= names
    ensure_schedules()
    ensure_schedules()
    sweep = Schedule.objects.get(name="sla sweep")
    assert (sweep.func, sweep.schedule_type, sweep.minutes) == (
        "services.tickets.sla.sweep_all",
        "I",
        1,
    )
    reminders = Schedule.objects.get(name="booking reminders")
    assert (
        reminders.func == "services.bookings.scheduling.send_reminders" and reminders.minutes == 1
    )
    assert Schedule.objects.filter(name="sla sweep").count() == 1
