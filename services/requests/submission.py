"""A valid public request form becomes a ticket through ``services.tickets.creation``."""

from django.utils import translation

from services.tickets.creation import open_ticket


def request_language():
    return "en" if (translation.get_language() or "th").startswith("en") else "th"


def submit_form(page, form, language=None, now=None):
    """A valid request form -> its ticket."""
    return open_ticket(
        page,
        form.cleaned_data,
        form.answers(),
        files=form.cleaned_data.get("attachments") or [],
        language=language or request_language(),
        now=now,
    )
