"""Who may see a ticket: the holder of its tracking link, or the requester's
reference plus e-mail, or an officer. Every miss looks the same."""

import hmac

from services.tickets import journal
from services.tickets.models import Ticket


def same_secret(stored, given):
    """Constant-time comparison of any two texts, ASCII or not.

    ``hmac.compare_digest`` raises TypeError on non-ASCII ``str``; comparing
    the UTF-8 bytes works for every input and still takes the same time.
    """
    stored = str(stored or "").encode("utf-8", "surrogatepass")
    given = str(given or "").encode("utf-8", "surrogatepass")
    return hmac.compare_digest(stored, given)


def _ticket(reference):
    reference = str(reference).replace("\x00", "").strip().upper()
    if not reference or len(reference) > 32:
        return None
    return Ticket.objects.filter(reference=reference).first()


def ticket_for_token(reference, token):
    ticket = _ticket(reference)
    if ticket is None or not same_secret(ticket.tracking_token, token):
        return None
    return ticket


def waiting_for_token(reference, token):
    """The request the quick path accepted under this reference and token whose
    ticket is not made yet (``services.tickets.journal``), else None."""
    reference = str(reference).replace("\x00", "").strip().upper()
    if not reference or len(reference) > 32:
        return None
    waiting = journal.waiting(reference)
    if waiting is None or not same_secret(waiting.tracking_token, token):
        return None
    return waiting


def ticket_for_email(reference, email):
    ticket = _ticket(reference)
    given = str(email).strip().casefold()
    if ticket is None or not same_secret(ticket.requester_email.casefold(), given):
        return None
    return ticket
