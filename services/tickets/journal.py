"""The request journal: a public request accepted at once, its ticket made by the cluster.

``accept`` gives a request its reference and tracking token and keeps it, in
one short transaction (the year's sequence and one row), so the public form's
quick path (``services.requests.quick_intake``) answers without building the
ticket. ``make_tickets``, run by Django-Q2, makes each waiting request's
ticket with ``open_ticket`` (with the time it was received, and the reference
and token it was given) and deletes the row in the same transaction: a
request is always a row or a ticket, never neither and never both.

``nudge`` asks the cluster to run ``make_tickets``, at most once a second per
process; the task then keeps going until the journal has been empty for
``IDLE_SECONDS``, so a burst's last requests are not left for the schedule.
While requests pour in, it lets them in first (``QUIET_SECONDS``), for at
most ``LONGEST_WAIT``: a burst is accepted at the form's speed and its
tickets are made as soon as it eases.
The "request journal" schedule runs it every minute as well: a request
accepted while the queue was down becomes a ticket when it is back.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import time
from collections.abc import Mapping
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone

from home.thai import fiscal_year_be
from services.core import outbox
from services.core.queue import enqueue
from services.tickets.creation import open_ticket
from services.tickets.models import PendingRequest, Ticket, TicketSequence

log = logging.getLogger(__name__)

REQUESTER_FIELDS = ("requester_name", "requester_org", "requester_phone", "requester_email")
TASK = "services.tickets.journal.make_tickets"
# Requests made into tickets per transaction: on SQLite a transaction holds the
# one write lock, which the web workers' accepts wait for.
BATCH = 10
# A run stops after this long (well inside Q_CLUSTER["timeout"]); the next
# nudge or the schedule goes on.
BUDGET_SECONDS = 40.0
IDLE_SECONDS = 2.0
# Requests arriving closer together than this: the form is busy, tickets wait…
QUIET_SECONDS = 0.5
# …but never longer than this after a request arrived.
LONGEST_WAIT = 30.0
PAUSE_SECONDS = 0.2
NUDGE_SECONDS = 1.0
RUNNING_KEY = "request-journal:running"
_last_nudge = 0.0


def accept(
    service,
    requester: Mapping[str, str],
    answers: Mapping,
    *,
    language: str = "th",
    now=None,
) -> PendingRequest:
    """Keep a valid request (``requester`` as the form cleaned it, ``answers`` as
    ``RequestForm.answers``) with its reference and tracking token; its ticket
    follows from ``make_tickets``."""
    now = now or timezone.now()
    fiscal_year = fiscal_year_be(now)
    entry = PendingRequest(
        fiscal_year=fiscal_year,
        service=service,
        requester={name: str(requester.get(name) or "") for name in REQUESTER_FIELDS},
        answers=dict(answers),
        language=language,
        received_at=now,
    )
    if connection.vendor == "postgresql":
        _insert_numbered(entry)
    else:
        _insert_sqlite(entry)
    return entry


@contextlib.contextmanager
def writer_turn():
    """On SQLite, one writer at a time across processes, queued by the kernel.

    SQLite lets a writer that finds the database locked sleep and retry
    (1 ms, then 2, 5, 10 ms and more); with two web workers writing hundreds
    of short transactions a second, those sleeps leave the processor idle.
    A lock on a file beside the database wakes the next writer the moment the
    last one is done. PostgreSQL locks rows and needs none of this."""
    if connection.vendor != "sqlite":
        yield
        return
    handle = _lock_file(".writers")
    fcntl.flock(handle, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)


_lock_files: dict[str, object] = {}


def _lock_path(suffix):
    return str(connection.settings_dict["NAME"]) + suffix


def _lock_file(suffix):
    path = _lock_path(suffix)
    handle = _lock_files.get(path)
    if handle is None:
        handle = _lock_files[path] = open(path, "a+b")  # noqa: SIM115  (kept open)
    return handle


def _insert_sqlite(entry: PendingRequest) -> None:
    """SQLite: the year's next number and the row, in one short transaction of
    two statements sent straight to the driver (Django's cursor wrapper and the
    ORM's statement building cost more than SQLite's own work on the one write
    every public request makes). Inside a caller's transaction (a test's) the
    statements join it."""
    row = _row_statement()
    connection.ensure_connection()
    driver = connection.connection

    def write():
        ((entry.sequence,),) = driver.execute(
            row.next_number_qmark, (entry.fiscal_year,)
        ).fetchall()
        entry.reference = Ticket.format_reference(entry.fiscal_year, entry.sequence)
        ((entry.pk,),) = driver.execute(row.insert_qmark, row.values(entry)).fetchall()

    with connection.wrap_database_errors:
        if connection.in_atomic_block:
            write()
        else:
            with writer_turn():
                driver.execute("BEGIN IMMEDIATE")
                try:
                    write()
                except BaseException:
                    with contextlib.suppress(Exception):
                        driver.execute("ROLLBACK")
                    raise
                driver.execute("COMMIT")
    _saved(entry)


def _insert_numbered(entry: PendingRequest) -> None:
    """PostgreSQL: the year's next number and the row in one statement, which
    commits on its own: one round trip, and the sequence row is locked only
    for that statement's commit (taking turns on it is what limits the rate)."""
    row = _row_statement()
    prefix = Ticket.format_reference(entry.fiscal_year, 0).removesuffix("000000")
    expressions, params = [], []
    for field, value in zip(row.fields, row.values(entry), strict=True):
        if field.name == "reference":
            expressions.append(
                "%s::text || lpad(n.last::text, greatest(6, length(n.last::text)), '0')"
            )
            params.append(prefix)
        elif field.name == "sequence":
            expressions.append("n.last")
        else:
            expressions.append("%s")
            params.append(value)
    sql = (
        f"WITH n AS ({TicketSequence.next_value_sql()}) "
        f"INSERT INTO {row.table} ({row.columns}) SELECT {', '.join(expressions)} FROM n "
        f"RETURNING id, reference, sequence"
    )
    # Server-side binding: Django's cursors quote every value into the text of
    # the statement in Python (for the JSON values, most of the statement's cost).
    import psycopg

    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, [entry.fiscal_year, *params])
        entry.pk, entry.reference, entry.sequence = cursor.fetchone()
    _saved(entry)


class _RowStatement:
    """The INSERT of a ``PendingRequest`` row, built once per database: its
    columns, and a converter per field that gives what ``Model.save`` writes
    (the field's ``get_db_prep_save``, or the same thing by a shorter way for
    the field types the model has); with SQLite's driver's placeholders, the
    two statements ``_insert_sqlite`` sends."""

    def __init__(self, ops):
        self.fields = [
            field for field in PendingRequest._meta.concrete_fields if not field.primary_key
        ]
        self.table = ops.quote_name(PendingRequest._meta.db_table)
        self.columns = ", ".join(ops.quote_name(field.column) for field in self.fields)
        self.sql = (
            f"INSERT INTO {self.table} ({self.columns}) "
            f"VALUES ({', '.join(['%s'] * len(self.fields))})"
        )
        self.converters = [(field.attname, _converter(field, ops)) for field in self.fields]
        self.insert_qmark = self.sql.replace("%s", "?") + " RETURNING id"
        self.next_number_qmark = TicketSequence.next_value_sql("?")

    def values(self, entry):
        return [convert(getattr(entry, attname)) for attname, convert in self.converters]


def _converter(field, ops):
    if isinstance(field, models.JSONField):
        return partial(ops.adapt_json_value, encoder=field.encoder)
    if isinstance(field, models.DateTimeField) and not (field.auto_now or field.auto_now_add):
        return ops.adapt_datetimefield_value
    if type(field) in (models.CharField, models.TextField, models.PositiveIntegerField):
        return _same
    return partial(field.get_db_prep_save, connection=connection)


def _same(value):
    return value


_row_statements: dict[str, _RowStatement] = {}


def _row_statement() -> _RowStatement:
    statement = _row_statements.get(connection.alias)
    if statement is None:
        statement = _row_statements[connection.alias] = _RowStatement(connection.ops)
    return statement


def _saved(entry):
    entry._state.adding = False
    entry._state.db = connection.alias


def nudge() -> None:
    """Ask the cluster to make the waiting tickets (at once when tasks run in
    the process, as in the tests)."""
    global _last_nudge
    if settings.Q_CLUSTER.get("sync"):
        enqueue(TASK, idle_seconds=0, quiet_seconds=0)
        return
    now = time.monotonic()
    if now - _last_nudge >= NUDGE_SECONDS:
        _last_nudge = now
        enqueue(TASK)


def make_tickets(
    budget_seconds: float = BUDGET_SECONDS,
    idle_seconds: float = IDLE_SECONDS,
    quiet_seconds: float = QUIET_SECONDS,
) -> int:
    """Make the tickets of the waiting requests, oldest first; returns how many.

    One run at a time (the others return at once). While requests keep
    arriving less than ``quiet_seconds`` apart, the run waits, so that the
    processor and (on SQLite) the write lock go to the people submitting,
    but never once the oldest waiting request is ``LONGEST_WAIT`` old. A
    request that fails (its error is logged and kept on the row) is left for
    the next run, and the others go on.
    """
    with one_run(budget_seconds + 60) as running:
        if not running:
            return 0
        made, out_of_time = _make_tickets(budget_seconds, idle_seconds, quiet_seconds)
    if out_of_time:  # the next run goes on at once (this one's turn is over)
        enqueue(TASK)
    return made


@contextlib.contextmanager
def one_run(seconds: float):
    """True for the one run allowed at a time: a lock on a file beside the
    database on SQLite (every process is on this machine), else a key in the
    shared cache that expires after ``seconds`` should its run die."""
    if connection.vendor == "sqlite":
        # Its own open file each time: a second flock() on one open file succeeds.
        with open(_lock_path(".journal-run"), "a+b") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return
    if not cache.add(RUNNING_KEY, 1, timeout=seconds):
        yield False
        return
    try:
        yield True
    finally:
        cache.delete(RUNNING_KEY)


def _make_tickets(budget_seconds, idle_seconds, quiet_seconds) -> tuple[int, bool]:
    started = time.monotonic()
    made, failed, idle_since = 0, set(), None
    while time.monotonic() - started < budget_seconds:
        if quiet_seconds and _busy(quiet_seconds):
            time.sleep(PAUSE_SECONDS)
            continue
        done, tried = _make_batch(failed)
        made += done
        if tried:
            idle_since = None
            continue
        idle_since = idle_since or time.monotonic()
        if time.monotonic() - idle_since >= idle_seconds:
            break
        time.sleep(PAUSE_SECONDS)
    else:
        return made, True  # out of time, perhaps with requests still waiting
    return made, False


def _busy(quiet_seconds: float) -> bool:
    """Whether requests are still arriving, and none has waited too long."""
    waiting = PendingRequest.objects.values_list("received_at", flat=True)
    newest = waiting.order_by("-pk").first()
    if newest is None:
        return False
    now = timezone.now()
    if (now - newest).total_seconds() >= quiet_seconds:
        return False
    oldest = waiting.order_by("pk").first()
    return (now - oldest).total_seconds() < LONGEST_WAIT


def _make_batch(failed: set[int]) -> tuple[int, int]:
    made = 0
    with outbox.deliveries_coalesced(), writer_turn(), transaction.atomic():
        batch = list(
            PendingRequest.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("service")
            .exclude(pk__in=failed)
            .order_by("pk")[:BATCH]
        )
        for entry in batch:
            try:
                with transaction.atomic():
                    make_ticket(entry)
                made += 1
            except Exception as error:
                log.exception("request %s not made into a ticket yet", entry.reference)
                failed.add(entry.pk)
                PendingRequest.objects.filter(pk=entry.pk).update(
                    attempts=F("attempts") + 1, last_error=repr(error)[:2000]
                )
    return made, len(batch)


def make_ticket(entry: PendingRequest) -> Ticket:
    """The ticket of one waiting request; the row goes in the same transaction."""
    ticket = open_ticket(
        entry.service,
        entry.requester,
        entry.answers,
        language=entry.language,
        now=entry.received_at,
        number=(entry.fiscal_year, entry.sequence),
        tracking_token=entry.tracking_token,
    )
    entry.delete()
    return ticket


def waiting(reference: str) -> PendingRequest | None:
    """The waiting request with this reference, if its ticket is not made yet."""
    return PendingRequest.objects.filter(reference=reference).select_related("service").first()
