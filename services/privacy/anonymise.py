"""Replacing one ticket's personal data in place.

What is replaced: the requester's name, e-mail, phone and LINE id; the form's
answers; every message and step note; the text of the ticket's audit entries;
the survey comment; the attachments (files deleted from storage, names
replaced); and the outbox messages about the ticket or sent to its e-mail.
What stays: the reference, service, organisation, status, every time stamp,
every step with its target and times, survey scores, attachment sizes, so the
reports count the same rows with the same figures. The tracking token is
replaced so old links open nothing.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from services.core.models import OutboxMessage
from services.surveys.models import SurveyResponse
from services.tickets.models import (
    Ticket,
    TicketAttachment,
    TicketMessage,
    TicketStep,
    new_tracking_token,
    search_text_for,
)

#: What replaces a removed value (kept short, in Thai as the data is).
REMOVED = "[ลบข้อมูลแล้ว]"


def outbox_about(ticket):
    """Outbox rows about ``ticket``: keyed on it or its bookings, or addressed to it."""
    keys = Q(key__startswith=f"ticket:{ticket.pk}:")
    for booking_id in ticket.bookings.values_list("pk", flat=True):
        keys |= Q(key__startswith=f"booking:{booking_id}:")
    rows = list(OutboxMessage.objects.filter(keys))
    seen = {row.pk for row in rows}
    for address in filter(None, [ticket.requester_email, ticket.line_user_id]):
        for row in OutboxMessage.objects.filter(to__icontains=address).exclude(pk__in=seen):
            if any(str(item).lower() == address.lower() for item in row.to):
                rows.append(row)
                seen.add(row.pk)
    return rows


def scrub_outbox(rows):
    for row in rows:
        if row.attachment:
            row.attachment.delete(save=False)
        if row.status == OutboxMessage.Status.PENDING:
            row.status = OutboxMessage.Status.FAILED
        row.to = []
        row.subject = REMOVED
        row.body = ""
        row.html_body = ""
        row.last_error = ""
        row.attachment = ""
        row.save(
            update_fields=[
                "to",
                "subject",
                "body",
                "html_body",
                "last_error",
                "attachment",
                "status",
            ]
        )


def delete_files(ticket):
    for attachment in TicketAttachment.objects.filter(ticket=ticket):
        if attachment.file:
            attachment.file.delete(save=False)
        attachment.file = ""
        attachment.original_name = REMOVED
        attachment.save(update_fields=["file", "original_name"])


def anonymise_ticket(ticket, *, user=None, reason="retention", now=None):
    """Replace the personal data of ``ticket`` (idempotent); returns the ticket."""
    now = now or timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        files = [a.file.name for a in ticket.attachments.all() if a.file]
        scrub_outbox(outbox_about(ticket))
        TicketMessage.objects.filter(ticket=ticket).update(body=REMOVED)
        TicketStep.objects.filter(ticket=ticket).exclude(note="").update(note="")
        SurveyResponse.objects.filter(ticket=ticket).exclude(comment="").update(comment="")
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Ticket), object_id=str(ticket.pk)
        ).update(data={})
        delete_files(ticket)
        Ticket.objects.filter(pk=ticket.pk).update(
            requester_name=REMOVED,
            requester_email="",
            requester_phone="",
            answers={},
            line_user_id="",
            line_link_code=None,
            line_link_expires_at=None,
            tracking_token=new_tracking_token(),
            anonymised_at=now,
        )
        ticket.refresh_from_db()
        # The desk's search text was built from the values just removed.
        ticket.search_text = search_text_for(ticket)
        Ticket.objects.filter(pk=ticket.pk).update(search_text=ticket.search_text)
        log(
            ticket,
            "services.ticket.anonymise",
            user=user,
            data={"reason": reason, "files": len(files)},
        )
    return ticket
