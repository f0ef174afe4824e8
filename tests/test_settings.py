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
