"""Desk notices: exactly the listed people get one message per event, and a
person who turned that kind off gets none."""

import datetime as dt

import pytest
from django.utils import timezone

from services.core.models import NotificationPreference, OutboxMessage
from services.core.roles import OFFICERS
from services.tickets import moves, notify, sla
from services.tickets.creation import open_ticket
from services.tickets.models import TicketMessage
from tests.desk_helpers import bkk, desk_users, make_ticket, make_user, step


@pytest.fixture
def users(db):
    people = desk_users()
    people["officer2"] = make_user("officer2", OFFICERS)
    return people


def told(kind):
    """{address: number of messages} of one kind."""
    counts = {}
    for message in OutboxMessage.objects.filter(kind=kind):
        for address in message.to:
            counts[address] = counts.get(address, 0) + 1
    return counts


def turn_off(user, kind):
    NotificationPreference.objects.update_or_create(user=user, defaults={kind: False})


def test_new_ticket_goes_to_the_officers_named_on_the_standard(catalogue, users):
    from services.catalogue.models import ServicePage

    page = ServicePage.objects.get(slug="computer-internet-repair")
    named = [b.value["email"] for b in page.officers]
    # One named officer has an account and turned new-ticket notices off.
    make_user("kittipong", email=named[0])
    turn_off(type(users["officer"]).objects.get(username="kittipong"), "new_ticket")
    ticket = open_ticket(page, {"requester_name": "ก ข", "requester_email": "req@example.com"}, {})
    assert told("new_ticket") == {named[1]: 1}
    message = OutboxMessage.objects.get(kind="new_ticket")
    assert f"/admin/services/ticket/inspect/{ticket.pk}/" in message.body
    # The same event again is not a second message.
    notify.new_ticket(ticket)
    assert told("new_ticket") == {named[1]: 1}
    # The requester's one "received" message.
    assert told("ticket_submitted") == {"req@example.com": 1}


def test_new_ticket_falls_back_to_the_officers_group(users):
    turn_off(users["officer2"], "new_ticket")
    ticket = make_ticket([step("work")], timezone.now())
    notify.new_ticket(ticket)
    assert told("new_ticket") == {users["officer"].email: 1}


def test_several_officers_get_the_same_message_rendered_once(users, monkeypatch):
    from services.core import outbox

    renders = []
    real = outbox.render_email
    monkeypatch.setattr(
        notify, "render_email", lambda *a, **k: renders.append(a[0]) or real(*a, **k)
    )
    ticket = make_ticket([step("work")], timezone.now())
    notify.new_ticket(ticket)
    told_officers = told("new_ticket")
    assert told_officers == {users["officer"].email: 1, users["officer2"].email: 1}
    assert renders == ["staff_new_ticket"]
    first, second = OutboxMessage.objects.filter(kind="new_ticket").order_by("pk")
    assert (first.subject, first.body, first.html_body) == (
        second.subject,
        second.body,
        second.html_body,
    )
    assert ticket.reference in first.body


def test_approval_needed_tells_the_role_and_its_active_deputies(users):
    from services.core.models import ActingAssignment

    deputy = make_user("deputy", OFFICERS)
    old_deputy = make_user("olddeputy", OFFICERS)
    other_director = make_user("director2", "Directors")
    turn_off(other_director, "approval_needed")
    today = timezone.localdate()
    ActingAssignment.objects.create(
        principal=users["director"], deputy=deputy, starts_on=today, ends_on=today
    )
    ActingAssignment.objects.create(
        principal=users["director"],
        deputy=old_deputy,
        starts_on=today - dt.timedelta(days=9),
        ends_on=today - dt.timedelta(days=2),
    )
    now = timezone.now()
    ticket = make_ticket([step("work"), step("approval", "director")], now)
    moves.finish(ticket, users["officer"], "เสร็จ", now=now)
    assert told("approval_needed") == {users["director"].email: 1, deputy.email: 1}
    message = OutboxMessage.objects.filter(kind="approval_needed").first()
    assert ticket.reference in message.subject
    assert f"/admin/services/ticket/inspect/{ticket.pk}/" in message.body


def test_ticket_assigned_tells_the_assignee_only(users):
    ticket = make_ticket([step("work")], timezone.now())
    moves.take(ticket, users["officer"])  # took it themselves: nobody to tell
    assert told("assigned") == {}
    moves.assign(ticket, users["approver"], users["officer2"])
    assert told("assigned") == {users["officer2"].email: 1}
    turn_off(users["officer"], "assigned")
    moves.assign(ticket, users["approver"], users["officer"])
    assert told("assigned") == {users["officer2"].email: 1}


def test_requester_reply_tells_the_assignee(users):
    ticket = make_ticket([step("work")], timezone.now())
    moves.assign(ticket, users["approver"], users["officer2"])
    message = TicketMessage.objects.create(ticket=ticket, body="ส่งไฟล์แล้วค่ะ", is_public=True)
    notify.requester_replied(ticket, message)
    notify.requester_replied(ticket, message)
    assert told("requester_reply") == {users["officer2"].email: 1}
    turn_off(users["officer2"], "requester_reply")
    second = TicketMessage.objects.create(ticket=ticket, body="อีกครั้ง", is_public=True)
    notify.requester_replied(ticket, second)
    assert told("requester_reply") == {users["officer2"].email: 1}


def test_due_soon_tells_the_assignee_once(users):
    start = bkk(2026, 3, 2, 9, 0)  # a Monday
    ticket = make_ticket([step("work", amount=1, unit="hours")], start)
    moves.assign(ticket, users["approver"], users["officer"], now=start)
    active = ticket.steps.get()
    before = active.warn_at - dt.timedelta(minutes=1)
    assert sla.due_soon_sweep(before) == {"due_soon": 0}
    for _ in range(3):
        sla.due_soon_sweep(active.warn_at + dt.timedelta(minutes=1))
    assert told("due_soon") == {users["officer"].email: 1}
    other = make_ticket([step("work", amount=1, unit="hours")], start)
    moves.assign(other, users["approver"], users["officer2"], now=start)
    turn_off(users["officer2"], "due_soon")
    assert sla.due_soon_sweep(active.warn_at + dt.timedelta(minutes=1)) == {"due_soon": 1}
    assert told("due_soon") == {users["officer"].email: 1}


def test_requester_steps_are_never_escalated_but_the_requester_is_reminded(users):
    start = bkk(2026, 3, 9, 9, 0)  # a Monday (3 March is Makha Bucha)
    ticket = make_ticket([step("intake", "requester", amount=1, unit="days"), step("work")], start)
    waiting = ticket.steps.get(position=1)
    assert waiting.due_at is None and waiting.remind_at == bkk(2026, 3, 10, 9, 0)
    later = bkk(2026, 3, 20, 9, 0)
    assert sla.sweep(later) == {"escalated": 0}
    for _ in range(2):
        sla.requester_sweep(later)
    assert told("ticket_requester_reminder") == {ticket.requester_email: 1}
    assert not OutboxMessage.objects.filter(kind="sla_escalation").exists()


@pytest.mark.parametrize(
    "on_no_answer,status", [("cancel", "cancelled"), ("officer", "open"), ("wait", "open")]
)
def test_what_the_standard_says_when_the_requester_does_not_answer(users, on_no_answer, status):
    start = bkk(2026, 3, 9, 9, 0)
    ticket = make_ticket([step("intake", "requester", amount=1, unit="days"), step("work")], start)
    ticket.steps.filter(position=1).update(on_no_answer=on_no_answer)
    sla.requester_sweep(bkk(2026, 3, 10, 9, 0))  # reminded
    assert sla.requester_sweep(bkk(2026, 3, 10, 16, 0))["no_answer"] == 0  # not yet
    result = sla.requester_sweep(bkk(2026, 3, 11, 9, 1))
    ticket.refresh_from_db()
    assert ticket.status == status
    assert result["no_answer"] == (0 if on_no_answer == "wait" else 1)
    if on_no_answer == "officer":
        assert ticket.current_step.position == 2
    if on_no_answer == "cancel":
        assert told("ticket_cancelled") == {ticket.requester_email: 1}


def test_the_preferences_panel_turns_a_kind_off(client, users):
    officer = users["officer"]
    client.force_login(officer)
    page = client.get("/admin/account/")
    assert "desk_notifications-new_ticket" in page.content.decode()
    data = {
        f"desk_notifications-{kind}": "on"
        for kind in NotificationPreference.KINDS
        if kind != "due_soon"
    }
    data.update(
        {
            "name_email-first_name": officer.first_name,
            "name_email-last_name": "x",
            "name_email-email": officer.email,
            "locale-preferred_language": "th",
            "locale-current_time_zone": "Asia/Bangkok",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
        }
    )
    response = client.post("/admin/account/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    preference = NotificationPreference.objects.get(user=officer)
    assert preference.due_soon is False and preference.new_ticket is True
