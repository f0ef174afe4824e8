"""E-mails about tickets and bookings, all through the outbox.

Each key names the change it reports, so a retried move or sweep queues one
message. Requesters get their ticket's language; staff get Thai. Every
message carries the reference and the tracking link; staff messages carry
the link to the ticket on the desk.

Who is told of what on the desk (each person once, by a key ending in their
address; anyone can turn a kind off in their account settings,
``NotificationPreference``):

==================================  ==============================================
event                               who is told
==================================  ==============================================
new ticket                          the responsible officers named on the service
                                    standard, else the Officers group
approval needed                     the members of the role the step names and
                                    their active deputies (``roles.approvers``)
ticket assigned                     the assignee (not when they took it themselves)
requester replies                   the assignee, else the Officers group
a step becomes due soon (once)      the assignee, else the Officers group
==================================  ==============================================

A ticket that follows the publication workflow is the workflow's to announce
to its reviewers; it gets no "approval needed" message from here.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext

from services.core import line
from services.core.models import NotificationPreference
from services.core.outbox import queue_email, render_email
from services.core.roles import OFFICERS, approvers, approving_role, emails_of

NEW_TICKET = "new_ticket"
APPROVAL_NEEDED = "approval_needed"
ASSIGNED = "assigned"
REQUESTER_REPLY = "requester_reply"
DUE_SOON = "due_soon"


def ticket_context(ticket, **extra):
    return {
        "ticket": ticket,
        "reference": ticket.reference,
        "tracking_url": ticket.get_absolute_tracking_url(),
        "admin_url": settings.WAGTAILADMIN_BASE_URL + admin_ticket_path(ticket),
        **extra,
    }


def admin_ticket_path(ticket):
    from django.urls import reverse

    return reverse("services_ticket_modeladmin_inspect", args=[ticket.pk])


# --- LINE (services.core.line): the officers' group and linked requesters ------------
def _group_text(event, ticket, step=None):
    with translation.override("th"):
        lines = {
            "new": gettext("คำขอใหม่ %(reference)s"),
            "approval": gettext("รออนุมัติ %(reference)s"),
            "breach": gettext("เกินกำหนด %(reference)s"),
        }[event] % {"reference": ticket.reference}
        body = [lines, ticket.service_title]
        if step is not None:
            body.append(
                gettext("ขั้นตอน %(position)s. %(title)s")
                % {
                    "position": step.position,
                    "title": step.title,
                }
            )
        body.append(settings.WAGTAILADMIN_BASE_URL + admin_ticket_path(ticket))
    return "\n".join(body)


def notify_line_group(event, ticket, step=None):
    """Tell the officers' LINE group about ``event`` ("new", "approval", "breach").

    One message per ticket, event (and step), however often it is called;
    nothing when LINE is off or no group is set.
    """
    group = line.officers_group()
    if not group:
        return None
    suffix = f":{step.pk}" if step is not None else ""
    return line.queue_line(
        f"ticket:{ticket.pk}:line-group:{event}{suffix}",
        group,
        _group_text(event, ticket, step),
        kind=f"line_{event}",
    )


def line_to_requester(ticket, key, status_text):
    """A status update on LINE for a requester who linked their LINE account."""
    if not ticket.line_user_id:
        return None
    with translation.override(ticket.language):
        text = "\n".join(
            [
                gettext("คำขอ %(reference)s: %(status)s")
                % {"reference": ticket.reference, "status": status_text},
                ticket.service_title,
                ticket.get_absolute_tracking_url(),
            ]
        )
    return line.queue_line(f"ticket:{ticket.pk}:line:{key}", ticket.line_user_id, text)


def to_requester(ticket, key, template, **extra):
    with translation.override(ticket.language):
        status = (
            str(ticket.get_status_display()) if key != "resolved" else gettext("ดำเนินการเสร็จแล้ว")
        )
        if key.startswith("message:"):
            status = gettext("มีข้อความใหม่จากเจ้าหน้าที่")
    line_to_requester(ticket, key, status)
    return queue_email(
        f"ticket:{ticket.pk}:{key}",
        ticket.requester_email,
        template,
        ticket_context(ticket, **extra),
        language=ticket.language,
    )


def officer_emails():
    return emails_of(OFFICERS)


def submitted(ticket):
    """The requester's one "received" message (the publication workflow sends
    its own instead, so ``open_ticket`` is told not to send this one)."""
    return to_requester(
        ticket, "submitted", "ticket_submitted", schedule=ticket.expected_schedule()
    )


def rejected(ticket, reason):
    return to_requester(ticket, "rejected", "ticket_rejected", reason=reason)


def cancelled(ticket, reason, by_requester):
    return to_requester(
        ticket, "cancelled", "ticket_cancelled", reason=reason, by_requester=by_requester
    )


def resolved(ticket):
    return to_requester(ticket, "resolved", "ticket_resolved")


def public_reply(ticket, message):
    return to_requester(ticket, f"message:{message.pk}", "ticket_reply", message=message)


def desk_emails(ticket):
    """Who hears of a ticket on the desk side: its assignee, or every officer."""
    assignee = ticket.assignee
    if assignee is not None and assignee.is_active and assignee.email:
        return [assignee.email]
    return officer_emails()


def booking_changed(booking, change, requester=True):
    """A confirmed booking was rescheduled or edited (``change`` = "rescheduled")
    or cancelled: one notice each to the requester, the officers and the network
    team. Keys carry the booking's sequence, so each change is told once."""
    ticket = booking.ticket
    key = f"booking:{booking.pk}:{change}:{booking.sequence}"
    context = ticket_context(ticket, booking=booking, change=change)
    if requester:
        queue_email(
            f"{key}:requester",
            ticket.requester_email,
            "booking_changed",
            context,
            language=ticket.language,
        )
    queue_email(
        f"{key}:officers",
        officer_emails(),
        "booking_changed",
        {**context, "for_officer": True},
        language="th",
    )
    queue_email(
        f"{key}:network",
        settings.NETWORK_TEAM_EMAILS,
        "booking_changed",
        {**context, "for_officer": True},
        language="th",
    )


def booking_confirmed(booking):
    ticket = booking.ticket
    queue_email(
        f"booking:{booking.pk}:confirmed",
        ticket.requester_email,
        "booking_confirmed",
        ticket_context(ticket, booking=booking),
        language=ticket.language,
        thread=f"ticket:{ticket.pk}",
    )
    queue_email(
        f"booking:{booking.pk}:network",
        settings.NETWORK_TEAM_EMAILS,
        "booking_network",
        ticket_context(ticket, booking=booking),
        language="th",
    )


def booking_reminder(booking):
    ticket = booking.ticket
    queue_email(
        f"booking:{booking.pk}:remind30:requester",
        ticket.requester_email,
        "booking_reminder",
        ticket_context(ticket, booking=booking),
        language=ticket.language,
        thread=f"ticket:{ticket.pk}",
    )
    officer = booking.confirmed_by or ticket.assignee
    staff = [officer.email] if officer and officer.email else officer_emails()
    queue_email(
        f"booking:{booking.pk}:remind30:officer",
        staff,
        "booking_reminder",
        ticket_context(ticket, booking=booking, for_officer=True),
        language="th",
    )


def booking_preparation(booking):
    ticket = booking.ticket
    queue_email(
        f"booking:{booking.pk}:prepare",
        officer_emails(),
        "booking_preparation",
        ticket_context(ticket, booking=booking),
        language="th",
    )


def loan_reminder(loan):
    ticket = loan.ticket
    return queue_email(
        f"loan:{loan.pk}:reminder",
        ticket.requester_email,
        "loan_reminder",
        ticket_context(ticket, loan=loan),
        language=ticket.language,
    )


# --- the desk: staff notices ------------------------------------------------------
def _stamp(moment):
    return int(moment.timestamp()) if moment else 0


def officers_group():
    return list(get_user_model().objects.filter(is_active=True, groups__name=OFFICERS))


def responsible_officers(ticket):
    """Recipients for a new ticket: the addresses of the officers named on the
    service standard (as users where an account has that address), else the
    Officers group."""
    named = []
    service = ticket.service
    if service is not None:
        for block in service.officers:
            email = (block.value.get("email") or "").strip()
            if block.block_type == "officer" and email:
                named.append(email)
    if not named:
        return officers_group()
    users = {
        user.email.lower(): user
        for user in get_user_model().objects.filter(is_active=True, email__in=named)
    }
    return [users.get(email.lower(), email) for email in named]


def tell_staff(recipients, kind, event, template, context):
    """One message per person for one event, unless they turned ``kind`` off.

    ``recipients`` are users or bare addresses (officers named on a standard
    without an account); the key is ``<event>:to:<address>``.
    """
    users = [r for r in recipients if not isinstance(r, str)]
    off = set(
        NotificationPreference.objects.filter(user__in=users, **{kind: False}).values_list(
            "user_id", flat=True
        )
    )
    sent = []
    seen = set()
    rendered = None
    for recipient in recipients:
        if isinstance(recipient, str):
            email = recipient
        else:
            if recipient.pk in off or not recipient.is_active:
                continue
            email = recipient.email
        email = (email or "").strip().lower()
        if not email or email in seen:
            continue
        seen.add(email)
        # One message for everyone: rendered once.
        rendered = rendered or render_email(template, context, "th")
        message = queue_email(
            f"{event}:to:{email}",
            email,
            template,
            context,
            language="th",
            kind=kind,
            rendered=rendered,
        )
        if message is not None:
            sent.append(message)
    return sent


def new_ticket(ticket):
    return tell_staff(
        responsible_officers(ticket),
        NEW_TICKET,
        f"ticket:{ticket.pk}:new",
        "staff_new_ticket",
        ticket_context(ticket),
    )


def step_started(ticket, step):
    """A step has become the ticket's current one: approvals are announced."""
    if step is None or step.kind != "approval" or ticket.follows_workflow:
        return []
    role = approving_role(step)
    return tell_staff(
        list(approvers(role)),
        APPROVAL_NEEDED,
        f"ticket:{ticket.pk}:step:{step.pk}:approval:{_stamp(step.started_at)}",
        "staff_approval_needed",
        ticket_context(ticket, step=step, role=role),
    )


def assigned(ticket, assignee, by, now):
    if assignee is None or (by is not None and by.pk == assignee.pk):
        return []
    return tell_staff(
        [assignee],
        ASSIGNED,
        f"ticket:{ticket.pk}:assigned:{assignee.pk}:{_stamp(now)}",
        "staff_assigned",
        ticket_context(ticket, by=by),
    )


def requester_replied(ticket, message):
    """The requester wrote on their ticket: its assignee (else the officers) hears."""
    recipients = [ticket.assignee] if ticket.assignee_id else officers_group()
    return tell_staff(
        recipients,
        REQUESTER_REPLY,
        f"ticket:{ticket.pk}:requester-message:{message.pk}",
        "staff_requester_reply",
        ticket_context(ticket, message=message),
    )


def due_soon(step):
    ticket = step.ticket
    recipients = [ticket.assignee] if ticket.assignee_id else officers_group()
    return tell_staff(
        recipients,
        DUE_SOON,
        f"ticket:{ticket.pk}:step:{step.pk}:due-soon:{_stamp(step.started_at)}",
        "staff_due_soon",
        ticket_context(ticket, step=step),
    )


# --- steps the requester acts on --------------------------------------------------
def requester_reminder(step):
    ticket = step.ticket
    return to_requester(
        ticket,
        f"step:{step.pk}:remind:{_stamp(step.started_at)}",
        "ticket_requester_reminder",
        step=step,
    )
