"""The desk's ticket search, expanded with the synonyms editors keep for the site.

Each ticket keeps a lower-cased ``search_text`` (reference, requester's name,
e-mail, phone with and without separators, school or organisation, service and
every answer: subject, description, symptom ...). A query is cut into words
with the same Thai segmentation as the site search, and a ticket matches when
its text contains every word. A Thai word is found inside a sentence because
the match is on substrings, and a phrase typed without spaces still matches
words that stand apart in the ticket. On PostgreSQL the column has a pg_trgm
GIN index, so each ``LIKE '%word%'`` is served by the index (asked first for the
matching ids, see ``_postgresql_condition``); on SQLite the same
``LIKE`` runs on an FTS5 trigram copy of the column (migration 0021, kept by
triggers), which answers it from its index. Each typed word may also be found as
one of its synonyms ("เน็ต" finds "อินเทอร์เน็ต").
"""

import re

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from wagtail_modeladmin.helpers.search import BaseSearchHandler

from home.search.expand import expand
from home.search.text import clean_query

MAX_WORDS = 8
#: Up to this many matches, the PostgreSQL desk list reads the matching ids directly.
FEW_MATCHES = 2000
#: SQLite's trigram index of ``Ticket.search_text`` (see migration 0021).
SQLITE_INDEX = "services_ticket_search"


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
    (or one of its synonyms). On PostgreSQL this asks the index once, at once."""
    groups = word_groups(text)
    if not groups:
        return queryset
    if connection.vendor != "sqlite":
        return queryset.filter(_postgresql_condition(queryset.model, groups))
    return queryset.filter(_sqlite_condition(groups))


def holds_every_group(groups):
    """Search text holding a word of every group: the plain ``LIKE`` condition,
    served on PostgreSQL by the pg_trgm index."""
    condition = Q()
    for words in groups:
        either = Q()
        for word in words:
            either |= Q(search_text__contains=word)
        condition &= either
    return condition


def _postgresql_condition(model, groups):
    """The search on PostgreSQL, shaped for the planner.

    Asked directly for the newest matches, the planner walks the list's order and
    reads tickets until the page is full: quick for a common word, a walk through
    the whole table for a rare one (an e-mail address). So the trigram index is
    asked first for the matching ids; when there are few (a rare word) the list
    reads just those, otherwise the walk in list order finds a page soon.
    """
    condition = holds_every_group(groups)
    ids = list(
        model._base_manager.filter(condition)
        .order_by()
        .values_list("pk", flat=True)[: FEW_MATCHES + 1]
    )
    return Q(pk__in=ids) if len(ids) <= FEW_MATCHES else condition


def _sqlite_condition(groups):
    """The same search on SQLite, from the trigram index: one MATCH for every word of
    three characters or more (each a quoted phrase, which the trigram tokenizer
    finds as a substring); a group with a shorter word is looked for in the column."""
    condition, indexed = Q(), []
    for words in groups:
        if all(len(word) >= 3 for word in words):
            indexed.append(" OR ".join('"{}"'.format(word.replace('"', '""')) for word in words))
            continue
        condition &= holds_every_group([words])
    if indexed:
        match = " AND ".join(f"({phrases})" for phrases in indexed)
        condition &= Q(
            pk__in=RawSQL(
                f"SELECT rowid FROM {SQLITE_INDEX} WHERE {SQLITE_INDEX} MATCH %s", [match]
            )
        )
    return condition


class DeskSearchHandler(BaseSearchHandler):
    """The ticket list's search box calls ``search_tickets``."""

    def search_queryset(self, queryset, search_term, **kwargs):
        return search_tickets(queryset, search_term)

    @property
    def show_search_form(self):
        return True
