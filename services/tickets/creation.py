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
from django.utils.translation import gettext

from home.thai import fiscal_year_be
from services.core.models import PrivacyNotice
from services.core.targets import WAIT
from services.core.uploads import validate_upload
from services.tickets import notify as notices
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
                        "categories": alt.get("categories") or "",
                    }
                    for alt in value.get("alternatives") or []
                ],
                on_no_answer=value.get("on_no_answer") or WAIT,
            )
        )
    return TicketStep.objects.bulk_create(steps)


def save_attachments(ticket: Ticket, files: Iterable, *, message=None, is_public=True):
    """Check each file with the one upload validator and store it privately."""
    saved = []
    for upload in files:
        content_type, _extension = validate_upload(upload)
        saved.append(
            TicketAttachment.objects.create(
                ticket=ticket,
                message=message,
                is_public=is_public,
                file=upload,
                original_name=upload.name[:255],
                content_type=content_type,
                size=upload.size,
            )
        )
    return saved


def apply_category(step: TicketStep, category: str) -> bool:
    """Give ``step`` the target of its alternative for the requester's ``category``
    (ICT 02: an internet fault is 1 hour, not 1 working day). Before the step starts."""
    if not category:
        return False
    for alternative in step.alternatives:
        wanted = {c.strip() for c in (alternative.get("categories") or "").split(",")}
        if category in wanted:
            step.target_amount = alternative["amount"]
            step.target_unit = alternative["unit"]
            step.target_mode = alternative["mode"]
            step.chosen_alternative = alternative["label"]
            step.note = gettext("ระยะเวลาตามประเภทที่ผู้ขอเลือก: %(label)s") % {
                "label": alternative["label"]
            }
            step.save(
                update_fields=[
                    "target_amount",
                    "target_unit",
                    "target_mode",
                    "chosen_alternative",
                    "note",
                ]
            )
            return True
    return False


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
    confirm_requester: bool = True,
    follows_workflow: bool = False,
    number: tuple[int, int] | None = None,
    tracking_token: str | None = None,
) -> Ticket:
    """Create the ticket for a request on ``service`` (a ServicePage); returns it saved.

    ``requester`` holds requester_name, requester_email and optionally
    requester_org and requester_phone. The steps are the service's published
    standard, unless ``step_values`` (in the form of ``ServicePage.step_values()``)
    says otherwise, as the publication workflow does. The category the requester
    chose (``answers["category"]``) sets the first step's target when one of its
    alternatives names it. ``notify=False`` queues no e-mail at all (demo
    history); ``channel`` is how the request came in (an officer recording a
    phone call passes ``Ticket.Channel.PHONE``); ``confirm_requester=False``
    skips only the requester's "received" message (the publication workflow
    sends its own). ``follows_workflow`` marks
    a ticket moved by a Wagtail workflow, whose reviewers the workflow tells.
    The requester's consent is recorded with the version of the privacy
    notice in force at ``now``. ``number`` (fiscal year, sequence) and
    ``tracking_token`` are those a request was already given when it was
    accepted (``services.tickets.journal``); otherwise they are new.
    """
    if channel not in Ticket.Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    now = now or timezone.now()
    with transaction.atomic():
        if number is None:
            fiscal_year = fiscal_year_be(now)
            number = fiscal_year, TicketSequence.next_value(fiscal_year)
        fiscal_year, sequence = number
        extra = {"tracking_token": tracking_token} if tracking_token else {}
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
            requester_email=requester.get("requester_email", ""),
            channel=channel,
            language=language,
            answers=dict(answers),
            created_at=now,
            consent_at=now,
            follows_workflow=follows_workflow,
            privacy_notice=PrivacyNotice.current(now),
            **extra,
        )
        steps = copy_steps(ticket, service.step_values() if step_values is None else step_values)
        first = None
        if steps:
            first = TicketStep.objects.get(ticket=ticket, position=1)
            apply_category(first, str(answers.get("category") or ""))
            first.start(now)
        save_attachments(ticket, files)
        if notify:
            if confirm_requester:
                notices.submitted(ticket)
            notices.new_ticket(ticket)
            notices.step_started(ticket, first)
            notify_line_group("new", ticket)
            if first is not None and first.kind == "approval":
                notify_line_group("approval", ticket, step=first)
    return ticket
