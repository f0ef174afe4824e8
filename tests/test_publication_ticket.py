"""A staff submission opens a ticket of the publication service that follows its workflow."""

import pytest
from django.urls import reverse

from publishing.models import PublicationRequest
from publishing.workflow import TASKS
from services.tickets import sla
from services.tickets.models import Ticket, TicketStep
from tests import publishing_support as support
from tests.publishing_support import act, current_state, submit

publication = support.publication
people = support.people
pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue_and_publication(catalogue, publication):
    return publication


def the_ticket(page):
    return PublicationRequest.objects.get(page=page).ticket


def test_submission_opens_a_ticket_whose_steps_are_the_workflow_tasks(
    catalogue_and_publication, people
):
    page = submit(catalogue_and_publication, people["staff"])
    ticket = the_ticket(page)
    assert ticket.service.slug == "website-publication"
    assert ticket.service_code == "ICT 07"
    assert ticket.requester_email == people["staff"].email
    assert ticket.answers["page_id"] == page.pk
    assert ticket.follows_workflow
    steps = list(ticket.steps.order_by("position"))
    assert [s.title for s in steps] == [task[0] for task in TASKS]
    assert [(s.kind, s.role) for s in steps] == [
        ("approval", "approver"),
        ("approval", "director"),
        ("work", "officer"),
    ]
    assert all(
        (s.target_amount, s.target_unit, s.target_mode) == (1, "days", "working") for s in steps
    )
    first = steps[0]
    assert first.status == TicketStep.Status.ACTIVE
    assert first.due_at == current_state(page).specific.due_at


def test_approvals_move_the_ticket_and_the_last_one_resolves_it(catalogue_and_publication, people):
    page = submit(catalogue_and_publication, people["staff"])
    act(page, people["head"])
    ticket = the_ticket(page)
    first, second = ticket.steps.order_by("position")[:2]
    assert first.status == TicketStep.Status.DONE and first.done_by == people["head"]
    assert second.status == TicketStep.Status.ACTIVE
    act(page, people["director"])
    act(page, people["officer"])
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.RESOLVED
    assert list(ticket.steps.values_list("done_by__username", flat=True)) == [
        "t_head",
        "t_director",
        "t_officer",
    ]
    page.refresh_from_db()
    assert page.live


def test_request_changes_posts_the_comment_and_resubmission_restarts_the_ticket(
    catalogue_and_publication, people, client
):
    page = submit(catalogue_and_publication, people["staff"])
    act(page, people["head"])
    act(page, people["director"], action="reject", comment="แก้วันที่อบรมให้ถูกต้อง")
    ticket = the_ticket(page)
    assert ticket.steps.get(position=1).working_minutes is not None  # done by the head
    assert "แก้วันที่อบรมให้ถูกต้อง" in ticket.public_messages().last().body
    # Tracking page shows the comment to the requester.
    html = client.get(ticket.get_tracking_url()).content.decode()
    assert "แก้วันที่อบรมให้ถูกต้อง" in html

    from publishing.workflow import start_publication

    start_publication(page, people["staff"])
    ticket.refresh_from_db()
    steps = list(ticket.steps.order_by("position"))
    assert [s.status for s in steps] == ["active", "pending", "pending"]
    assert steps[0].done_at is None and steps[0].due_at is not None
    assert all(s.working_minutes is None for s in steps)  # fresh clocks: nothing taken yet
    assert ticket.status == Ticket.Status.OPEN


def test_ticket_sweep_marks_late_workflow_steps_but_leaves_escalation_to_the_workflow(
    catalogue_and_publication, people
):
    import datetime as dt

    from django.utils import timezone

    page = submit(catalogue_and_publication, people["staff"])
    step = the_ticket(page).steps.get(position=1)
    later = step.due_at + dt.timedelta(minutes=5)
    assert sla.sweep(now=later) == {"escalated": 0}
    step.refresh_from_db()
    assert step.breached and step.escalated_at is None
    assert later > timezone.now()


def test_the_ticket_is_on_the_desk(catalogue_and_publication, people, client):
    from services.core.roles import OFFICERS, ensure_groups

    page = submit(catalogue_and_publication, people["staff"])
    officer = people["officer"]
    officer.groups.add(ensure_groups()[OFFICERS])
    client.force_login(officer)
    html = client.get(reverse("services_ticket_modeladmin_index")).content.decode()
    assert the_ticket(page).reference in html


def test_the_author_gets_one_received_message_and_the_officers_hear_of_it(
    catalogue_and_publication, people
):
    from services.core.models import OutboxMessage

    page = submit(catalogue_and_publication, people["staff"])
    ticket = the_ticket(page)
    to_author = [m.kind for m in OutboxMessage.objects.all() if people["staff"].email in m.to]
    assert to_author == ["publishing_submitted"]
    named = {b.value["email"] for b in ticket.service.officers}
    told = {a for m in OutboxMessage.objects.filter(kind="new_ticket") for a in m.to}
    assert told == named
    # The workflow tells its reviewers; the ticket adds no second "approval needed".
    assert not OutboxMessage.objects.filter(kind="approval_needed").exists()


def agree(page):
    """The ticket's current step is the workflow's current task (or both are done)."""
    from wagtail.models import Page

    ticket = the_ticket(page)
    live = Page.objects.get(pk=page.pk).specific
    state = live.current_workflow_task_state
    step = ticket.current_step
    if state is None:
        assert step is None and ticket.status == Ticket.Status.RESOLVED and live.live
        return ticket
    tasks = list(state.workflow_state.workflow.tasks.values_list("pk", flat=True))
    assert step is not None and step.position == tasks.index(state.task_id) + 1
    assert ticket.status == Ticket.Status.OPEN
    return ticket


def test_desk_and_workflow_agree_after_every_action_in_either_place(
    catalogue_and_publication, people, client
):
    from services.tickets import moves
    from services.tickets.models import TicketMessage

    page = submit(catalogue_and_publication, people["staff"])
    ticket = agree(page)
    # The director may not act on the group head's step, on the desk or in the workflow.
    with pytest.raises(moves.MoveNotAllowed):
        moves.perform("approve", ticket, people["director"], reason="")
    agree(page)
    # Moves that would end the ticket apart from its workflow are refused on the desk.
    with pytest.raises(moves.MoveNotAllowed, match="เวิร์กโฟลว์"):
        moves.perform("resolve", ticket, people["officer"], note="")
    assert "resolve" not in moves.allowed_moves(ticket, people["officer"])
    # 1. The group head approves on the desk: the workflow moves on.
    url = reverse("services_ticket_modeladmin_inspect", args=[ticket.pk])
    client.force_login(people["head"])
    assert "เปิดหน้าเนื้อหาและเวิร์กโฟลว์" in client.get(url).content.decode()
    response = client.post(url, {"move": "approve", "reason": "ตรวจแล้ว"})
    assert response.status_code == 302
    ticket = agree(page)
    assert ticket.current_step.position == 2
    # 2. The director asks for changes on the desk: the workflow asks the author.
    moves.perform("reject", ticket, people["director"], reason="แก้ชื่อเรื่อง")
    assert TicketMessage.objects.filter(ticket=ticket, body__contains="แก้ชื่อเรื่อง").exists()
    assert current_state(page) is None  # the workflow waits for the author
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN and ticket.current_step.position == 2
    # 3. The author resubmits: both start over.
    from publishing.workflow import start_publication

    start_publication(page, people["staff"])
    ticket = agree(page)
    assert ticket.current_step.position == 1
    # 4. The group head approves in Wagtail, the director on the desk.
    act(page, people["head"])
    ticket = agree(page)
    moves.perform("approve", ticket, people["director"], reason="")
    ticket = agree(page)
    assert ticket.current_step.position == 3
    # 5. The web officer (an ICT officer too, as in the demo) finishes on the desk:
    # the page is published, the ticket resolved.
    from django.contrib.auth.models import Group

    people["officer"].groups.add(Group.objects.get(name="Officers"))
    people["officer"] = type(people["officer"]).objects.get(pk=people["officer"].pk)
    moves.perform("finish", ticket, people["officer"], note="เผยแพร่แล้ว")
    agree(page)
