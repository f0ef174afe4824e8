"""The benchmark scripts still run against today's schema (tiny sizes, SQLite).

These check that the scripts work and print their figures; the figures
themselves come from running the scripts at full size (see README).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args, timeout=300):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    }
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


@pytest.mark.parametrize(
    "script, args, expected",
    [
        ("scripts/bench_desk.py", ["--tickets", "300", "--runs", "1"], ["SLA sweep", "admin list"]),
        ("scripts/bench_reports.py", ["--tickets", "300", "--runs", "1"], ["300"]),
        (
            "scripts/bench_pages.py",
            ["--seconds", "1", "--concurrency", "1"],
            ["home page", "news page", "search page", "minimal Django view"],
        ),
    ],
)
def test_benchmark_script_runs(script, args, expected):
    output = run(script, *args)
    for text in expected:
        assert text in output
