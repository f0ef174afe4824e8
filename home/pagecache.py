"""A full-page cache for anonymous GETs of public Wagtail pages.

Only what Wagtail itself serves as a page's own URL is stored (home, news,
content pages, the catalogue, service pages): the ``on_serve_page`` hook in
``home.wagtail_hooks`` marks the request once every ``before_serve_page``
check (view restrictions included) has let it through. Sub-routes such as a
service page's confirmation, which carry a person's reference, are never
marked and never stored.

A request may use the cache only when it carries no session and no message
cookie: logged-in users, people in the middle of something and previews (which
are served by the admin, not by Wagtail's ``serve``) always reach the view.

CSRF: the form tokens of the stored copy are replaced by a placeholder and
every visitor gets a token of their own when the page is handed out, with the
CSRF cookie set by Django's own middleware, so POSTs stay protected.

Serving: ``CachedPagesApplication`` wraps the WSGI application (cms/wsgi.py)
and answers a stored page before Django's request handling starts; the
middleware serves it too when a request reaches Django (the test client). Both
use ``_hit``, so a hit is the same page, headers and token either way.
Each process keeps its latest pages in memory for a few seconds, under the
same keys, so most hits read only the generation number from the shared cache;
with Redis not even that, as each process keeps the number and hears purges on
a Redis channel (``GenerationWatch``).

Forms: a view may ``offer_post`` plain data about the form on its page (the
service pages do: which page, which language, where a valid request goes);
it is stored beside the page under the same key and generation, and
``post_offer`` reads it for a POST to that address, so the public form's
quick path (``services.requests.quick_intake``) handles only forms Django
has just served, and a purge withdraws the offer with the page.

Purging: a generation number kept in the same cache is part of every key;
publishing, unpublishing, moving or deleting a page, or saving the office
settings or a site, raises it (``purge``), so every process sees fresh pages
at once. Which cache: ``CACHES["pages"]`` (Redis when ``REDIS_URL`` is set, a
file cache shared by all worker processes otherwise).
"""

import functools
import hashlib
import logging
import os
import re
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.core.handlers.wsgi import get_path_info
from django.db import transaction
from django.http import HttpResponse
from django.http.cookie import parse_cookie
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

from home import traffic
from home.middleware import language_in_cookies

log = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
GENERATION_KEY = "page-cache:generation"
MARK = "_page_cache_ok"
POST_MARK = "_page_cache_post_offer"
PLACEHOLDER = "__PAGE_CACHE_CSRF_TOKEN__"
PLACEHOLDER_BYTES = PLACEHOLDER.encode()
HEADER = "X-Page-Cache"
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
# Headers that belong to one visitor and are never stored.
_PERSONAL_HEADERS = {"set-cookie"}
# Pages this process served lately, by key (the key holds the generation, so a
# purge makes every one of them unreachable at once): the shared cache is read
# only for a page this process has not served since the last purge.
# A local copy is also dropped after LOCAL_SECONDS, so a page never outlives
# its time in the shared cache by more than that.
LOCAL_ENTRIES = 256
LOCAL_SECONDS = 10
_local: OrderedDict[str, tuple[float, tuple]] = OrderedDict()


_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}
# Random bytes below this map onto the 62 allowed characters without bias.
_UNBIASED_BELOW = 256 - 256 % len(CSRF_ALLOWED_CHARS)


# Random bytes to allowed characters in one C call: a byte maps to the character
# at its value modulo 62, and bytes at or above _UNBIASED_BELOW are dropped.
_TO_CHARS = bytes(ord(CSRF_ALLOWED_CHARS[b % len(CSRF_ALLOWED_CHARS)]) for b in range(256))
_BIASED = bytes(range(_UNBIASED_BELOW, 256))


def _random_chars(count):
    """``count`` uniform random characters of CSRF_ALLOWED_CHARS, from os.urandom."""
    picked = b""
    while len(picked) < count:
        picked += os.urandom(count + 8).translate(_TO_CHARS, _BIASED)
    return picked[:count].decode("ascii")


def new_secret():
    """A new CSRF secret, as Django's ``_get_new_csrf_string`` makes one."""
    return _random_chars(CSRF_SECRET_LENGTH)


def masked_token(secret):
    """The form token for ``secret``, as ``django.middleware.csrf.get_token`` makes it.

    Django draws each character with ``secrets.choice``, which costs more than
    handing out a cached page; here one ``os.urandom`` call gives the mask. The
    result has Django's format, a 32-character mask followed by the secret
    enciphered with it, so ``CsrfViewMiddleware`` checks it as its own.
    """
    chars, size, index = CSRF_ALLOWED_CHARS, len(CSRF_ALLOWED_CHARS), _INDEX
    mask = _random_chars(CSRF_SECRET_LENGTH)
    cipher = "".join(
        [chars[(index[x] + index[y]) % size] for x, y in zip(secret, mask, strict=True)]
    )
    return mask + cipher


def _cookie_secret(cookies):
    """The visitor's CSRF secret when their cookie holds a well-formed one."""
    secret = cookies.get(settings.CSRF_COOKIE_NAME, "")
    if len(secret) == CSRF_SECRET_LENGTH and secret.isascii() and secret.isalnum():
        return secret
    return None


def enabled():
    return getattr(settings, "PAGE_CACHE_SECONDS", 0) > 0


def page_cache():
    return caches[CACHE_ALIAS]


def mark_cacheable(request):
    setattr(request, MARK, True)


def _read_generation(cache):
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # A number never used before (the clock in microseconds), so an emptied
        # or restarted cache never brings back keys of an earlier generation.
        cache.add(GENERATION_KEY, time.time_ns() // 1000, None)
        generation = cache.get(GENERATION_KEY)
    return generation


class GenerationWatch:
    """With Redis, each process keeps the generation in memory and a thread listens
    for purges on a Redis channel: a hit then needs no round trip to Redis.

    The kept number is used only while the subscription is confirmed; a purge
    message (or a broken subscription) drops it, and it is never kept longer than
    ``KEEP_SECONDS``. A purge drops its own process's number at once and tells the
    others through the channel (a millisecond on one host). Without Redis (a file
    cache) every hit checks the number's file with ``stat`` and reads it when it
    has changed.
    """

    KEEP_SECONDS = 5.0

    def __init__(self):
        self.lock = threading.Lock()
        self.source = None  # (process id, pages cache) the listener serves
        self.listening = False
        self.value = None
        self.kept_at = 0.0
        self.epoch = 0  # raised by every drop: a read that raced a purge is not kept
        self.file_kept = None  # (file signature, number) of the file cache's generation

    @staticmethod
    def channel(cache):
        return cache.make_and_validate_key(GENERATION_KEY) + ":purged"

    @staticmethod
    def redis_client(cache):
        client = getattr(cache, "_cache", None)
        if client is None or not hasattr(client, "get_client"):
            return None
        return client.get_client(GENERATION_KEY, write=False)

    def get(self, cache):
        if not self._watching(cache):
            return self._from_file(cache)
        with self.lock:
            if self.value is not None and time.monotonic() - self.kept_at < self.KEEP_SECONDS:
                return self.value
            epoch = self.epoch
        value = _read_generation(cache)
        with self.lock:
            if epoch == self.epoch and self.listening:
                self.value, self.kept_at = value, time.monotonic()
        return value

    def _from_file(self, cache):
        """Without Redis: the number, read again only when its file has changed.

        The file cache writes a new file for each change (a new inode), so a
        ``stat`` tells whether the kept number is still the stored one."""
        path = _generation_file(cache)
        if path is None:
            return _read_generation(cache)
        try:
            before = os.stat(path)
        except OSError:  # not written yet, or culled: reading it sets it
            return _read_generation(cache)
        signature = (path, before.st_ino, before.st_mtime_ns, before.st_size)
        kept = self.file_kept
        if kept is not None and kept[0] == signature:
            return kept[1]
        value = _read_generation(cache)
        self.file_kept = (signature, value)
        return value

    def drop(self):
        with self.lock:
            self.file_kept = None
            self.value = None
            self.epoch += 1

    def announce(self, cache):
        """Tell every process that the generation changed (after ``incr``)."""
        self.drop()
        client = self.redis_client(cache)
        if client is not None:
            try:
                client.publish(self.channel(cache), b"1")
            except Exception:  # the others fall back on KEEP_SECONDS
                log.exception("page cache purge not announced")

    def _watching(self, cache):
        """Whether the kept number may be used; starts the listener in each new
        process (or a fork), and again when the pages cache is set up anew."""
        # Cheap to compute on every hit: which process, and which cache it points at.
        source = (os.getpid(), type(cache), cache.key_prefix, getattr(cache, "_servers", None))
        if source != self.source:
            with self.lock:
                if source != self.source:
                    self.source, self.listening, self.value = source, False, None
                    self.epoch += 1
                    if self.redis_client(cache) is not None:
                        threading.Thread(
                            target=self._listen,
                            args=(cache, source),
                            name="page-cache-purges",
                            daemon=True,
                        ).start()
        return self.listening

    def _listen(self, cache, source):
        while self.source == source:
            try:
                pubsub = self.redis_client(cache).pubsub()
                pubsub.subscribe(self.channel(cache))
                for message in pubsub.listen():
                    if self.source != source:
                        break
                    if message["type"] in ("subscribe", "message"):
                        self.drop()
                        self.listening = True
            except Exception:
                log.warning("page cache purge channel lost; reading the generation each time")
            if self.source == source:
                self.listening = False
                self.drop()
                time.sleep(1)


_watch = GenerationWatch()


@functools.lru_cache(maxsize=4)
def _generation_file(cache):
    """Where a file cache keeps the generation (None for other caches)."""
    to_file = getattr(cache, "_key_to_file", None)
    return to_file(GENERATION_KEY) if to_file is not None else None


def _generation(cache):
    return _watch.get(cache)


def purge(**kwargs):
    """Drop every cached page, now and again when the current transaction commits."""

    def bump():
        cache = page_cache()
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            cache.set(GENERATION_KEY, time.time_ns() // 1000, None)
        _watch.announce(cache)

    bump()
    transaction.on_commit(bump)


def remember(name, compute, *parts):
    """A fragment (such as the main menu) kept until the next purge.

    ``compute`` must return plain, picklable data. With the page cache off it
    is computed every time.
    """
    if not enabled():
        return compute()
    cache = page_cache()
    key = f"fragment:{_generation(cache)}:{name}:" + ":".join(str(part) for part in parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    return value


EXCLUDED_PATHS = ("/admin/", "/publishing/", "/track/", "/desk/")


def offer_post(request, offer):
    """Store ``offer`` (plain, picklable data) beside this request's page when the
    page is stored; ``post_offer`` gives it to POSTs to the same address."""
    setattr(request, POST_MARK, offer)


# Headers of a stored page that belong on every answer from its address.
_POLICY_HEADERS = frozenset(
    {
        "content-security-policy",
        "cross-origin-opener-policy",
        "referrer-policy",
        "strict-transport-security",
        "x-content-type-options",
        "x-frame-options",
        "content-language",
        "vary",
    }
)


def _post_key(page_key):
    return "post" + page_key.removeprefix("page")


def post_offer(environ, cookies):
    """What the view offered for POSTs to this address (a dict with the page's
    policy headers under "headers"), or None: no anonymous visitor was shown
    the page since the last purge, or the request is not one the cache serves
    (a session or message cookie, an excluded path, a query string)."""
    host = _wsgi_host(environ)
    path_info = get_path_info(environ)
    if not enabled() or not host or environ.get("QUERY_STRING"):
        return None
    if _personal(cookies) or path_info.startswith(EXCLUDED_PATHS):
        return None
    cache = page_cache()
    return _stored(cache, _post_key(_key(cache, host, cookies, path_info, "")))


def _may_use(request):
    if request.method not in ("GET", "HEAD") or not enabled():
        return False
    if _personal(request.COOKIES):
        return False
    return not request.path_info.startswith(EXCLUDED_PATHS)


def _personal(cookies):
    """A session or messages cookie: the visitor is logged in or in the middle of something."""
    return settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies


def _key(cache, host, cookies, path_info, query):
    raw = f"{host}|{language_in_cookies(cookies)}|{path_info}?{query}"
    digest = hashlib.sha1(raw.encode("utf-8", "surrogateescape")).hexdigest()
    return f"page:{_generation(cache)}:{digest}"


def _request_key(request, cache):
    return _key(
        cache,
        request.get_host(),
        request.COOKIES,
        request.path_info,
        request.META.get("QUERY_STRING", ""),
    )


def _storable(request, response):
    if not getattr(request, MARK, False) or request.method != "GET":
        return False
    if response.status_code != 200 or response.streaming:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
        return False
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


def _local_entry(key):
    kept = _local.get(key)
    if kept is None:
        return None
    expires, entry = kept
    if time.monotonic() >= expires:
        _local.pop(key, None)
        return None
    return entry


def _keep_local(key, entry):
    _local[key] = (time.monotonic() + min(LOCAL_SECONDS, settings.PAGE_CACHE_SECONDS), entry)
    _local.move_to_end(key)
    while len(_local) > LOCAL_ENTRIES:
        _local.popitem(last=False)


def _stored(cache, key):
    """The stored (body, headers) of ``key``: this process's copy, else the shared one."""
    entry = _local_entry(key)
    if entry is None:
        entry = cache.get(key)
        if entry is not None:
            _keep_local(key, entry)
    return entry


def _hit(entry, cookies):
    """A stored page for one visitor, as (headers, body): their own form token,
    and their CSRF cookie set or renewed when the page has a form (as Django's
    middleware would)."""
    body, headers = entry
    headers = [pair for pair in headers if pair[0].lower() != "content-length"]
    if PLACEHOLDER_BYTES in body:
        secret = _cookie_secret(cookies) or new_secret()
        body = body.replace(PLACEHOLDER_BYTES, masked_token(secret).encode())
        headers.append(("Set-Cookie", _csrf_cookie(secret)))
    headers += [("Content-Length", str(len(body))), (HEADER, "hit")]
    return headers, body


_COOKIE_VALUE = "__PAGE_CACHE_CSRF_SECRET__"


@functools.lru_cache(maxsize=2)
def _csrf_cookie_template(second):
    """The CSRF cookie as Django's middleware sets it (its expiry date changes each
    second), with a placeholder for the secret."""
    response = HttpResponse()
    response.set_cookie(
        settings.CSRF_COOKIE_NAME,
        _COOKIE_VALUE,
        max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN,
        path=settings.CSRF_COOKIE_PATH,
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=settings.CSRF_COOKIE_HTTPONLY,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )
    return response.cookies[settings.CSRF_COOKIE_NAME].OutputString()


def _csrf_cookie(secret):
    return _csrf_cookie_template(int(time.time())).replace(_COOKIE_VALUE, secret)


class PageCacheMiddleware:
    """Stores anonymous public pages, and serves them to requests that reach
    Django (the test client, a server without ``CachedPagesApplication``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_use(request):
            return self.get_response(request)
        cache = page_cache()
        key = _request_key(request, cache)
        entry = _stored(cache, key)
        if entry is not None:
            headers, body = _hit(entry, request.COOKIES)
            response = HttpResponse(body)
            for name, value in headers:
                if name == "Set-Cookie":
                    response.cookies.load(value)
                else:
                    response[name] = value
            return response
        response = self.get_response(request)
        if _storable(request, response):
            body = _TOKEN.sub(rb"\g<1>" + PLACEHOLDER_BYTES + rb"\g<2>", response.content)
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in _PERSONAL_HEADERS
            ]
            cache.set(key, (body, headers), settings.PAGE_CACHE_SECONDS)
            _keep_local(key, (body, headers))
            offer = getattr(request, POST_MARK, None)
            if offer is not None and not request.META.get("QUERY_STRING"):
                policy = [(n, v) for n, v in headers if n.lower() in _POLICY_HEADERS]
                offer = {**offer, "headers": policy}
                cache.set(_post_key(key), offer, settings.PAGE_CACHE_SECONDS)
                _keep_local(_post_key(key), offer)
            response[HEADER] = "miss"
        return response


def _wsgi_host(environ):
    """The host Django's ``get_host`` would read (None: let Django answer)."""
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
        return environ["HTTP_X_FORWARDED_HOST"]
    return environ.get("HTTP_HOST")


class CachedPagesApplication:
    """WSGI: hands out stored pages before Django's request handling starts.

    A page is only ever stored by ``PageCacheMiddleware`` after Django served it
    (its host allowed, its input guarded, its view restrictions passed), under a
    key of host, language, path and query; a request that matches no stored key
    goes to Django. A hit costs a key, a cache read (this process's copy, else the
    shared cache) and the visitor's token, and is written to the traffic log
    like every other request.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        started = time.monotonic()
        method = environ.get("REQUEST_METHOD")
        host = _wsgi_host(environ)
        if method not in ("GET", "HEAD") or not host or not enabled():
            return self.application(environ, start_response)
        cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
        path_info = get_path_info(environ)
        if _personal(cookies) or path_info.startswith(EXCLUDED_PATHS):
            return self.application(environ, start_response)
        cache = page_cache()
        entry = _stored(
            cache, _key(cache, host, cookies, path_info, environ.get("QUERY_STRING", ""))
        )
        if entry is None:
            return self.application(environ, start_response)
        headers, body = _hit(entry, cookies)
        start_response("200 OK", headers)
        if traffic.enabled():
            try:
                traffic.write(traffic.line(environ, "", path_info, 200, len(body), started))
            except Exception:  # a full disk must not take the site down
                log.exception("traffic log line not written")
        return [b"" if method == "HEAD" else body]
