"""Traffic logs kept as the Computer-related Crime Act asks (at least 90 days).

``TrafficLogMiddleware`` writes one JSON line per request to the day's file
``<TRAFFIC_LOG_DIR>/traffic-YYYY-MM-DD.jsonl`` (the office's local date), so
one day's log is one file: time, client address, user, method, path, the
query string with its personal values removed, status, bytes and duration.

What is removed: the value of any query parameter whose name says it holds
personal data or a secret (email, phone, token, code, password, key …) and
any value that looks like an e-mail address, a phone number or a random
token. Path segments that look like random tokens (the tracking, calendar and
survey links) are replaced too, so the log never holds a key to personal data.

``purge`` (a daily Django-Q2 schedule) deletes the files older than
``TRAFFIC_LOG_DAYS`` days, never fewer than 90; ``read_range`` gives an
administrator the lines of a date range.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.utils import timezone

log = logging.getLogger(__name__)

MINIMUM_DAYS = 90
REMOVED = "[removed]"
FILE_PATTERN = re.compile(r"^traffic-(\d{4}-\d{2}-\d{2})\.jsonl$")

SENSITIVE_NAMES = re.compile(
    r"(mail|phone|tel|mobile|token|code|pass|secret|key|otp|auth|session|sig|name|id_card|citizen)",
    re.IGNORECASE,
)
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE = re.compile(r"^\+?[\d\s().-]{8,}$")
# Long, random-looking strings: at least 16 URL-safe characters with both
# letters and digits (tracking tokens are 43 characters of that alphabet).
TOKEN = re.compile(r"^[A-Za-z0-9_\-.~+/=]{16,}$")


#: Longer path segments or values are logged as removed: nothing useful is that
#: long, and the patterns below must never scan a hostile 100 kB string.
MAX_LOGGED_PART = 256


def looks_personal(value: str) -> bool:
    value = value.strip()
    if len(value) > MAX_LOGGED_PART:
        return True
    if EMAIL.search(value):
        return True
    if PHONE.match(value) and sum(c.isdigit() for c in value) >= 8:
        return True
    return looks_like_token(value)


def looks_like_token(value: str) -> bool:
    return bool(
        TOKEN.match(value) and any(c.isdigit() for c in value) and any(c.isalpha() for c in value)
    )


def clean_query(query: str) -> str:
    """The query string with every personal or secret value replaced."""
    if not query:
        return ""
    pairs = []
    for name, value in parse_qsl(query, keep_blank_values=True):
        if value and (SENSITIVE_NAMES.search(name) or looks_personal(value)):
            value = REMOVED
        if looks_personal(name):
            name = REMOVED
        pairs.append((name, value))
    return urlencode(pairs, safe="[]")


def clean_path(path: str) -> str:
    """The path with random-token segments (and anything like an e-mail) replaced."""
    parts = path.split("/")
    for index, part in enumerate(parts):
        if len(part) > MAX_LOGGED_PART:
            parts[index] = REMOVED
            continue
        stem = part.rsplit(".", 1)[0] if "." in part and "@" not in part else part
        if part and (EMAIL.search(part) or looks_like_token(stem)):
            parts[index] = REMOVED
    return "/".join(parts)


def address_in(meta) -> str:
    """The client's address from a request's META (or a WSGI environ): behind
    ``TRUSTED_PROXY_COUNT`` reverse proxies, the one the outermost trusted proxy
    saw; the rate limits (``services.core.ratelimit``) read addresses with it too."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        chain = [p.strip() for p in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(chain) >= proxies:
            return chain[-proxies]
    return meta.get("REMOTE_ADDR") or "unknown"


def log_dir() -> Path:
    return Path(settings.TRAFFIC_LOG_DIR)


def keep_days() -> int:
    return max(MINIMUM_DAYS, int(getattr(settings, "TRAFFIC_LOG_DAYS", MINIMUM_DAYS)))


def file_for(day: dt.date) -> Path:
    return log_dir() / f"traffic-{day.isoformat()}.jsonl"


def response_bytes(response):
    if response.has_header("Content-Length"):
        try:
            return int(response["Content-Length"])
        except ValueError:
            return None
    if getattr(response, "streaming", False):
        return None
    return len(response.content)


def request_user(request):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.get_username()
    return ""


def record(request, response, started: float) -> dict:
    return line(
        request.META,
        request_user(request),
        request.path,
        response.status_code,
        response_bytes(response),
        started,
    )


def line(meta, user: str, path: str, status: int, size: int | None, started: float) -> dict:
    """One log line from a request's META (or a WSGI environ) and what was answered."""
    return {
        "time": timezone.localtime().isoformat(timespec="milliseconds"),
        "client": address_in(meta),
        "user": user,
        "method": meta.get("REQUEST_METHOD", ""),
        "path": clean_path(path),
        "query": clean_query(meta.get("QUERY_STRING", "")),
        "status": status,
        "bytes": size,
        "ms": round((time.monotonic() - started) * 1000, 1),
    }


def enabled() -> bool:
    return getattr(settings, "TRAFFIC_LOG_ENABLED", True)


# The day file this process has open: (day, folder, descriptor, checked at).
# Kept open between requests; a new day, another folder, or a file removed or
# renamed under us (looked at once a second at most) opens afresh.
_open_file: tuple[str, str, int, float] | None = None
RECHECK_SECONDS = 1.0


def _day_file(day: str) -> int:
    global _open_file
    folder = str(settings.TRAFFIC_LOG_DIR)
    if _open_file is not None:
        open_day, open_folder, fd, checked = _open_file
        if open_day == day and open_folder == folder:
            now = time.monotonic()
            if now - checked < RECHECK_SECONDS:
                return fd
            if _still_there(file_for(dt.date.fromisoformat(day)), fd):
                _open_file = (day, folder, fd, now)
                return fd
        _open_file = None
        os.close(fd)
    path = file_for(dt.date.fromisoformat(day))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    _open_file = (day, folder, fd, time.monotonic())
    return fd


def _still_there(path: Path, fd: int) -> bool:
    try:
        return os.fstat(fd).st_nlink > 0 and os.stat(path).st_ino == os.fstat(fd).st_ino
    except OSError:
        return False


def write(entry: dict) -> None:
    """Append one line; one write() call, so lines of concurrent workers never mix."""
    line = (json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    os.write(_day_file(entry["time"][:10]), line)


class TrafficLogMiddleware:
    """Outermost middleware: sees the final status of every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        if enabled():
            try:
                write(record(request, response, started))
            except Exception:  # a full disk must not take the site down
                log.exception("traffic log line not written")
        return response


def log_files() -> list[tuple[dt.date, Path]]:
    folder = log_dir()
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = FILE_PATTERN.match(path.name)
        if match:
            found.append((dt.date.fromisoformat(match.group(1)), path))
    return sorted(found)


def purge(today: dt.date | None = None) -> dict:
    """Delete the day files older than the kept period (never fewer than 90 days)."""
    today = today or timezone.localdate()
    first_kept = today - dt.timedelta(days=keep_days() - 1)
    removed = 0
    for day, path in log_files():
        if day < first_kept:
            path.unlink(missing_ok=True)
            removed += 1
    return {"removed": removed, "kept_from": first_kept.isoformat()}


def read_range(start: dt.date, end: dt.date):
    """The log lines (bytes) of every day from ``start`` to ``end`` inclusive."""
    for day, path in log_files():
        if start <= day <= end:
            with path.open("rb") as handle:
                yield from handle
