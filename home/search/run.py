"""The site search: promoted pages, then service standards, then every other page.

One call answers one request: the typed text is expanded (synonyms, misspellings),
searched with every word required and, if nothing has them all, with any of
them; the query is logged without personal data.
"""

from dataclasses import dataclass, field

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


def first_content_types():
    """Content types of the pages listed first (models with ``search_first``)."""
    models = [
        model
        for model in apps.get_models()
        if issubclass(model, Page) and getattr(model, "search_first", False)
    ]
    return [ct.pk for ct in ContentType.objects.get_for_models(*models).values()]


def promoted_pages(normal):
    """Live pages editors pinned to this query, in their order."""
    from wagtail.contrib.search_promotions.models import SearchPromotion

    if not normal:
        return []
    promotions = (
        SearchPromotion.objects.filter(query__query_string=normal, page__isnull=False)
        .select_related("page")
        .order_by("sort_order", "pk")[:MAX_PROMOTED]
    )
    return [
        p.page.specific
        for p in promotions
        if p.page.live and p.page.get_view_restrictions().count() == 0
    ]


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
    body = page.search_body() if hasattr(page, "search_body") else ""
    action = page.search_result_action() if hasattr(page, "search_result_action") else None
    return Result(page, highlight(body, words), action, promoted)


def _search(expansion, every_word, page_number):
    query = expansion.query(every_word=every_word)
    live = Page.objects.live().public()
    first_types = first_content_types()
    first = []
    if page_number in (None, "", "1", 1) and first_types:
        first = list(live.filter(content_type__in=first_types).specific().search(query)[:MAX_FIRST])
    others = live.exclude(content_type__in=first_types).specific().search(query)
    paginated = Paginator(others, RESULTS_PER_PAGE).get_page(page_number)
    return first, paginated


def search_site(raw, page_number=None, exact=False):
    """The Outcome of a search, or None when nothing searchable was typed."""
    expansion = expand(raw, correct=not exact)
    if not expansion:
        return None
    outcome = Outcome(expansion)
    first, others = _search(expansion, True, page_number)
    if not first and not others.paginator.count and len(expansion.groups) > 1:
        first, others = _search(expansion, False, page_number)
        outcome.partial = True
    normal = normal_form(raw)
    promoted = promoted_pages(normal) if page_number in (None, "", "1", 1) else []
    words = expansion.highlight_words()
    pinned = {page.pk for page in promoted}
    outcome.promoted = [_result(page, words, promoted=True) for page in promoted]
    outcome.first = [_result(page, words) for page in first if page.pk not in pinned]
    others.object_list = [_result(page, words) for page in others if page.pk not in pinned]
    outcome.others = others
    outcome.total = len(promoted) + len(outcome.first) + others.paginator.count
    if page_number in (None, "", "1", 1):
        log.record(normal, outcome.total)
    return outcome
