"""Turning a valid request form into a ticket: the one place where tickets are born.

Everything happens in one transaction: the reference, the ticket, its steps
copied from the service standard as it stands now, the first step's clock,
the attachments and the confirmation e-mail in the outbox. The e-mail itself
is sent afterwards by Django-Q2.
"""

from django.db import transaction
from django.utils import timezone, translation

from home.thai import fiscal_year_be
from services.core.outbox import queue_email
from services.core.uploads import validate_upload
from services.tickets.models import Ticket, TicketAttachment, TicketSequence, TicketStep


def request_language():
    return "en" if (translation.get_language() or "th").startswith("en") else "th"


def copy_steps(ticket, values):
    steps = []
    for position, value in enumerate(values, start=1):
        steps.append(
            TicketStep(
                ticket=ticket,
                position=position,
                title=value["title"],
                description=value.get("description") or "",
                kind=value.get("kind") or "work",
                role=value.get("role") or "officer",
                target_amount=value.get("target_amount") or None,
                target_unit=value.get("target_unit") or "",
                target_mode=value.get("target_mode") or "working",
                target_label=value.get("target_label") or "",
                alternatives=[
                    {
                        "label": alt["label"],
                        "amount": alt["amount"],
                        "unit": alt["unit"],
                        "mode": alt["mode"],
                    }
                    for alt in value.get("alternatives") or []
                ],
            )
        )
    return TicketStep.objects.bulk_create(steps)


def create_ticket(page, cleaned_data, answers, files=(), language=None, now=None, step_values=None):
    """Create the ticket for a request on ``page``; returns the saved Ticket.

    The steps are the page's published standard, unless ``step_values`` (in
    the same form as ``ServicePage.step_values()``) says otherwise, as the
    publication workflow does.
    """
    now = now or timezone.now()
    language = language or request_language()
    with transaction.atomic():
        fiscal_year = fiscal_year_be(now)
        sequence = TicketSequence.next_value(fiscal_year)
        ticket = Ticket.objects.create(
            reference=Ticket.format_reference(fiscal_year, sequence),
            fiscal_year=fiscal_year,
            sequence=sequence,
            service=page,
            service_code=page.code,
            service_title=page.title,
            form_kind=page.form_kind,
            requester_name=cleaned_data["requester_name"],
            requester_org=cleaned_data.get("requester_org", ""),
            requester_phone=cleaned_data.get("requester_phone", ""),
            requester_email=cleaned_data["requester_email"],
            language=language,
            answers=answers,
            created_at=now,
            consent_at=now,
        )
        steps = copy_steps(ticket, page.step_values() if step_values is None else step_values)
        if steps:
            TicketStep.objects.get(ticket=ticket, position=1).start(now)
        for upload in files:
            content_type, _extension = validate_upload(upload)
            TicketAttachment.objects.create(
                ticket=ticket,
                file=upload,
                original_name=upload.name[:255],
                content_type=content_type,
                size=upload.size,
            )
        queue_email(
            f"ticket:{ticket.pk}:submitted",
            ticket.requester_email,
            "ticket_submitted",
            {
                "ticket": ticket,
                "tracking_url": ticket.get_absolute_tracking_url(),
                "schedule": ticket.expected_schedule(),
            },
            language=language,
        )
    return ticket


def submit_form(page, form, language=None, now=None):
    """A valid request form -> its ticket."""
    return create_ticket(
        page,
        form.cleaned_data,
        form.answers(),
        files=form.cleaned_data.get("attachments") or [],
        language=language,
        now=now,
    )
