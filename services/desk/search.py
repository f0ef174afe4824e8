"""The desk's ticket search, in one function so that synonyms can be added here.

Each ticket keeps a lower-cased ``search_text`` (reference, requester's name,
e-mail, phone with and without separators, school or organisation, service and
every answer: subject, description, symptom ...). A query is cut into words
with the same Thai segmentation as the site search, and a ticket matches when
its text contains every word. A Thai word is found inside a sentence because
the match is on substrings, and a phrase typed without spaces still matches
words that stand apart in the ticket. On PostgreSQL the column has a pg_trgm
GIN index, so each ``ILIKE '%word%'`` is served by the index.
"""

import re

from django.db.models import Q
from wagtail_modeladmin.helpers.search import BaseSearchHandler

from home.search import clean_query

MAX_WORDS = 8


def query_words(text):
    """The words to look for: segmented, lower-cased; phones also as bare digits."""
    query, _truncated = clean_query(text or "")
    words = []
    for word in query.lower().split():
        digits = re.sub(r"\D", "", word)
        if len(digits) >= 6 and re.fullmatch(r"[\d\-\s().+]+", word):
            word = digits
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def search_tickets(queryset, text):
    """``queryset`` narrowed to the tickets whose search text holds every word of ``text``."""
    words = query_words(text)
    if not words:
        return queryset
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=word)
    return queryset.filter(condition)


class DeskSearchHandler(BaseSearchHandler):
    """The ticket list's search box calls ``search_tickets``."""

    def search_queryset(self, queryset, search_term, **kwargs):
        return search_tickets(queryset, search_term)

    @property
    def show_search_form(self):
        return True
