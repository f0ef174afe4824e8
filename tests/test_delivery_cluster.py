"""Outbox delivery through a real Django-Q2 cluster and a real SMTP server.

Runs on whatever the suite runs on: SQLite with the ORM broker, or PostgreSQL
with the Redis broker (DATABASE_URL and REDIS_URL set).
"""

from email.header import decode_header, make_header

import pytest
from django.db import transaction

from services.core import outbox
from services.core.models import OutboxMessage
from tests.cluster import QCluster, SmtpSink, wait_until

pytestmark = [
    pytest.mark.cluster,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def real_queue(monkeypatch):
    """Make async_task hand work to the broker instead of running it inline."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)
    # Start from an empty queue: a Redis list may hold tasks of an earlier run.
    outbox.shared_broker().purge_queue()


@pytest.fixture
def smtp():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def cluster(smtp, real_queue):
    qcluster = QCluster(smtp.port)
    yield qcluster
    qcluster.stop()


def queue_messages(prefix, count):
    for number in range(count):
        with transaction.atomic():
            outbox.queue_email(
                f"{prefix}:{number}",
                [f"user{number}@example.com"],
                "test_notice",
                {"ref": f"ICT-2569-{number:06d}"},
            )


def sent_count():
    return OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count()


def test_messages_are_delivered_by_the_cluster(cluster, smtp):
    cluster.start()
    queue_messages("live", 5)
    wait_until(lambda: sent_count() == 5, timeout=60, message="5 messages sent")
    assert sorted(smtp.keys()) == sorted(f"live:{n}" for n in range(5))
    subjects = {str(make_header(decode_header(m["Subject"]))) for m in smtp.messages}
    assert "ข้อความทดสอบ ICT-2569-000003" in subjects


def test_mail_server_down_keeps_messages_pending_until_it_is_back(cluster, smtp):
    port = smtp.port
    smtp.stop()
    cluster.start()
    queue_messages("down", 4)
    wait_until(
        lambda: OutboxMessage.objects.filter(attempts__gte=1, status="pending").count() == 4,
        timeout=60,
        message="4 failed attempts recorded",
    )
    assert sent_count() == 0
    assert all(m.last_error for m in OutboxMessage.objects.all())

    back = SmtpSink(port=port).start()
    try:
        # The per-minute schedule runs this sweep; here it is asked for at once.
        def delivered():
            outbox.enqueue("services.core.outbox.sweep")
            return sent_count() == 4

        wait_until(delivered, timeout=90, interval=2, message="delivery after the outage")
        assert sorted(back.keys()) == sorted(f"down:{n}" for n in range(4))
    finally:
        back.stop()


def test_stopped_cluster_loses_nothing_and_sends_nothing_twice(cluster, smtp):
    cluster.start()
    queue_messages("before", 3)
    wait_until(lambda: sent_count() == 3, timeout=60, message="first batch")
    cluster.stop()

    queue_messages("while-stopped", 6)
    assert OutboxMessage.objects.filter(status="pending").count() == 6

    cluster.start()
    # A sweep racing the queued delivery tasks must not cause double sends.
    outbox.enqueue("services.core.outbox.sweep")
    wait_until(lambda: sent_count() == 9, timeout=90, message="all 9 sent")
    outbox.enqueue("services.core.outbox.sweep")
    queue_messages("after", 1)
    wait_until(lambda: sent_count() == 10, timeout=60, message="the last one")
    keys = smtp.keys()
    assert len(keys) == 10 and len(set(keys)) == 10


def test_killed_mid_batch_every_message_arrives_and_sent_is_never_resent(smtp, real_queue):
    """SIGKILL in the middle of 200 messages, restart: all arrive, few duplicates."""
    from collections import Counter

    workers = 2
    smtp.delay = 0.02
    # Short claims so the restarted cluster retries the interrupted sends soon.
    env = {"Q_WORKERS": str(workers), "OUTBOX_CLAIM_SECONDS": "4"}
    first = QCluster(smtp.port, **env).start()
    try:
        queue_messages("batch", 200)
        wait_until(lambda: len(smtp.keys()) >= 40, timeout=240, message="40 messages sent")
        first.kill()
    finally:
        first.stop()
    sent_before = set(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).values_list("key", flat=True)
    )
    received_before = Counter(smtp.keys())
    # A worker killed between the SMTP conversation and its "sent" mark leaves a message that
    # arrived but is still "sending": at most one per worker.
    assert 40 - workers <= len(sent_before) < 200
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.SENDING).count() <= workers

    second = QCluster(smtp.port, **env).start()
    try:

        def all_sent():
            outbox.enqueue("services.core.outbox.sweep")
            return sent_count() == 200

        wait_until(all_sent, timeout=400, interval=3, message="all 200 sent after the restart")
    finally:
        second.stop()
    received = Counter(smtp.keys())
    assert set(received) == {f"batch:{n}" for n in range(200)}
    duplicates = sum(count - 1 for count in received.values())
    assert duplicates <= workers
    # Nothing recorded as sent before the kill was sent again afterwards.
    assert all(received[key] == received_before[key] for key in sent_before)
    # Every copy of a message carries the same Message-ID.
    ids = {}
    for message in smtp.messages:
        ids.setdefault(message["X-Outbox-Key"], set()).add(message["Message-ID"])
    assert all(len(found) == 1 for found in ids.values())
