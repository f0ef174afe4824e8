"""The Django-Q2 schedules the product needs, created idempotently after migrate.

Each entry is (name, function, schedule type, minutes, cron). Other parts of
the product add their own entries to ``SCHEDULES``.
"""

from django.utils import timezone

SCHEDULES = [
    ("outbox sweep", "services.outbox.sweep", "I", 1, None),
    ("publish scheduled pages", "services.tasks.publish_scheduled", "H", None, None),
    # Tickets and publication tasks share one SLA sweep (services.tasks.sla_sweep).
    ("sla sweep", "services.tasks.sla_sweep", "I", 1, None),
    ("booking reminders", "services.bookings.send_reminders", "I", 1, None),
]


def ensure_schedules(**_kwargs):
    from django_q.models import Schedule

    for name, func, schedule_type, minutes, cron in SCHEDULES:
        defaults = {"func": func, "schedule_type": schedule_type, "repeats": -1}
        if minutes:
            defaults["minutes"] = minutes
        if cron:
            defaults["cron"] = cron
        schedule, created = Schedule.objects.get_or_create(name=name, defaults={
            **defaults, "next_run": timezone.now()})
        if not created and any(getattr(schedule, k) != v for k, v in defaults.items()):
            for key, value in defaults.items():
                setattr(schedule, key, value)
            schedule.save()
