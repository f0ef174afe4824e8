"""Benchmark: the home page, a news page and a site search served by gunicorn
(2 workers), against a minimal Django view that returns a page of the same size.

Not a test: it prints requests/s, p50 and p99 for each URL and the ratio to
the minimal view. Usage: make bench  (or: python scripts/bench_pages.py --seconds 10)
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
# A search as people type it: two Thai words run together.
SEARCH_PATH = "/search/?q=" + quote("ซ่อมคอมพิวเตอร์")
PY = sys.executable


def wait_for(port, path="/", timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            body = conn.getresponse().read()
            return body
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server on port {port} did not start")


def load(port, path, seconds, concurrency):
    latencies, errors = [], [0]
    stop_at = time.perf_counter() + seconds
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        while time.perf_counter() < stop_at:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors[0] += 1
            except OSError:
                errors[0] += 1
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    count = len(latencies)
    return {
        "requests": count,
        "rps": count / seconds,
        "p50": statistics.median(latencies) * 1000 if count else float("nan"),
        "p99": latencies[min(count - 1, int(count * 0.99))] * 1000 if count else float("nan"),
        "errors": errors[0],
    }


def start_gunicorn(app, port, env):
    return subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            app,
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="ict-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DEBUG": "0",
        "SQLITE_PATH": str(tmp / "bench.sqlite3"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    if not os.environ.get("DATABASE_URL"):
        print(f"preparing a fresh SQLite database in {tmp} …", flush=True)
    subprocess.run([PY, "manage.py", "migrate", "-v0", "--noinput"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [PY, "manage.py", "load_demo", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    news_url = (
        subprocess.run(
            [
                PY,
                "manage.py",
                "shell",
                "-c",
                "from home.models import NewsPage; print(NewsPage.objects.live().first().url)",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )

    site = start_gunicorn("cms.wsgi:application", 8101, env)
    try:
        home_body = wait_for(8101, "/")
        env_base = {**env, "BENCH_BODY_SIZE": str(len(home_body))}
        baseline = start_gunicorn("scripts.bench_baseline:application", 8102, env_base)
        try:
            wait_for(8102, "/")
            for port, path in ((8101, "/"), (8101, news_url), (8101, SEARCH_PATH), (8102, "/")):
                load(port, path, 1, args.concurrency)  # warm up
            results = {
                "home page": load(8101, "/", args.seconds, args.concurrency),
                "news page": load(8101, news_url, args.seconds, args.concurrency),
                "search page": load(8101, SEARCH_PATH, args.seconds, args.concurrency),
                "minimal Django view": load(8102, "/", args.seconds, args.concurrency),
            }
        finally:
            baseline.terminate()
            baseline.wait()
    finally:
        site.terminate()
        site.wait()

    base_rps = results["minimal Django view"]["rps"]
    print(
        f"\ngunicorn 2 workers, {args.concurrency} clients, {args.seconds:.0f} s each, "
        f"page size {len(home_body):,} bytes"
    )
    print(f"{'URL':<22}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}{'vs minimal':>12}")
    for name, row in results.items():
        print(
            f"{name:<22}{row['rps']:>10.1f}{row['p50']:>10.2f}{row['p99']:>10.2f}"
            f"{row['errors']:>8}{row['rps'] / base_rps:>11.2f}x"
        )


if __name__ == "__main__":
    main()
