"""Approval by the role the standard names: every demo standard with an approval
step, each role, deputies, the dashboard panel and the escalation of a breach."""

import datetime as dt

import pytest
from django.utils import timezone

from services.catalogue.models import ServicePage
from services.core.models import ActingAssignment, OutboxMessage
from services.core.roles import may_approve
from services.desk.admin_views import AwaitingApprovalPanel
from services.tickets import moves, sla
from services.tickets.creation import open_ticket
from services.tickets.models import Ticket
from tests.desk_helpers import advance_to, desk_users, make_user

REQUESTER = {"requester_name": "นางสาวทดสอบ ระบบ", "requester_email": "req@example.com"}
ROLES = ("admin", "officer", "approver", "director", "staff", "executive")


def approval_cases():
    """(service slug, position of the approval step, account that must approve)."""
    from services.demo.catalogue import SERVICES

    cases = []
    role_account = {"approver": "approver", "director": "director", "executive": "executive"}
    for spec in SERVICES:
        for position, block in enumerate(spec["steps"], start=1):
            value = block["value"]
            if value["kind"] == "approval":
                cases.append((spec["slug"], position, role_account[value["role"]]))
    return cases


CASES = approval_cases()


def test_the_demo_standards_name_their_approvers():
    assert ("hardware-software-repair", 3, "director") in CASES
    assert ("online-meeting-live-stream", 4, "executive") in CASES
    assert ("website-publication", 3, "approver") in CASES
    assert ("website-publication", 4, "director") in CASES


@pytest.fixture
def users(db):
    return desk_users()


def at_approval(slug, position, now=None):
    now = now or timezone.now()
    page = ServicePage.objects.get(slug=slug)
    ticket = open_ticket(page, REQUESTER, {}, now=now)
    return advance_to(ticket, position, now)


@pytest.mark.parametrize("slug,position,named", CASES)
@pytest.mark.parametrize("who", ROLES)
def test_only_the_named_role_and_superusers_approve(catalogue, users, slug, position, named, who):
    ticket = at_approval(slug, position)
    step = ticket.current_step
    allowed = who in (named, "admin")
    assert may_approve(users[who], step) is allowed
    assert ("approve" in moves.allowed_moves(ticket, users[who])) is allowed
    assert ("reject" in moves.allowed_moves(ticket, users[who])) is allowed
    if allowed:
        moves.approve(ticket, users[who], "ตกลง")
        step.refresh_from_db()
        assert step.status == "done" and step.done_by == users[who]
    else:
        with pytest.raises(moves.MoveNotAllowed, match="ไม่มีสิทธิ์") as refused:
            moves.approve(ticket, users[who], "ตกลง")
        assert "อนุมัติ" in refused.value.message
        with pytest.raises(moves.MoveNotAllowed, match="ไม่มีสิทธิ์"):
            moves.reject(ticket, users[who], "ไม่ตกลง")
        step.refresh_from_db()
        assert step.status == "active"


@pytest.mark.parametrize("slug,position,named", CASES)
def test_a_breached_approval_escalates_to_someone_who_can_act(
    catalogue, users, slug, position, named
):
    long_ago = timezone.now() - dt.timedelta(days=30)
    ticket = at_approval(slug, position, long_ago)
    step = ticket.current_step
    OutboxMessage.objects.all().delete()
    assert sla.sweep() == {"escalated": 1}
    message = OutboxMessage.objects.get(kind="sla_escalation")
    assert ticket.reference in message.body
    assert message.to == [users[named].email]
    for address in message.to:
        person = next(u for u in users.values() if u.email == address)
        assert may_approve(person, step)


def test_a_deputy_acts_for_the_director_only_within_the_dates(catalogue, users):
    ticket = at_approval("hardware-software-repair", 3)
    step = ticket.current_step
    deputy = make_user("deputy1", group="Officers")
    today = timezone.localdate()
    assert not may_approve(deputy, step)
    assignment = ActingAssignment.objects.create(
        principal=users["director"],
        deputy=deputy,
        starts_on=today + dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=5),
    )
    assert not may_approve(make_user("deputy1b", group="Officers"), step)
    fresh = type(deputy).objects.get(pk=deputy.pk)
    assert not may_approve(fresh, step)  # not yet
    assignment.starts_on = today
    assignment.save()
    fresh = type(deputy).objects.get(pk=deputy.pk)
    assert may_approve(fresh, step)
    # The deputy acts for a director, not for a group head or an executive.
    live = at_approval("online-meeting-live-stream", 4)
    assert not may_approve(fresh, live.current_step)
    assert ticket.pk in {t.pk for t in AwaitingApprovalPanel(fresh).tickets(timezone.now())}
    moves.approve(ticket, fresh, "รักษาราชการแทน")
    assert ticket.steps.get(position=3).done_by == fresh
    # Over: yesterday's assignment gives nothing.
    assignment.starts_on = today - dt.timedelta(days=5)
    assignment.ends_on = today - dt.timedelta(days=1)
    assignment.save()
    fresh = type(deputy).objects.get(pk=deputy.pk)
    assert not may_approve(fresh, step)


def test_awaiting_my_approval_shows_each_person_exactly_their_steps(catalogue, users):
    repair = at_approval("hardware-software-repair", 3)
    live = at_approval("online-meeting-live-stream", 4)
    group_head = at_approval("website-publication", 3)
    now = timezone.now()

    def seen(who):
        return set(
            AwaitingApprovalPanel(users[who]).tickets(now).values_list("reference", flat=True)
        )

    assert seen("director") == {repair.reference}
    assert seen("executive") == {live.reference}
    assert seen("approver") == {group_head.reference}
    assert seen("admin") == {repair.reference, live.reference, group_head.reference}
    assert seen("officer") == set()


def test_the_dashboard_offers_the_panel_to_every_approver(rf, catalogue, users):
    from services.desk.admin_views import homepage_panels

    for who, expected in (
        ("director", True),
        ("executive", True),
        ("approver", True),
        ("officer", False),
    ):
        request = rf.get("/admin/")
        request.user = users[who]
        panels = []
        homepage_panels(request, panels)
        assert any(isinstance(p, AwaitingApprovalPanel) for p in panels) is expected, who


def test_the_director_approves_from_the_desk_and_others_get_a_message(client, catalogue, users):
    ticket = at_approval("hardware-software-repair", 3)
    url = f"/admin/services/ticket/inspect/{ticket.pk}/"
    client.force_login(users["approver"])
    response = client.post(url, {"move": "approve", "reason": ""})
    assert response.status_code == 409
    assert "ไม่มีสิทธิ์" in response.content.decode()
    client.force_login(users["director"])
    page = client.get(url).content.decode()
    assert 'value="approve"' in page
    response = client.post(url, {"move": "approve", "reason": "อนุมัติ"})
    assert response.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).current_step.position == 4
