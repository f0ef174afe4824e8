"""Benchmark: the home page, a news page and a site search served by gunicorn
(2 workers), against a minimal Django view that returns a page of the same size.

Not a test: it prints requests/s, p50 and p99 for each URL and the ratio to
the minimal view. Usage: make bench-pages  (or: python scripts/bench_pages.py --seconds 10)

``main`` prepares a fresh SQLite database with the demo content (or uses
DATABASE_URL); ``measure`` only starts the servers on free ports and loads them,
so the suite can call it at a tiny size on the test database.
"""

import argparse
import http.client
import os
import socket
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


def wait_for(port, path="/", timeout=180, process=None):
    """The body of the first answer on ``port``; fails early if ``process`` has exited."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with code {process.returncode}")
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


def start_gunicorn(app, port, env, workers=2):
    return subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            app,
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )


def free_port():
    """A TCP port nobody listens on now (runs on a shared machine must not collide)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(**overrides):
    """The environment of the site's gunicorn: production-like settings, DEBUG off."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        **overrides,
    }


def prepare(env):
    """Migrate the database of ``env`` and load the demo; returns a news page's path
    and the paths of the catalogue and a service page."""
    subprocess.run([PY, "manage.py", "migrate", "-v0", "--noinput"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [PY, "manage.py", "load_demo", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    urls = (
        subprocess.run(
            [
                PY,
                "manage.py",
                "shell",
                "-c",
                "from home.models import NewsPage; from services.catalogue.models import "
                "ServicePage as S; print(NewsPage.objects.live().first().url, "
                "S.objects.live().first().url, S.objects.live().first().get_parent().url)",
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
    news_url, service_url, catalogue_url = urls.split()
    return news_url, {"catalogue": catalogue_url, "service page": service_url}


def measure(
    env, news_url, seconds, concurrency, warmup=1.0, workers=2, out=print, extra_paths=None
):
    """Serve the site and the minimal view with gunicorn and load each URL in turn
    (``extra_paths``: more pages by name). Anonymous pages come from the page cache
    after the warm-up, as in production."""
    site_port, base_port = free_port(), free_port()
    site = start_gunicorn("cms.wsgi:application", site_port, env, workers)
    try:
        home_body = wait_for(site_port, "/", process=site)
        env_base = {**env, "BENCH_BODY_SIZE": str(len(home_body))}
        baseline = start_gunicorn(
            "scripts.bench_baseline:application", base_port, env_base, workers
        )
        try:
            wait_for(base_port, "/", process=baseline)
            targets = {
                "home page": (site_port, "/"),
                "news page": (site_port, news_url),
                **{name: (site_port, path) for name, path in (extra_paths or {}).items()},
                "search page": (site_port, SEARCH_PATH),
                "minimal Django view": (base_port, "/"),
            }
            for port, path in targets.values():
                load(port, path, warmup, concurrency)
            results = {
                name: load(port, path, seconds, concurrency)
                for name, (port, path) in targets.items()
            }
        finally:
            baseline.terminate()
            baseline.wait()
    finally:
        site.terminate()
        site.wait()

    base_rps = results["minimal Django view"]["rps"]
    out(
        f"\ngunicorn {workers} workers, {concurrency} clients, {seconds:g} s each, "
        f"page size {len(home_body):,} bytes"
    )
    out(f"{'URL':<22}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}{'vs minimal':>12}")
    for name, row in results.items():
        out(
            f"{name:<22}{row['rps']:>10.1f}{row['p50']:>10.2f}{row['p99']:>10.2f}"
            f"{row['errors']:>8}{row['rps'] / base_rps:>11.2f}x"
        )
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="ict-bench-"))
    env = server_env(SQLITE_PATH=str(tmp / "bench.sqlite3"), PAGE_CACHE_DIR=str(tmp / "page-cache"))
    if not os.environ.get("DATABASE_URL"):
        print(f"preparing a fresh SQLite database in {tmp} …", flush=True)
    news_url, extra = prepare(env)
    measure(env, news_url, args.seconds, args.concurrency, extra_paths=extra)


if __name__ == "__main__":
    main()
