"""Thai search on whichever database the suite runs on (SQLite or PostgreSQL)."""

import pytest

from home.models import StandardPage
from home.search import clean_query, segment

PHRASE = "งานซ่อมระบบคอมพิวเตอร์และเครือข่ายอินเทอร์เน็ต"


@pytest.fixture
def phrase_page(home_page):
    page = StandardPage(title=PHRASE, slug="repair-phrase", intro="")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def result_titles(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    outcome = response.context["outcome"]
    return response, [result.page.title for result in (outcome.results() if outcome else [])]


def test_segment_splits_thai_words():
    assert segment(PHRASE).split() == [
        "งาน",
        "ซ่อม",
        "ระบบ",
        "คอมพิวเตอร์",
        "และ",
        "เครือข่าย",
        "อินเทอร์เน็ต",
    ]


@pytest.mark.parametrize("word", ["ซ่อม", "เครือข่าย", "อินเทอร์เน็ต", "คอมพิวเตอร์ ซ่อม"])
def test_word_inside_thai_phrase_is_found(client, phrase_page, word):
    _response, titles = result_titles(client, word)
    assert PHRASE in titles


def test_unrelated_word_is_not_found(client, phrase_page):
    response, titles = result_titles(client, "ช้างเผือก")
    assert titles == []
    assert "ไม่พบผลลัพธ์" in response.content.decode()


def test_unpublished_page_is_not_found(client, phrase_page):
    phrase_page.unpublish()
    _response, titles = result_titles(client, "ซ่อม")
    assert PHRASE not in titles


def test_empty_query_asks_for_a_word(client, home_page):
    response = client.get("/search/", {"q": "   "})
    assert response.status_code == 200
    assert "กรุณาพิมพ์คำที่ต้องการค้นหา" in response.content.decode()


def test_very_long_query_is_cut_with_a_message(client, phrase_page):
    # Long but within what any parameter may be: searched, cut, and said so.
    response = client.get("/search/", {"q": "ซ่อม" * 150})
    assert response.status_code == 200
    assert "คำค้นยาวเกินไป" in response.content.decode()
    # Beyond it the input guard answers every URL alike: a Thai 400, never a 500.
    too_long = client.get("/search/", {"q": "ซ่อม" * 2500})
    assert too_long.status_code == 400


def test_markup_in_query_is_neutralised(client, phrase_page):
    query = '<script>alert("x")</script><img src=x onerror=alert(1)>ซ่อม'
    response = client.get("/search/", {"q": query})
    html = response.content.decode()
    assert response.status_code == 200
    # The typed text is kept in the box, escaped; no live tag reaches the page.
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html
    assert PHRASE in [r.page.title for r in response.context["outcome"].results()]


@pytest.mark.parametrize("raw", ["!!!", "'; DROP TABLE wagtailcore_page; --", "%%%", "\x00"])
def test_junk_query_never_errors(client, home_page, raw):
    response = client.get("/search/", {"q": raw})
    # A NUL byte is refused by the input guard with a Thai 400; the rest are searched.
    assert response.status_code == (400 if "\x00" in raw else 200)


def test_clean_query_bounds_words():
    query, truncated = clean_query(" ".join(["คำ"] * 100))
    assert truncated and len(query.split()) <= 20
