"""The one function that builds a ticket, whatever the source.

The public request form, a staff publication request, an officer recording a
walk-in or phone request, and the demo loaders all call ``open_ticket``.
Everything happens in one transaction: the reference, the ticket, its steps
copied from the service standard as it stands now, the first step's clock,
the attachments and (unless asked not to) the confirmation e-mail in the
outbox. The e-mail itself is sent afterwards by Django-Q2.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from django.db import transaction
from django.utils import timezone

from home.thai import fiscal_year_be
from services.core.models import PrivacyNotice
from services.core.outbox import queue_email
from services.core.uploads import validate_upload
from services.tickets.models import Ticket, TicketAttachment, TicketSequence, TicketStep
from services.tickets.notify import notify_line_group


def copy_steps(ticket: Ticket, values: Sequence[Mapping]) -> list[TicketStep]:
    """The ticket's steps, copied from step values (``ServicePage.step_values()``)."""
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


def open_ticket(
    service,
    requester: Mapping[str, str],
    answers: Mapping,
    *,
    files: Iterable = (),
    language: str = "th",
    now: dt.datetime | None = None,
    step_values: Sequence[Mapping] | None = None,
    notify: bool = True,
    channel: str = Ticket.Channel.WEB,
) -> Ticket:
    """Create the ticket for a request on ``service`` (a ServicePage); returns it saved.

    ``requester`` holds requester_name, requester_email and optionally
    requester_org and requester_phone. The steps are the service's published
    standard, unless ``step_values`` (in the form of ``ServicePage.step_values()``)
    says otherwise, as the publication workflow does. ``notify=False`` queues
    no confirmation e-mail (demo history). The requester's consent is recorded
    with the version of the privacy notice in force at ``now``.
    """
    now = now or timezone.now()
    with transaction.atomic():
        fiscal_year = fiscal_year_be(now)
        sequence = TicketSequence.next_value(fiscal_year)
        ticket = Ticket.objects.create(
            reference=Ticket.format_reference(fiscal_year, sequence),
            fiscal_year=fiscal_year,
            sequence=sequence,
            service=service,
            service_code=service.code,
            service_title=service.title,
            form_kind=service.form_kind,
            requester_name=requester["requester_name"],
            requester_org=requester.get("requester_org", ""),
            requester_phone=requester.get("requester_phone", ""),
            requester_email=requester["requester_email"],
            language=language,
            answers=dict(answers),
            created_at=now,
            consent_at=now,
            privacy_notice=PrivacyNotice.current(now),
            channel=channel,
        )
        steps = copy_steps(ticket, service.step_values() if step_values is None else step_values)
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
        if notify:
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
            notify_line_group("new", ticket)
            first = ticket.steps.order_by("position").first()
            if first is not None and first.kind == "approval":
                notify_line_group("approval", ticket, step=first)
    return ticket
