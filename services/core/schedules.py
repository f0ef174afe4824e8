"""The Django-Q2 schedules the product needs, created idempotently after migrate.

Each entry is (name, function, schedule type, minutes, cron), optionally
followed by a function giving the first run time (default: now). Other parts
of the product add their own entries to ``SCHEDULES``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string

SCHEDULES: list[tuple[Any, ...]] = [
    ("outbox sweep", "services.core.outbox.sweep", "I", 1, None),
    # Requests the public form accepted at once, made into tickets (nudged as they come).
    ("request journal", "services.tickets.journal.make_tickets", "I", 1, None),
    ("publish scheduled pages", "services.core.schedules.publish_scheduled", "H", None, None),
    # Tickets and publication tasks share one SLA sweep (services.tickets.sla.sweep_all).
    ("sla sweep", "services.tickets.sla.sweep_all", "I", 1, None),
    # Daily roll-ups the reports read, rebuilt for the days that changed (a watermark).
    ("report roll-ups", "services.reports.rollups.refresh", "I", 10, None),
    ("booking reminders", "services.bookings.scheduling.send_reminders", "I", 1, None),
    ("loan reminders", "services.bookings.scheduling.send_loan_reminders", "H", None, None),
    # Traffic logs: delete the day files older than TRAFFIC_LOG_DAYS (at least 90).
    ("traffic log purge", "home.traffic.purge", "D", None, None),
    # PDPA: anonymise tickets finished more than PDPA_RETENTION_YEARS years ago.
    ("personal data retention", "services.privacy.retention.anonymise_expired", "D", None, None),
    # SQLite: fresh statistics for its query planner, nightly at 02:00.
    (
        "database statistics",
        "services.core.schedules.refresh_statistics",
        "D",
        None,
        None,
        "services.core.schedules.tonight",
    ),
    # Monthly from 07:00 on the 1st: Django-Q2 adds one calendar month each run.
    (
        "monthly report",
        "services.reports.monthly.build_monthly_report",
        "M",
        None,
        None,
        "services.reports.monthly.first_run",
    ),
]


def ensure_schedules(**_kwargs: Any) -> None:
    """Create or update each entry of ``SCHEDULES`` (a ``post_migrate`` receiver)."""
    from django_q.models import Schedule

    for name, func, schedule_type, minutes, cron, *first_run in SCHEDULES:
        defaults = {"func": func, "schedule_type": schedule_type, "repeats": -1}
        if minutes:
            defaults["minutes"] = minutes
        if cron:
            defaults["cron"] = cron
        next_run = import_string(first_run[0])() if first_run else timezone.now()
        schedule, created = Schedule.objects.get_or_create(
            name=name, defaults={**defaults, "next_run": next_run}
        )
        if not created and any(getattr(schedule, k) != v for k, v in defaults.items()):
            for key, value in defaults.items():
                setattr(schedule, key, value)
            schedule.save()


def publish_scheduled() -> None:
    """Wagtail's go-live / expiry pass, hourly."""
    call_command("publish_scheduled", verbosity=0)


def tonight() -> dt.datetime:
    """02:00 office time tonight: when the nightly upkeep first runs."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, dt.time(2, 0), tzinfo=timezone.get_current_timezone())


def refresh_statistics() -> None:
    """SQLite chooses its indexes from the statistics ANALYZE writes, and nothing
    else writes them: without them, or with stale ones, it guesses, and at a
    million tickets a wrong guess costs the desk seconds. A few seconds at night
    at that size. PostgreSQL's autovacuum keeps its own statistics."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
