"""The one sanitiser against a corpus of encoded, nested and broken payloads."""

import html
import re
from html.parser import HTMLParser

import pytest

from services.core.sanitise import RICH_ATTRIBUTES, RICH_TAGS, clean_html, clean_text


def encoded(text, times):
    for _ in range(times):
        text = html.escape(text)
    return text


BASE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil.example></iframe>",
]
CORPUS = [encoded(payload, times) for payload in BASE for times in range(0, 8)] + [
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    "<img src=x onerror=alert(1)//",  # never closed
    "<img src=x onerror=alert(1)",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&#x3C;img src=x onerror=alert(1)&#x3E;",
    "&lt;script&gt;alert(1)&lt;/script",  # no closing semicolon or bracket
    "&LT;SCRIPT&GT;alert(1)&LT;/SCRIPT&GT;",
    "&amp;#60;script&amp;#62;alert(1)",
    "<scr\x00ipt>alert(1)</scr\x00ipt>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "\ud800<b>broken surrogate</b>",
    "ราคา < 500 บาท & ส่งฟรี > 3 ชิ้น",
]
OPENS_TAG = re.compile(r"<[a-zA-Z/!?]")


@pytest.mark.parametrize("payload", CORPUS)
def test_clean_text_leaves_no_markup_at_any_depth(payload):
    result = clean_text(payload)
    # However many times the browser or a later step decodes it, no tag opens.
    decoded = result
    for _ in range(10):
        assert not OPENS_TAG.search(decoded), (payload, result)
        decoded = html.unescape(decoded)
    assert "\x00" not in result
    assert clean_text(result) == result  # one pass is enough: stable


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


@pytest.mark.parametrize("payload", CORPUS)
def test_clean_html_keeps_only_the_allow_list(payload):
    result = clean_html(payload)
    parser = Tags()
    parser.feed(result)
    for tag, attrs in parser.found:
        assert tag in RICH_TAGS, (payload, result)
        assert set(attrs) <= set(RICH_ATTRIBUTES.get(tag, [])), (payload, result)
        href = (attrs.get("href") or "").strip().lower()
        assert not href or href.startswith(("http:", "https:", "mailto:", "/", "#")), result
    assert "script" not in "".join(tag for tag, _ in parser.found)
    assert "\x00" not in result


def test_ordinary_thai_text_is_untouched():
    assert clean_text("ราคา < 500 บาท & ส่งฟรี") == "ราคา < 500 บาท & ส่งฟรี"
    assert clean_text("  สวัสดี\nครับ  ") == "สวัสดี\nครับ"
    assert clean_html("<p>สวัสดี <strong>ครับ</strong></p>") == "<p>สวัสดี <strong>ครับ</strong></p>"


# Characters that make a parser do something: escapes, broken references,
# non-characters, odd spaces and line separators, next to Thai and ASCII.
PIECES = list("aZ09 \t\n&;#x>\"'=/!?-.กข\u0e31") + [
    "&amp;",
    "&lt",
    "&gt;",
    "&#",
    "&#60",
    "&#x3C;",
    "&notit;",
    "&nbsp;",
    "&#128;",
    "&#0;",
    "&#xD800;",
    "&#1114111;",
    "\ufffe",
    "\ufdd0",
    "\uffff",
    "\U0001f600",
    "\U0010ffff",
    "\u00a0",
    "\u2028",
    "\u200b",
    "\ufeff",
    "\x85",
    "]]>",
    "--",
    "\r\n",
    "<",
]


def test_clean_text_short_way_gives_what_the_parser_gives():
    """Text with no "<", "\\r" or "&#" skips the parser: the same result either way."""
    import random

    from services.core.sanitise import _bleached_text, fully_decoded

    rng = random.Random(14)
    short_way = 0
    for _ in range(4_000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12)))
        decoded = fully_decoded(text)
        assert clean_text(text) == _bleached_text(decoded), repr(text)
        short_way += not any(mark in decoded for mark in ("<", "\r", "&#"))
    assert short_way > 1_000  # the comparison covers the short way, not only the long one
