"""Sending messages without losing any: queue in the transaction, deliver later.

``queue_email`` writes an ``OutboxMessage`` in the caller's transaction and,
once that transaction commits, asks Django-Q2 to deliver it. If the queue is
down the row simply waits: ``sweep`` runs every minute and delivers whatever
is due. A message is claimed with one conditional UPDATE before it is sent,
so the task and the sweep (or two sweeps on two hosts) never both send it;
failures are retried with exponential back-off and, after ``MAX_ATTEMPTS``,
marked failed for an officer to look at in the admin.
"""

import datetime as dt
import hashlib
import logging
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from services.core.models import OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
CLAIM_FOR = dt.timedelta(minutes=5)  # longer than any SMTP timeout
SWEEP_BATCH = 200


@lru_cache(maxsize=1)
def shared_broker():
    """One broker per process: building one per call is slow on Redis."""
    from django_q.brokers import get_broker

    return get_broker()


def enqueue(func, *args, **kwargs):
    """Hand a task to Django-Q2; if the broker is unreachable, log and go on.

    Callers only enqueue work that a periodic sweep also finds, so a failed
    enqueue delays the work and loses nothing.
    """
    from django_q.tasks import async_task

    try:
        return async_task(func, *args, broker=shared_broker(), **kwargs)
    except Exception:  # the broker being down must not break the request
        log.warning("could not enqueue %s%r; the sweep will pick it up", func, args, exc_info=True)
        return None


def render_email(template, context, language="th"):
    """Subject, text and HTML of ``templates/emails/<template>_*.{txt,html}``."""
    context = {"base_url": settings.WAGTAILADMIN_BASE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        body = render_to_string(f"emails/{template}_body.txt", context)
        try:
            html = render_to_string(f"emails/{template}_body.html", context)
        except Exception:  # an HTML version is optional
            html = ""
    return " ".join(subject.split())[:255], body.strip() + "\n", html


def queue_email(key, to, template, context, language="th", kind=None, attachment=None):
    """Write a message to the outbox (idempotent by ``key``) and deliver after commit.

    ``attachment`` is an optional (name, bytes) pair.
    """
    recipients = sorted(
        {addr.strip() for addr in ([to] if isinstance(to, str) else to) if addr and addr.strip()}
    )
    if not recipients:
        return None
    subject, body, html = render_email(template, context, language)
    message, created = OutboxMessage.objects.get_or_create(
        key=key[:200],
        defaults={
            "kind": kind or template,
            "to": recipients,
            "subject": subject,
            "body": body,
            "html_body": html,
            "language": language,
        },
    )
    if created and attachment:
        from django.core.files.base import ContentFile

        name, content = attachment
        message.attachment.save(name, ContentFile(content), save=True)
    if created:
        transaction.on_commit(lambda: enqueue("services.core.outbox.deliver", message.pk))
    return message


def _due_filter(now):
    return Q(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxMessage.Status.SENDING, claimed_until__lt=now
    )


def _claim(message_id, now):
    with transaction.atomic():
        return (
            OutboxMessage.objects.filter(_due_filter(now), pk=message_id).update(
                status=OutboxMessage.Status.SENDING,
                claimed_until=now + CLAIM_FOR,
                attempts=F("attempts") + 1,
            )
            == 1
        )


def backoff(attempts):
    """Wait after the n-th failed attempt: 1, 2, 4 … up to 60 steps of
    ``OUTBOX_BACKOFF_SECONDS`` (a minute by default)."""
    step = getattr(settings, "OUTBOX_BACKOFF_SECONDS", 60)
    return dt.timedelta(seconds=step * min(60, 2 ** max(0, attempts - 1)))


def _send(message):
    digest = hashlib.sha256(message.key.encode()).hexdigest()[:32]
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message.to,
        headers={"Message-ID": f"<{digest}@ict-desk>", "X-Outbox-Key": message.key},
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    if message.attachment:
        with message.attachment.open("rb") as handle:
            email.attach(message.attachment.name.rsplit("/", 1)[-1], handle.read())
    email.send(fail_silently=False)


def send_message(message):
    """Hand a message to its channel's sender (e-mail, or LINE in ``core.line``)."""
    if message.channel == OutboxMessage.Channel.LINE:
        from services.core import line

        return line.send(message)
    return _send(message)


def deliver(message_id):
    """Send one message if it is due and nobody else is sending it. Idempotent."""
    now = timezone.now()
    if not _claim(message_id, now):
        return "skipped"
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
    OutboxMessage.objects.filter(pk=message_id).update(
        status=OutboxMessage.Status.SENT,
        sent_at=timezone.now(),
        claimed_until=None,
        last_error="",
    )
    return "sent"


def sweep(limit=SWEEP_BATCH):
    """Deliver every message that is due; run every minute by Django-Q2."""
    now = timezone.now()
    ids = list(
        OutboxMessage.objects.filter(_due_filter(now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    results = [deliver(pk) for pk in ids]
    return {"due": len(ids), "sent": results.count("sent")}


def retry_failed(queryset):
    """Put failed messages back in the queue (an admin action)."""
    return queryset.filter(status=OutboxMessage.Status.FAILED).update(
        status=OutboxMessage.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
