"""The public request form's quick path: a valid request accepted before Django's
request cycle, answered as the view answers it.

Most requests are a service page's form, posted by an anonymous visitor who
was just shown the page, with no file attached. ``QuickIntakeApplication``
(around the WSGI application in cms/wsgi.py) takes such a POST only when it
is sure Django would accept it, checking it with Django's own parts:

- the address: a service page that Django itself served to an anonymous
  visitor since the last purge (``pagecache.post_offer``), so its host was
  allowed and its view restrictions passed; no query string, no session;
- CSRF: ``CsrfViewMiddleware``'s own origin, referer and token checks against
  the visitor's CSRF cookie;
- the body: urlencoded, or multipart in the plain form browsers send
  (``read_multipart``; an empty file input is allowed, a file is not), at most
  ``QUICK_MAX_BYTES``, in UTF-8;
- the form: the page's own request form class, with the page's extra
  questions (a copy of the page per process and published revision);
- the rate limit: counted as the view counts it.

It then keeps the request in the journal (``services.tickets.journal.accept``:
reference and tracking token in one short transaction) and answers as the
view does: a redirect to the confirmation page, which shows the reference at
once, and the details when the cluster has made the ticket, seconds later.

Anything else (a file, an error to show, a refused token, a limit reached, a
signed-in visitor, any doubt at all) goes to Django unchanged, body included:
the quick path never answers with an error of its own.
"""

from __future__ import annotations

import copy
import io
import logging
import re
import time
from collections import OrderedDict

from django.core.handlers.wsgi import WSGIRequest, get_path_info
from django.http import QueryDict
from django.http.cookie import parse_cookie
from django.middleware.csrf import CsrfViewMiddleware, RejectRequest
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.http import parse_header_parameters

from home import pagecache, traffic
from services.catalogue.models import ServicePage
from services.core import ratelimit
from services.requests.forms import RequestForm, build_form
from services.tickets import journal

log = logging.getLogger(__name__)

QUICK_MAX_BYTES = 64 * 1024
MAX_PARTS = 200
REFERENCE, TOKEN = "__REFERENCE__", "__TOKEN__"
# RFC 2046 boundary characters (a space only inside, which browsers never use).
_BOUNDARY = re.compile(r"[0-9A-Za-z'()+_,\-./:=?]{1,70}")
# The two part heads browsers send for a form without a file: a field, and an
# empty file input. Anything else is left to Django's parser.
_PART_HEAD = re.compile(
    rb'Content-Disposition: form-data; name="([A-Za-z0-9_\-]{1,100})"'
    rb'(?:(; filename="")\r\nContent-Type: application/octet-stream)?\r\n\r\n'
)
_csrf = CsrfViewMiddleware(lambda request: None)


def read_multipart(body: bytes, boundary: str) -> MultiValueDict | None:
    """The fields of a multipart body, exactly as Django's parser gives them, or
    None when the body is not the plain form this reader takes (then Django's
    parser reads it)."""
    delimiter = b"--" + boundary.encode("ascii")
    opening, closing = delimiter + b"\r\n", b"\r\n" + delimiter + b"--\r\n"
    if not body.startswith(opening) or not body.endswith(closing):
        return None
    inner = body[len(opening) : len(body) - len(closing)]
    if not inner or len(inner) + len(opening) + len(closing) != len(body):
        return None
    parts = inner.split(b"\r\n" + delimiter + b"\r\n")
    if len(parts) > MAX_PARTS:
        return None
    data = MultiValueDict()
    for part in parts:
        head = _PART_HEAD.match(part)
        if head is None or delimiter in part:
            return None
        value = part[head.end() :]
        if head.group(2) and value:  # a file's content under an empty name
            return None
        try:
            data.appendlist(head.group(1).decode("ascii"), value.decode("utf-8"))
        except UnicodeDecodeError:
            return None
    return data


# The content type every browser sends with a form's multipart body (the
# boundary unquoted); any other spelling is parsed the long way.
_BROWSER_MULTIPART = re.compile(f"multipart/form-data; boundary=({_BOUNDARY.pattern})")


def content_type(header: str) -> tuple[str, dict[str, str]]:
    """``parse_header_parameters(header)``, by a shorter way for a browser's form."""
    browser = _BROWSER_MULTIPART.fullmatch(header)
    if browser:
        return "multipart/form-data", {"boundary": browser.group(1)}
    return parse_header_parameters(header)


def read_form(environ, body: bytes) -> MultiValueDict | None:
    """The POST data of ``body`` when this path can read it like Django, else None."""
    kind, params = content_type(environ.get("CONTENT_TYPE", ""))
    charset = params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        return None
    if kind == "application/x-www-form-urlencoded":
        try:
            return QueryDict(body, encoding="utf-8")
        except Exception:  # too many fields, say: Django answers that
            return None
    if kind == "multipart/form-data":
        boundary = params.get("boundary", "")
        if _BOUNDARY.fullmatch(boundary):
            return read_multipart(body, boundary)
    return None


def csrf_passes(request) -> bool:
    """``CsrfViewMiddleware.process_view``'s checks, without its 403 answer."""
    try:
        if "HTTP_ORIGIN" in request.META:
            if not _csrf._origin_verified(request):
                return False
        elif request.is_secure():
            _csrf._check_referer(request)
        _csrf._check_token(request)
    except RejectRequest:
        return False
    return True


# Each service page's request form as last published (with its extra
# questions), unbound, per process and language: ``bound_form`` binds a copy.
_forms: OrderedDict[tuple[int, int | None, str], RequestForm] = OrderedDict()
FORMS_KEPT = 64


def unbound_form(offer) -> RequestForm | None:
    key = (offer["page"], offer["revision"], offer["language"])
    form = _forms.get(key)
    if form is None:
        page = (
            ServicePage.objects.live()
            .filter(pk=offer["page"], live_revision_id=offer["revision"])
            .prefetch_related("form_fields")
            .first()
        )
        if page is None:
            return None
        with translation.override(offer["language"]):
            form = build_form(page)
        _forms[key] = form
        while len(_forms) > FORMS_KEPT:
            _forms.popitem(last=False)
    return form


def bound_form(unbound: RequestForm, data) -> RequestForm:
    """``unbound`` bound to ``data``, as ``build_form(page, data)`` would make it,
    but sharing its fields rather than deep-copying them (a form's fields are
    only read while it validates; ``tests/test_quick_intake.py`` compares
    the two ways on every input it tries)."""
    form = copy.copy(unbound)
    form.data, form.files, form.is_bound = data, MultiValueDict(), True
    form._errors, form._bound_fields_cache = None, {}
    return form


def offer_for(page, language) -> dict:
    """What the service page's GET offers its quick path (``pagecache.offer_post``)."""
    sent = page.url + page.reverse_subpage("confirmation", args=[REFERENCE, TOKEN])
    return {
        "page": page.pk,
        "revision": page.live_revision_id,
        "language": language,
        "sent": sent,
    }


def accept(environ):
    """(reference, token, offer) when the request was taken into the journal,
    else None. Leaves ``environ["wsgi.input"]`` readable from the start."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= QUICK_MAX_BYTES:
        return None
    cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
    offer = pagecache.post_offer(environ, cookies)
    if offer is None:
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    if len(body) != length:
        return None
    data = read_form(environ, body)
    if data is None:
        return None
    request = WSGIRequest({**environ, "wsgi.input": io.BytesIO(b"")})
    request._post, request._files = data, MultiValueDict()
    if not csrf_passes(request):
        return None
    # The database connection is Django's persistent one, checked and renewed by
    # Django's own requests: an error here sends this request to Django, which
    # starts by closing a broken connection.
    unbound = unbound_form(offer)
    if unbound is None:
        return None
    with translation.override(offer["language"]):
        form = bound_form(unbound, data)
        if not form.is_valid():
            return None
        answers = form.answers()
    if not ratelimit.hit(request, "submit"):
        return None
    entry = journal.accept(form.page, form.cleaned_data, answers, language=offer["language"])
    return entry.reference, entry.tracking_token, offer


class QuickIntakeApplication:
    """WSGI: a valid request form accepted before Django's request handling
    (see the module's docstring); every other request goes to ``application``."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "POST" or not pagecache.enabled():
            return self.application(environ, start_response)
        started = time.monotonic()
        try:
            accepted = accept(environ)
        except Exception:  # Django answers, as it would have without this path
            log.exception("quick intake failed; the request goes to Django")
            accepted = None
        if accepted is None:
            return self.application(environ, start_response)
        reference, token, offer = accepted
        try:
            journal.nudge()
        except Exception:  # the schedule makes the ticket
            log.exception("request journal not nudged")
        location = offer["sent"].replace(REFERENCE, reference).replace(TOKEN, token)
        headers = [
            *offer["headers"],
            ("Content-Type", "text/html; charset=utf-8"),
            ("Location", location),
            ("Content-Length", "0"),
        ]
        start_response("302 Found", headers)
        if traffic.enabled():
            try:
                path = get_path_info(environ)
                traffic.write(traffic.line(environ, "", path, 302, 0, started))
            except Exception:  # a full disk must not take the site down
                log.exception("traffic log line not written")
        return [b""]
