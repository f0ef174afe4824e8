"""The one sanitiser: every text or HTML that a non-admin sends passes through here.

One bleach policy for rich text (``clean_html``) and one for plain text
(``clean_text``). Text is first fully decoded (entities undone until nothing
changes, however many times they were encoded) and stripped of control
characters; the allow-list then runs on what a browser would finally see,
and the whole pass repeats until the result is stable.
"""

import html
import re

import bleach
from django.utils.html import escape

RICH_TAGS = frozenset(
    {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h3", "h4", "a", "blockquote"}
)
RICH_ATTRIBUTES = {"a": ["href", "title"]}
RICH_PROTOCOLS = frozenset({"http", "https", "mailto"})
# bleach strips a disallowed tag but keeps its text; for these the text is code.
_DROP_WITH_CONTENT = re.compile(
    r"<(script|style|iframe|object|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)
_STARTS_WITH_BLOCK = re.compile(r"<(p|ul|ol|h3|h4|blockquote)\b", re.IGNORECASE)
# C0 controls but tab, newline and carriage return; DEL; C1; lone surrogates.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_TAG_START = re.compile(r"<(?=[a-zA-Z/!?])")
_MAX_ROUNDS = 20


def fully_decoded(value: str) -> str:
    """Undo HTML entities until nothing changes (each round only shortens)."""
    value = _CONTROLS.sub("", str(value or ""))
    while True:
        decoded = html.unescape(value)
        if decoded == value:
            return value
        value = _CONTROLS.sub("", decoded)


def clean_text(value: str) -> str:
    """Plain text with every tag and comment removed, however it was encoded."""
    value = fully_decoded(value)
    if "<" not in value and "\r" not in value and "&#" not in value:
        # Nothing the allow-list could remove: the parser would only escape "&"
        # and ">", which decoding undoes. (It also turns "\r" into "\n" and drops
        # what follows a broken "&#", so those go the long way.) Most of what
        # people type takes this way, for the same result (tests/test_sanitise.py).
        return value.strip()
    return _bleached_text(value)


def _bleached_text(value: str) -> str:
    """``clean_text`` of fully decoded text, through the parser every time."""
    for _round in range(_MAX_ROUNDS):
        cleaned = fully_decoded(
            bleach.clean(value, tags=set(), attributes={}, strip=True, strip_comments=True)
        )
        if cleaned == value:
            break
        value = cleaned
    # A tag left unclosed at the end ("<img src=x onerror=…") is text to the
    # parser but could become a tag next to other markup: a space after "<"
    # keeps the words and makes it plain text everywhere.
    return _TAG_START.sub("< ", value).strip()


def clean_html(text: str) -> str:
    """Safe rich text: no scripts, no on* attributes, no javascript: links.

    Plain text (no tags) becomes escaped paragraphs; inline markup alone is
    wrapped in paragraphs too.
    """
    text = _CONTROLS.sub("", str(text or "")).strip()
    if "<" not in text and "&" not in text:
        return _paragraphs(escape(text))
    if "<" not in fully_decoded(text):
        return _paragraphs(escape(fully_decoded(text)))
    for _round in range(_MAX_ROUNDS):
        cleaned = bleach.clean(
            _DROP_WITH_CONTENT.sub("", text),
            tags=RICH_TAGS,
            attributes=RICH_ATTRIBUTES,
            protocols=RICH_PROTOCOLS,
            strip=True,
            strip_comments=True,
        ).strip()
        if cleaned == text:
            break
        text = cleaned
    if cleaned and not _STARTS_WITH_BLOCK.match(cleaned):
        return _paragraphs(cleaned)
    return cleaned


def _paragraphs(safe_text: str) -> str:
    parts = [part.strip() for part in re.split(r"\n\s*\n", safe_text) if part.strip()]
    return "".join(f"<p>{part.replace(chr(10), '<br>')}</p>" for part in parts)
