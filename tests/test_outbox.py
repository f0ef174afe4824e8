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


# --- at most once --------------------------------------------------------------
class StatusRecordingBackend:
    """Records the row's status at the moment the SMTP conversation happens."""

    seen = []

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        for message in messages:
            row = OutboxMessage.objects.get(key=message.extra_headers["X-Outbox-Key"])
            StatusRecordingBackend.seen.append((row.status, message.extra_headers["Message-ID"]))
        return len(messages)


def test_message_is_sending_during_the_conversation_and_keeps_one_message_id(settings):
    settings.EMAIL_BACKEND = "tests.test_outbox.StatusRecordingBackend"
    StatusRecordingBackend.seen = []
    message = queue("t:mid")
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    status, message_id = StatusRecordingBackend.seen[0]
    assert status == OutboxMessage.Status.SENDING
    assert message_id == f"<{message.uuid}@127.0.0.1>"
    # A retry of the same row (after a crash) carries the same Message-ID.
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENDING, claimed_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert outbox.deliver(message.pk) == "sent"
    assert StatusRecordingBackend.seen[1][1] == message_id
    assert queue("t:other").uuid != message.uuid


def test_claim_lasts_just_longer_than_one_send(settings):
    settings.EMAIL_TIMEOUT = 10
    assert dt.timedelta(seconds=10) < outbox.claim_for() <= dt.timedelta(minutes=1)
    settings.OUTBOX_CLAIM_SECONDS = 7
    assert outbox.claim_for() == dt.timedelta(seconds=7)


def test_sent_is_never_sent_again_and_only_expired_sending_is_retried():
    sent = queue("t:sent")
    assert len(mail.outbox) == 1
    # Whatever the claim says, a row recorded as sent is not due.
    OutboxMessage.objects.filter(pk=sent.pk).update(
        claimed_until=timezone.now() - dt.timedelta(hours=1)
    )
    assert outbox.deliver(sent.pk) == "skipped"
    assert outbox.sweep()["due"] == 0
    # A message left "sending" by a killed worker waits for its claim to end.
    with transaction.atomic():
        stuck = outbox.queue_email("t:stuck", ["b@example.com"], "test_notice", {"ref": "X"})
        OutboxMessage.objects.filter(pk=stuck.pk).update(
            status=OutboxMessage.Status.SENDING,
            claimed_until=timezone.now() + dt.timedelta(seconds=30),
        )
    assert outbox.deliver(stuck.pk) == "skipped"
    OutboxMessage.objects.filter(pk=stuck.pk).update(
        claimed_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert outbox.sweep() == {"due": 1, "sent": 1}
    assert len(mail.outbox) == 2


def test_sweep_stops_within_its_budget():
    for number in range(3):
        with transaction.atomic():
            OutboxMessage.objects.create(
                key=f"t:budget:{number}", kind="test", to=["c@example.com"], subject="s", body="b"
            )
    assert outbox.sweep(budget=0) == {"due": 3, "sent": 1}
    assert outbox.sweep_budget() < 120


def test_a_worker_keeps_one_mail_connection_and_a_dropped_one_sends_nothing_twice(settings):
    """Messages in a row share one SMTP connection. When the server goes away in
    between, the next send fails and waits for its retry; it arrives once."""
    from tests.cluster import SmtpSink

    sink = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    try:
        for n in range(3):
            queue(f"t:conn:{n}")
        assert sink.keys() == ["t:conn:0", "t:conn:1", "t:conn:2"]
        assert len(set(sink.peers)) == 1
        sink.stop()
        sink = SmtpSink(port=sink.port).start()
        dropped = queue("t:conn:3")
        dropped.refresh_from_db()
        assert dropped.status == OutboxMessage.Status.PENDING, dropped.last_error
        OutboxMessage.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
        assert outbox.sweep() == {"due": 1, "sent": 1}
        queue("t:conn:4")
        assert sink.keys() == ["t:conn:3", "t:conn:4"]
        assert len(set(sink.peers)) == 1
    finally:
        sink.stop()
        outbox._Connection.close()


def _waiting(count, prefix="t:chain"):
    """Messages in the outbox whose tasks have not run (as after a burst)."""
    return OutboxMessage.objects.bulk_create(
        OutboxMessage(
            key=f"{prefix}:{number}",
            kind="test",
            to=[f"chain-{number}@example.com"],
            subject=f"s{number}",
            body="b",
        )
        for number in range(count)
    )


def test_a_delivery_goes_on_with_the_next_due_messages_one_write_each():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first, *others = _waiting(4)
    with CaptureQueriesContext(connection) as queries:
        assert outbox.deliver(first.pk) == "sent"
    assert sorted(m.to[0] for m in mail.outbox) == [f"chain-{n}@example.com" for n in range(4)]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    # The first claim, then for each message: its "sent" mark beside the next claim.
    assert len(updates) == 1 + 4 + 3
    # Their own tasks find them sent with a read, and write nothing.
    with CaptureQueriesContext(connection) as queries:
        assert [outbox.deliver(m.pk) for m in others] == ["skipped"] * 3
    assert not [q for q in queries if not q["sql"].startswith("SELECT")]
    assert len(mail.outbox) == 4


def test_a_delivery_without_chain_or_past_its_time_sends_one(settings):
    first, second, third = _waiting(3)
    assert outbox.deliver(first.pk, chain=False) == "sent"
    settings.OUTBOX_CHAIN_SECONDS = 0
    assert outbox.deliver(second.pk) == "sent"
    third.refresh_from_db()
    assert third.status == OutboxMessage.Status.PENDING
    assert len(mail.outbox) == 2


def test_a_chain_stops_at_a_failure_and_leaves_the_rest_to_their_tasks(monkeypatch):
    first, second, third = _waiting(3)
    sent = []

    def send(message):
        if message.pk == third.pk:
            raise ConnectionRefusedError("mail server went away")
        sent.append(message.pk)

    monkeypatch.setattr(outbox, "send_message", send)
    # The chain takes the newest next: the older ones have their own tasks on the way.
    assert outbox.deliver(first.pk) == "sent"
    assert sent == [first.pk]
    second.refresh_from_db()
    third.refresh_from_db()
    assert third.status == OutboxMessage.Status.PENDING and third.next_attempt_at > timezone.now()
    assert "went away" in third.last_error
    assert second.status == OutboxMessage.Status.PENDING and second.attempts == 0
    assert outbox.deliver(second.pk, chain=False) == "sent"  # its own task
    assert sent == [first.pk, second.pk]


def test_a_chain_takes_a_message_a_dead_worker_left_first_then_the_newest_due():
    """``_claim_next``: a message left "sending" past its claim, then the newest
    due one; never one another worker holds or one not due yet."""
    now = timezone.now()
    held, orphan, old, new, later = _waiting(5)
    OutboxMessage.objects.filter(pk=held.pk).update(
        status=OutboxMessage.Status.SENDING, claimed_until=now + dt.timedelta(minutes=5)
    )
    OutboxMessage.objects.filter(pk=orphan.pk).update(
        status=OutboxMessage.Status.SENDING,
        claimed_until=now - dt.timedelta(minutes=1),
        next_attempt_at=now - dt.timedelta(hours=2),
    )
    OutboxMessage.objects.filter(pk=old.pk).update(next_attempt_at=now - dt.timedelta(hours=1))
    OutboxMessage.objects.filter(pk=new.pk).update(next_attempt_at=now - dt.timedelta(minutes=1))
    OutboxMessage.objects.filter(pk=later.pk).update(next_attempt_at=now + dt.timedelta(hours=1))
    claimed = []
    for _ in range(4):
        with transaction.atomic():  # the chain's own transaction
            claimed.append(outbox._claim_next(now))
    assert claimed == [orphan.pk, new.pk, old.pk, None]
    assert OutboxMessage.objects.get(pk=later.pk).status == OutboxMessage.Status.PENDING


def test_many_messages_queued_at_once_go_to_two_delivery_tasks(monkeypatch):
    """The request journal queues a batch of tickets' messages in one transaction:
    two chained delivery tasks send them all, not one task each."""
    tasks = []
    real = outbox.enqueue

    def counting(func, *args, **kwargs):
        tasks.append((func, args))
        return real(func, *args, **kwargs)

    monkeypatch.setattr(outbox, "enqueue", counting)
    with outbox.deliveries_coalesced(), transaction.atomic():
        for index in range(6):
            outbox.queue_email(f"t:{index}", ["a@example.com"], "test_notice", {"ref": index})
    assert [func for func, _ in tasks] == ["services.core.outbox.deliver"] * 2
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count() == 6
    assert len(mail.outbox) == 6
    # Outside, each message has its own task, as before.
    queue("t:alone")
    assert len(tasks) == 3 and tasks[-1][1] == (OutboxMessage.objects.get(key="t:alone").pk,)
