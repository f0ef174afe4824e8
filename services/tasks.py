"""Entry points that Django-Q2 schedules call."""

from django.core.management import call_command


def publish_scheduled():
    """Wagtail's go-live / expiry pass, hourly."""
    call_command("publish_scheduled", verbosity=0)
