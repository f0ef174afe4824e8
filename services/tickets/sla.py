"""The SLA of ticket steps: on time, due soon or breached, and the sweep that
escalates each breached step once.

Who hears about a breach: for an approval step, the people who can act on
it (the members of the role the step names and their active deputies, see
``roles.approvers``); for any other step, the head of the role that should
have acted:

=========================  ===============
acting role of the step    escalated to
=========================  ===============
officer                    Group heads
director, executive,       Directors
secretary
requester                  nobody: the office's clock does not run
                           (the requester is reminded instead)
=========================  ===============

``sweep`` runs every minute in Django-Q2. A step is claimed by setting its
``escalated_at`` in the same transaction that writes the outbox row and the
audit entries, so however often (or however concurrently) the sweep runs,
each step is escalated exactly once.
"""

import hashlib
from collections import namedtuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, transaction
from django.db.models import Exists, OuterRef, Q
from django.dispatch import Signal
from django.utils import timezone

from services.core.roles import DIRECTORS, GROUP_HEADS, approvers, approving_role, emails_of
from services.tickets.deadlines import (  # noqa: F401  (the states, for callers of sla)
    ACTIVE,
    BREACHED,
    DONE,
    DUE_SOON,
    ON_TIME,
    PAUSED,
    REQUESTER,
    STATE_LABELS,
    missed_q,
    step_state,
    warn_moment,
)

ESCALATE_TO = {
    "officer": GROUP_HEADS,
    "approver": DIRECTORS,
    "director": DIRECTORS,
    "executive": DIRECTORS,
    "secretary": DIRECTORS,
}
SWEEP_BATCH = 2000
# The escalating sweep claims at most this many steps a transaction. Each claim
# reads the late steps afresh, so a few large ones beat many small ones: ten
# thousand past due after a long weekend are one claim and one digest per group.
ESCALATE_BATCH = 10_000
# A digest lists this many steps, then counts the rest and links to the desk's
# list of breached tickets (a thousand-line e-mail helps nobody).
DIGEST_LISTED = 20


def step_breached_q(now=None, prefix=""):
    """Steps that missed their target (see ``deadlines``), as a filter on TicketStep
    (or through ``prefix``, e.g. "steps__")."""
    return missed_q(prefix) | late_active_q(now or timezone.now(), prefix)


def late_active_q(now, prefix=""):
    """Active steps past their due time: what the sweep escalates."""
    return Q(**{f"{prefix}status": ACTIVE, f"{prefix}due_at__lt": now})


def has_breach(now=None):
    """An EXISTS over a ticket's steps: has any step missed its target?"""
    from services.tickets.models import TicketStep

    return Exists(TicketStep.objects.filter(ticket=OuterRef("pk")).filter(step_breached_q(now)))


def ticket_state(ticket, now=None):
    """The ticket's SLA state: BREACHED if any step missed its target, otherwise
    the state of its active step while it is open (None when closed on time)."""
    from services.tickets.models import Ticket

    now = now or timezone.now()
    breached = getattr(ticket, "sla_breached", None)
    if breached is None:
        breached = ticket.steps.filter(step_breached_q(now)).exists()
    if breached:
        return BREACHED
    if ticket.status != Ticket.Status.OPEN:
        return None
    return step_state(ticket.active_step, now)


def _active_step_q(state, now, p):
    """What a ticket's active step must be for ``state`` (not BREACHED), as a filter
    on TicketStep (or through ``p``, e.g. "active_step__"). None of these steps is
    late: a paused step has no due time, a timed one is due now or later."""
    if state == PAUSED:
        return Q(**{f"{p}status": ACTIVE, f"{p}role": REQUESTER, f"{p}due_at__isnull": True})
    timed = Q(**{f"{p}status": ACTIVE, f"{p}due_at__gte": now})
    if state == DUE_SOON:
        return timed & Q(**{f"{p}warn_at__lte": now})
    if state == ON_TIME:
        return timed & (Q(**{f"{p}warn_at__gt": now}) | Q(**{f"{p}warn_at__isnull": True}))
    raise ValueError(state)


def ticket_state_q(state, now=None):
    """The same states as a filter on tickets (desk list, dashboard panels).

    An open ticket has one active step, its ``active_step``. When that step is
    not late (as every state but BREACHED requires), the ticket is clean exactly
    when none of its steps has missed a target (``missed_q``): one probe of the
    ``ticketstep_missed`` index rather than a look at each of its steps.
    """
    from services.tickets.models import TicketStep

    now = now or timezone.now()
    if state == BREACHED:
        return Q(has_breach(now))
    missed = Exists(TicketStep.objects.filter(missed_q(), ticket=OuterRef("pk")))
    return Q(status="open") & ~Q(missed) & _active_step_q(state, now, "active_step__")


# Up to this many matching active steps, the desk's SLA filter names them outright.
FEW_MATCHES = 1000


def filter_by_state(queryset, state, now=None):
    """``queryset`` narrowed to tickets in SLA ``state``, by the faster of two plans.

    On time, due soon and paused tickets are found either by walking the open
    tickets in list order and looking at each one's active step, or by starting
    from the matching steps. The first wins when many steps match (the first
    page fills at once), the second when few do (nothing is walked in vain).
    PostgreSQL's planner tells the cases apart from its statistics. SQLite keeps
    none for a time range, and guesses either way: there the matching steps are
    read first through ``ticketstep_status_due_warn``, up to ``FEW_MATCHES``,
    and when that is all of them the tickets are looked up by those step ids.
    """
    from services.tickets.models import TicketStep

    now = now or timezone.now()
    found = queryset.filter(ticket_state_q(state, now))
    if state != BREACHED and connections[queryset.db].vendor == "sqlite":
        steps = TicketStep.objects.using(queryset.db).filter(_active_step_q(state, now, ""))
        few = list(steps.order_by().values_list("pk", flat=True)[: FEW_MATCHES + 1])
        if len(few) <= FEW_MATCHES:
            return found.filter(active_step__in=few)
    return found


def with_sla(queryset, now=None):
    """Annotate tickets with ``sla_breached`` so ``ticket_state`` needs no query per row."""
    return queryset.annotate(sla_breached=has_breach(now))


def newly_late_q(now):
    """Active steps past due that the sweep has not flagged yet: its whole work.

    Every step the sweep sees leaves this set (it is flagged ``breached``), so
    an idle run reads nothing; the partial index ``ticketstep_sweep_due`` holds
    exactly the unflagged active steps.
    """
    return Q(status=ACTIVE, breached=False, due_at__lt=now)


#: What the sweep reads of each step it escalates, to choose whom to tell: plain
#: values, not model instances (ten thousand of them at once after a long weekend).
#: The audit entries and digests read the rest from the database.
LateStep = namedtuple("LateStep", "pk role kind")


def _late_steps(now):
    from services.tickets.models import Ticket, TicketStep

    return TicketStep.objects.filter(newly_late_q(now), ticket__status=Ticket.Status.OPEN)


def _flag_unescalated(now):
    """Flag, not escalate, the late steps the sweep leaves alone: workflow-driven
    steps (the workflow's own sweep escalates them) and steps escalated once
    already, then re-timed. Once a run: flagging twice does no harm."""
    _late_steps(now).filter(
        Q(ticket__follows_workflow=True) | Q(escalated_at__isnull=False)
    ).update(breached=True)


def _claim_batch(now, batch):
    """Flag and claim up to ``batch`` late steps, earliest due first, in one
    UPDATE … RETURNING."""
    from services.tickets.models import TicketStep

    queryset = _late_steps(now).filter(escalated_at__isnull=True, ticket__follows_workflow=False)
    queryset = queryset.order_by("due_at", "pk")
    if connection.features.has_select_for_update_skip_locked:
        # Two sweeps on two hosts each take different steps; on SQLite the
        # IMMEDIATE transaction already serialises them.
        queryset = queryset.select_for_update(skip_locked=True, of=("self",))
    select, params = queryset.values("pk")[:batch].query.sql_with_params()
    escalated_at = TicketStep._meta.get_field("escalated_at").get_db_prep_save(now, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(TicketStep._meta.db_table)} "
            f"SET breached = %s, escalated_at = %s WHERE id IN ({select}) "
            "RETURNING due_at, id, role, kind",
            [True, escalated_at, *params],
        )
        rows = sorted(cursor.fetchall())
    return [LateStep(*row[1:]) for row in rows]


def escalation_target(step):
    """(a name for the audit log, the e-mail addresses told) of a breached step."""
    if step.kind == "approval":
        role = approving_role(step)
        return f"approval:{role}", sorted({user.email for user in approvers(role) if user.email})
    group = ESCALATE_TO.get(step.role, GROUP_HEADS)
    return group, emails_of(group)


def _audit(steps, now, targets):
    """One audit entry per escalated step: the rows ``ModelLogEntry.objects.create``
    would write, built by the database from the steps themselves (INSERT … SELECT,
    one statement per escalation target (and thousand steps on SQLite))."""
    from wagtail.models import ModelLogEntry

    from services.tickets.models import Ticket, TicketStep

    content_type = ContentType.objects.get_for_model(Ticket)
    timestamp = ModelLogEntry._meta.get_field("timestamp").get_db_prep_save(now, connection)
    quote = connection.ops.quote_name
    entry, step_table, ticket_table = (
        quote(ModelLogEntry._meta.db_table),
        quote(TicketStep._meta.db_table),
        quote(Ticket._meta.db_table),
    )
    fields = "'step', s.position, 'title', s.title, 'role', s.role, 'due_at', {due}, 'to', {to}"
    if connection.vendor == "postgresql":
        due = """to_char(s.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00'"""
        data = "jsonb_build_object(" + fields.format(due=due, to="%s::text") + ")"
    else:  # SQLite keeps UTC text that only needs the ISO separator and offset
        due = "replace(s.due_at, ' ', 'T') || '+00:00'"
        data = "json_object(" + fields.format(due=due, to="%s") + ")"
    by_target = {}
    for step in steps:
        by_target.setdefault(targets[step.pk][0], []).append(step.pk)
    with connection.cursor() as cursor:
        for target, pks in by_target.items():
            if connection.vendor == "postgresql":  # the ids as one array
                chunks = [("= ANY(%s)", [pks])]
            else:
                chunks = [
                    (f"IN ({', '.join(['%s'] * len(chunk))})", chunk)
                    for chunk in (pks[first : first + 1000] for first in range(0, len(pks), 1000))
                ]
            for match, ids in chunks:
                cursor.execute(
                    f"INSERT INTO {entry} (content_type_id, label, action, data, timestamp, uuid, "
                    "user_id, revision_id, content_changed, deleted, object_id) "
                    "SELECT %s, substr(t.reference || ' ' || t.service_title, 1, 255), %s, "
                    f"{data}, %s, NULL, NULL, NULL, FALSE, FALSE, CAST(s.ticket_id AS TEXT) "
                    f"FROM {step_table} s JOIN {ticket_table} t ON t.id = s.ticket_id "
                    f"WHERE s.id {match} ORDER BY s.id",
                    [content_type.pk, "services.ticket.escalate", target, timestamp, *ids],
                )


def _notify(steps, now, targets):
    from services.core.outbox import queue_email
    from services.tickets.models import TicketStep

    by_group = {}
    for step in steps:
        by_group.setdefault(targets[step.pk][0], []).append(step)
    # The digests list a few steps each: only those are read as model instances.
    listed = {s.pk for group_steps in by_group.values() for s in group_steps[:DIGEST_LISTED]}
    instances = TicketStep.objects.select_related("ticket").in_bulk(listed)
    for group, group_steps in by_group.items():
        recipients = targets[group_steps[0].pk][1]
        ids = ",".join(str(s.pk) for s in group_steps)
        digest = hashlib.sha256(ids.encode()).hexdigest()[:20]
        queue_email(
            f"sla:escalation:{group}:{digest}",
            recipients,
            "sla_escalation",
            {
                "steps": [instances[s.pk] for s in group_steps[:DIGEST_LISTED]],
                "count": len(group_steps),
                "more": max(0, len(group_steps) - DIGEST_LISTED),
                "group": group,
                "now": now,
                "admin_base": settings.WAGTAILADMIN_BASE_URL,
            },
            language="th",
        )
    from services.core.line import officers_group
    from services.tickets.notify import notify_line_group

    if officers_group():
        # One LINE message per breached step, as for e-mail-less offices the group
        # is where officers see each one.
        for chunk in range(0, len(steps), 500):
            pks = [s.pk for s in steps[chunk : chunk + 500]]
            for step in TicketStep.objects.select_related("ticket").filter(pk__in=pks):
                notify_line_group("breach", step.ticket, step=step)


def sweep(now=None, batch=ESCALATE_BATCH):
    """Mark every active step past due as breached and escalate it, once."""
    now = now or timezone.now()
    escalated = 0
    _flag_unescalated(now)
    while True:
        with transaction.atomic():
            steps = _claim_batch(now, batch)
            if not steps:
                break
            targets = {}
            by_kind = {}
            for step in steps:
                key = (step.kind == "approval", approving_role(step), step.role)
                if key not in by_kind:
                    by_kind[key] = escalation_target(step)
                targets[step.pk] = by_kind[key]
            _audit(steps, now, targets)
            _notify(steps, now, targets)
        escalated += len(steps)
    return {"escalated": escalated}


def _claim_one(step_pk, field, now):
    """Set ``field`` if still empty: one conditional UPDATE, so one sweep wins."""
    from services.tickets.models import TicketStep

    return TicketStep.objects.filter(pk=step_pk, **{f"{field}__isnull": True}).update(
        **{field: now}
    )


def due_soon_sweep(now=None, batch=SWEEP_BATCH):
    """Tell the assignee, once, when a step first becomes due soon."""
    from services.tickets import notify
    from services.tickets.models import Ticket, TicketStep

    now = now or timezone.now()
    candidates = (
        TicketStep.objects.filter(
            status=ACTIVE,
            warn_at__lte=now,
            due_at__gte=now,
            due_soon_notified_at__isnull=True,
            ticket__status=Ticket.Status.OPEN,
            ticket__follows_workflow=False,
        )
        .select_related("ticket", "ticket__assignee")
        .order_by("warn_at")[:batch]
    )
    told = 0
    for step in candidates:
        with transaction.atomic():
            if _claim_one(step.pk, "due_soon_notified_at", now):
                notify.due_soon(step)
                told += 1
    return {"due_soon": told}


def requester_sweep(now=None, batch=SWEEP_BATCH):
    """Steps the requester acts on: remind once at the target, then one target
    later do what the standard says (``moves.no_answer``)."""
    from services.core.clock import get_clock
    from services.core.targets import WAIT
    from services.tickets import moves, notify
    from services.tickets.models import Ticket, TicketStep

    now = now or timezone.now()
    waiting = TicketStep.objects.filter(
        status=ACTIVE, role=REQUESTER, ticket__status=Ticket.Status.OPEN
    ).select_related("ticket")
    reminded = 0
    for step in waiting.filter(remind_at__lte=now, reminded_at__isnull=True).order_by("remind_at")[
        :batch
    ]:
        with transaction.atomic():
            if _claim_one(step.pk, "reminded_at", now):
                notify.requester_reminder(step)
                reminded += 1
    acted = 0
    clock = get_clock()
    for step in waiting.filter(reminded_at__isnull=False).exclude(on_no_answer=WAIT)[:batch]:
        if not (step.target_amount and step.target_unit):
            continue
        deadline = clock.add(
            step.remind_at or step.reminded_at,
            step.target_amount,
            step.target_unit,
            step.target_mode,
        )
        if deadline <= now and moves.no_answer(step.ticket, step.pk, now):
            acted += 1
    return {"reminded": reminded, "no_answer": acted}


#: Sent by ``sweep_all`` after the ticket sweep; other parts of the product
#: (the publication workflow) connect their own sweeps, each returning a
#: ``{name: summary}`` dict.
sla_sweep_requested = Signal()


def sweep_all(now=None):
    """The one SLA sweep, every minute: ticket steps, then every connected sweep."""
    results = {
        "tickets": sweep(now=now),
        "due_soon": due_soon_sweep(now=now),
        "requester": requester_sweep(now=now),
    }
    for _receiver, result in sla_sweep_requested.send(sender=sweep_all, now=now):
        results.update(result or {})
    return results
