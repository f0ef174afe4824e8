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
