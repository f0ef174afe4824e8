"""Benchmark of the desk on 100,000 open tickets (not a test).

Creates a fresh database (SQLite by default; PostgreSQL when DATABASE_URL is
set: the test database next to it, dropped at the end), fills it with open
tickets and their steps using bulk_create, with a share of the active steps
past due, then prints:

- the SLA sweep's time (first run escalates every past-due step; second run
  finds nothing), and
- the admin ticket list's response time for a logged-in officer (Django test
  client, several runs, p50 and max), plain, filtered by SLA state and searched.

    .venv/bin/python scripts/bench_desk.py [--tickets 100000] [--late 0.1] [--runs 7]

``run`` does the work on the database Django is connected to; the suite calls
it at a tiny size on the test database to check the script still fits the schema.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")


def fill(count, late_share, batch=5000):
    from django.db import transaction
    from django.utils import timezone

    from services.core.clock import get_clock
    from services.tickets.models import Ticket, TicketStep, working_minutes_taken
    from services.tickets.sla import warn_moment

    now = timezone.now()
    clock = get_clock()
    late_every = max(1, round(1 / late_share)) if late_share else 0
    step_id = 0
    for first in range(0, count, batch):
        tickets, steps = [], []
        for number in range(first + 1, min(count, first + batch) + 1):
            late = late_every and number % late_every == 0
            started = now - dt.timedelta(days=3) if late else now - dt.timedelta(minutes=5)
            intake = TicketStep(
                id=step_id + 1,
                ticket_id=number,
                position=1,
                title="รับเรื่อง",
                kind="intake",
                role="officer",
                target_amount=10,
                target_unit="minutes",
                status="done",
                started_at=started - dt.timedelta(minutes=10),
                done_at=started,
                working_minutes=working_minutes_taken(
                    started - dt.timedelta(minutes=10), started, clock
                ),
            )
            work = TicketStep(
                id=step_id + 2,
                ticket_id=number,
                position=2,
                title="ตรวจสอบและแก้ไขปัญหา",
                kind="work",
                role="officer",
                target_amount=1 if late else 1,
                target_unit="hours" if late else "days",
                status="active",
                started_at=started,
            )
            work.due_at = (
                started + dt.timedelta(hours=1) if late else started + dt.timedelta(days=1)
            )
            work.warn_at = warn_moment(work) if not late else started
            report = TicketStep(
                id=step_id + 3,
                ticket_id=number,
                position=3,
                title="แจ้งผล",
                kind="report",
                role="officer",
                target_label="เมื่อแก้ไขเสร็จ",
            )
            steps += [intake, work, report]
            tickets.append(
                Ticket(
                    id=number,
                    reference=Ticket.format_reference(2569, number),
                    fiscal_year=2566 + number % 4,
                    sequence=number,
                    service_title="ซ่อมระบบคอมพิวเตอร์และเครือข่ายอินเทอร์เน็ต",
                    service_code="ICT 02",
                    form_kind="repair",
                    tracking_token=f"bench-{number:08d}",
                    requester_name=f"ผู้ขอ {number}",
                    requester_email=f"user{number}@school.example",
                    created_at=started,
                    active_step_id=work.id,
                    answers={"symptom": "เปิดไม่ติด"},
                )
            )
            step_id += 3
        with transaction.atomic():  # the ticket -> active step FK is checked at commit
            Ticket.objects.bulk_create(tickets)
            TicketStep.objects.bulk_create(steps)
    from django.db import connection

    from services.tickets.models import TicketSequence

    for year in range(2566, 2570):
        TicketSequence.objects.create(
            fiscal_year=year, last=sum(1 for n in range(1, count + 1) if 2566 + n % 4 == year)
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("services_ticket", "services_ticketstep"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def timed(func):
    started = time.perf_counter()
    result = func()
    return time.perf_counter() - started, result


def heads():
    """A group head and a director to receive the escalation digests."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from services.core.roles import DIRECTORS, GROUP_HEADS, ensure_groups

    ensure_groups()
    for name, group in (("bench-head", GROUP_HEADS), ("bench-director", DIRECTORS)):
        user = get_user_model().objects.create_user(name, f"{name}@example.go.th", "x")
        user.groups.add(Group.objects.get(name=group))


def cases(fiscal_year="2568", email="user77777@school.example", thai=("ผู้ขอ 7777",)):
    """The desk list's default view, each filter, and searches: (label, query) pairs."""
    return [
        ("list", {}),
        ("filter status=open", {"status__exact": "open"}),
        ("filter sla=breached", {"sla": "breached"}),
        ("filter sla=due_soon", {"sla": "due_soon"}),
        ("filter sla=on_time", {"sla": "on_time"}),
        ("filter fiscal year", {"fy": fiscal_year}),
        ("filter assignee", {"assignee__id__exact": "ASSIGNEE"}),
        ("filter service", {"service__id__exact": "1"}),
        ("search e-mail", {"q": email}),
        *((f"search Thai {word!r}", {"q": word}) for word in thai),
        ("page 100", {"p": "100"}),
    ]


def bench_list(runs, out=print, cases=None):
    """Time the admin ticket list for an officer; prints a line and returns
    {label: {"p50": ms, "p95": ms}} for each case."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from services.core.roles import OFFICERS, ensure_groups

    ensure_groups()
    officer = get_user_model().objects.create_user("bench-officer", password="x")
    officer.groups.add(Group.objects.get(name=OFFICERS))
    client = Client()
    client.force_login(officer)
    url = "/admin/services/ticket/"
    figures = {}
    for label, params in cases or globals()["cases"]():
        params = {k: (str(officer.pk) if v == "ASSIGNEE" else v) for k, v in params.items()}
        client.get(url, params)  # warm up
        times = []
        for _ in range(runs):
            elapsed, response = timed(lambda params=params: client.get(url, params))
            assert response.status_code == 200, response.status_code
            times.append(elapsed * 1000)
        if os.environ.get("BENCH_SQL"):
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                client.get(url, params)
            for query in sorted(queries, key=lambda q: -float(q["time"]))[:3]:
                out(f"    {float(query['time']) * 1000:6.1f} ms  {query['sql'][:160]}")
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        figures[label] = {"p50": statistics.median(times), "p95": p95}
        out(
            f"  admin {label:<22} p50 {statistics.median(times):7.1f} ms   "
            f"p95 {p95:7.1f} ms   ({runs} runs)"
        )
    return figures


def run(tickets, late_share, runs, out=print):
    """Fill the current database with open tickets and print the sweep and list times."""
    import django.utils.timezone

    from services.core.models import OutboxMessage
    from services.tickets import sla
    from services.tickets.models import TicketStep

    elapsed, _ = timed(lambda: fill(tickets, late_share))
    late = TicketStep.objects.filter(status="active", due_at__lt=django.utils.timezone.now())
    out(
        f"  filled {tickets:,} open tickets ({TicketStep.objects.count():,} steps, "
        f"{late.count():,} past due) in {elapsed:.1f} s"
    )
    heads()
    elapsed, result = timed(sla.sweep)
    out(
        f"  SLA sweep, first run:  {elapsed * 1000:8.1f} ms  "
        f"(escalated {result['escalated']:,} steps, "
        f"{OutboxMessage.objects.filter(kind='sla_escalation').count()} digest e-mails)"
    )
    times = []
    for _ in range(runs):
        elapsed, result = timed(sla.sweep)
        times.append(elapsed * 1000)
    out(f"  SLA sweep, nothing due: p50 {statistics.median(times):6.1f} ms ({runs} runs)")
    bench_list(runs, out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--late", type=float, default=0.1, help="share of steps past due")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--tiny", action="store_true", help="300 tickets, 1 run (smoke run)")
    args = parser.parse_args()
    if args.tiny:
        args.tickets, args.runs = 300, 1

    import logging

    import django

    django.setup()
    logging.getLogger("django-q").setLevel(logging.WARNING)
    from django.urls import reverse
    from django_q.conf import Conf

    # As in production: e-mails go to the broker, not delivered inline.
    Conf.SYNC = False
    reverse("services_ticket_modeladmin_index")  # load the URLconf before timing
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        print(f"database: {connection.vendor} ({test_name})")
        run(args.tickets, args.late, args.runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
