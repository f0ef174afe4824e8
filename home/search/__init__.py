"""Site search: Thai word segmentation, synonyms kept by editors, tolerance of
misspellings, promoted results and a log of what people searched for.

Text tools live in ``text``; the models (synonyms, vocabulary, query log) in
``models``; turning what someone typed into a query in ``expand``; the index's
vocabulary and the nearest words to a misspelling in ``vocabulary``; running
the site search in ``run``; the log and its monthly report in ``log``; the
admin report and its one-click fixes in ``admin_views``.

May import: Django, Wagtail, pythainlp, rapidfuzz. Never ``services`` or
``publishing`` (home is the bottom layer).
"""

from home.search.text import MAX_QUERY_LENGTH, MAX_QUERY_WORDS, clean_query, segment

__all__ = ["MAX_QUERY_LENGTH", "MAX_QUERY_WORDS", "clean_query", "segment"]
