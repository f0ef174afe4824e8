"""Benchmark: how long the fiscal-year report takes on a large database.

Not a test. Fills a fresh database with N tickets (default 1,000,000) of
fiscal year B.E. 2569, three timed steps each and a survey answer for every
other finished ticket, using INSERT ... SELECT in the database itself (the
office minutes of each done step then come from the business clock, in
batches), then times ``build_report(Period.fiscal_year(2569))``.

SQLite (default): a new file in the temp folder, removed when the run ends.
PostgreSQL: set DATABASE_URL to a database of your own; it must hold no
tickets other than an earlier run's (those are deleted first).

    python scripts/bench_reports.py [--tickets 1000000] [--runs 3]

``run`` does the work on the database Django is connected to; the suite calls
it at a tiny size on the test database to check the script still fits the schema.
"""

import argparse
import atexit
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STEP_TARGETS = (30, 120, 480)  # minutes of the three bench steps
BASE_UTC = "2025-09-30 17:00:00"  # 1 October 2025 00:00 in Bangkok: FY 2569 opens
SPREAD_SECONDS = 364 * 24 * 3600  # every ticket falls inside the fiscal year


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.gettempdir()) / f"ict-bench-reports-{os.getpid()}.sqlite3"
        files = [Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm")]
        for file in files:
            file.unlink(missing_ok=True)
        # One file per run (runs may overlap) and none left behind: it can reach 1 GB.
        atexit.register(lambda: [file.unlink(missing_ok=True) for file in files])
        os.environ["SQLITE_PATH"] = str(path)
    import django

    django.setup()


class Sql:
    """The few expressions that differ between SQLite and PostgreSQL."""

    def __init__(self, vendor):
        self.pg = vendor == "postgresql"

    def series(self, n):
        if self.pg:
            return "", f"generate_series(1, {n}) AS seq(i)"
        return (
            f"WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < {n}) "
        ), "seq"

    def ts(self, base, seconds):
        if self.pg:
            return f"({base} + ({seconds}) * interval '1 second')"
        return f"datetime({base}, '+' || ({seconds}) || ' seconds')"

    def base(self):
        return f"timestamptz '{BASE_UTC}+00'" if self.pg else f"'{BASE_UTC}'"

    def boolean(self, condition):
        return f"({condition})" if self.pg else f"(CASE WHEN {condition} THEN 1 ELSE 0 END)"

    def json(self, text):
        return f"'{text}'::jsonb" if self.pg else f"'{text}'"


def services():
    from services.catalogue.models import ServicePage
    from services.demo.catalogue import build as build_services
    from services.demo.site import build as build_home

    build_home(log=lambda *_: None)
    build_services(log=lambda *_: None)
    return list(ServicePage.objects.order_by("pk").values_list("pk", "code", "title"))


def working_minutes(sql, sample=200):
    """Each done step's office minutes, computed in the database: a table of the
    office's open hours per working day (from the business clock, holidays and
    special days included) and, for each step, the sum of its overlaps with them.
    The Python clock would take an hour for three million steps; ``sample``
    random steps are then checked against it, so the two cannot disagree."""
    import datetime as dt
    import random

    from django.db import connection, transaction
    from django.db.models import Max, Min

    from services.core.clock import get_clock
    from services.tickets.models import TicketStep, working_minutes_taken

    clock = get_clock()
    done = TicketStep.objects.filter(status="done", done_at__isnull=False)
    span = done.aggregate(first=Min("started_at"), last=Max("done_at"))
    if span["first"] is None:
        return
    day, last = span["first"].date() - dt.timedelta(days=1), span["last"].date()
    rows = []
    while day <= last:
        if clock.is_working_day(day):
            opens, closes = (
                moment.astimezone(dt.UTC).replace(tzinfo=None) for moment in clock.office_hours(day)
            )
            rows.append((opens.isoformat(" "), closes.isoformat(" ")))
        day += dt.timedelta(days=1)
    stamp = "timestamptz" if sql.pg else "text"
    if sql.pg:
        overlap = (
            "EXTRACT(EPOCH FROM (LEAST(s.done_at, w.close_at) - "
            "GREATEST(s.started_at, w.open_at))) / 60.0"
        )
        cast = "FLOOR(COALESCE(SUM({0}), 0) + 0.000001)::integer"
        window = "w.open_at BETWEEN s.started_at - interval '1 day' AND s.done_at"
        suffix = "+00"
    else:
        overlap = (
            "(julianday(MIN(s.done_at, w.close_at)) - "
            "julianday(MAX(s.started_at, w.open_at))) * 1440.0"
        )
        cast = "CAST(COALESCE(SUM({0}), 0) + 0.000001 AS INTEGER)"
        window = "w.open_at BETWEEN datetime(s.started_at, '-1 day') AND s.done_at"
        suffix = ""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_workday")
        cursor.execute(f"CREATE TABLE bench_workday (open_at {stamp}, close_at {stamp})")
        cursor.executemany(
            "INSERT INTO bench_workday VALUES (%s, %s)",
            [(o + suffix, c + suffix) for o, c in rows],
        )
        cursor.execute("CREATE INDEX bench_workday_open ON bench_workday (open_at)")
        cursor.execute(
            "UPDATE services_ticketstep AS s SET working_minutes = ("
            f"SELECT {cast.format(overlap)} FROM bench_workday w "
            f"WHERE {window} AND w.close_at > s.started_at) "
            "WHERE s.status = 'done' AND s.done_at IS NOT NULL AND s.started_at IS NOT NULL"
        )
        cursor.execute("DROP TABLE bench_workday")
    ids = list(done.values_list("pk", flat=True)[:100_000])
    for step in TicketStep.objects.filter(pk__in=random.sample(ids, min(sample, len(ids)))):
        expected = working_minutes_taken(step.started_at, step.done_at, clock)
        if step.working_minutes != expected:
            raise AssertionError(
                f"step {step.pk}: {step.working_minutes} office minutes in SQL, "
                f"{expected} by the clock ({step.started_at} to {step.done_at})"
            )


def fill(n):
    from django.db import connection, transaction

    from services.surveys.models import SurveyResponse
    from services.tickets.models import Ticket

    sql = Sql(connection.vendor)
    pages = services()
    if (
        Ticket.objects.exclude(reference__startswith="BENCH-").exists()
        or SurveyResponse.objects.exclude(ticket__reference__startswith="BENCH-").exists()
    ):
        sys.exit("this database holds real tickets or survey answers: use a fresh one")
    # An earlier run's rows go by plain SQL: the ORM would delete a million
    # tickets one by one with their signals.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE services_ticket SET active_step_id = NULL")
        for table in ("services_surveyresponse", "services_ticketstep", "services_ticket"):
            cursor.execute(f"DELETE FROM {table}")

    def pick(column):
        index = {"pk": 0, "code": 1, "title": 2}[column]
        whens = " ".join(f"WHEN {i} THEN %s" for i in range(len(pages)))
        return f"(CASE i % {len(pages)} {whens} END)", [p[index] for p in pages]

    service_id, id_params = pick("pk")
    service_code, code_params = pick("code")
    service_title, title_params = pick("title")
    service_title_again = service_title
    created = sql.ts(sql.base(), f"i * {SPREAD_SECONDS // n or 1}")
    status = (
        "(CASE WHEN i % 10 = 0 THEN 'open' WHEN i % 10 = 1 THEN 'rejected' "
        "WHEN i % 10 = 2 THEN 'closed' ELSE 'resolved' END)"
    )
    finished = sql.ts(created, "36000")
    prefix, source = sql.series(n)
    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(
            f"{prefix}INSERT INTO services_ticket (reference, fiscal_year, sequence, service_id, "
            "service_code, service_title, form_kind, tracking_token, requester_name, "
            "requester_org, requester_phone, requester_email, language, answers, status, "
            "created_at, updated_at, resolved_at, closed_at, consent_at, follows_workflow, "
            "channel, search_text, line_user_id) "
            f"SELECT 'BENCH-' || i, 2569, i, {service_id}, {service_code}, {service_title}, "
            f"'general', 'bench-token-' || i, 'ผู้ทดสอบ ' || i, '', '', "
            "'bench-' || i || '@example.com', 'th', "
            f"{sql.json('{}')}, {status}, {created}, {created}, "
            f"(CASE WHEN i % 10 >= 2 THEN {finished} END), "
            f"(CASE WHEN i % 10 = 2 THEN {finished} END), {created}, {sql.boolean('1 = 0')}, "
            # search_text as Ticket.save keeps it: reference, name, e-mail, service.
            f"'web', lower('bench-' || i || ' ผู้ทดสอบ ' || i || ' bench-' || i || "
            f"'@example.com ' || {service_title_again}), '' "
            f"FROM {source}".replace("%", "%%").replace(
                "%%s", "%s"
            ),  # a literal % beside parameters
            id_params + code_params + title_params + title_params,
        )
        tickets_done = time.perf_counter()
        # Step p starts 4 h after the previous one and takes 0-2x its target.
        step_values = " UNION ALL ".join(
            f"SELECT {p} AS p, {t} AS target" for p, t in enumerate(STEP_TARGETS, start=1)
        )
        duration = "((t.id * (7919 + s.p * 104729)) % (s.target * 120))"
        step_start = sql.ts("t.created_at", "(s.p - 1) * 14400")
        is_active = "(t.status = 'open' AND s.p = 3)"
        cursor.execute(
            "INSERT INTO services_ticketstep (ticket_id, position, title, description, kind, "
            "role, target_amount, target_unit, target_mode, target_label, alternatives, "
            "chosen_alternative, status, started_at, due_at, done_at, note, breached, "
            "on_no_answer) "
            f"SELECT t.id, s.p, 'ขั้นตอนที่ ' || s.p, '', 'work', 'officer', s.target, "
            f"'minutes', 'elapsed', '', {sql.json('[]')}, '', "
            f"(CASE WHEN {is_active} THEN 'active' ELSE 'done' END), {step_start}, "
            f"{sql.ts(step_start, 's.target * 60')}, "
            f"(CASE WHEN {is_active} THEN NULL ELSE {sql.ts(step_start, duration)} END), '', "
            f"{sql.boolean(f'NOT {is_active} AND {duration} > s.target * 60')}, 'wait' "
            f"FROM services_ticket t CROSS JOIN ({step_values}) s"
        )
        # Each open ticket points at its active step, as moves keep it (the desk's
        # SLA filters start from it).
        # (A join, not a subquery per ticket: the tables have no statistics yet.)
        cursor.execute(
            "UPDATE services_ticket SET active_step_id = s.id FROM services_ticketstep s "
            "WHERE s.ticket_id = services_ticket.id AND s.status = 'active' "
            "AND services_ticket.status = 'open'"
        )
        steps_done = time.perf_counter()
        cursor.execute(
            "INSERT INTO services_surveyresponse (ticket_id, service_id, channel, ease, speed, "
            "manner, quality, overall, comment, language, created_at) "
            "SELECT id, service_id, 'link', 2 + (id * 3) % 4, 1 + (id * 7) % 5, "
            "2 + (id * 11) % 4, 2 + (id * 13) % 4, 2 + (id * 17) % 4, '', 'th', "
            f"{sql.ts('resolved_at', '3600')} FROM services_ticket "
            "WHERE resolved_at IS NOT NULL AND id % 2 = 0"
        )
        answers_done = time.perf_counter()
    # The office minutes each done step took, on the business clock (the desk keeps
    # them when a step is done; SQL cannot count office hours and holidays).
    working_minutes(sql)
    working_done = time.perf_counter()
    with connection.cursor() as cursor:
        # As on a database that has run for years: statistics and, on PostgreSQL,
        # a vacuumed table (otherwise autovacuum starts in the middle of the timings).
        # (VACUUM cannot run in a transaction, such as a test's.)
        vacuum = sql.pg and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    return {
        "tickets": tickets_done - started,
        "steps": steps_done - tickets_done,
        "answers": answers_done - steps_done,
        "working minutes": working_done - answers_done,
        "vacuum and analyze": time.perf_counter() - working_done,
    }


def run(tickets, runs, out=print):
    """Fill the current database with ``tickets`` tickets and print the report's time."""
    from services.reports.build import build_report
    from services.reports.period import Period
    from services.surveys.models import SurveyResponse
    from services.tickets.models import Ticket, TicketStep

    start = time.perf_counter()
    phases = fill(tickets)
    out(
        f"filled {Ticket.objects.count():,} tickets, {TicketStep.objects.count():,} steps, "
        f"{SurveyResponse.objects.count():,} answers in {time.perf_counter() - start:.1f} s "
        f"({', '.join(f'{k} {v:.1f} s' for k, v in phases.items())})"
    )
    from services.reports import rollups

    begun = time.perf_counter()
    rollups.rebuild_all()
    out(f"roll-ups built from scratch in {time.perf_counter() - begun:.1f} s")
    period = Period.fiscal_year(2569)
    timings = []
    for _run in range(runs):
        begun = time.perf_counter()
        data = build_report(period)
        timings.append(time.perf_counter() - begun)
    out(
        f"fiscal-year report B.E. 2569: received {data['totals']['received']:,}, "
        f"steps {sum(r['total'] for r in data['steps']):,}, "
        f"answers {data['satisfaction']['count']:,}, "
        f"satisfaction {data['satisfaction']['percent']} %"
    )
    out(
        "report time: " + ", ".join(f"{t:.2f} s" for t in timings) + f" (best {min(timings):.2f} s)"
    )
    return data


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tiny", action="store_true", help="300 tickets, 1 run (smoke run)")
    args = parser.parse_args()
    if args.tiny:
        args.tickets, args.runs = 300, 1
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    run(args.tickets, args.runs)


if __name__ == "__main__":
    main()
