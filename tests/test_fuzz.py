"""No 500 on any input: a corpus of bad values sent to every URL of the URLconf.

Public URLs, their path parameters, their query parameters and the fields of
every form they show; the admin's list views and reports with their filters.
URLs are discovered from the URLconf (and from the sub-pages of routable
pages), so a new view is fuzzed without anyone adding it here.

Runs on SQLite and, with DATABASE_URL pointing at PostgreSQL, on PostgreSQL.
To keep it short each parameter gets a rotating sample of the corpus, and
every corpus value is sent to all fields of a form at once.
"""

import itertools
import logging
import re
import time
import zlib
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from tests.desk_helpers import make_user

pytestmark = pytest.mark.usefixtures("fresh_cache")

# Values as a URL carries them (already percent-encoded where it matters):
# bytes that are not UTF-8 cannot be written as Python text.
RAW = [
    "%00",
    "a%00b",
    "%ED%A0%80",  # a lone surrogate in UTF-8
    "%C0%AF",  # over-long UTF-8 for "/"
    "%FF%FE",
    "%E0%B8",  # a Thai letter cut in half
    "%25%32%65",  # double-encoded
]
TEXT = [
    "",
    " ",
    "ก" * 43,
    "ผู้ใช้@ตัวอย่าง.ไทย",
    "user@bücher.de",
    "xn--12c1fe0br.xn--o3cw4h",
    "A" * 100_000,
    "-1",
    "0",
    "9999",
    "2569",
    "99999999999999999999999",
    "-99999999999999999999",
    "1e309",
    "NaN",
    "1.5",
    "abc",
    "true",
    "[]",
    "{'a': 1}",
    "../../../etc/passwd",
    "<script>alert(1)</script>",
    "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;",
    "' OR 1=1 --",
    "\u202eevil",
    "\U0001f600",
    "%s%n{0}",
]
CORPUS = [(value, value) for value in RAW] + [(value, quote(value, safe="")) for value in TEXT]
# Values the input guard refuses at the edge (a Thai 400) and values that reach
# views, forms and the database. Only the latter are worth combining.
EDGE = [item for item in CORPUS if item[0] in RAW or len(item[0]) > 2000]
DEEP = [item for item in CORPUS if item not in EDGE]
PER_URL = 6  # values of DEEP per URL, rotating so that the URLs share the corpus
GENERIC_QUERY = ["q", "page", "p", "year", "month", "lang", "next", "ordering", "o", "format"]
ADMIN_QUERY = ["q", "p", "year", "o", "ordering"]


def rotation(name, size=PER_URL):
    """A stable slice of DEEP for one URL; different URLs get different slices."""
    start = zlib.crc32(name.encode()) % len(DEEP)
    return list(itertools.islice(itertools.cycle(DEEP), start, start + size))


def latin(names, values):
    """Rows assigning ``values`` to ``names`` so that every name meets every value.

    Row i gives name j the value (i + j) mod len(values): len(values) requests
    test each parameter with each value, instead of len(names) * len(values).
    """
    names = sorted(names)
    for i in range(len(values)):
        yield {name: values[(i + j) % len(values)] for j, name in enumerate(names)}


# --- discovery -------------------------------------------------------------
def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + _text(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + _text(pattern.pattern), pattern


def _text(pattern):
    if isinstance(pattern, RoutePattern):
        return str(pattern)
    assert isinstance(pattern, RegexPattern)
    return "\x01" + pattern.regex.pattern + "\x02"


_ROUTE_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
_REGEX_PARAM = re.compile(r"\(\?P<(\w+)>[^)]*\)|\((?!\?)[^)]*\)")


def template_of(route):
    """A route (regex parts marked) as a format string with named holes, or None."""
    names = []

    def route_hole(match):
        names.append(match.group(2))
        return "{" + match.group(2) + "}"

    def regex_part(match):
        body = match.group(1)
        if body in (r"^((?:[\w\-]+/)*)$", r"^.*/$"):
            return "\x03"  # Wagtail's page serving and the admin catch-all
        counter = itertools.count()

        def hole(group):
            name = group.group(1) or f"arg{len(names)}_{next(counter)}"
            names.append(name)
            return "{" + name + "}"

        return _REGEX_PARAM.sub(hole, body).lstrip("^").rstrip("$").replace("\\", "")

    text = re.sub(r"\x01(.*?)\x02", regex_part, route)
    if "\x03" in text:
        return None, []
    return "/" + _ROUTE_PARAM.sub(route_hole, text), names


def url_templates(prefix_filter):
    for route, pattern in walk(get_resolver().url_patterns):
        template, names = template_of(route)
        if template is None or not prefix_filter(template):
            continue
        yield template, names, pattern


class Forms(HTMLParser):
    """Forms and links in a page: method, action and field names with defaults."""

    def __init__(self):
        super().__init__()
        self.forms, self.links = [], set()
        self._form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "fields": {},
            }
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea") and self._form is not None:
            name = attrs.get("name")
            if name and name != "csrfmiddlewaretoken":
                self._form["fields"].setdefault(name, attrs.get("value") or "")
        elif tag == "a" and attrs.get("href", "").startswith("?"):
            self.links.add(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def parse(response):
    parser = Forms()
    if response.get("Content-Type", "").startswith("text/html"):
        parser.feed(response.content.decode("utf-8", "replace"))
    return parser


def query_names(parser):
    names = set()
    for link in parser.links:
        for part in link[1:].split("&"):
            if part.split("=")[0]:
                names.add(part.split("=")[0])
    for form in parser.forms:
        if form["method"] == "get":
            names.update(form["fields"])
    return names


# --- the fuzzer --------------------------------------------------------------
class Fuzzer:
    def __init__(self, client):
        self.client = client
        self.client.raise_request_exception = True
        self.failures = []
        self.requests = 0
        self.timing = {}

    def send(self, method, url, data=None):
        self.requests += 1
        started = time.perf_counter()
        try:
            return self._send(method, url, data)
        finally:
            key = url.split("?")[0][:60]
            self.timing[key] = self.timing.get(key, 0) + time.perf_counter() - started

    def slowest(self):
        return sorted(self.timing.items(), key=lambda item: -item[1])[:15]

    def _send(self, method, url, data=None):
        try:
            if method == "post":
                response = self.client.post(url, data or {})
            else:
                response = self.client.get(url)
        except Exception as exc:  # a 500: record it and go on
            self.failures.append(
                f"{method.upper()} {url[:200]} → {type(exc).__name__}: {exc}"[:400]
            )
            return None
        if response.status_code >= 500:
            self.failures.append(f"{method.upper()} {url[:200]} → {response.status_code}")
        return response

    def path_params(self, template, names, valid):
        for row in latin(names, rotation(template)):
            self.send("get", template.format(**{n: raw for n, (_v, raw) in row.items()}))
        for _value, raw in EDGE:  # each refused value once, in one parameter
            values = {n: valid.get(n, "1") for n in names}
            values[names[zlib.crc32(raw.encode()) % len(names)]] = raw
            self.send("get", template.format(**values))

    def query(self, url, names):
        base = url.split("?")[0]
        names = sorted(names)
        for row in latin(names, rotation(base)):
            self.send(
                "get", base + "?" + "&".join(f"{quote(n)}={raw}" for n, (_v, raw) in row.items())
            )
        for _value, raw in EDGE[:3]:
            self.send("get", f"{base}?{quote(names[0])}={raw}")

    def forms(self, url, parser, seen):
        for form in parser.forms:
            action = form["action"] or url
            if urlsplit(action).netloc or not form["fields"]:
                continue
            fields = form["fields"]
            if form["method"] != "post":
                self.query(action, set(fields))
                continue
            shape = (
                action.split("#")[0].split("?")[0] if "/survey/" in action else "",
                *sorted(fields),
            )
            if shape in seen:  # the same form on another page: fuzzed once
                continue
            seen.add(shape)
            # Every field meets every value the edge lets through …
            for row in latin(fields, DEEP):
                self.send("post", action, {n: _decoded(v) for n, (v, _raw) in row.items()})
            # … and the broken ones, as a browser would post them.
            for value, _raw in EDGE:
                self.send("post", action, {**fields, sorted(fields)[0]: _decoded(value)})


def _decoded(raw):
    """What a browser would post for a raw corpus entry (broken bytes kept broken)."""
    from urllib.parse import unquote

    return (
        unquote(raw, errors="surrogateescape")
        .encode("utf-8", "surrogateescape")
        .decode("utf-8", "replace")
    )


# --- sample values for path parameters -------------------------------------
def valid_values():
    from wagtail.documents.models import Document

    from services.bookings.models import CalendarFeed
    from services.catalogue.models import ServicePage
    from services.tickets.models import Ticket, TicketAttachment

    ticket = Ticket.objects.order_by("pk").first()
    attachment = TicketAttachment.objects.order_by("pk").first()
    feed = CalendarFeed.objects.order_by("pk").first()
    document = Document.objects.order_by("pk").first()
    values = {
        "slug": ServicePage.objects.live().first().slug,
        "fmt": "png",
        "pk": str(attachment.pk if attachment else 1),
    }
    if ticket:
        values.update(reference=ticket.reference, token=ticket.tracking_token)
    if feed:
        values["token"] = values.get("token") or feed.token
    if document:
        values.update(arg0_0=str(document.pk), arg1_1=quote(document.filename))
    return values


def page_urls():
    from wagtail.contrib.routable_page.models import RoutablePageMixin
    from wagtail.models import Page

    urls = []
    for page in Page.objects.live().specific():
        url = page.url
        if not url:
            continue
        kind = type(page).__name__
        urls.append(("page", url, kind, []))
        if isinstance(page, RoutablePageMixin):
            for route, _pattern in walk(page.get_subpage_urls()):
                template, names = template_of(route)
                if template is not None:
                    urls.append(("sub", url.rstrip("/") + template, (kind, route), names))
    return urls


# --- the tests ---------------------------------------------------------------
@pytest.fixture
def fuzz_site(catalogue, settings):
    logging.getLogger("django.request").setLevel(logging.ERROR)
    settings.SERVICE_RATE_LIMIT = "100000/600"
    settings.SURVEY_RATE_LIMIT = "100000/600"
    settings.SERVICE_LOOKUP_RATE_LIMIT = "100000/600"
    settings.WALK_IN_SURVEY_DAILY_LIMIT = 100000
    from services.demo import desk

    desk.build(log=lambda *_: None)
    return catalogue


@pytest.mark.django_db
def test_no_public_url_answers_500(fuzz_site):
    fuzzer = Fuzzer(Client())
    valid = valid_values()
    seen_forms = set()
    templates = list(url_templates(lambda t: not t.startswith("/admin/")))
    assert any(t.startswith("/track/") for t, _n, _p in templates)
    for template, names, _pattern in templates:
        if names:
            fuzzer.path_params(template, names, valid)
        url = template.format(**{n: valid.get(n, "1") for n in names})
        response = fuzzer.send("get", url)
        if response is not None and response.status_code == 200:
            parser = parse(response)
            fuzzer.query(url, query_names(parser) | set(GENERIC_QUERY))
            fuzzer.forms(url, parser, seen_forms)
    kinds = set()
    for what, url, kind, names in page_urls():
        if what == "sub":  # a routable page's sub-page: once per page type
            if names and kind not in kinds:
                kinds.add(kind)
                fuzzer.path_params(url, names, valid)
            continue
        response = fuzzer.send("get", url)
        if response is None or response.status_code != 200:
            continue
        parser = parse(response)
        fuzzer.forms(url, parser, seen_forms)
        if kind not in kinds:  # one page of each type for queries and sub-paths
            kinds.add(kind)
            fuzzer.path_params(url + "{rest}/", ["rest"], valid)
            fuzzer.query(url, query_names(parser) | {"q", "page", "p"})
    print(f"{fuzzer.requests} public requests", fuzzer.slowest())
    assert fuzzer.requests > 300
    assert not fuzzer.failures, "\n".join(fuzzer.failures[:40])


ADMIN_LISTS = re.compile(r"(_index|report|turnaround|^workflow|locked_pages|site_history|aging)")


@pytest.mark.django_db
def test_no_admin_list_or_report_answers_500(fuzz_site):
    client = Client()
    client.force_login(make_user("fuzz-admin", superuser=True))
    fuzzer = Fuzzer(client)
    valid = valid_values()
    listed = 0
    for template, names, pattern in url_templates(lambda t: t.startswith("/admin/")):
        if names or not ADMIN_LISTS.search(pattern.name or ""):
            continue
        listed += 1
        response = fuzzer.send("get", template)
        if response is None or response.status_code != 200:
            continue
        parser = parse(response)
        fuzzer.query(template, query_names(parser) | set(ADMIN_QUERY))
    # Stored report pages take a primary key and a format.
    for template, names, _pattern in url_templates(lambda t: t.startswith("/admin/reports/")):
        if names:
            fuzzer.path_params(template, names, valid)
    print(f"{listed} admin lists, {fuzzer.requests} requests", fuzzer.slowest())
    assert listed >= 10
    assert not fuzzer.failures, "\n".join(fuzzer.failures[:40])


def test_every_name_meets_every_value():
    names = ["a", "b", "c"]
    rows = list(latin(names, DEEP))
    assert len(rows) == len(DEEP)
    for name in names:
        assert {row[name] for row in rows} == set(DEEP)
    assert {raw for n in range(200) for _v, raw in rotation(f"/url/{n}/")} == {
        raw for _v, raw in DEEP
    }


def test_bad_query_values_get_a_thai_400(client, home_page):
    for raw in ("%00", "%ED%A0%80", "%FF", "A" * 5000):
        response = client.get(f"/search/?q={raw}")
        assert response.status_code == 400
        assert "คำขอไม่ถูกต้อง" in response.content.decode()
    assert client.get("/search/?q=ข่าว").status_code == 200


def urlencode_sorted(data):
    return urlencode(sorted(data.items()))
