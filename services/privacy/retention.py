"""Retention: tickets finished more than ``PDPA_RETENTION_YEARS`` years ago
(five by default) are anonymised by a daily Django-Q2 schedule.

A ticket is finished when it is closed, resolved, rejected or cancelled; its
finishing moment is ``closed_at``, else ``resolved_at``, else (rejected or
cancelled tickets) its last change. Open tickets are never anonymised.
"""

from django.conf import settings
from django.db.models import DateTimeField
from django.db.models.functions import Coalesce
from django.utils import timezone

from services.privacy.anonymise import anonymise_ticket
from services.tickets.models import Ticket

BATCH = 200


def retention_years():
    return max(1, int(getattr(settings, "PDPA_RETENTION_YEARS", 5)))


def cutoff(now=None):
    now = timezone.localtime(now or timezone.now())
    years = retention_years()
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def expired(now=None):
    """Tickets past their retention period that still hold personal data."""
    return (
        Ticket.objects.exclude(status=Ticket.Status.OPEN)
        .filter(anonymised_at__isnull=True)
        .annotate(
            finished_at=Coalesce(
                "closed_at", "resolved_at", "updated_at", output_field=DateTimeField()
            )
        )
        .filter(finished_at__lt=cutoff(now))
    )


def anonymise_expired(now=None, batch=BATCH):
    """The scheduled task: anonymise every expired ticket, a batch at a time."""
    now = now or timezone.now()
    done = 0
    while True:
        tickets = list(expired(now).order_by("pk")[:batch])
        if not tickets:
            break
        for ticket in tickets:
            anonymise_ticket(ticket, reason="retention", now=now)
        done += len(tickets)
    return {"anonymised": done, "cutoff": cutoff(now).isoformat()}
