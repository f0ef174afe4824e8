"""Who may see a ticket: the holder of its tracking link, or the requester's
reference plus e-mail, or an officer. Every miss looks the same."""

import secrets

from services.tickets.models import Ticket


def ticket_for_token(reference, token):
    ticket = Ticket.objects.filter(reference=str(reference).strip().upper()).first()
    if ticket is None or not secrets.compare_digest(ticket.tracking_token, str(token)):
        return None
    return ticket


def ticket_for_email(reference, email):
    ticket = Ticket.objects.filter(reference=str(reference).strip().upper()).first()
    given = str(email).strip().casefold()
    if ticket is None or not secrets.compare_digest(ticket.requester_email.casefold(), given):
        return None
    return ticket
