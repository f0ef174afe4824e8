"""The vocabulary of the search index, and the nearest words to a misspelled one.

Words are added as pages are published (the segmented text the index holds),
so a query word can be checked against the index with one lookup. Matching a
misspelling: on PostgreSQL ``pg_trgm`` similarity picks candidates with the
help of a trigram index; on SQLite every word is a candidate. Either way
``rapidfuzz`` gives the final score, so both databases agree on what is near.
"""

import re

from django.db import connection
from rapidfuzz import fuzz, process

from home.search.models import SearchWord

MAX_WORD_LENGTH = 100
#: Lowest rapidfuzz ratio (0–100) for a word to count as the one meant.
NEAR_SCORE = 75
#: A whole chunk typed without spaces must be closer than that to be replaced at once.
CHUNK_SCORE = 85
_WORDLIKE = re.compile(r"\w")


def words_of(text):
    """The distinct lower-case words of segmented text worth keeping."""
    return {
        word[:MAX_WORD_LENGTH]
        for word in (text or "").lower().split()
        if len(word) >= 2 and _WORDLIKE.search(word)
    }


def add_words(words):
    words = sorted(words)
    if words:
        SearchWord.objects.bulk_create(
            [SearchWord(word=word) for word in words], ignore_conflicts=True, batch_size=500
        )


def add_page(page):
    """Record the words of a published page (a ThaiSearchable, or any page by title)."""
    from home.search.text import segment

    text = page.search_text() if hasattr(page, "search_text") else segment(page.title)
    add_words(words_of(text))


def rebuild():
    """The vocabulary again from every live page (drops words no page has any more)."""
    from wagtail.models import Page

    words = set()
    for page in Page.objects.live().specific().iterator():
        if hasattr(page, "search_text"):
            words |= words_of(page.search_text())
    SearchWord.objects.exclude(word__in=words).delete()
    add_words(words)
    return len(words)


def known(words):
    """The words (lower case) among ``words`` that the index holds."""
    words = {w.lower() for w in words if w}
    if not words:
        return set()
    return set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))


def _candidates(word):
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        # "%" (trigram_similar) is answered from the trigram index on the word column.
        return list(
            SearchWord.objects.filter(word__trigram_similar=word)
            .annotate(similarity=TrigramSimilarity("word", word))
            .order_by("-similarity")
            .values_list("word", flat=True)[:20]
        )
    return list(SearchWord.objects.values_list("word", flat=True))


def nearest(word, limit=2, cutoff=NEAR_SCORE):
    """[(indexed word, score)] nearest to ``word``, best first, at least ``cutoff``."""
    word = (word or "").lower()[:MAX_WORD_LENGTH]
    if len(word) < 2:
        return []
    choices = _candidates(word)
    if not choices and not SearchWord.objects.exists():
        rebuild()
        choices = _candidates(word)
    found = process.extract(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit)
    return [(match, score) for match, score, _index in found if match != word]
