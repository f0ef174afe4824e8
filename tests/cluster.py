"""Real moving parts for delivery tests: an SMTP server and a qcluster process.

``SmtpSink`` is a real SMTP server (aiosmtpd) on 127.0.0.1 that records what it
receives; ``QCluster`` runs ``manage.py qcluster`` in a separate process against
the test database and the broker this test run uses (ORM on SQLite, Redis when
REDIS_URL is set).
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from email import message_from_bytes
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout=30, interval=0.2, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


class SmtpSink:
    def __init__(self, port=None, delay=0.0):
        self.port = port or free_port()
        self.delay = delay  # seconds per message, to make a batch take a while
        self.messages = []
        self.peers = []  # the client's (host, port) of each message: one per connection
        self._lock = threading.Lock()
        self._controller = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content))
            self.peers.append(tuple(session.peer))
        return "250 OK"

    def start(self):
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self):
        if self._controller:
            self._controller.stop()
            self._controller = None

    def keys(self):
        with self._lock:
            return [m["X-Outbox-Key"] for m in self.messages]


def database_env():
    """Environment pointing a child process at the database this test uses."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"SQLITE_PATH": settings_dict["NAME"], "DATABASE_URL": ""}
    user = settings_dict.get("USER") or "postgres"
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else f"{user}@"
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return {"DATABASE_URL": f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"}


class QCluster:
    def __init__(self, smtp_port, **extra_env):
        from django_q.conf import Conf

        self.env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
            "DEBUG": "0",
            "PYTHONUNBUFFERED": "1",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "EMAIL_TIMEOUT": "3",
            "OUTBOX_BACKOFF_SECONDS": "1",
            "Q_CLUSTER_NAME": Conf.CLUSTER_NAME,
            "Q_WORKERS": "2",
            **database_env(),
            **extra_env,
        }
        self.proc = None
        self.log = None

    def start(self):
        (ROOT / "var").mkdir(exist_ok=True)
        self.log = open(ROOT / "var" / f"qcluster-{os.getpid()}.log", "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so kill() reaches the workers
        )
        return self

    def kill(self):
        """SIGKILL the cluster and every worker at once, as a power cut would."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.proc = None

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.log:
            self.log.close()
        self.proc = None
