"""The publication SLA sweep, run every minute by Django-Q2.

A reviewer is reminded once when a step is close to its due time and the
step's escalation groups are told once when it is past due. Each is claimed
with a conditional UPDATE before its message is queued (and the message key
is stable), so two sweeps at once still send each message once.
"""

from django.db import transaction
from django.utils import timezone
from wagtail.models import TaskState, WorkflowState

from publishing import notifications
from publishing.models import TimedTaskState
from services.core import clock
from services.core.targets import due_soon_window


def running_states():
    return TimedTaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
        due_at__isnull=False,
    ).select_related("task", "workflow_state")


def minutes_left(state, now):
    task = state.task.specific
    if task.target_mode == clock.ELAPSED:
        return int((state.due_at - now).total_seconds() // 60)
    return clock.get_clock().working_minutes_between(now, state.due_at)


def reminder_due(state, now):
    # The same "due soon" rule as ticket steps (services.core.targets).
    lead = due_soon_window(state.task.specific.target_minutes())
    return now < state.due_at and minutes_left(state, now) <= lead


def _claim(state, field, now):
    return (
        TimedTaskState.objects.filter(pk=state.pk, **{f"{field}__isnull": True}).update(
            **{field: now}
        )
        == 1
    )


def sweep(now=None):
    now = now or timezone.now()
    escalated = reminded = 0
    for state in running_states().filter(escalated_at__isnull=True, due_at__lt=now):
        with transaction.atomic():
            if _claim(state, "escalated_at", now):
                notifications.notify_escalation(state, now)
                escalated += 1
    for state in running_states().filter(
        reminded_at__isnull=True, escalated_at__isnull=True, due_at__gt=now
    ):
        if reminder_due(state, now):
            with transaction.atomic():
                if _claim(state, "reminded_at", now):
                    notifications.notify_reminder(state)
                    reminded += 1
    return {"reminded": reminded, "escalated": escalated}


def on_sla_sweep(sender, now=None, **kwargs):
    """Receiver of ``services.tickets.sla.sla_sweep_requested``."""
    return {"publication": sweep(now=now)}
