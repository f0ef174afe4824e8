"""E-mails about tickets and bookings, all through the outbox.

Each key names the change it reports, so a retried move or sweep queues one
message. Requesters get their ticket's language; staff get Thai. Every
message carries the reference and the tracking link.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from services.core import line
from services.core.outbox import queue_email
from services.core.roles import OFFICERS, emails_of


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


def booking_confirmed(booking):
    ticket = booking.ticket
    queue_email(
        f"booking:{booking.pk}:confirmed",
        ticket.requester_email,
        "booking_confirmed",
        ticket_context(ticket, booking=booking),
        language=ticket.language,
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
