"""The moves of a ticket: who may make which move at which step, and what each does."""

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from services.core.models import OutboxMessage
from services.tickets import moves
from services.tickets.models import Ticket, TicketMessage, TicketStep
from services.tickets.moves import MoveNotAllowed

from .desk_helpers import advance_to, bkk, desk_users, make_ticket, step

pytestmark = pytest.mark.django_db


def sent():
    """What the moves queued in the outbox, oldest first."""
    return list(OutboxMessage.objects.order_by("pk"))


PIPELINE = [
    step("intake", amount=10, unit="minutes"),
    step("approval", "approver"),
    step("schedule"),
    step("work", amount=1, unit="days"),
    step("report"),
]
KINDS = ["intake", "approval", "schedule", "work", "report"]

OFFICER_ALWAYS = {"take", "assign", "cancel", "reply", "note"}
EXPECTED = {
    "officer": {
        "intake": OFFICER_ALWAYS | {"finish"},  # no resolve: the approval is still ahead
        "approval": OFFICER_ALWAYS,
        "schedule": OFFICER_ALWAYS | {"schedule", "resolve"},
        "work": OFFICER_ALWAYS | {"finish", "resolve"},
        "report": OFFICER_ALWAYS | {"finish", "resolve"},
    },
    "approver": {
        kind: {"assign", "reply", "note"} | ({"approve", "reject"} if kind == "approval" else set())
        for kind in KINDS
    },
    "director": {kind: {"assign", "reply", "note"} for kind in KINDS},
    "executive": {kind: set() for kind in KINDS},
    "staff": {kind: set() for kind in KINDS},
}
EXPECTED["admin"] = {kind: EXPECTED["officer"][kind] | EXPECTED["approver"][kind] for kind in KINDS}


@pytest.fixture
def users():
    return desk_users()


@pytest.fixture
def now():
    return timezone.now()


@pytest.mark.parametrize("who", sorted(EXPECTED))
@pytest.mark.parametrize("position,kind", list(enumerate(KINDS, start=1)))
def test_allowed_moves_by_group_and_step_kind(users, now, who, position, kind):
    ticket = advance_to(make_ticket(PIPELINE, now), position, now)
    assert ticket.current_step.kind == kind
    assert set(moves.allowed_moves(ticket, users[who])) == EXPECTED[who][kind]


def test_refused_moves_raise_clear_thai_messages(users, now):
    ticket = make_ticket(PIPELINE, now)
    with pytest.raises(MoveNotAllowed, match="ไม่มีสิทธิ์อนุมัติ"):
        moves.approve(ticket, users["officer"])
    with pytest.raises(MoveNotAllowed, match="อนุมัติไม่ได้ในขั้นตอน"):
        moves.approve(ticket, users["approver"])
    with pytest.raises(MoveNotAllowed, match="ไม่มีสิทธิ์"):
        moves.finish(ticket, users["executive"], "x")
    with pytest.raises(MoveNotAllowed, match="ปิดงานไม่ได้ เพราะคำขออยู่ในสถานะ"):
        moves.close(ticket, users["officer"])
    with pytest.raises(MoveNotAllowed, match="ไม่รู้จัก"):
        moves.perform("publish", ticket, users["admin"])
    # Nothing changed.
    assert ticket.steps.get(position=1).status == TicketStep.Status.ACTIVE
    assert not ModelLogEntry.objects.filter(action__startswith="services.ticket").exists()


def test_finish_records_the_step_and_starts_the_next(users):
    start = bkk(2026, 3, 2, 9, 0)  # a Monday
    ticket = make_ticket(PIPELINE, start)
    moves.take(ticket, users["officer"])
    moves.finish(ticket, users["officer"], "รับเรื่องทางโทรศัพท์", now=start + dt.timedelta(minutes=5))
    first, second = ticket.steps.all()[:2]
    assert first.status == TicketStep.Status.DONE
    assert first.done_by == users["officer"]
    assert first.done_at == start + dt.timedelta(minutes=5)
    assert first.working_minutes == 5  # office minutes, kept for the reports' medians
    assert first.note == "รับเรื่องทางโทรศัพท์"
    assert first.breached is False  # met: done within 10 minutes
    assert second.status == TicketStep.Status.ACTIVE
    assert second.started_at == start + dt.timedelta(minutes=5)
    assert second.due_at == start + dt.timedelta(hours=1, minutes=5)
    ticket.refresh_from_db()
    assert ticket.active_step_id == second.pk
    assert ticket.assignee == users["officer"]
    actions = list(ModelLogEntry.objects.for_instance(ticket).values_list("action", "user"))
    assert ("services.ticket.take", users["officer"].pk) in actions
    assert ("services.ticket.finish", users["officer"].pk) in actions


def test_finishing_late_marks_the_step_breached(users):
    start = bkk(2026, 3, 2, 9, 0)
    ticket = make_ticket(PIPELINE, start)
    moves.finish(ticket, users["officer"], now=start + dt.timedelta(minutes=11))
    assert ticket.steps.get(position=1).breached is True


def test_all_steps_done_resolves_the_ticket_then_close(users):
    start = timezone.now()
    ticket = make_ticket([step("work"), step("report")], start)
    moves.finish(ticket, users["officer"], "ซ่อมเสร็จ")
    moves.finish(ticket, users["officer"], "แจ้งผลแล้ว")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.RESOLVED
    assert ticket.resolved_at is not None
    assert ticket.active_step is None
    # The requester is told it is done and asked for the satisfaction survey.
    assert sorted(m.subject for m in sent()) == sorted(
        [
            f"คำขอ {ticket.reference} ดำเนินการเสร็จแล้ว",
            f"ขอความกรุณาประเมินความพึงพอใจ คำขอ {ticket.reference}",
        ]
    )
    moves.close(ticket, users["officer"], "ผู้ขอยืนยันแล้ว")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED and ticket.closed_at


def test_alternative_target_retimes_the_step_from_its_start(users):
    friday = bkk(2026, 3, 6, 15, 0)
    alternatives = [{"label": "ส่งซ่อมร้านภายนอก", "amount": 2, "unit": "days", "mode": "working"}]
    ticket = make_ticket([step("work", amount=1, unit="days", alternatives=alternatives)], friday)
    work = ticket.steps.get()
    assert work.due_at == bkk(2026, 3, 9, 15, 0)  # one working day: Monday 15:00
    moves.choose_alternative(
        ticket, users["officer"], "ส่งซ่อมร้านภายนอก", "ไม่มีอะไหล่ในสต็อก", now=bkk(2026, 3, 9, 10, 0)
    )
    work.refresh_from_db()
    assert work.started_at == friday
    assert work.due_at == bkk(2026, 3, 10, 15, 0)  # two working days from Friday 15:00
    assert work.chosen_alternative == "ส่งซ่อมร้านภายนอก"
    assert work.target_amount == 2
    assert "ไม่มีอะไหล่ในสต็อก" in work.note and "ส่งซ่อมร้านภายนอก" in work.note
    entry = ModelLogEntry.objects.for_instance(ticket).get(
        action="services.ticket.choose_alternative"
    )
    assert entry.data["reason"] == "ไม่มีอะไหล่ในสต็อก"
    assert entry.data["new_due"].startswith("2026-03-10T15:00")
    with pytest.raises(MoveNotAllowed, match="เลือกกรณีจากรายการ"):
        moves.choose_alternative(ticket, users["officer"], "ไม่มีกรณีนี้", "x")
    with pytest.raises(MoveNotAllowed, match="เหตุผล"):
        moves.choose_alternative(ticket, users["officer"], "ส่งซ่อมร้านภายนอก", "  ")


def test_alternative_target_of_a_requester_step_moves_the_reminder_not_a_clock(users):
    # "The requester sends the documents: 3 working days, or 10 for a school
    # abroad": the office waits either way, so the step gets no due time.
    monday = bkk(2026, 3, 9, 9, 0)
    alternatives = [{"label": "โรงเรียนต่างประเทศ", "amount": 10, "unit": "days", "mode": "working"}]
    ticket = make_ticket(
        [step("work", role="requester", amount=3, unit="days", alternatives=alternatives)], monday
    )
    waiting = ticket.steps.get()
    assert waiting.due_at is None and waiting.remind_at == bkk(2026, 3, 12, 9, 0)
    moves.choose_alternative(
        ticket, users["officer"], "โรงเรียนต่างประเทศ", "ส่งเอกสารทางไปรษณีย์", now=monday
    )
    waiting.refresh_from_db()
    assert waiting.due_at is None and waiting.warn_at is None and not waiting.breached
    assert waiting.remind_at == bkk(2026, 3, 23, 9, 0)  # ten working days on
    entry = ModelLogEntry.objects.for_instance(ticket).get(
        action="services.ticket.choose_alternative"
    )
    assert entry.data["new_due"] is None and entry.data["alternative"] == "โรงเรียนต่างประเทศ"


def test_alternative_across_a_thai_holiday(users):
    # 31 December 2025, 1 January and the bridge day 2 January 2026 are Thai holidays,
    # then a weekend: one working day from Tuesday 10:00 is Monday 5 January 10:00.
    start = bkk(2025, 12, 30, 10, 0)
    alternatives = [{"label": "คำขอซับซ้อน", "amount": 1, "unit": "days", "mode": "working"}]
    ticket = make_ticket(
        [step("work", amount=15, unit="minutes", alternatives=alternatives)], start
    )
    moves.choose_alternative(
        ticket, users["officer"], "คำขอซับซ้อน", "ต้องประมวลผลจากฐานข้อมูล", now=start
    )
    work = ticket.steps.get()
    assert work.due_at == bkk(2026, 1, 5, 10, 0)


def test_approve_moves_on_and_reject_ends_with_reason_to_requester(users):
    now = timezone.now()
    approved = advance_to(make_ticket(PIPELINE, now), 2, now)
    moves.approve(approved, users["approver"], "เห็นควรอนุมัติ")
    assert approved.current_step.kind == "schedule"
    assert approved.steps.get(position=2).done_by == users["approver"]

    rejected = advance_to(make_ticket(PIPELINE, now, email="th@example.com"), 2, now)
    with pytest.raises(MoveNotAllowed, match="เหตุผล"):
        moves.reject(rejected, users["approver"], "")
    moves.reject(rejected, users["approver"], "ช่วงเวลาดังกล่าวมีภารกิจของสำนักงาน")
    rejected.refresh_from_db()
    assert rejected.status == Ticket.Status.REJECTED
    assert set(rejected.steps.filter(position__gt=2).values_list("status", flat=True)) == {
        TicketStep.Status.SKIPPED
    }
    message = sent()[-1]
    assert message.to == ["th@example.com"]
    assert message.subject == f"คำขอ {rejected.reference} ไม่ได้รับอนุมัติ"
    assert "ช่วงเวลาดังกล่าวมีภารกิจของสำนักงาน" in message.body
    assert rejected.get_absolute_tracking_url() in message.body
    assert moves.allowed_moves(rejected, users["officer"]) == ["note"]


def test_rejection_email_in_english_for_english_requesters(users):
    now = timezone.now()
    ticket = advance_to(make_ticket(PIPELINE, now, language="en", email="en@example.com"), 2, now)
    moves.reject(ticket, users["approver"], "No free slot")
    message = sent()[-1]
    assert message.subject == f"Request {ticket.reference} was not approved"
    assert "Reason: No free slot" in message.body
    assert "Reference: " + ticket.reference in message.body
    assert ticket.get_absolute_tracking_url() in message.body


def test_resolve_skips_the_rest_but_never_an_approval(users):
    now = timezone.now()
    ticket = make_ticket(PIPELINE, now)
    with pytest.raises(MoveNotAllowed, match="ขั้นตอนอนุมัติ"):
        moves.resolve(ticket, users["officer"], "จบงาน")
    ticket = advance_to(ticket, 4, now)
    moves.resolve(ticket, users["officer"], "ผู้ขอแจ้งว่าใช้งานได้แล้ว")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.RESOLVED
    assert ticket.steps.get(position=5).status == TicketStep.Status.SKIPPED


def test_reply_is_public_and_emailed_note_is_internal(users):
    ticket = make_ticket(PIPELINE, timezone.now())
    moves.reply(ticket, users["officer"], "เจ้าหน้าที่จะติดต่อกลับภายในวันนี้")
    moves.note(ticket, users["director"], "ติดตามเรื่องนี้ด้วย")
    public, internal = TicketMessage.objects.order_by("pk")
    assert public.is_public and not internal.is_public
    assert len(sent()) == 1
    assert "เจ้าหน้าที่จะติดต่อกลับภายในวันนี้" in sent()[0].body
    assert ticket.reference in sent()[0].subject
    assert list(ticket.public_messages()) == [public]
    with pytest.raises(MoveNotAllowed, match="กรุณาพิมพ์"):
        moves.reply(ticket, users["officer"], " ")


def test_assign_only_to_officers(users):
    ticket = make_ticket(PIPELINE, timezone.now())
    with pytest.raises(MoveNotAllowed, match="เฉพาะเจ้าหน้าที่"):
        moves.assign(ticket, users["approver"], users["staff"])
    moves.assign(ticket, users["approver"], users["officer"])
    ticket.refresh_from_db()
    assert ticket.assignee == users["officer"]
    with pytest.raises(MoveNotAllowed, match="อยู่แล้ว"):
        moves.take(ticket, users["officer"])


def test_requester_may_cancel_only_while_intake_is_active(users):
    now = timezone.now()
    ticket = make_ticket(PIPELINE, now)
    assert moves.requester_may_cancel(ticket)
    moves.cancel(ticket, None, "จัดการได้เองแล้ว", requester=True)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CANCELLED
    entry = ModelLogEntry.objects.for_instance(ticket).get(action="services.ticket.cancel")
    assert entry.user is None and entry.data["by_requester"] is True
    assert sent()[-1].subject == f"ยกเลิกคำขอ {ticket.reference} แล้ว"

    started = advance_to(make_ticket(PIPELINE, now), 3, now)
    assert not moves.requester_may_cancel(started)
    with pytest.raises(MoveNotAllowed, match="ก่อนเจ้าหน้าที่เริ่มดำเนินการ"):
        moves.cancel(started, None, requester=True)
    # An officer may still cancel it, with a reason.
    with pytest.raises(MoveNotAllowed, match="เหตุผล"):
        moves.cancel(started, users["officer"], "")
    moves.cancel(started, users["officer"], "ผู้ขอแจ้งยกเลิกทางโทรศัพท์")
    started.refresh_from_db()
    assert started.status == Ticket.Status.CANCELLED
