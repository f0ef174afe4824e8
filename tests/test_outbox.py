"""The outbox in-process: idempotent queuing, retries with back-off, no double send."""

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from services.core import outbox
from services.core.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class FlakyBackend:
    """An e-mail backend that fails while ``down`` is true."""

    down = True
    sent = []

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        if FlakyBackend.down:
            raise ConnectionRefusedError("mail server unreachable")
        FlakyBackend.sent.extend(messages)
        return len(messages)


def queue(key="t:1"):
    with transaction.atomic():
        return outbox.queue_email(key, ["a@example.com"], "test_notice", {"ref": "ICT-1"})


def test_message_is_delivered_after_commit():
    message = queue()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "ข้อความทดสอบ ICT-1"
    assert mail.outbox[0].extra_headers["X-Outbox-Key"] == "t:1"


def test_rolled_back_change_leaves_no_message():
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            outbox.queue_email("t:2", ["a@example.com"], "test_notice", {"ref": "x"})
            raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_same_key_is_one_message():
    queue("t:3")
    queue("t:3")
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1


def test_english_recipient_gets_english(settings):
    with transaction.atomic():
        outbox.queue_email("t:en", "b@example.com", "test_notice", {"ref": "R"}, language="en")
    assert mail.outbox[0].subject.startswith("Test message")


def test_failure_keeps_message_pending_with_backoff_then_sweep_delivers(settings):
    settings.EMAIL_BACKEND = "tests.test_outbox.FlakyBackend"
    FlakyBackend.down, FlakyBackend.sent = True, []
    message = queue("t:4")
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1
    assert "unreachable" in message.last_error
    assert message.next_attempt_at > timezone.now()
    # Not due yet: the sweep leaves it alone.
    assert outbox.sweep()["due"] == 0
    OutboxMessage.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    FlakyBackend.down = False
    assert outbox.sweep() == {"due": 1, "sent": 1}
    assert outbox.sweep() == {"due": 0, "sent": 0}
    assert len(FlakyBackend.sent) == 1


def test_claimed_message_is_not_sent_twice():
    message = queue("t:5")
    assert outbox.deliver(message.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_gives_up_after_max_attempts_and_admin_can_retry(settings):
    settings.EMAIL_BACKEND = "tests.test_outbox.FlakyBackend"
    FlakyBackend.down = True
    message = queue("t:6")
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=outbox.MAX_ATTEMPTS - 1, next_attempt_at=timezone.now()
    )
    assert outbox.deliver(message.pk) == "failed"
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert outbox.retry_failed(OutboxMessage.objects.all()) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING and message.attempts == 0


def test_backoff_grows_and_is_capped():
    assert [outbox.backoff(n).seconds // 60 for n in (1, 2, 3, 7, 20)] == [1, 2, 4, 60, 60]


def test_schedules_exist_once_after_migrate():
    from django_q.models import Schedule

    from services.core.schedules import ensure_schedules

    ensure_schedules()
    ensure_schedules()
    assert (
        Schedule.objects.filter(name="outbox sweep", func="services.core.outbox.sweep").count() == 1
    )
