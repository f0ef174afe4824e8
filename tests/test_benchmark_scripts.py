"""The benchmark scripts still run against today's schema, at a tiny size.

Each script's measuring part runs here on the test database (already migrated),
so the check costs seconds; the figures themselves come from running the scripts
at full size (`make bench`, see README).
"""

import re

import pytest

from scripts import bench_desk, bench_pages, bench_reports
from tests.cluster import database_env


@pytest.mark.django_db
def test_desk_benchmark_runs():
    lines = []
    bench_desk.run(tickets=300, late_share=0.1, runs=1, out=lines.append)
    text = "\n".join(lines)
    assert "filled 300 open tickets (900 steps, 30 past due)" in text
    assert re.search(r"SLA sweep, first run: .*escalated 30 steps", text)
    assert "SLA sweep, nothing due" in text
    for label in ("list", "filter sla=breached", "filter sla=due_soon", "search e-mail"):
        assert f"admin {label} " in text


def test_reports_benchmark_runs(catalogue):
    lines = []
    data = bench_reports.run(tickets=300, runs=1, out=lines.append)
    assert data["totals"]["received"] == 300
    assert sum(row["total"] for row in data["steps"]) == 900
    assert "fiscal-year report B.E. 2569: received 300" in "\n".join(lines)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pages_benchmark_runs(home_page):
    from home.models import NewsPage

    news_url = NewsPage.objects.live().first().url
    lines = []
    results = bench_pages.measure(
        bench_pages.server_env(**database_env()),
        news_url,
        seconds=0.5,
        concurrency=1,
        warmup=0.2,
        workers=1,
        out=lines.append,
    )
    assert set(results) == {"home page", "news page", "search page", "minimal Django view"}
    for name, row in results.items():
        assert row["requests"] > 0, name
        assert row["errors"] == 0, name
    assert "vs minimal" in "\n".join(lines)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_submission_benchmark_runs(catalogue, settings):
    from scripts import bench
    from services.core.models import OutboxMessage
    from services.tickets.models import Ticket

    env = bench_pages.server_env(**database_env(), SERVICE_RATE_LIMIT="1000/60")
    service = "/services/computer-internet-repair/"
    run = bench.run_submissions(env, service, total=6, clients=2, workers=1)
    assert run["statuses"] == {302: 6} and len(run["latencies"]) == 6 and run["seconds"] > 0
    # The cluster made every accepted request into its ticket.
    assert run["waiting"] == 0
    tickets = Ticket.objects.filter(requester_email__startswith="bench-")
    assert tickets.count() == 6
    mailed = {a for to in OutboxMessage.objects.values_list("to", flat=True) for a in to}
    assert {t.requester_email for t in tickets} <= mailed
