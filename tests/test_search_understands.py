"""Search that understands how people ask: synonyms, misspellings, English,
promoted results and the report of what people could not find.

Runs on whichever database the suite runs on (SQLite or PostgreSQL). The
synonyms here are the tests' own, not the demo's starter list.
"""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.documents.models import Document

from home.models import StandardPage
from home.search import log, vocabulary
from home.search.models import SearchQueryLog, SearchWord, Synonym
from home.search.text import scrub
from services.catalogue.models import ServicePage
from services.core.roles import EXECUTIVES, OFFICERS, STAFF, WEB_OFFICERS
from tests.desk_helpers import bkk, make_ticket, make_user, step

REPAIR = "computer-internet-repair"
ZOOM = "zoom-meeting-room"
LIVE = "online-meeting-live-stream"
INFO = "education-information"
VIDEO = "video-conference"
REPORT_URL = "/admin/search-report/"


def service(slug):
    return ServicePage.objects.get(slug=slug)


def search(client, query, **extra):
    response = client.get("/search/", {"q": query, **extra})
    assert response.status_code == 200
    outcome = response.context["outcome"]
    return response, [r.page.slug for r in (outcome.results() if outcome else [])]


@pytest.fixture
def words(catalogue):
    """The tests' synonyms: colloquial, transliterated, English, a two-word run."""
    for term, means in [
        ("เน็ต", "อินเทอร์เน็ต"),
        ("คอม", "คอมพิวเตอร์"),
        ("เสีย", "ซ่อม, แจ้งซ่อม"),
        ("ซูม", "Zoom"),
        ("livestream", "ถ่ายทอดสด"),
        ("ไลฟ์สด", "ถ่ายทอดสด"),
        ("Wi-Fi", "อินเทอร์เน็ต, เครือข่าย"),
    ]:
        Synonym.objects.create(term=term, means=means)
    return catalogue


# --- each way of asking finds the service it means ---------------------------


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("เน็ต", REPAIR),  # colloquial
        ("คอมเสีย", REPAIR),  # two colloquial words run together
        ("ซูม", ZOOM),  # transliteration
        ("livestream", LIVE),  # English
        ("ไลฟ์สด", LIVE),  # a synonym the segmenter cuts in two
        ("wifi", REPAIR),  # spelled otherwise than the synonym ("Wi-Fi")
        ("อินเตอร์เน็ต", REPAIR),  # the common misspelling
        ("คอมพิวเตอ", REPAIR),  # a word cut short
    ],
)
def test_each_way_of_asking_finds_its_service(client, words, query, slug):
    _response, slugs = search(client, query)
    assert slugs, f"nothing found for {query}"
    assert slugs[0] == slug or slug in slugs[:3]


def test_without_synonyms_the_colloquial_words_find_nothing(client, catalogue):
    for query in ("ซูม", "livestream", "ไลฟ์สด"):
        _response, slugs = search(client, query, exact="1")
        assert slugs == [], query


def test_misspelling_says_what_was_searched_and_offers_the_exact_query(client, words):
    response, slugs = search(client, "อินเตอร์เน็ต")
    html = response.content.decode()
    assert REPAIR in slugs
    assert "ค้นหา “อินเทอร์เน็ต” แทน" in html
    assert "exact=1" in html and "ตามที่พิมพ์" in html
    # The exact query searches the word as typed: no correction, nothing found.
    response, slugs = search(client, "อินเตอร์เน็ต", exact="1")
    assert slugs == []
    assert "แทน" not in response.content.decode()


def test_correct_words_are_not_corrected(client, words):
    response, slugs = search(client, "ซ่อม คอมพิวเตอร์")
    assert REPAIR in slugs
    assert "แทน" not in response.content.decode()


def test_nearest_words_come_from_the_index(words):
    assert SearchWord.objects.filter(word="อินเทอร์เน็ต").exists()
    assert vocabulary.nearest("อินเตอร์เน็ต")[0][0] == "อินเทอร์เน็ต"
    assert vocabulary.nearest("ช้างเผือก") == []


def test_unpublished_service_is_not_found_through_a_synonym(client, words):
    service(ZOOM).unpublish()
    _response, slugs = search(client, "ซูม")
    assert ZOOM not in slugs


# --- a synonym added in the admin applies to the next search ------------------


def test_synonym_added_in_admin_changes_the_next_search(client, catalogue):
    _response, slugs = search(client, "ไวไฟ")
    assert slugs == []
    officer = make_user("officer_syn", OFFICERS)
    client.force_login(officer)
    response = client.post(
        "/admin/snippets/home/synonym/add/", {"term": "ไวไฟ", "means": "อินเทอร์เน็ต, เครือข่าย"}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    _response, slugs = search(client, "ไวไฟ")
    assert slugs[0] == REPAIR
    # An edit applies at once too.
    synonym = Synonym.objects.get(term="ไวไฟ")
    response = client.post(
        f"/admin/snippets/home/synonym/edit/{synonym.pk}/", {"term": "ไวไฟ", "means": "Zoom"}
    )
    assert response.status_code == 302
    _response, slugs = search(client, "ไวไฟ")
    assert slugs[0] == ZOOM


@pytest.mark.parametrize(
    ("term", "means", "message"),
    [
        ("", "อินเทอร์เน็ต", "กรุณาพิมพ์คำที่ผู้ค้นใช้"),
        ("<script>!!</script>", "อินเทอร์เน็ต", "กรุณาพิมพ์คำที่ผู้ค้นใช้"),
        ("เน็ต", " , ; ", "กรุณาใส่คำที่ใช้ค้นแทน"),
        ("เน็ต", ",".join(f"คำ{i}" for i in range(30)), "ใส่ได้ไม่เกิน"),
    ],
)
def test_bad_synonym_is_refused_with_a_thai_message(client, catalogue, term, means, message):
    client.force_login(make_user("web_syn", WEB_OFFICERS))
    response = client.post("/admin/snippets/home/synonym/add/", {"term": term, "means": means})
    assert response.status_code in (200, 400)
    assert message in response.content.decode()
    assert not Synonym.objects.exists()


def test_same_synonym_twice_is_refused(client, words):
    client.force_login(make_user("web_syn2", WEB_OFFICERS))
    response = client.post("/admin/snippets/home/synonym/add/", {"term": "WI FI", "means": "Zoom"})
    assert "มีคำนี้ในรายการคำพ้องความหมายแล้ว" in response.content.decode()


def test_staff_may_not_keep_synonyms(client, catalogue):
    client.force_login(make_user("staff_syn", STAFF))
    response = client.post("/admin/snippets/home/synonym/add/", {"term": "เน็ต", "means": "x"})
    assert response.status_code in (302, 403)
    assert not Synonym.objects.exists()


# --- the desk search uses the same synonyms --------------------------------------


def test_desk_search_expands_with_synonyms(client, words):
    now = bkk(2026, 5, 4, 9, 0)
    repair = make_ticket([step("work")], now, title=service(REPAIR).title)
    zoom = make_ticket([step("work")], now, title=service(ZOOM).title)
    client.force_login(make_user("officer_desk", OFFICERS))
    for query, wanted, unwanted in [
        ("เน็ต", repair, zoom),
        ("คอมเสีย", repair, zoom),
        ("ซูม", zoom, repair),
        (repair.reference, repair, zoom),
    ]:
        response = client.get("/admin/services/ticket/", {"q": query})
        assert response.status_code == 200
        html = response.content.decode()
        assert wanted.reference in html, query
        assert unwanted.reference not in html, query


# --- better results ----------------------------------------------------------------


def test_services_come_first_with_code_button_and_highlight(client, words, home_page):
    news = StandardPage(title="ข่าวซ่อมคอมพิวเตอร์", slug="repair-news", intro="ซ่อมคอมพิวเตอร์")
    home_page.add_child(instance=news)
    news.save_revision().publish()
    response, slugs = search(client, "ซ่อมคอมพิวเตอร์")
    html = response.content.decode()
    assert slugs.index(REPAIR) < slugs.index("repair-news")
    assert "ICT 02" in html and "ยื่นคำขอ" in html and "#request-form" in html
    assert "<mark>ซ่อม</mark>" in html or "<mark>คอมพิวเตอร์</mark>" in html


def test_highlight_escapes_page_text(client, home_page):
    page = StandardPage(title="หน้าทดสอบ", slug="escape", intro="<b>x</b> &lt;img src=x&gt; ทดสอบ")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    response, slugs = search(client, "ทดสอบ")
    assert "escape" in slugs
    assert "<img src=x>" not in response.content.decode()


def test_steps_officers_and_document_titles_are_searched(client, catalogue, home_page):
    # An officer's name (only on the information service).
    _response, slugs = search(client, "วนิดา")
    assert INFO in slugs
    # A step's description.
    page = service(VIDEO)
    steps = page.steps.raw_data
    steps[0]["value"]["description"] = "ทดสอบไมโครโฟนห้องประชุมใหญ่"
    page.steps = steps
    page.save_revision().publish()
    _response, slugs = search(client, "ไมโครโฟน")
    assert VIDEO in slugs
    # An attached document's title.
    document = Document.objects.create(
        title="แบบฟอร์มขอยืมโปรเจกเตอร์", file=ContentFile(b"x", "f.pdf")
    )
    news = StandardPage(
        title="ดาวน์โหลดเอกสาร",
        slug="downloads",
        body=[{"type": "document", "value": {"document": document.pk, "title": ""}}],
    )
    home_page.add_child(instance=news)
    news.save_revision().publish()
    _response, slugs = search(client, "โปรเจกเตอร์")
    assert "downloads" in slugs


def test_search_box_suggests_services_as_one_types(client, catalogue):
    response = client.get("/search/suggest/", {"q": "ซ่อมระ"})
    assert response.status_code == 200
    titles = [item["title"] for item in response.json()["results"]]
    assert service(REPAIR).title in titles
    assert client.get("/search/suggest/", {"q": "<script>"}).json() == {"results": []}


def test_search_page_loads_the_suggestion_script_from_the_site(client, catalogue):
    html = client.get("/search/").content.decode()
    assert "/static/js/search-suggest.js" in html and "data-suggest-url" in html


# --- the query log keeps no personal data -----------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "ติดตามคำขอ ICT-2569-000123",
        "ict 2569-000045 ยังไม่เสร็จ",
        "somchai.j@example.go.th",
        "ส่งไปที่ a_b+c@school.ac.th ด้วย",
        "โทร 081-234-5678",
        "0812345678 ซ่อมคอม",
        "+66 81 234 5678",
        "0 4300 0099 ต่อ 209",
        "เลขบัตร 1103700012345",
    ],
)
def test_query_log_holds_no_email_phone_or_reference(client, catalogue, typed):
    search(client, typed)
    stored = " ".join(SearchQueryLog.objects.values_list("query", flat=True))
    assert stored, "the search was logged"
    assert "@" not in stored
    for secret in (
        "2569-000123",
        "000045",
        "234-5678",
        "2345678",
        "234 5678",
        "4300",
        "1103700012345",
    ):
        assert secret not in stored
    for name in ("somchai", "a_b", "school.ac"):
        assert name not in stored


def test_scrub_keeps_ordinary_words():
    assert scrub("ขอ ICT 02 ปี 2569 ห้อง 3") == "ขอ ICT 02 ปี 2569 ห้อง 3"


def test_log_counts_searches_per_day_without_who(client, words):
    for _i in range(3):
        search(client, "เน็ต")
    row = SearchQueryLog.objects.get(query="เน็ต")
    assert row.searches == 3 and row.hits >= 1
    assert {f.name for f in SearchQueryLog._meta.fields} == {
        "id",
        "day",
        "query",
        "searches",
        "hits",
    }


def test_paging_through_results_is_not_a_new_search(client, words):
    search(client, "เน็ต")
    search(client, "เน็ต", page="2")
    assert SearchQueryLog.objects.get(query="เน็ต").searches == 1


# --- the monthly report and its one-click fixes -------------------------------------


def test_query_without_results_shows_in_the_report_and_a_promotion_puts_a_page_first(client, words):
    _response, slugs = search(client, "ช้างเผือกบิน")
    assert slugs == []
    officer = make_user("officer_report", OFFICERS)
    client.force_login(officer)
    response = client.get(REPORT_URL)
    assert response.status_code == 200
    not_found = [row["query"] for row in response.context["data"]["not_found"]]
    assert "ช้างเผือกบิน" in not_found
    assert "ช้างเผือกบิน" in response.content.decode()

    target = service(VIDEO)
    response = client.post(
        "/admin/search-report/promotion/", {"query": "ช้างเผือกบิน", "page": target.pk}
    )
    assert response.status_code == 302
    _response, slugs = search(client, "ช้างเผือกบิน")
    assert slugs[0] == VIDEO

    # A promotion also goes above results the query already had.
    _response, slugs = search(client, "เน็ต")
    assert slugs[0] == REPAIR
    client.post("/admin/search-report/promotion/", {"query": "เน็ต", "page": target.pk})
    response, slugs = search(client, "เน็ต")
    assert slugs[0] == VIDEO and slugs.count(VIDEO) == 1
    assert "แนะนำ" in response.content.decode()


def test_synonym_added_from_the_report_row_applies_at_once(client, catalogue):
    search(client, "อินเตอร์เน็ตโรงเรียนช้า")
    client.force_login(make_user("web_report", WEB_OFFICERS))
    response = client.post(
        "/admin/search-report/synonym/",
        {"term": "อินเตอร์เน็ตโรงเรียนช้า", "means": "อินเทอร์เน็ต"},
    )
    assert response.status_code == 302
    _response, slugs = search(client, "อินเตอร์เน็ตโรงเรียนช้า")
    assert slugs[0] == REPAIR


def test_report_lists_the_month_top_queries_only(client, words):
    log.record("เน็ต", 2, day=dt.date(2026, 4, 30))
    log.record("ซูม", 1, day=dt.date(2026, 5, 1))
    log.record("ซูม", 1, day=dt.date(2026, 5, 2))
    client.force_login(make_user("exec_report", EXECUTIVES))
    response = client.get(REPORT_URL, {"month": "2569-05"})
    assert response.status_code == 200
    top = response.context["data"]["top"]
    assert top == [{"query": "ซูม", "times": 2, "found": 1}]
    assert "พฤษภาคม 2569" in response.content.decode()


@pytest.mark.parametrize("month", ["abc", "2569-13", "9999-01", "2569-05-01", "<script>"])
def test_report_refuses_a_bad_month_in_thai(client, catalogue, month):
    client.force_login(make_user("officer_bad", OFFICERS))
    response = client.get(REPORT_URL, {"month": month})
    assert response.status_code == 400
    assert "เดือนไม่ถูกต้อง" in response.content.decode()


@pytest.mark.parametrize(
    ("group", "superuser", "reads", "fixes"),
    [
        (None, True, True, True),  # admin
        (OFFICERS, False, True, True),
        (WEB_OFFICERS, False, True, True),
        (EXECUTIVES, False, True, False),
        ("Group heads", False, True, False),
        ("Directors", False, True, False),
        (STAFF, False, False, False),
    ],
)
def test_report_and_fixes_by_role(client, words, group, superuser, reads, fixes):
    search(client, "ช้างเผือกบิน")
    client.force_login(make_user("role_user", group, superuser=superuser))
    response = client.get(REPORT_URL)
    assert response.status_code == (200 if reads else 403) or (
        not reads and response.status_code == 302
    )
    target = service(VIDEO)
    response = client.post(
        "/admin/search-report/promotion/", {"query": "ช้างเผือกบิน", "page": target.pk}
    )
    assert SearchPromotion.objects.filter(page=target).exists() == fixes
    response = client.post("/admin/search-report/synonym/", {"term": "ช้างเผือกบิน", "means": "ประชุม"})
    assert Synonym.objects.filter(term="ช้างเผือกบิน").exists() == fixes


def test_anonymous_cannot_read_the_report(client, catalogue):
    response = client.get(REPORT_URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    "data",
    [
        {"query": "ช้างเผือก", "page": "999999"},
        {"query": "ช้างเผือก", "page": "abc"},
        {"query": "", "page": "1"},
        {"query": "<script></script>", "page": ""},
    ],
)
def test_bad_promotion_is_refused_in_thai(client, catalogue, data):
    client.force_login(make_user("officer_promo", OFFICERS))
    response = client.post("/admin/search-report/promotion/", data)
    assert response.status_code == 400
    assert "กรุณาเลือกหน้าที่ต้องการแนะนำ" in response.content.decode()
    assert not SearchPromotion.objects.exists()


def test_bad_synonym_from_the_report_keeps_the_input(client, catalogue):
    search(client, "ช้างเผือกบิน")
    client.force_login(make_user("officer_syn_bad", OFFICERS))
    response = client.post("/admin/search-report/synonym/", {"term": "ช้างเผือกบิน", "means": " ; "})
    assert response.status_code == 400
    assert "กรุณาใส่คำที่ใช้ค้นแทน" in response.content.decode()
    assert not Synonym.objects.exists()


def test_vocabulary_rebuild_drops_words_no_page_has(catalogue):
    from io import StringIO

    from django.core.management import call_command

    SearchWord.objects.create(word="คำที่ไม่มีหน้าไหนใช้")
    call_command("rebuild_search_vocabulary", stdout=StringIO())
    assert not SearchWord.objects.filter(word="คำที่ไม่มีหน้าไหนใช้").exists()
    assert SearchWord.objects.filter(word="คอมพิวเตอร์").exists()


def test_demo_starter_list_answers_the_queries_people_typed(client, catalogue):
    """The queries from the schools that found nothing before, on the demo content."""
    from services.demo import search as demo_search

    demo_search.build(log=lambda *_: None)
    demo_search.build(log=lambda *_: None)  # loading twice changes nothing
    assert Synonym.objects.count() == len(demo_search.SYNONYMS)
    for query, slug in [
        ("เน็ตเสีย", REPAIR),
        ("คอมเสีย", REPAIR),
        ("ไลฟ์สด", LIVE),
        ("ซูม", ZOOM),
        ("wifi", REPAIR),
        ("อินเตอร์เน็ต", REPAIR),
        ("แจ้งซ่อม", REPAIR),
        ("ปริ้นเตอร์เสีย", REPAIR),
    ]:
        _response, slugs = search(client, query)
        assert slug in slugs[:3], (query, slugs)
