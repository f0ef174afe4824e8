"""E-mails about tickets and bookings, all through the outbox.

Each key names the change it reports, so a retried move or sweep queues one
message. Requesters get their ticket's language; staff get Thai. Every
message carries the reference and the tracking link.
"""

from django.conf import settings

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


def to_requester(ticket, key, template, **extra):
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


def desk_emails(ticket):
    """Who hears of a ticket on the desk side: its assignee, or every officer."""
    assignee = ticket.assignee
    if assignee is not None and assignee.is_active and assignee.email:
        return [assignee.email]
    return officer_emails()


def requester_message(ticket, message):
    """The requester wrote from the tracking page: tell the desk (in Thai)."""
    return queue_email(
        f"ticket:{ticket.pk}:message:{message.pk}:desk",
        desk_emails(ticket),
        "ticket_requester_message",
        ticket_context(ticket, message=message),
        language="th",
    )


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
