"""The production guard and the deploy checklist, run as a fresh process each."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 20 + "-production-secret-" + "x9" * 20


def run_manage(*args, **env):
    unwanted = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unwanted}
    clean.update({"DJANGO_SETTINGS_MODULE": "cms.settings.production", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_default_secret_key():
    result = run_manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_debug():
    result = run_manage("check", SECRET_KEY=GOOD_KEY, DEBUG="1")
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_deploy_checklist_is_clean_with_production_variables():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="ict.example.go.th",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_sqlite_runs_in_wal_mode(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        timeout = cursor.fetchone()[0]
    # The test database may be in memory, where WAL does not apply.
    assert mode in {"wal", "memory"}
    assert timeout >= 5000


def test_sqlite_from_database_url_gets_the_same_options_as_the_default(tmp_path):
    """DATABASE_URL=sqlite:///… keeps WAL, IMMEDIATE transactions and the busy timeout."""
    import json

    from cms.settings.base import sqlite_options

    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
    )
    seen = []
    for url in (f"sqlite:///{tmp_path}/site.sqlite3", ""):
        result = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.base", "DATABASE_URL": url},
            check=True,
        )
        seen.append(json.loads(result.stdout.strip().splitlines()[-1]))
    assert seen[0] == seen[1] == sqlite_options()
    assert seen[0]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in seen[0]["init_command"]


CONCURRENT_BOOKINGS = """
import datetime as dt, json, threading
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
call_command("migrate", verbosity=0)
from services.bookings import scheduling
from services.bookings.models import Booking, Resource
from services.bookings.scheduling import BookingConflict
from tests.desk_helpers import make_ticket, step

steps = [step("intake", amount=10, unit="minutes"), step("schedule"), step("report")]
resource = Resource.objects.create(name="Zoom A", kind="zoom", capacity=300)
tickets = [make_ticket(steps, timezone.now()) for _ in range(2)]
day = (timezone.localtime() + dt.timedelta(days=3)).date()
start = dt.datetime.combine(day, dt.time(9), tzinfo=timezone.get_current_timezone())
barrier, results = threading.Barrier(2), []

def confirm(ticket, offset):
    try:
        barrier.wait()
        scheduling.confirm_booking(
            ticket, None, start + dt.timedelta(minutes=offset), start + dt.timedelta(hours=2),
            resource=resource,
        )
        results.append(["ok", ""])
    except BookingConflict as exc:
        results.append(["conflict", str(exc)])
    except Exception as exc:
        results.append(["error", repr(exc)])
    finally:
        connection.close()

threads = [threading.Thread(target=confirm, args=(t, 10 * i)) for i, t in enumerate(tickets)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join(60)
print(json.dumps({
    "results": sorted(results),
    "name": str(connection.settings_dict["NAME"]),
    "options": connection.settings_dict["OPTIONS"],
    "bookings": Booking.objects.count(),
}))
"""


def test_two_bookings_at_once_on_a_database_url_sqlite_file(tmp_path):
    """With DATABASE_URL=sqlite:///…, two people booking one resource at once: one wins,
    the other gets the conflict message, nobody gets "database is locked"."""
    import json

    database = tmp_path / "booking.sqlite3"
    result = subprocess.run(
        [sys.executable, "-c", CONCURRENT_BOOKINGS],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.base",
            "DATABASE_URL": f"sqlite:///{database}",
            "REDIS_URL": "",
            "MEDIA_ROOT": str(tmp_path / "media"),
        },
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["name"] == str(database)
    assert seen["options"]["transaction_mode"] == "IMMEDIATE"
    assert [kind for kind, _message in seen["results"]] == ["conflict", "ok"], seen["results"]
    conflict = seen["results"][0][1]
    assert "ไม่ว่าง" in conflict or "จอง" in conflict, conflict
    assert seen["bookings"] == 1
