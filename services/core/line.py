"""LINE through the Messaging API (line-bot-sdk v3), as one more outbox channel.

A LINE message is an ``OutboxMessage`` with ``channel="line"`` whose ``to``
holds one LINE user or group id and whose ``body`` is the text. It is queued
in the caller's transaction like an e-mail and delivered by the same
``outbox.deliver``, which hands it to ``send``. Every push carries
``X-Line-Retry-Key``: a UUID derived from the message's key, the same on
every attempt, so a retry after a time-out never delivers twice (the API
answers 409 to a key it has already accepted, which counts as sent).

Settings come from the environment: ``LINE_CHANNEL_ACCESS_TOKEN``,
``LINE_CHANNEL_SECRET`` (webhook signatures), ``LINE_OFFICERS_GROUP_ID`` and
``LINE_API_BASE``. With no token LINE is off: nothing is queued.
"""

import base64
import hashlib
import hmac
import uuid

from django.conf import settings
from django.db import transaction

from services.core.models import OutboxMessage

TEXT_LIMIT = 5000  # the Messaging API's limit for one text message
RETRY_KEY_NAMESPACE = uuid.UUID("6f1c7d2e-3b9a-4e57-9a51-0d8c2f4b7e10")


def enabled():
    return bool(getattr(settings, "LINE_CHANNEL_ACCESS_TOKEN", ""))


def officers_group():
    return getattr(settings, "LINE_OFFICERS_GROUP_ID", "") if enabled() else ""


def retry_key(message):
    """The message's UUID: stable for its key, so every retry carries the same one."""
    return str(uuid.uuid5(RETRY_KEY_NAMESPACE, message.key))


def queue_line(key, to, text, kind="line"):
    """Write a LINE push to the outbox (idempotent by ``key``); None when LINE is off."""
    if not enabled() or not to:
        return None
    from services.core.queue import enqueue

    text = text.strip()[:TEXT_LIMIT]
    message, created = OutboxMessage.objects.get_or_create(
        key=key[:200],
        defaults={
            "kind": kind,
            "channel": OutboxMessage.Channel.LINE,
            "to": [to],
            "subject": text.splitlines()[0][:255] if text else "",
            "body": text,
        },
    )
    if created:
        transaction.on_commit(lambda: enqueue("services.core.outbox.deliver", message.pk))
    return message


def send(message):
    """Push one outbox message; raises on failure so the outbox retries it."""
    from linebot.v3.messaging import (
        ApiClient,
        ApiException,
        Configuration,
        MessagingApi,
        PushMessageRequest,
        TextMessage,
    )

    configuration = Configuration(
        host=settings.LINE_API_BASE, access_token=settings.LINE_CHANNEL_ACCESS_TOKEN
    )
    with ApiClient(configuration) as client:
        api = MessagingApi(client)
        request = PushMessageRequest(
            to=message.to[0], messages=[TextMessage(text=message.body[:TEXT_LIMIT])]
        )
        try:
            api.push_message(request, x_line_retry_key=retry_key(message), _request_timeout=10)
        except ApiException as exc:
            if exc.status == 409:  # this retry key was accepted before: already delivered
                return
            raise


def valid_signature(body: bytes, signature: str) -> bool:
    """X-Line-Signature: base64 of HMAC-SHA256 of the body with the channel secret."""
    secret = getattr(settings, "LINE_CHANNEL_SECRET", "")
    if not secret or not signature:
        return False
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return hmac.compare_digest(base64.b64encode(digest).decode(), signature.strip())
