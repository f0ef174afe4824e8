"""`make bench`: every speed figure of the site in one table, on SQLite and PostgreSQL.

Not a test: it prints figures. Each part runs in a process of its own against a
database made for the run (a temporary SQLite file; on PostgreSQL a new
database, dropped at the end, with Redis as cache and broker), and every ratio
is taken against a bare figure measured in the same run:

- pages: wrk (2 threads, 16 connections) against gunicorn (2 workers, DEBUG
  off, demo content) for the cached public pages and the search, beside a
  minimal Django view of the same size; SQL queries of each page uncached;
  the peak RSS of a web worker;
- submit: N form submissions over HTTP from C clients, each with its own CSRF
  cookie and token, once the site's new task cluster has done its first work
  (every schedule's first run; ``--settle`` seconds at most); every one must be
  a ticket with its e-mail in the outbox;
- outbox: M e-mails delivered by a real qcluster to a local SMTP server, beside
  M trivial tasks through the same broker; the peak RSS of a cluster worker;
- million: the fiscal-year report, the desk list with each filter and a Thai
  word search on T tickets;
- sweep: the SLA sweep over S open steps, first and idle runs.

    python scripts/bench.py [--tiny] [--databases sqlite,postgresql] [--parts ...]

``--tiny`` runs every part at a token size (seconds, not minutes): the figures
mean nothing then, it only shows the benchmark still runs.
"""

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import bench_pages  # noqa: E402

PY = sys.executable
RESULT = "BENCH-RESULT "
PG_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/0")
PARTS = ("site", "outbox", "million", "sweep")

FULL = {
    "seconds": 10,
    "submissions": 10_000,
    "clients": 32,
    "mails": 1000,
    "tickets": 1_000_000,
    "open_steps": 100_000,
    "runs": 7,
    "settle": 180.0,
}
TINY = {
    "seconds": 0.5,
    "submissions": 40,
    "clients": 4,
    "mails": 20,
    "tickets": 300,
    "open_steps": 300,
    "runs": 1,
    "settle": 0.0,
}


# --- helpers shared by the parts ------------------------------------------------------


def emit(**figures):
    print(RESULT + json.dumps(figures), flush=True)


def peak_rss_mb(pids):
    """The largest peak resident set (VmHWM) among ``pids``, in MB."""
    peaks = []
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        found = re.search(r"VmHWM:\s+(\d+) kB", text)
        if found:
            peaks.append(int(found.group(1)) / 1024)
    return max(peaks) if peaks else None


def descendants(pid):
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            children = []
        for child in map(int, children):
            found.append(child)
            todo.append(child)
    return found


def wrk(port, path, seconds):
    """req/s and p99 (ms) of ``path`` under wrk: 2 threads, 16 connections."""
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c16",
            f"-d{max(1, round(seconds))}s",
            "--latency",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p99": float(p99.group(1)) * scale,
        "errors": int(errors.group(1)) if errors else 0,
    }


def ensure_wrk():
    if shutil.which("wrk"):
        return
    print("installing wrk (Debian package) …", flush=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-q", "wrk"], check=False, stdout=subprocess.DEVNULL
    )
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "update", "-q"], check=False, stdout=subprocess.DEVNULL)
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL
        )


# --- part: pages and submissions (a served site) --------------------------------------


QUERY_COUNT = """
import json
import os
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
counts = {}
for name, path in json.loads(os.environ["PATHS"]).items():
    # Two first visits (each a new query string, so the page itself is not stored):
    # the first fills the per-process and fragment caches, as on a running site.
    joiner = "&" if "?" in path else "?"
    client = Client()
    client.get(path + joiner + "warm=1")
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path + joiner + "count=1").status_code
    counts[name] = len(queries) if status == 200 else None
print("COUNTS " + json.dumps(counts))
"""


def counts(code, env):
    """What ``code`` printed after "COUNTS " when run by ``manage.py shell`` in ``env``."""
    printed = subprocess.run(
        [PY, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    return printed.split("COUNTS ", 1)[1].splitlines()[0]


def page_paths(env):
    news_url, extra = bench_pages.prepare(env)
    return {
        "home page": "/",
        "catalogue": extra["catalogue"],
        "service page": extra["service page"],
        "news page": news_url,
        "availability page": "/availability/",
        "search (not cached)": bench_pages.SEARCH_PATH,
    }


def part_site(env, size):
    """The served site: pages, then submissions, on one database with the demo."""
    paths = page_paths(env)
    part_pages(env, size, paths)
    part_submit(env, size, paths)


def part_pages(env, size, paths):
    queries = json.loads(counts(QUERY_COUNT, {**env, "PATHS": json.dumps(paths)}))
    site_port, base_port = bench_pages.free_port(), bench_pages.free_port()
    site = bench_pages.start_gunicorn("cms.wsgi:application", site_port, env)
    try:
        body = bench_pages.wait_for(site_port, "/", process=site)
        base = bench_pages.start_gunicorn(
            "scripts.bench_baseline:application",
            base_port,
            {**env, "BENCH_BODY_SIZE": str(len(body))},
        )
        try:
            bench_pages.wait_for(base_port, "/", process=base)
            for path in paths.values():  # store each page, warm each worker
                wrk(site_port, path, 1)
            wrk(base_port, "/", 1)
            figures = {"bare view": wrk(base_port, "/", size["seconds"])}
            for name, path in paths.items():
                figures[name] = {
                    **wrk(site_port, path, size["seconds"]),
                    "queries": queries.get(name),
                }
            rss = peak_rss_mb(descendants(site.pid))
        finally:
            base.terminate()
            base.wait()
    finally:
        site.terminate()
        site.wait()
    emit(pages=figures, web_rss_mb=rss, page_bytes=len(body))


TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def multipart(fields, boundary):
    """``fields`` as a browser posts the request form: multipart, with the empty
    file input a form without an attachment sends."""
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; filename=""\r\n'
        "Content-Type: application/octet-stream\r\n\r\n\r\n"
    )
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode()


LOOPS = 2  # client processes, as wrk's two threads for the bare view


def submit_load(port, service, total, clients):
    """POST ``total`` valid requests to the form at ``service`` from ``clients``
    clients, each with the CSRF cookie and token its first GET gave it, as a
    browser posts them (multipart, with an empty file input), one request after
    another, each on a new connection that the client closes as soon as its
    answer is in (gunicorn waits for that before it takes the next request).
    The clients are spread over ``LOOPS`` processes, each an event loop over
    plain sockets with its requests built before the clock starts, as wrk's
    threads are for the bare view: a process per client would spend the
    machine's CPU switching between them.
    Returns (seconds, {status: count}, sorted latencies in seconds)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    start = context.Event()
    answers = context.Queue()
    groups = [range(first, clients, LOOPS) for first in range(LOOPS)]
    processes = [
        context.Process(
            target=_client_loop,
            args=(port, service, [range(c, total, clients) for c in group], start, answers),
            daemon=True,
        )
        for group in groups
        if group
    ]
    for process in processes:
        process.start()
    ready = [answers.get(timeout=120) for _ in processes]  # each client has its token
    assert all(item == "ready" for item in ready), ready
    began = time.perf_counter()
    start.set()
    statuses, latencies = {}, []
    for _ in processes:
        mine_statuses, mine_latencies = answers.get(timeout=900)
        for status, count in mine_statuses.items():
            statuses[status] = statuses.get(status, 0) + count
        latencies.extend(mine_latencies)
    elapsed = time.perf_counter() - began
    for process in processes:
        process.join()
    return elapsed, statuses, sorted(latencies)


def _client_requests(port, service, share):
    """One client's requests: GET the form once for its CSRF cookie and token,
    then build the POST of each submission in ``share``."""
    import http.client

    boundary = "----WebKitFormBoundaryBench7MA4YWxk"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", service)
    response = conn.getresponse()
    page = response.read()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = TOKEN.search(page).group(1).decode()
    conn.close()
    requests = []
    for index in share:
        body = multipart(
            {
                "csrfmiddlewaretoken": token,
                "requester_name": f"ผู้ทดสอบ {index}",
                "requester_org": "โรงเรียนทดสอบ",
                "requester_phone": "081 234 5678",
                "requester_email": f"bench-{index}@example.com",
                "consent": "on",
                "category": "computer",
                "asset_number": f"7440-001-{index:04d}/62",
                "location": "ห้องธุรการ",
                "symptom": "เปิดเครื่องไม่ติด",
                "website": "",
            },
            boundary,
        )
        head = (
            f"POST {service} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {len(body)}\r\nCookie: {cookie}\r\n"
            f"Origin: http://127.0.0.1:{port}\r\n"
            f"Referer: http://127.0.0.1:{port}{service}\r\nConnection: close\r\n\r\n"
        ).encode()
        requests.append(head + body)
    return requests


def _client_loop(port, service, shares, start, answers):
    """Some clients of ``submit_load`` in one event loop: each posts its requests
    one after another, reading each answer to the end before its next request."""
    import errno
    import selectors
    import socket

    queues = [_client_requests(port, service, share)[::-1] for share in shares if share]
    answers.put("ready")
    start.wait()
    statuses, latencies = {}, []
    selector, clock, address = selectors.DefaultSelector(), time.perf_counter, ("127.0.0.1", port)

    def finish(state, status):
        selector.unregister(state["sock"])
        state["sock"].close()
        latencies.append(clock() - state["started"])
        statuses[status] = statuses.get(status, 0) + 1
        begin(state["queue"])

    def begin(queue):
        if not queue:
            return
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        state = {"sock": sock, "queue": queue, "out": memoryview(queue.pop()), "in": b""}
        state["started"] = clock()
        code = sock.connect_ex(address)
        if code not in (0, errno.EINPROGRESS):
            sock.close()
            latencies.append(0.0)
            statuses["connection error"] = statuses.get("connection error", 0) + 1
            return begin(queue)
        selector.register(sock, selectors.EVENT_WRITE, state)

    for queue in queues:
        begin(queue)
    while selector.get_map():
        for key, events in selector.select():
            state, sock = key.data, key.fileobj
            try:
                if events & selectors.EVENT_WRITE:
                    sent = sock.send(state["out"])
                    state["out"] = state["out"][sent:]
                    if not state["out"]:
                        selector.modify(sock, selectors.EVENT_READ, state)
                    continue
                chunk = sock.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                finish(state, "connection error")
                continue
            if chunk:
                state["in"] += chunk
                continue
            try:
                status = int(state["in"].split(b" ", 2)[1])
            except (IndexError, ValueError):
                status = "connection error"
            finish(state, status)
    answers.put((statuses, latencies))


SUBMITTED = (
    "from services.core.models import OutboxMessage as O; "
    "from services.tickets.models import Ticket as T; "
    "t = T.objects.filter(requester_email__startswith='bench-'); "
    "m = O.objects.filter(to__icontains='bench-'); "
    "to = {e for r in m.values_list('to', flat=True) for e in r}; "
    "print('COUNTS', t.count(), len(to))"
)


PENDING = "SELECT count(*) FROM services_pendingrequest"


def pending(env):
    """Requests accepted and not yet made into tickets (the request journal)."""
    if env.get("DATABASE_URL"):
        import psycopg

        with psycopg.connect(env["DATABASE_URL"]) as conn:
            return conn.execute(PENDING).fetchone()[0]
    import sqlite3

    with sqlite3.connect(env["SQLITE_PATH"], timeout=30) as conn:
        return conn.execute(PENDING).fetchone()[0]


def start_cluster(env):
    """A real qcluster, as `make run` starts one beside the site (e-mail goes
    nowhere: the outbox part measures delivery)."""
    return subprocess.Popen(
        [PY, "manage.py", "qcluster"],
        cwd=ROOT,
        env={**env, "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def cpu_seconds(pids):
    """User and system CPU time of ``pids`` so far, in seconds."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def wait_until_idle(pid, window=2.0, busy_share=0.05, longest=180.0):
    """Wait until the cluster under ``pid`` has done the work a new cluster
    finds on a new database (every schedule's first run) and sits idle: less
    than ``busy_share`` of a core over ``window`` seconds. A site's cluster has
    been running long before a burst of requests comes. Returns the seconds
    waited."""
    began = time.perf_counter()
    if longest <= 0:
        return 0.0
    time.sleep(window)
    while time.perf_counter() - began < longest:
        before = cpu_seconds([pid, *descendants(pid)])
        time.sleep(window)
        if cpu_seconds([pid, *descendants(pid)]) - before < busy_share * window:
            break
    return time.perf_counter() - began


def stop_cluster(cluster):
    """Stop the cluster as its service manager would: SIGTERM to the cluster's own
    process, which stops its workers (a SIGTERM to each worker as well leaves it
    waiting for them until the timeout); SIGKILL to all of them if it hangs."""
    cluster.send_signal(signal.SIGTERM)
    try:
        cluster.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(cluster.pid, signal.SIGKILL)
        cluster.wait()


def run_submissions(env, service, total, clients, workers=2, settle=0.0):
    """``total`` submissions from ``clients`` to gunicorn with ``workers`` workers,
    with the site's task cluster running, as in production: the form accepts each
    request into the journal and the cluster makes the tickets. Returns the
    figures, with the time from the last answer until the last ticket was made."""
    port = bench_pages.free_port()
    site = bench_pages.start_gunicorn("cms.wsgi:application", port, env, workers=workers)
    cluster = start_cluster(env)
    try:
        bench_pages.wait_for(port, service, process=site)
        settled = wait_until_idle(cluster.pid, longest=settle)
        elapsed, statuses, latencies = submit_load(port, service, total, clients)
        answered = time.perf_counter()
        rss = peak_rss_mb(descendants(site.pid))
        while pending(env) and time.perf_counter() - answered < 900:
            time.sleep(0.25)
        made_after = time.perf_counter() - answered
    finally:
        site.terminate()
        site.wait()
        stop_cluster(cluster)
    return {
        "seconds": elapsed,
        "statuses": statuses,
        "latencies": latencies,
        "waiting": pending(env),
        "made_after": made_after,
        "web_rss_mb": rss,
        "cluster_settled_s": settled,
    }


def part_submit(env, size, paths):
    service = paths["service page"].replace("zoom-meeting-room", "computer-internet-repair")
    env = {**env, "SERVICE_RATE_LIMIT": "100000000/60"}
    total, clients = size["submissions"], size["clients"]
    run = run_submissions(env, service, total, clients, settle=size["settle"])
    tickets, mailed = map(int, counts(SUBMITTED, env).split()[:2])
    latencies = run["latencies"]
    emit(
        submit={
            "requests": total,
            "clients": clients,
            "rps": total / run["seconds"],
            "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else None,
            "statuses": {str(k): v for k, v in run["statuses"].items()},
            "tickets": tickets,
            "mailed": mailed,
            "waiting": run["waiting"],
            "tickets_made_after_s": run["made_after"],
            "tickets_per_s": tickets / (run["seconds"] + run["made_after"]),
            "cluster_settled_s": run["cluster_settled_s"],
            "web_rss_mb": run["web_rss_mb"],
        }
    )


# --- part: outbox delivery against the bare broker ------------------------------------


def part_outbox(env, size):
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django_q.models import OrmQ, Task

    from services.core.models import OutboxMessage
    from services.core.queue import enqueue
    from tests.cluster import QCluster, SmtpSink

    count = size["mails"]
    smtp = SmtpSink().start()
    cluster = QCluster(smtp.port, **env).start()
    try:
        time.sleep(3)  # the cluster's processes start
        Task.objects.all().delete()
        OrmQ.objects.all().delete()
        began = time.perf_counter()
        for index in range(count):
            enqueue("math.fabs", float(index))
        while Task.objects.filter(func="math.fabs").count() < count:
            time.sleep(0.05)
        bare = count / (time.perf_counter() - began)

        OutboxMessage.objects.all().delete()
        messages = OutboxMessage.objects.bulk_create(
            OutboxMessage(
                key=f"bench:{index}",
                kind="bench",
                to=[f"bench-{index}@example.com"],
                subject=f"เรื่องที่ {index}",
                body="ข้อความทดสอบ " * 40,
                html_body="<p>" + "ข้อความทดสอบ " * 40 + "</p>",
                language="th",
                thread=f"bench:{index}",
            )
            for index in range(count)
        )
        began = time.perf_counter()
        for message in messages:  # as queue_email does after its transaction commits
            enqueue("services.core.outbox.deliver", message.pk)
        while len(smtp.messages) < count:
            time.sleep(0.05)
        delivered = count / (time.perf_counter() - began)
        rss = peak_rss_mb(descendants(cluster.proc.pid))
    finally:
        cluster.stop()
        smtp.stop()
    emit(
        outbox={
            "bare_rate": bare,
            "outbox_rate": delivered,
            "mails": count,
            "received": len(smtp.messages),
            "cluster_rss_mb": rss,
        }
    )


# --- parts: a million tickets, and the SLA sweep --------------------------------------


def setup_django(env):
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def part_million(env, size):
    setup_django(env)
    from scripts import bench_desk, bench_reports
    from services.reports import rollups
    from services.reports.build import build_report
    from services.reports.period import Period

    began = time.perf_counter()
    bench_reports.fill(size["tickets"])
    filled = time.perf_counter() - began
    began = time.perf_counter()
    rollups.rebuild_all()
    rolled = time.perf_counter() - began
    timings, data = [], None
    for _run in range(3):
        began = time.perf_counter()
        data = build_report(Period.fiscal_year(2569))
        timings.append(time.perf_counter() - began)
    desk = bench_desk.bench_list(
        size["runs"],
        out=lambda line: print(line, flush=True),
        cases=bench_desk.cases(
            fiscal_year="2569", email="bench-77777@example.com", thai=("ผู้ทดสอบ 77777", "เครือข่าย")
        ),
    )
    emit(
        million={
            "tickets": size["tickets"],
            "fill_s": filled,
            "rollups_s": rolled,
            "report_s": min(timings),
            "received": data["totals"]["received"],
            "desk": desk,
        }
    )


def part_sweep(env, size):
    setup_django(env)
    from django.urls import reverse
    from django.utils import timezone

    from scripts import bench_desk
    from services.tickets import sla
    from services.tickets.models import TicketStep

    bench_desk.fill(size["open_steps"], 0.1)
    bench_desk.heads()
    late = TicketStep.objects.filter(status="active", due_at__lt=timezone.now()).count()
    # A cluster worker that sweeps every minute loaded the URL configuration
    # (the digests link to the desk) long ago; this fresh process loads it here,
    # timed apart, so "first run" is the first sweep over these late steps.
    began = time.perf_counter()
    reverse("services_ticket_modeladmin_index")  # loads and indexes every URLconf
    warm_s = time.perf_counter() - began
    began = time.perf_counter()
    first = sla.sweep()
    first_s = time.perf_counter() - began
    idle = []
    for _run in range(max(3, size["runs"])):
        began = time.perf_counter()
        sla.sweep()
        idle.append(time.perf_counter() - began)
    emit(
        sweep={
            "open_steps": TicketStep.objects.filter(status="active").count(),
            "late": late,
            "escalated": first["escalated"],
            "first_s": first_s,
            "warm_s": warm_s,
            "idle_s": statistics.median(idle),
        }
    )


# --- the run: databases, parts, one table ---------------------------------------------


def make_database(kind, name, folder):
    if kind == "sqlite":
        return {
            "DATABASE_URL": "",
            "REDIS_URL": "",
            "SQLITE_PATH": str(folder / f"{name}.sqlite3"),
            "PAGE_CACHE_DIR": str(folder / f"{name}-pages"),
        }
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return {"DATABASE_URL": f"{PG_SERVER}/{name}", "REDIS_URL": REDIS, "CACHE_PREFIX": name}


def drop_database(kind, name):
    if kind != "postgresql":
        return
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_part(part, kind, size, folder):
    name = f"ict_bench_{os.getpid()}_{part}"
    env = {
        **bench_pages.server_env(),
        **make_database(kind, name, folder),
        "Q_CLUSTER_NAME": name,
        "TRAFFIC_LOG_DIR": str(folder / "traffic"),
        "RATE_LIMIT_FILE": str(folder / f"{name}-ratelimit.sqlite3"),
        "MEDIA_ROOT": str(folder / f"{name}-media"),
        "PRIVATE_MEDIA_ROOT": str(folder / f"{name}-private"),
        "LOG_LEVEL": "WARNING",
        "BENCH_SIZE": json.dumps(size),
    }
    print(f"\n[{kind}] {part} …", flush=True)
    try:
        process = subprocess.Popen(
            [PY, str(Path(__file__)), "--part", part],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        figures = {}
        for line in process.stdout:
            if line.startswith(RESULT):
                figures.update(json.loads(line[len(RESULT) :]))
            elif line.strip():
                print("   " + line.rstrip(), flush=True)
        if process.wait() != 0:
            print(f"   {part} failed (exit {process.returncode})", flush=True)
        return figures
    finally:
        drop_database(kind, name)


def ratio(value, base):
    return f"{value / base:.2f}×" if value and base else ""


def table(results, size):
    kinds = list(results)
    rows = []  # (figure, {kind: (value text, ratio text)}, goal)

    def add(figure, goal, pick):
        cells = {}
        for kind in kinds:
            try:
                cells[kind] = pick(results[kind])
            except (KeyError, TypeError, ZeroDivisionError):
                cells[kind] = ("—", "")
        rows.append((figure, cells, goal))

    def page(name):
        def pick(r):
            row, bare = r["site"]["pages"][name], r["site"]["pages"]["bare view"]["rps"]
            return (f"{row['rps']:,.0f} req/s, p99 {row['p99']:.0f} ms", ratio(row["rps"], bare))

        return pick

    add(
        "bare Django view, same size (wrk)",
        "",
        lambda r: (
            f"{r['site']['pages']['bare view']['rps']:,.0f} req/s, "
            f"p99 {r['site']['pages']['bare view']['p99']:.0f} ms",
            "1.00×",
        ),
    )
    for name in ("home page", "catalogue", "service page", "news page", "availability page"):
        add(f"{name}, cached", "≥ 0.8×, p99 < 50 ms", page(name))
    add("search, not cached", "", page("search (not cached)"))
    add(
        "SQL queries per public page, uncached (max)",
        "≤ 10",
        lambda r: (
            str(
                max(
                    v["queries"]
                    for k, v in r["site"]["pages"].items()
                    if k != "bare view" and v.get("queries") is not None
                )
            ),
            "",
        ),
    )
    add("web worker peak RSS", "", lambda r: (f"{r['site']['web_rss_mb']:.0f} MB", ""))

    def submit(r):
        s, bare = r["site"]["submit"], r["site"]["pages"]["bare view"]["rps"]
        ok = s["statuses"].get("302", 0)
        errors = s["requests"] - ok
        lost = ok - min(s["tickets"], s["mailed"])
        return (
            f"{s['rps']:,.0f} req/s, p99 {s['p99']:.0f} ms, {errors} errors, {lost} lost "
            f"({s['tickets']:,} tickets, {s['mailed']:,} mailed, {s.get('waiting', 0)} waiting)",
            ratio(s["rps"], bare),
        )

    def made(r):
        s = r["site"]["submit"]
        return (
            f"{s['tickets_made_after_s']:.1f} s after the last answer "
            f"({s['tickets_per_s']:,.0f} tickets/s from first request to last ticket; "
            f"the new cluster settled first in {s.get('cluster_settled_s', 0):.0f} s)",
            "",
        )

    add(
        f"form submissions: {size['submissions']:,} from {size['clients']} clients",
        "≥ 0.25×, 0 errors, 0 lost",
        submit,
    )
    add("  their tickets all made (the task cluster)", "", made)
    add(
        "bare broker: trivial tasks",
        "",
        lambda r: (f"{r['outbox']['outbox']['bare_rate']:,.0f} tasks/s", "1.00×"),
    )
    add(
        f"outbox delivery to SMTP: {size['mails']:,} e-mails",
        "≥ 0.8×",
        lambda r: (
            f"{r['outbox']['outbox']['outbox_rate']:,.0f} mails/s "
            f"({r['outbox']['outbox']['received']:,} received)",
            ratio(r["outbox"]["outbox"]["outbox_rate"], r["outbox"]["outbox"]["bare_rate"]),
        ),
    )
    add(
        "cluster worker peak RSS",
        "",
        lambda r: (f"{r['outbox']['outbox']['cluster_rss_mb']:.0f} MB", ""),
    )
    tickets = f"{size['tickets']:,} tickets"
    add(
        f"fiscal-year report, {tickets}",
        "< 2 s SQLite, < 1 s PostgreSQL",
        lambda r: (
            f"{r['million']['million']['report_s'] * 1000:,.0f} ms "
            f"(fill {r['million']['million']['fill_s']:.0f} s, "
            f"roll-ups {r['million']['million']['rollups_s']:.0f} s)",
            "",
        ),
    )
    first = next(
        (
            r["million"]["million"]["desk"]
            for r in results.values()
            if r.get("million", {}).get("million")
        ),
        {},
    )
    for label in first:
        goal = "< 500 ms" if label.startswith("search Thai") else "p95 < 300 ms"
        add(
            f"desk {label}, {tickets}",
            goal,
            lambda r, label=label: (
                f"p95 {r['million']['million']['desk'][label]['p95']:,.0f} ms",
                "",
            ),
        )
    add(
        f"SLA sweep, first run, {size['open_steps']:,} open steps",
        "< 1 s",
        lambda r: (
            f"{r['sweep']['sweep']['first_s'] * 1000:,.0f} ms "
            f"({r['sweep']['sweep']['escalated']:,} escalated; a fresh process first "
            f"loads its URLconf: {r['sweep']['sweep']['warm_s'] * 1000:,.0f} ms)",
            "",
        ),
    )
    add(
        "SLA sweep, idle run",
        "< 1 s",
        lambda r: (f"{r['sweep']['sweep']['idle_s'] * 1000:,.1f} ms", ""),
    )

    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL + Redis"}
    lines = [
        "| "
        + " | ".join(["figure", *(x for k in kinds for x in (names[k], "÷ bare")), "goal"])
        + " |"
    ]
    lines.append("|" + "---|" * (len(kinds) * 2 + 2))
    for figure, cells, goal in rows:
        parts = [figure, *(x for k in kinds for x in cells[k]), goal]
        lines.append("| " + " | ".join(parts) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="token sizes: shows it runs")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--parts", default=",".join(PARTS))
    parser.add_argument("--part", help=argparse.SUPPRESS)
    for key, value in FULL.items():
        parser.add_argument(f"--{key.replace('_', '-')}", type=type(value))
    args = parser.parse_args()
    if args.part:
        size = json.loads(os.environ["BENCH_SIZE"])
        globals()[f"part_{args.part}"](dict(os.environ), size)
        return
    size = dict(TINY if args.tiny else FULL)
    for key in FULL:
        if getattr(args, key) is not None:
            size[key] = getattr(args, key)
    if "site" in args.parts:
        ensure_wrk()
    folder = Path(tempfile.mkdtemp(prefix="ict-bench-"))
    results = {}
    began = time.perf_counter()
    try:
        for kind in args.databases.split(","):
            results[kind] = {
                part: run_part(part, kind, size, folder) for part in args.parts.split(",")
            }
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(
        f"\n{os.cpu_count()} cores; wrk -t2 -c16 -d{size['seconds']:g}s; gunicorn 2 workers, "
        f"DEBUG off; run took {time.perf_counter() - began:.0f} s"
        + ("; TINY SIZES: the figures mean nothing" if args.tiny else "")
    )
    print(table(results, size))


if __name__ == "__main__":
    main()
