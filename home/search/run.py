"""The site search: promoted pages, then service standards, then every other page.

One call answers one request: the typed text is expanded (synonyms, misspellings),
searched with every word required and, if nothing has them all, with any of
them; the query is logged without personal data.

The index is asked once per search, for the ranked ids only; the pages shown on
the current page of results are then read in one go.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from wagtail.models import Page

from home.search import log
from home.search.expand import Expansion, expand
from home.search.text import highlight, normal_form

RESULTS_PER_PAGE = 10
MAX_FIRST = 10
MAX_PROMOTED = 5
#: Ranked results read from the index for one search (a page of ids, not of pages).
MAX_RESULTS = 500


@lru_cache(maxsize=1)
def _first_models():
    return tuple(
        model
        for model in apps.get_models()
        if issubclass(model, Page) and getattr(model, "search_first", False)
    )


def first_content_types():
    """Content types of the pages listed first (models with ``search_first``)."""
    return {ct.pk for ct in ContentType.objects.get_for_models(*_first_models()).values()}


def promoted_ids(normal):
    """Ids of the pages editors pinned to this query, in their order."""
    from wagtail.contrib.search_promotions.models import SearchPromotion

    if not normal:
        return []
    return list(
        SearchPromotion.objects.filter(query__query_string=normal, page__isnull=False)
        .order_by("sort_order", "pk")
        .values_list("page_id", flat=True)[:MAX_PROMOTED]
    )


@dataclass
class Result:
    page: Page
    snippet: str = ""
    action: tuple | None = None
    promoted: bool = False


@dataclass
class Outcome:
    expansion: Expansion
    promoted: list = field(default_factory=list)
    first: list = field(default_factory=list)
    others: object = None
    partial: bool = False
    total: int = 0

    @property
    def found(self):
        return self.total > 0

    def results(self):
        """Every result on this page of results, in the order shown."""
        return [*self.promoted, *self.first, *(self.others.object_list if self.others else [])]


def _result(page, words, promoted=False):
    body = page.search_snippet_text() if hasattr(page, "search_snippet_text") else ""
    action = page.search_result_action() if hasattr(page, "search_result_action") else None
    return Result(page, highlight(body, words), action, promoted)


def _ranked(query):
    """[(page id, content type id)] of live public pages, best first."""
    pages = Page.objects.live().public().only("id", "content_type_id")
    return [(page.pk, page.content_type_id) for page in pages.search(query)[:MAX_RESULTS]]


def search_site(raw, page_number=None, exact=False):
    """The Outcome of a search, or None when nothing searchable was typed."""
    expansion = expand(raw, correct=False)
    if not expansion:
        return None
    ranked = _ranked(expansion.query(every_word=True))
    # Words searched with every word required and found are all in the index:
    # the vocabulary is consulted only when nothing was found.
    if not ranked and not exact:
        corrected = expansion.spelled_right()
        if corrected.corrected:
            expansion = corrected
            ranked = _ranked(expansion.query(every_word=True))
    outcome = Outcome(expansion)
    if not ranked and len(expansion.groups) > 1:
        ranked = _ranked(expansion.query(every_word=False))
        outcome.partial = bool(ranked)
    first_page = page_number in (None, "", "1", 1)
    normal = normal_form(raw)
    pinned = promoted_ids(normal) if first_page else []
    first_types = first_content_types()
    first = [pk for pk, ct in ranked if ct in first_types and pk not in pinned][:MAX_FIRST]
    others = Paginator(
        [pk for pk, ct in ranked if ct not in first_types and pk not in pinned], RESULTS_PER_PAGE
    ).get_page(page_number)
    if not first_page:
        first = []
    wanted = [*pinned, *first, *others.object_list]
    # Ranked ids are live and public already; only pinned pages need the check again.
    pages = Page.objects.live().filter(pk__in=wanted) if wanted else Page.objects.none()
    if pinned:
        pages = pages.public()
    pages = {page.pk: page for page in pages.specific()}
    words = expansion.highlight_words()
    outcome.promoted = [_result(pages[pk], words, True) for pk in pinned if pk in pages]
    outcome.first = [_result(pages[pk], words) for pk in first if pk in pages]
    others.object_list = [_result(pages[pk], words) for pk in others.object_list if pk in pages]
    outcome.others = others
    outcome.total = (
        len(outcome.promoted) + len(ranked) - len(set(pinned) & {pk for pk, _ct in ranked})
    )
    if first_page:
        log.record(normal, outcome.total)
    return outcome
