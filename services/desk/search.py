"""The desk's ticket search, expanded with the synonyms editors keep for the site.

Each ticket keeps a lower-cased ``search_text`` (reference, requester's name,
e-mail, phone with and without separators, school or organisation, service and
every answer: subject, description, symptom ...). A query is cut into words
with the same Thai segmentation as the site search, and a ticket matches when
its text contains every word. A Thai word is found inside a sentence because
the match is on substrings, and a phrase typed without spaces still matches
words that stand apart in the ticket. On PostgreSQL the column has a pg_trgm
GIN index, so each ``ILIKE '%word%'`` is served by the index. Each typed word
may also be found as one of its synonyms ("เน็ต" finds "อินเทอร์เน็ต").
"""

import re

from django.db.models import Q
from wagtail_modeladmin.helpers.search import BaseSearchHandler

from home.search.expand import expand
from home.search.text import clean_query

MAX_WORDS = 8


def _normalised(word):
    """Lower-cased; a phone number as bare digits."""
    word = word.lower()
    digits = re.sub(r"\D", "", word)
    if len(digits) >= 6 and re.fullmatch(r"[\d\-\s().+]+", word):
        return digits
    return word


def query_words(text):
    """The words to look for: segmented, lower-cased; phones also as bare digits."""
    query, _truncated = clean_query(text or "")
    words = []
    for word in query.split():
        word = _normalised(word)
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def word_groups(text):
    """For each typed word, the words any of which may stand for it (its synonyms)."""
    expansion = expand(text or "", correct=False) if (text or "").strip() else None
    groups = []
    for group in getattr(expansion, "groups", None) or []:
        words = sorted({_normalised(word) for word in group.words if word.strip()})
        if words:
            groups.append(words)
    return groups[:MAX_WORDS] or [[word] for word in query_words(text)]


def search_tickets(queryset, text):
    """``queryset`` narrowed to the tickets whose search text holds every typed word
    (or one of its synonyms)."""
    groups = word_groups(text)
    if not groups:
        return queryset
    condition = Q()
    for words in groups:
        either = Q()
        for word in words:
            either |= Q(search_text__contains=word)
        condition &= either
    return queryset.filter(condition)


class DeskSearchHandler(BaseSearchHandler):
    """The ticket list's search box calls ``search_tickets``."""

    def search_queryset(self, queryset, search_term, **kwargs):
        return search_tickets(queryset, search_term)

    @property
    def show_search_form(self):
        return True
