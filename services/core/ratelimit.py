"""A per-client rate limit, counted where every web process sees the same count:
in Redis when Django's cache is Redis, otherwise in a small SQLite file on the
host (``RATE_LIMIT_FILE``). Django's cache without Redis is each process's own
memory, where each of N processes would allow the whole limit.

A limit is written "<count>/<seconds>", e.g. "10/600": at most ten actions per
client address in each ten-minute window.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache

from home.traffic import address_in

if TYPE_CHECKING:
    from django.http import HttpRequest


def parse_rate(rate: str | int) -> tuple[int, int]:
    """ "10/600" -> (10, 600); a bare count means per minute."""
    count, _slash, seconds = str(rate).partition("/")
    return int(count), int(seconds or 60)


def client_address(request: HttpRequest) -> str:
    """The client's address; behind ``TRUSTED_PROXY_COUNT`` reverse proxies, the
    address the outermost trusted proxy saw (clients can forge the rest of
    X-Forwarded-For, so only that many entries from the right are believed).
    The traffic log reads addresses with the same function."""
    return address_in(request.META)


def client_ip(request: HttpRequest) -> str | None:
    """``client_address`` when it is a real IP address, else None.

    For records kept in IP address columns (django-axes' login log): a forged
    X-Forwarded-For entry or a request without an address must not reach them.
    """
    import ipaddress

    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def hit(request: HttpRequest, scope: str, rate: str | None = None) -> bool:
    """Count one action; True while the client is within its limit."""
    count, seconds = parse_rate(rate or settings.SERVICE_RATE_LIMIT)
    window = int(time.time() // seconds)
    key = f"ratelimit:{scope}:{client_address(request)}:{window}"
    client = _redis_client(key)
    if client is not None:
        # One round trip: create the counter at 0 with its expiry if missing, then
        # count (Django's add() and incr() take three).
        full_key = cache.make_and_validate_key(key)
        pipe = client.pipeline(transaction=False)
        pipe.set(full_key, 0, ex=seconds + 5, nx=True)
        pipe.incr(full_key)
        return pipe.execute()[1] <= count
    return _host_counts.count(key, time.time() + seconds + 5) <= count


def forget_all() -> None:
    """Drop every count (tests start from none)."""
    cache.clear()
    _host_counts.clear()


class _HostCounts:
    """Counts in a SQLite file that every process on the host opens.

    One statement counts (an upsert that returns the new count); a lock on a
    file beside it gives processes their turns at once, where SQLite's own
    busy handler would sleep a millisecond or more. Durability is not needed:
    the file is not synced, and counts that expired are deleted now and then."""

    PURGE_EVERY = 1000

    def __init__(self):
        self._pid = None
        self._thread_lock = threading.Lock()
        self._counted = 0

    def _open(self):
        if self._pid == os.getpid():
            return
        path = settings.RATE_LIMIT_FILE
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        self._lock_file = open(path + ".lock", "a+b")  # noqa: SIM115  (kept open)
        self._db = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
        with self._turn():
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS counts "
                "(key TEXT PRIMARY KEY, used INTEGER NOT NULL, expires REAL NOT NULL)"
            )
        self._db.execute("PRAGMA synchronous=OFF")
        self._pid = os.getpid()

    @contextlib.contextmanager
    def _turn(self):
        fcntl.flock(self._lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)

    def count(self, key: str, expires: float) -> int:
        """Count one more against ``key``; returns the count."""
        with self._thread_lock:
            self._open()
            with self._turn():
                ((used,),) = self._db.execute(
                    "INSERT INTO counts (key, used, expires) VALUES (?, 1, ?) "
                    "ON CONFLICT (key) DO UPDATE SET used = used + 1 RETURNING used",
                    (key, expires),
                ).fetchall()
                self._counted += 1
                if self._counted % self.PURGE_EVERY == 0:
                    self._db.execute("DELETE FROM counts WHERE expires < ?", (time.time(),))
        return used

    def clear(self) -> None:
        with self._thread_lock:
            self._open()
            with self._turn():
                self._db.execute("DELETE FROM counts")


_host_counts = _HostCounts()


_clients: dict[int, Any] = {}


def _redis_client(key):
    """The Redis client behind Django's cache, or None for any other cache.

    Django builds a client object for every call (a dict of some 170 reply
    handlers each time); one per connection pool serves every call alike."""
    backend = getattr(cache, "_cache", None)
    if backend is None or not hasattr(backend, "get_client"):
        return None
    pool = backend._get_connection_pool(write=True)
    client = _clients.get(id(pool))
    if client is None or client.connection_pool is not pool:
        client = _clients[id(pool)] = backend.get_client(key, write=True)
    return client


def retry_after(rate=None):
    """Seconds until the current window of ``rate`` ends (for a Retry-After header)."""
    _count, seconds = parse_rate(rate or settings.SERVICE_RATE_LIMIT)
    return max(1, int(seconds - time.time() % seconds) + 1)


def limited(response, rate=None):
    """Mark ``response`` as a 429 that says when to come back."""
    response.status_code = 429
    response["Retry-After"] = str(retry_after(rate))
    return response


def limited_context(rate=None):
    return {"rate_limited": True, "retry_minutes": max(1, -(-retry_after(rate) // 60))}
