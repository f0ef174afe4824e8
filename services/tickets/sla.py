"""The SLA of ticket steps: on time, due soon or breached, and the sweep that
escalates each breached step once.

Who hears about a breach (the head of the role that should have acted):

=========================  ===============
acting role of the step    escalated to
=========================  ===============
officer, requester         Group heads
approver                   Directors
director, executive,       Directors
secretary
=========================  ===============

``sweep`` runs every minute in Django-Q2. A step is claimed by setting its
``escalated_at`` in the same transaction that writes the outbox row and the
audit entries, so however often (or however concurrently) the sweep runs,
each step is escalated exactly once.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.dispatch import Signal
from django.utils import timezone

from services.core.clock import ELAPSED, get_clock
from services.core.roles import DIRECTORS, GROUP_HEADS, emails_of

ON_TIME = "on_time"
DUE_SOON = "due_soon"
BREACHED = "breached"

ESCALATE_TO = {
    "officer": GROUP_HEADS,
    "requester": GROUP_HEADS,
    "approver": DIRECTORS,
    "director": DIRECTORS,
    "executive": DIRECTORS,
    "secretary": DIRECTORS,
}
SWEEP_BATCH = 500


def warn_moment(step):
    """When a started step becomes "due soon" (None for untimed steps)."""
    if not step.due_at or not step.started_at or not step.is_timed:
        return None
    clock = get_clock()
    total = clock.to_minutes(step.target_amount, step.target_unit, step.target_mode)
    # The shorter of the two windows, so "due soon" always means the last stretch:
    # a 10-minute step warns in its last 2.5 minutes, a 3-day step in its last 2 hours.
    window = min(settings.DESK_DUE_SOON_MINUTES, total * settings.DESK_DUE_SOON_SHARE)
    lead = max(0, int(total - window))
    if step.target_mode == ELAPSED:
        return step.started_at + dt.timedelta(minutes=lead)
    return clock.add_working_minutes(step.started_at, lead) if lead else step.started_at


def step_state(step, now=None):
    """ON_TIME, DUE_SOON or BREACHED for an active step; None if it has no clock."""
    if step is None or step.due_at is None:
        return None
    now = now or timezone.now()
    if step.breached or now >= step.due_at:
        return BREACHED
    if step.warn_at and now >= step.warn_at:
        return DUE_SOON
    return ON_TIME


def ticket_state(ticket, now=None):
    from services.tickets.models import Ticket

    if ticket.status != Ticket.Status.OPEN:
        return None
    return step_state(ticket.active_step, now)


def state_filter(state, now=None):
    """The same three states as a queryset filter on tickets (for the desk list)."""
    from django.db.models import Q

    now = now or timezone.now()
    open_q = Q(status="open", active_step__due_at__isnull=False)
    late = Q(active_step__breached=True) | Q(active_step__due_at__lte=now)
    if state == BREACHED:
        return open_q & late
    if state == DUE_SOON:
        return open_q & ~late & Q(active_step__warn_at__lte=now)
    if state == ON_TIME:
        return (
            open_q
            & ~late
            & (Q(active_step__warn_at__gt=now) | Q(active_step__warn_at__isnull=True))
        )
    raise ValueError(state)


def _claim_batch(now, batch):
    from services.tickets.models import Ticket, TicketStep

    late = TicketStep.objects.filter(
        status=TicketStep.Status.ACTIVE, due_at__lt=now, ticket__status=Ticket.Status.OPEN
    )
    # Workflow-driven steps are marked late here but escalated by the workflow's sweep.
    late.filter(ticket__follows_workflow=True, breached=False).update(breached=True)
    queryset = (
        late.filter(escalated_at__isnull=True, ticket__follows_workflow=False)
        .select_related("ticket")
        .order_by("due_at", "pk")
    )
    if connection.features.has_select_for_update_skip_locked:
        # Two sweeps on two hosts each take different steps; on SQLite the
        # IMMEDIATE transaction already serialises them.
        queryset = queryset.select_for_update(skip_locked=True, of=("self",))
    steps = list(queryset[:batch])
    if steps:
        TicketStep.objects.filter(pk__in=[s.pk for s in steps]).update(
            breached=True, escalated_at=now
        )
    return steps


def _audit(steps, now):
    from wagtail.models import ModelLogEntry

    from services.tickets.models import Ticket

    content_type = ContentType.objects.get_for_model(Ticket)
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=content_type,
                object_id=str(step.ticket_id),
                label=str(step.ticket)[:255],
                action="services.ticket.escalate",
                timestamp=now,
                data={
                    "step": step.position,
                    "title": step.title,
                    "role": step.role,
                    "due_at": step.due_at.isoformat(),
                    "to": ESCALATE_TO.get(step.role, GROUP_HEADS),
                },
            )
            for step in steps
        ]
    )


def _notify(steps, now):
    from services.core.outbox import queue_email

    by_group = {}
    for step in steps:
        by_group.setdefault(ESCALATE_TO.get(step.role, GROUP_HEADS), []).append(step)
    for group, group_steps in by_group.items():
        recipients = emails_of(group)
        ids = ",".join(str(s.pk) for s in group_steps)
        digest = hashlib.sha256(ids.encode()).hexdigest()[:20]
        queue_email(
            f"sla:escalation:{group}:{digest}",
            recipients,
            "sla_escalation",
            {
                "steps": group_steps,
                "group": group,
                "now": now,
                "admin_base": settings.WAGTAILADMIN_BASE_URL,
            },
            language="th",
        )


def sweep(now=None, batch=SWEEP_BATCH):
    """Mark every active step past due as breached and escalate it, once."""
    now = now or timezone.now()
    escalated = 0
    while True:
        with transaction.atomic():
            steps = _claim_batch(now, batch)
            if not steps:
                break
            _audit(steps, now)
            _notify(steps, now)
        escalated += len(steps)
    return {"escalated": escalated}


#: Sent by ``sweep_all`` after the ticket sweep; other parts of the product
#: (the publication workflow) connect their own sweeps, each returning a
#: ``{name: summary}`` dict.
sla_sweep_requested = Signal()


def sweep_all(now=None):
    """The one SLA sweep, every minute: ticket steps, then every connected sweep."""
    results = {"tickets": sweep(now=now)}
    for _receiver, result in sla_sweep_requested.send(sender=sweep_all, now=now):
        results.update(result or {})
    return results
