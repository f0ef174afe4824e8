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

Purging: a generation number kept in the same cache is part of every key;
publishing, unpublishing, moving or deleting a page, or saving the office
settings or a site, raises it (``purge``), so every process sees fresh pages
at once. Which cache: ``CACHES["pages"]`` (Redis when ``REDIS_URL`` is set, a
file cache shared by all worker processes otherwise).
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils import translation

CACHE_ALIAS = "pages"
GENERATION_KEY = "page-cache:generation"
MARK = "_page_cache_ok"
PLACEHOLDER = "__PAGE_CACHE_CSRF_TOKEN__"
HEADER = "X-Page-Cache"
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
# Headers that belong to one visitor and are never stored.
_PERSONAL_HEADERS = {"set-cookie"}


def enabled():
    return getattr(settings, "PAGE_CACHE_SECONDS", 0) > 0


def page_cache():
    return caches[CACHE_ALIAS]


def mark_cacheable(request):
    setattr(request, MARK, True)


def _generation(cache):
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = 1
        cache.add(GENERATION_KEY, generation, None)
    return generation


def purge(**kwargs):
    """Drop every cached page, now and again when the current transaction commits."""

    def bump():
        cache = page_cache()
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            cache.set(GENERATION_KEY, 2, None)

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


def _may_use(request):
    if request.method not in ("GET", "HEAD") or not enabled():
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return not request.path.startswith(("/admin/", "/publishing/", "/track/", "/desk/"))


def _key(request, cache):
    language = translation.get_language_from_request(request)
    raw = f"{request.get_host()}|{language}|{request.get_full_path()}"
    digest = hashlib.sha1(raw.encode("utf-8")).hexdigest()
    return f"page:{_generation(cache)}:{digest}"


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


class PageCacheMiddleware:
    """Serves and stores anonymous public pages; first in the middleware list."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        if not _may_use(request):
            return self.get_response(request)
        cache = page_cache()
        key = _key(request, cache)
        entry = cache.get(key)
        if entry is not None:
            return self._from_cache(request, entry)
        response = self.get_response(request)
        if _storable(request, response):
            body = _TOKEN.sub(rb"\g<1>" + PLACEHOLDER.encode() + rb"\g<2>", response.content)
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in _PERSONAL_HEADERS
            ]
            cache.set(key, (body, headers), settings.PAGE_CACHE_SECONDS)
            response[HEADER] = "miss"
        return response

    def _from_cache(self, request, entry):
        body, headers = entry
        self.csrf.process_request(request)
        if PLACEHOLDER.encode() in body:
            body = body.replace(PLACEHOLDER.encode(), get_token(request).encode())
        response = HttpResponse(body)
        for name, value in headers:
            response[name] = value
        response["Content-Length"] = str(len(body))
        response[HEADER] = "hit"
        return self.csrf.process_response(request, response)
