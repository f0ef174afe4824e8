"""Sending messages without losing any: queue in the transaction, deliver later.

``queue_email`` writes an ``OutboxMessage`` in the caller's transaction and,
once that transaction commits, asks Django-Q2 to deliver it. If the queue is
down the row simply waits: ``sweep`` runs every minute and delivers whatever
is due. A message is claimed with one conditional UPDATE before it is sent,
so the task and the sweep (or two sweeps on two hosts) never both send it;
failures are retried with exponential back-off and, after ``MAX_ATTEMPTS``,
marked failed for an officer to look at in the admin.

At most once where it matters: the claim marks the message "sending" before
the SMTP conversation and the row is marked "sent" right after it. A claim
lasts just longer than one send (``claim_for``), so after a worker is killed
only the message it was sending (one per worker) is tried again, with the
same Message-ID; a message recorded as sent is never due again. A sweep stops
well before the task timeout so the cluster never kills it mid-send.

While mail flows, a delivery task goes on with the next due messages for as long
as ``chain_budget()`` allows (the sweep's budget, well inside the task timeout),
marking one sent and claiming the next in one write.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import email.utils
import hashlib
import logging
import time
from collections.abc import Iterable, Mapping
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from services.core.models import OutboxMessage

# Re-exported: callers and tests reach the queue through the outbox.
from services.core.queue import enqueue, shared_broker  # noqa: F401

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
SWEEP_BATCH = 200


def claim_for() -> dt.timedelta:
    """How long a claim lasts: just longer than one send.

    One send is a connection, a few commands and the data, each bounded by
    ``EMAIL_TIMEOUT``; ``OUTBOX_CLAIM_SECONDS`` overrides the estimate.
    """
    seconds = getattr(settings, "OUTBOX_CLAIM_SECONDS", None)
    if not seconds:
        seconds = 3 * (getattr(settings, "EMAIL_TIMEOUT", None) or 10) + 5
    return dt.timedelta(seconds=seconds)


def chain_budget() -> float:
    """Seconds a delivery task goes on with the next due messages (``deliver``):
    as long as a sweep, ``OUTBOX_CHAIN_SECONDS`` to set it."""
    seconds = getattr(settings, "OUTBOX_CHAIN_SECONDS", None)
    return sweep_budget() if seconds is None else float(seconds)


def sweep_budget() -> float:
    """Seconds a sweep may run: half the task timeout, so it is never killed mid-send."""
    timeout = settings.Q_CLUSTER.get("timeout") or 120
    return max(5.0, timeout / 2 - claim_for().total_seconds())


def html_from_text(body: str, language: str = "th", subject: str = "") -> str:
    """The HTML part of a message whose template has no HTML of its own: the text
    in the shared layout, links made clickable."""
    with translation.override(language):
        return render_to_string(
            "emails/layout.html", {"subject": subject, "text": body, "language": language}
        )


def render_email(
    template: str, context: Mapping[str, Any], language: str = "th"
) -> tuple[str, str, str]:
    """Subject, text and HTML of ``templates/emails/<template>_*``.

    The HTML is ``<template>_body.html`` when there is one, otherwise the text
    in ``emails/layout.html``; every message has both parts.
    """
    context = {"base_url": settings.WAGTAILADMIN_BASE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        subject = " ".join(subject.split())[:255]
        body = render_to_string(f"emails/{template}_body.txt", context).strip() + "\n"
        try:
            html = render_to_string(f"emails/{template}_body.html", context)
        except TemplateDoesNotExist:
            html = html_from_text(body, language, subject)
    return subject, body, html


def queue_email(
    key: str,
    to: str | Iterable[str],
    template: str,
    context: Mapping[str, Any],
    language: str = "th",
    kind: str | None = None,
    attachment: tuple[str, bytes] | None = None,
    thread: str | None = None,
    extra_attachments: Iterable[tuple[str, bytes]] = (),
    rendered: tuple[str, str, str] | None = None,
) -> OutboxMessage | None:
    """Write a message to the outbox (idempotent by ``key``) and deliver after commit.

    ``attachment`` is an optional (name, bytes) pair, ``extra_attachments`` more
    of them; ``thread`` names the conversation the message belongs to (by
    default from the key, see ``thread_of``); ``rendered`` is what
    ``render_email(template, context, language)`` gave, when the caller sends
    the same message to several people one by one. Returns the message (the
    existing one when ``key`` was queued before), or None when ``to`` is empty.
    """
    recipients = sorted(
        {addr.strip() for addr in ([to] if isinstance(to, str) else to) if addr and addr.strip()}
    )
    if not recipients:
        return None
    subject, body, html = rendered or render_email(template, context, language)
    message, created = OutboxMessage.objects.get_or_create(
        key=key[:200],
        defaults={
            "kind": kind or template,
            "to": recipients,
            "subject": subject,
            "body": body,
            "html_body": html,
            "language": language,
            "thread": (thread if thread is not None else thread_of(key))[:200],
        },
    )
    if created and attachment:
        from django.core.files.base import ContentFile

        name, content = attachment
        message.attachment.save(name, ContentFile(content), save=True)
    if created and extra_attachments:
        from django.core.files.base import ContentFile

        storage = message.attachment.storage
        message.extra_attachments = [
            storage.save(f"outbox/extra/{message.pk}/{name}", ContentFile(content))
            for name, content in extra_attachments
        ]
        message.save(update_fields=["extra_attachments"])
    if created:
        transaction.on_commit(lambda: _hand_over(message.pk))
    return message


_coalescing: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "outbox_coalescing", default=None
)


def _hand_over(message_id: int) -> None:
    held = _coalescing.get()
    if held is None:
        enqueue("services.core.outbox.deliver", message_id)
    else:
        held.append(message_id)


@contextlib.contextmanager
def deliveries_coalesced(tasks: int = 2):
    """Messages queued inside go to at most ``tasks`` delivery tasks, not one
    task each: a delivery task goes on with the next due messages (``deliver``'s
    chain), so code that queues many messages at once (the request journal
    making a batch of tickets) writes two rows to the task queue, not dozens.
    The sweep delivers whatever a chain leaves."""
    held: list[int] = []
    token = _coalescing.set(held)
    try:
        yield
    finally:
        _coalescing.reset(token)
        for message_id in held[:tasks]:
            enqueue("services.core.outbox.deliver", message_id)


def _due_kinds(now: dt.datetime) -> tuple[Q, Q]:
    """The two kinds of due message: one left "sending" by a worker that died
    (its claim ran out), and one waiting whose time has come."""
    return (
        Q(status=OutboxMessage.Status.SENDING, claimed_until__lt=now),
        Q(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now),
    )


def _due_filter(now: dt.datetime) -> Q:
    orphaned, waiting = _due_kinds(now)
    return waiting | orphaned


def _claim(message_id: int, now: dt.datetime) -> bool:
    """Mark a due message "sending"; False when it is not due or someone else has it.

    A read comes first: the task of a message that a chain (``deliver``) already
    sent costs no write, which on SQLite would wait for the write lock."""
    due = OutboxMessage.objects.filter(_due_filter(now), pk=message_id)
    if not due.exists():
        return False
    with transaction.atomic():
        return _claimed(due, now)


def _claimed(due: QuerySet[OutboxMessage], now: dt.datetime) -> bool:
    return (
        due.update(
            status=OutboxMessage.Status.SENDING,
            claimed_until=now + claim_for(),
            attempts=F("attempts") + 1,
        )
        == 1
    )


def _claim_next(now: dt.datetime) -> int | None:
    """Claim the newest due message nobody holds (in the caller's transaction).

    The newest, as the oldest are on their way in their own tasks: after a burst
    each worker's task sends the oldest and its chain the newest, so no message
    waits longer than without chains and the workers do not trail each other.
    A message left "sending" by a worker that died comes first.

    Two lookups, each the first row of the (status, next_attempt_at) index
    read backwards: one query over both kinds of due message would sort every
    waiting message, inside the transaction that holds SQLite's write lock,
    once per message sent (18 ms at 38,000 waiting, and the public form waits).
    """
    for due in _due_kinds(now):
        candidates = OutboxMessage.objects.filter(due).order_by("-next_attempt_at", "-pk")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        message_id = candidates.values_list("pk", flat=True).first()
        if message_id is not None:
            claimed = _claimed(OutboxMessage.objects.filter(due, pk=message_id), now)
            return message_id if claimed else None
    return None


def backoff(attempts: int) -> dt.timedelta:
    """Wait after the n-th failed attempt: 1, 2, 4 … up to 60 steps of
    ``OUTBOX_BACKOFF_SECONDS`` (a minute by default)."""
    step = getattr(settings, "OUTBOX_BACKOFF_SECONDS", 60)
    return dt.timedelta(seconds=step * min(60, 2 ** max(0, attempts - 1)))


def site_domain() -> str:
    """The domain this installation's mail and calendar ids are minted at."""
    return settings.SITE_DOMAIN


def message_id(message: OutboxMessage) -> str:
    """A Message-ID stable across retries and unique to this installation: the
    message's own UUID at the site's domain."""
    return f"<{message.uuid}@{site_domain()}>"


def thread_id(thread):
    """The id every message about one ticket (or one publication) refers to,
    so mail clients show them as one conversation."""
    digest = hashlib.sha256(thread.encode()).hexdigest()[:24]
    return f"<thread.{digest}@{site_domain()}>"


def thread_of(key):
    """``ticket:42:submitted`` -> ``ticket:42``: messages about one thing thread together."""
    parts = key.split(":")
    if parts[0] in ("ticket", "booking") and len(parts) > 1:
        return ":".join(parts[:2])
    if parts[0] == "publishing" and len(parts) > 2:
        return ":".join(parts[:3])
    return ""


#: How long a worker keeps the office's reply address before reading it again.
REPLY_TO_SECONDS = 60
_reply_to: tuple[float, str] | None = None


def reply_to():
    """The office's address, so a reply reaches people and not the sending robot
    (read from the office settings at most once a minute per process)."""
    global _reply_to
    if settings.REPLY_TO_EMAIL:
        return settings.REPLY_TO_EMAIL
    if _reply_to is not None and time.monotonic() - _reply_to[0] < REPLY_TO_SECONDS:
        return _reply_to[1]
    from wagtail.models import Site

    from home.models import OfficeSettings

    site = Site.objects.filter(is_default_site=True).first()
    office = OfficeSettings.for_site(site) if site else None
    address = (office.email if office else "") or settings.DEFAULT_FROM_EMAIL
    _reply_to = (time.monotonic(), address)
    return address


def forget_reply_to(**_kwargs):
    """Receiver of the office settings' post_save: this process reads the address
    again at once (other processes within ``REPLY_TO_SECONDS``)."""
    global _reply_to
    _reply_to = None


def mail_date(when=None):
    """RFC 5322 date in office time (+0700), not the ``-0000`` of an unknown zone."""
    local = (when or timezone.now()).astimezone(ZoneInfo(settings.TIME_ZONE))
    return email.utils.format_datetime(local)


def build_message(message):
    """The e-mail for an outbox row: text with an HTML alternative and the headers
    mail servers and clients look at (threading, auto-reply suppression)."""
    headers = {
        "Message-ID": message_id(message),
        "Date": mail_date(),
        "Auto-Submitted": "auto-generated",
        # Microsoft's equivalent, so Exchange out-of-office replies stay quiet.
        "X-Auto-Response-Suppress": "All",
        "X-Outbox-Key": message.key,
    }
    thread = message.thread or thread_of(message.key)
    if thread:
        root = thread_id(thread)
        headers["In-Reply-To"] = root
        headers["References"] = root
    mail = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message.to,
        reply_to=[reply_to()],
        headers=headers,
    )
    html = message.html_body or html_from_text(message.body, message.language, message.subject)
    mail.attach_alternative(html, "text/html")
    if message.attachment:
        with message.attachment.open("rb") as handle:
            mail.attach(message.attachment.name.rsplit("/", 1)[-1], handle.read())
    for name in message.extra_attachments:
        with message.attachment.storage.open(name, "rb") as handle:
            mail.attach(name.rsplit("/", 1)[-1], handle.read())
    return mail


#: A worker keeps its connection to the mail server between messages while it is
#: busy: one idle for longer than this is closed and opened afresh, and one idle for
#: longer than ``SMTP_CHECK_SECONDS`` is asked a NOOP before it carries a message.
SMTP_IDLE_SECONDS = 60
SMTP_CHECK_SECONDS = 2


class _Connection:
    """This process's mail connection, opened once and reused while messages flow
    (a connection, a greeting and a goodbye per message cost more than the message).
    A message is never said twice on it: a send that fails leaves the message to the
    outbox's retry, and the connection is dropped."""

    backend = None
    used_at = 0.0
    settings_key = None

    @classmethod
    def get(cls):
        from django.core.mail import get_connection

        key = tuple(
            getattr(settings, name, None)
            for name in ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER")
        )
        idle = time.monotonic() - cls.used_at
        if cls.backend is not None and (
            key != cls.settings_key or idle > SMTP_IDLE_SECONDS or not cls._alive(idle)
        ):
            cls.close()
        if cls.backend is None:
            cls.backend = get_connection(fail_silently=False)
            if hasattr(cls.backend, "open"):
                cls.backend.open()
            cls.settings_key = key
        return cls.backend

    @classmethod
    def _alive(cls, idle):
        smtp = getattr(cls.backend, "connection", None)
        if smtp is None or idle <= SMTP_CHECK_SECONDS:
            return True
        try:
            return smtp.noop()[0] == 250
        except Exception:  # the server hung up while we were idle
            return False

    @classmethod
    def close(cls):
        backend, cls.backend = cls.backend, None
        if backend is not None:
            try:
                backend.close()
            except Exception:  # a dead connection cannot say goodbye
                pass


def _send(message: OutboxMessage) -> None:
    mail = build_message(message)
    mail.connection = _Connection.get()
    try:
        mail.send(fail_silently=False)
    except Exception:
        _Connection.close()
        raise
    _Connection.used_at = time.monotonic()


def send_message(message: OutboxMessage) -> None:
    """Hand a message to its channel's sender (e-mail, or LINE in ``core.line``)."""
    if message.channel == OutboxMessage.Channel.LINE:
        from services.core import line

        return line.send(message)
    return _send(message)


def deliver(message_id: int, chain: bool = True) -> Literal["skipped", "failed", "retry", "sent"]:
    """Send one message if it is due and nobody else is sending it. Idempotent.

    Then, with ``chain``, go on with the next due messages for up to
    ``chain_budget()`` seconds: a message's "sent" mark and the next one's claim are one
    transaction, one write instead of two, and the tasks of the messages a chain
    sent find them sent (a read). Still at most one message per worker is
    "sending" at any moment. Returns what happened to ``message_id``.
    """
    if not _claim(message_id, timezone.now()):
        return "skipped"
    started = time.monotonic()
    first, current = None, message_id
    while current is not None:
        # The row now says "sending" (committed by the claim): if this process
        # dies during the conversation, only this message may be sent again.
        outcome = _send_claimed(current)
        first = first or outcome
        if outcome != "sent":
            break  # the server or the channel is in trouble: leave the rest to their tasks
        with transaction.atomic():
            _mark_sent(current)
            more = chain and time.monotonic() - started < chain_budget()
            current = _claim_next(timezone.now()) if more else None
    return first


def _send_claimed(message_id: int) -> Literal["failed", "retry", "sent"]:
    """Send a claimed message; a failure is recorded for the retry."""
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        send_message(message)
    except Exception as exc:  # any mail failure: keep the message, try later
        failed = message.attempts >= MAX_ATTEMPTS
        OutboxMessage.objects.filter(pk=message_id).update(
            status=OutboxMessage.Status.FAILED if failed else OutboxMessage.Status.PENDING,
            next_attempt_at=timezone.now() + backoff(message.attempts),
            claimed_until=None,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        log.warning(
            "outbox message %s not sent (attempt %s): %s", message_id, message.attempts, exc
        )
        return "failed" if failed else "retry"
    return "sent"


def _mark_sent(message_id: int) -> None:
    """Right after the server accepted it; "sent" is never due again."""
    OutboxMessage.objects.filter(pk=message_id).update(
        status=OutboxMessage.Status.SENT,
        sent_at=timezone.now(),
        claimed_until=None,
        last_error="",
    )


def sweep(limit: int = SWEEP_BATCH, budget: float | None = None) -> dict[str, int]:
    """Deliver messages that are due, one at a time; run every minute by Django-Q2.

    Stops after ``budget`` seconds (``sweep_budget()``): what is left waits
    for the next sweep instead of being cut off by the task timeout.
    """
    now = timezone.now()
    budget = sweep_budget() if budget is None else budget
    started = time.monotonic()
    ids = list(
        OutboxMessage.objects.filter(_due_filter(now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    results = []
    for pk in ids:
        if results and time.monotonic() - started > budget:
            break
        results.append(deliver(pk, chain=False))
    return {"due": len(ids), "sent": results.count("sent")}


def retry_failed(queryset: QuerySet[OutboxMessage]) -> int:
    """Put failed messages back in the queue (an admin action)."""
    return queryset.filter(status=OutboxMessage.Status.FAILED).update(
        status=OutboxMessage.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
