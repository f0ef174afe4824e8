"""Thai-aware search text: text and query are cut into words with pythainlp's newmm.

Wagtail's database search splits text on spaces and punctuation, and Thai is
written without spaces between words, so a phrase such as
"งานซ่อมระบบคอมพิวเตอร์" is one long token and a search for "ซ่อม" finds
nothing. Every page therefore exposes a segmented copy of its text to the
index (``search_text``), and queries are segmented the same way.
"""

import re
from functools import lru_cache

from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 20
_THAI = re.compile(r"[\u0E00-\u0E7F]")
_SPACE = re.compile(r"\s+")
_SCRIPT = re.compile(r"<(script|style)\b.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_UNSAFE = re.compile(r"[<>\"'`{}\[\]\\;]")
# Thai vowel and tone marks are not "\w" to Python's re; they are part of a word.
_NOT_WORD = re.compile(r"[^\w\u0E00-\u0E7F]+|_+")

# Personal data people type into a search box, removed before a query is logged.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*", re.UNICODE)
_REFERENCE = re.compile(
    r"(?<![\w])(?:[a-z]{2,5}\s*[-–_/]?\s*)?\d{4}\s*[-–_/]\s*\d{1,6}(?!\d)"
    r"|(?<![\w])[a-z]{2,5}\s*\d{10}(?!\d)",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?<![\w])\+?\d(?:[\s().\-]*\d){7,}")
_LONG_NUMBER = re.compile(r"\d{5,}")


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


def plain_query(raw):
    """What someone typed, with markup and unsafe characters gone, spaces collapsed."""
    text = _SPACE.sub(" ", strip_tags(_SCRIPT.sub(" ", raw or ""))).strip()
    return _SPACE.sub(" ", _UNSAFE.sub(" ", text)).strip()


def clean_query(raw):
    """A query safe to search: tags gone, length bounded, words segmented.

    Returns (query, truncated) where query may be empty.
    """
    text = plain_query(raw)
    truncated = len(text) > MAX_QUERY_LENGTH
    text = text[:MAX_QUERY_LENGTH]
    words = [w for w in segment(text).split(" ") if re.search(r"\w", w)]
    if len(words) > MAX_QUERY_WORDS:
        words, truncated = words[:MAX_QUERY_WORDS], True
    return " ".join(words), truncated


def normal_form(raw):
    """The form a query is logged and promoted under: plain, lower case, bounded."""
    return plain_query(raw)[:MAX_QUERY_LENGTH].lower()


def word_key(word):
    """A word compared with a synonym: lower case, no punctuation ("Wi-Fi" → "wifi")."""
    return _NOT_WORD.sub("", (word or "").lower())


def scrub(text):
    """``text`` without e-mail addresses, phone numbers, request references or long numbers."""
    text = _EMAIL.sub("[อีเมล]", text or "")
    text = _REFERENCE.sub("[เลขที่คำขอ]", text)
    text = _PHONE.sub("[โทรศัพท์]", text)
    text = _LONG_NUMBER.sub("[ตัวเลข]", text)
    return _SPACE.sub(" ", text).strip()


def highlight(text, words, width=220):
    """A short, escaped piece of ``text`` around the first matched word, words in <mark>."""
    text = _SPACE.sub(" ", strip_tags(text or "")).strip()
    words = sorted({w for w in words if len(w) >= 2}, key=len, reverse=True)
    if not text:
        return ""
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None
    found = pattern.search(text) if pattern else None
    start = 0
    if found and found.start() > width // 3:
        start = found.start() - width // 3
        space = text.rfind(" ", max(0, start - 30), found.start())
        start = space + 1 if space > 0 else start
    piece = text[start : start + width]
    parts, position = [], 0
    for match in pattern.finditer(piece) if pattern else ():
        parts.append(escape(piece[position : match.start()]))
        parts.append(format_html("<mark>{}</mark>", match.group()))
        position = match.end()
    parts.append(escape(piece[position:]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + width < len(text) else ""
    return mark_safe(prefix + "".join(str(p) for p in parts) + suffix)  # noqa: S308 - every part escaped
