"""The service ticket behind a staff publication request.

A request made through the staff form opens a ticket of the catalogue's
website-publication service whose steps are the workflow's tasks, so it is
on the desk and in the reports like every other request. The workflow moves
the ticket: each approval finishes the matching step (through the desk's one
rules module), "request changes" posts the reviewer's comment on the ticket,
and a resubmission sends the ticket back to its first step.
"""

import logging

from django.conf import settings
from django.utils import timezone

from services.core.roles import DIRECTORS, GROUP_HEADS, WEB_OFFICERS

log = logging.getLogger(__name__)

# Reviewer group of a task -> (ticket step kind, acting role)
KIND_AND_ROLE = {
    GROUP_HEADS: ("approval", "approver"),
    DIRECTORS: ("approval", "director"),
    WEB_OFFICERS: ("work", "officer"),
}


def publication_service():
    from services.catalogue.models import ServicePage

    slug = getattr(settings, "PUBLICATION_SERVICE_SLUG", "website-publication")
    return ServicePage.objects.live().filter(slug=slug).first()


def step_values(workflow):
    """One ticket step per workflow task, with the task's time target."""
    values = []
    for task in workflow.tasks.specific():
        groups = (
            set(task.groups.values_list("name", flat=True)) if hasattr(task, "groups") else set()
        )
        kind, role = next(
            (KIND_AND_ROLE[g] for g in KIND_AND_ROLE if g in groups), ("approval", "approver")
        )
        values.append(
            {
                "title": task.name,
                "kind": kind,
                "role": role,
                "target_amount": getattr(task, "target_amount", None),
                "target_unit": getattr(task, "target_unit", ""),
                "target_mode": getattr(task, "target_mode", "working"),
            }
        )
    return values


def open_ticket(page, user, workflow, now=None):
    """Open the ticket for a staff submission; None if the catalogue has no such service.

    ``now`` is when the workflow started, so the ticket's first step is due when
    the workflow's first task is."""
    from home.models import OfficeSettings
    from publishing.models import PublicationRequest
    from services.tickets.creation import open_ticket as open_service_ticket
    from services.tickets.models import Ticket

    service = publication_service()
    if user is None:  # demo drafts made before any account exists have no requester
        return None
    if service is None:
        log.warning("no live website-publication service page: no ticket for %s", page.pk)
        return None
    office = OfficeSettings.objects.first()
    ticket = open_service_ticket(
        service,
        {
            "requester_name": user.get_full_name() or user.get_username(),
            "requester_email": user.email,
            "requester_org": office.name if office else "",
        },
        {"page_id": page.pk, "title": page.title, "summary": getattr(page, "summary", "")},
        language="th",
        step_values=step_values(workflow),
        # The workflow already tells the author it was received (one message, not two).
        confirm_requester=False,
        follows_workflow=True,
        channel=Ticket.Channel.STAFF,
        now=now,
    )
    PublicationRequest.objects.create(page=page, ticket=ticket)
    return ticket


def _open_request(page_id):
    from publishing.models import PublicationRequest
    from services.tickets.models import Ticket

    return (
        PublicationRequest.objects.select_related("ticket")
        .filter(page_id=int(page_id), ticket__status=Ticket.Status.OPEN)
        .first()
    )


def _position(task_state):
    tasks = list(task_state.workflow_state.workflow.tasks.values_list("pk", flat=True))
    return tasks.index(task_state.task_id) + 1 if task_state.task_id in tasks else None


# --- signal receivers ----------------------------------------------------------
def on_task_approved(sender, instance, user=None, **kwargs):
    from services.tickets import moves

    request = _open_request(instance.workflow_state.object_id)
    position = _position(instance)
    if request and position:
        moves.record_done_elsewhere(
            request.ticket, position, user, note=instance.comment or "", now=timezone.now()
        )


def on_task_rejected(sender, instance, user=None, **kwargs):
    from services.tickets.models import TicketMessage

    request = _open_request(instance.workflow_state.object_id)
    if request:
        TicketMessage.objects.create(
            ticket=request.ticket,
            author=user,
            is_public=True,
            body=f"{instance.task.name}: {instance.comment or '-'}",
        )


def on_workflow_resubmitted(sender, instance, user=None, **kwargs):
    """A new round for a page that already has an open request starts the ticket over."""
    from services.tickets import moves

    request = _open_request(instance.object_id)
    if request:
        moves.restart(request.ticket, user, note=instance.workflow.name)


# --- desk moves act through the workflow ----------------------------------------
# Desk move -> Wagtail task action. "Reject" on the desk is the workflow's
# "request changes": the author may resubmit, and the ticket starts over.
DESK_ACTIONS = {"approve": "approve", "finish": "approve", "reject": "reject"}


def desk_move(move):
    """The desk's ``move`` on a publication ticket, performed as the workflow action."""

    def perform(ticket, user, reason="", note="", **_data):
        from django.utils.translation import gettext

        from publishing.models import PublicationRequest
        from services.tickets.moves import MoveNotAllowed

        request = PublicationRequest.objects.select_related("page").filter(ticket=ticket).first()
        page = request.page.specific if request else None
        state = page.current_workflow_task_state if page else None
        step = ticket.current_step
        if state is None or step is None or _position(state) != step.position:
            raise MoveNotAllowed(gettext("ขั้นตอนของเวิร์กโฟลว์ไม่ตรงกับคำขอ โปรดดำเนินการที่หน้าเนื้อหา"))
        task = state.task.specific
        action = DESK_ACTIONS[move]
        if action not in {name for name, _label, _modal in task.get_actions(page, user)}:
            raise MoveNotAllowed(
                gettext("ท่านไม่มีสิทธิ์ดำเนินการขั้นตอน “%(task)s” ของเวิร์กโฟลว์") % {"task": task.name}
            )
        comment = (reason or note or "").strip()
        if action == "reject" and not comment:
            raise MoveNotAllowed(gettext("กรุณาระบุเหตุผลที่ขอให้แก้ไข"))
        task.on_action(state, user, action, comment=comment)
        ticket.refresh_from_db()
        return ticket

    return perform


def connect_desk_moves():
    from services.tickets.moves import WORKFLOW_MOVES

    for move in DESK_ACTIONS:
        WORKFLOW_MOVES[move] = desk_move(move)
