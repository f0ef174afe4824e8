"""What "on time", "due soon", "breached" and "paused" mean for a ticket step.

The one definition, used by the desk badge, the desk list filter, the
dashboard panels, the SLA sweep and the reports (the queryset forms live in
``services.tickets.sla``, built from the same rules):

- A step is **late** when it is still active after its due time, or was done
  after it: ``moment > due_at``. At the due minute itself it is not late yet.
- A step is **breached** when it is late, or the sweep has already flagged it.
- A step is **due soon** from its ``warn_at`` moment: the last stretch of its
  target (see ``services.core.targets.due_soon_window``).
- A step the **requester** acts on (e.g. "the requester prepares the files")
  is **paused**: the office waits, so it gets no due time, is never due soon,
  breached or escalated.

This module imports no models, so the ticket models can use it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.core.clock import ELAPSED, get_clock
from services.core.targets import due_soon_window

ON_TIME = "on_time"
DUE_SOON = "due_soon"
BREACHED = "breached"
PAUSED = "paused"

STATE_LABELS = {
    ON_TIME: _("ตรงเวลา"),
    DUE_SOON: _("ใกล้ครบกำหนด"),
    BREACHED: _("เกินกำหนด"),
    PAUSED: _("รอผู้ขอ"),
}

REQUESTER = "requester"
ACTIVE, DONE = "active", "done"


def missed_q(prefix: str = "") -> Q:
    """Steps that have settled a breach, as a filter on TicketStep (or through
    ``prefix``, e.g. "steps__"): flagged by the sweep, or done after their due time.

    The partial index ``ticketstep_missed`` holds exactly these steps, keyed by
    ticket, so "has this ticket missed a target?" is one probe of a small index;
    the database uses it only for this very expression, so build it here.
    """
    p = prefix
    return Q(**{f"{p}breached": True}) | Q(
        **{f"{p}status": DONE, f"{p}due_at__isnull": False, f"{p}done_at__gt": F(f"{p}due_at")}
    )


def runs_clock(step) -> bool:
    """Whether the office's clock runs on this step (timed, not the requester's)."""
    return bool(step.target_amount and step.target_unit) and step.role != REQUESTER


def remind_moment(step) -> dt.datetime | None:
    """When the requester is reminded of a step they act on: its target from its start."""
    if step.role != REQUESTER or not step.started_at:
        return None
    if not (step.target_amount and step.target_unit):
        return None
    return get_clock().add(step.started_at, step.target_amount, step.target_unit, step.target_mode)


def is_late(due_at: dt.datetime | None, moment: dt.datetime) -> bool:
    return due_at is not None and moment > due_at


def warn_moment(step) -> dt.datetime | None:
    """When a started step becomes "due soon" (None for steps without a clock)."""
    if not step.due_at or not step.started_at or not runs_clock(step):
        return None
    clock = get_clock()
    total = clock.to_minutes(step.target_amount, step.target_unit, step.target_mode)
    lead = max(0, int(total - due_soon_window(total)))
    if step.target_mode == ELAPSED:
        return step.started_at + dt.timedelta(minutes=lead)
    return clock.add_working_minutes(step.started_at, lead) if lead else step.started_at


def step_state(step, now: dt.datetime | None = None) -> str | None:
    """ON_TIME, DUE_SOON, BREACHED or PAUSED; None for a step without a clock."""
    if step is None:
        return None
    if step.status == ACTIVE and step.role == REQUESTER:
        return PAUSED
    if step.due_at is None:
        return None
    now = now or timezone.now()
    if step.breached:
        return BREACHED
    if step.status == DONE:
        return BREACHED if is_late(step.due_at, step.done_at) else ON_TIME
    if step.status != ACTIVE:
        return None
    if is_late(step.due_at, now):
        return BREACHED
    if step.warn_at and now >= step.warn_at:
        return DUE_SOON
    return ON_TIME
