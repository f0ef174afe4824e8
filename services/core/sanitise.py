"""The one sanitiser: every text or HTML that a non-admin sends passes through here.

One bleach policy for rich text (``clean_html``) and one for plain text
(``clean_text``). Both repeat until nothing changes, so markup hidden behind
entities encoded more than once does not survive either.
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
_MAX_ROUNDS = 5


def clean_text(value: str) -> str:
    """Plain text with every tag and comment removed."""
    value = str(value or "")
    for _round in range(_MAX_ROUNDS):
        cleaned = html.unescape(
            bleach.clean(value, tags=set(), attributes={}, strip=True, strip_comments=True)
        )
        if cleaned == value:
            break
        value = cleaned
    return value.strip()


def clean_html(text: str) -> str:
    """Safe rich text: no scripts, no on* attributes, no javascript: links.

    Plain text (no tags) becomes escaped paragraphs; inline markup alone is
    wrapped in paragraphs too.
    """
    text = str(text or "").strip()
    if "<" not in text:
        return _paragraphs(escape(text))
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
