"""Entry points that Django-Q2 schedules call."""

from django.core.management import call_command


def publish_scheduled():
    """Wagtail's go-live / expiry pass, hourly."""
    call_command("publish_scheduled", verbosity=0)


def sla_sweep(now=None):
    """The one SLA sweep, every minute: ticket steps and publication tasks alike."""
    from publishing.tasks import sweep as publication_sweep

    from .sla import sweep as ticket_sweep

    return {"tickets": ticket_sweep(now=now), "publication": publication_sweep(now=now)}
