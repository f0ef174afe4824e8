"""Thai-aware search: text and query are cut into words with pythainlp's newmm.

Wagtail's database search splits text on spaces and punctuation, and Thai is
written without spaces between words, so a phrase such as
"งานซ่อมระบบคอมพิวเตอร์" is one long token and a search for "ซ่อม" finds
nothing. Every page therefore exposes a segmented copy of its text to the
index (``search_text``), and queries are segmented the same way.
"""

import re
from functools import lru_cache

from django.utils.html import strip_tags

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 20
_THAI = re.compile(r"[\u0E00-\u0E7F]")
_SPACE = re.compile(r"\s+")
_SCRIPT = re.compile(r"<(script|style)\b.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)


@lru_cache(maxsize=1)
def _tokenizer():
    from pythainlp.tokenize import word_tokenize

    return word_tokenize


def segment(text):
    """Text with Thai runs split into space-separated words."""
    text = _SPACE.sub(" ", strip_tags(text or "")).strip()
    if not text or not _THAI.search(text):
        return text
    words = _tokenizer()(text, engine="newmm", keep_whitespace=False)
    return " ".join(word.strip() for word in words if word.strip())


def clean_query(raw):
    """A query safe to search: tags gone, length bounded, words segmented.

    Returns (query, truncated) where query may be empty.
    """
    text = _SPACE.sub(" ", strip_tags(_SCRIPT.sub(" ", raw or ""))).strip()
    text = re.sub(r"[<>\"'`{}\[\]\\;]", " ", text).strip()
    truncated = len(text) > MAX_QUERY_LENGTH
    text = text[:MAX_QUERY_LENGTH]
    words = [w for w in segment(text).split(" ") if re.search(r"\w", w)]
    if len(words) > MAX_QUERY_WORDS:
        words, truncated = words[:MAX_QUERY_WORDS], True
    return " ".join(words), truncated
