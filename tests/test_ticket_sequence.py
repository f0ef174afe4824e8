"""References stay unique when many requests arrive at the same moment."""

import threading

import pytest
from django.conf import settings
from django.db import connection, connections

from services.catalogue.models import ServicePage
from services.tickets.creation import open_ticket
from services.tickets.models import Ticket, TicketSequence, TicketStep
from tests.services_data import REQUESTER


def test_sequence_counts_per_fiscal_year(db):
    assert [TicketSequence.next_value(2569) for _ in range(3)] == [1, 2, 3]
    assert TicketSequence.next_value(2570) == 1
    assert TicketSequence.objects.get(fiscal_year=2569).last == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_concurrent_submissions_get_twenty_distinct_references(catalogue):
    if not settings.IS_POSTGRES or connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (DATABASE_URL=postgres://...): SQLite serialises "
            "every writer, so there is no concurrency to test"
        )
    page = ServicePage.objects.get(slug="computer-internet-repair")
    count = 20
    barrier = threading.Barrier(count)
    references, errors = [], []
    lock = threading.Lock()

    def worker(number):
        try:
            barrier.wait(timeout=30)
            ticket = open_ticket(
                page,
                {**REQUESTER, "requester_email": f"user{number}@example.com"},
                {"category": "computer", "symptom": f"เครื่องที่ {number}"},
                language="th",
            )
            with lock:
                references.append(ticket.reference)
        except Exception as exc:  # reported below with the thread's number
            with lock:
                errors.append(f"{number}: {exc!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(references) == count
    assert len(set(references)) == count
    assert Ticket.objects.count() == count
    sequences = sorted(Ticket.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, count + 1))
    # Each ticket got its own copy of the service's two steps.
    assert TicketStep.objects.count() == 2 * count
