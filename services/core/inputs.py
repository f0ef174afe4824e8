"""Input that no view should ever see: the guard at the edge of every request.

Every path and query parameter passes here before a view, a form or the
database sees it. Text with NUL or other control characters, bytes that are
not UTF-8 (the decoder leaves U+FFFD behind), lone surrogates and overlong
values are answered with a Thai 400 page. Forms posted to the site check
their own fields (Django's CharField refuses NUL; see ``clean_param``).
"""

import logging
import re

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldError, ValidationError
from django.db import DataError
from django.http import HttpResponseBadRequest
from django.template import loader
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

MAX_QUERY_VALUE = 2000
MAX_QUERY_STRING = 8000
MAX_PATH = 2000
# C0 controls except tab, newline and carriage return; DEL; C1 controls;
# the replacement character left by a broken UTF-8 sequence; lone surrogates.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ud800-\udfff]")


BAD_INPUT_ERRORS = (
    IncorrectLookupParameters,
    DataError,
    OverflowError,
    ValidationError,
    FieldError,
    UnicodeError,
)


def bad_text(value, limit=MAX_QUERY_VALUE):
    """Why ``value`` cannot be used as a parameter, or "" if it can."""
    if len(value) > limit:
        return "too long"
    if _BAD_CHARS.search(value):
        return "bad character"
    return ""


def clean_param(value, limit=200):
    """A query or path parameter as safe text, or None when it is unusable."""
    value = str(value if value is not None else "")
    if bad_text(value, limit):
        return None
    return value.strip()


def bad_request(request, reason=""):
    try:
        body = loader.render_to_string("400.html", {"reason": reason}, request=request)
    except Exception:  # the 400 page must not fail on its own
        body = _("คำขอไม่ถูกต้อง")
    return HttpResponseBadRequest(body)


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reason = self.check(request)
        if reason:
            return bad_request(request, reason)
        return self.get_response(request)

    def process_exception(self, request, exception):
        """Errors that only a bad parameter can cause are the asker's, not ours.

        Admin listings raise IncorrectLookupParameters for unknown filters,
        the database raises DataError (PostgreSQL) or OverflowError (SQLite)
        for numbers it cannot store, a lookup raises ValidationError or
        FieldError for a value of the wrong type. All of these answer 400.
        """
        if isinstance(exception, BAD_INPUT_ERRORS):
            log.warning(
                "bad input on %s: %s: %s", request.path, type(exception).__name__, exception
            )
            return bad_request(request, "parameter")
        return None

    @staticmethod
    def check(request):
        if bad_text(request.path_info, MAX_PATH):
            return "path"
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
            return "query"
        for key, values in request.GET.lists():
            if bad_text(key, 200):
                return "query"
            for value in values:
                if bad_text(value):
                    return "query"
        return ""
