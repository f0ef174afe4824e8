"""The staff submission form (sanitised) and the signed preview link."""

import re

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Page, WorkflowState

from home.models import NewsPage
from publishing.preview import page_for_token, preview_path
from publishing.submission import clean_body
from services.core.models import OutboxMessage
from tests import publishing_support as support
from tests.publishing_support import current_state, submit

publication = support.publication
people = support.people

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<p onclick="steal()">สวัสดี<img src="x" onerror="alert(1)"></p>'
    '<script>alert("xss")</script>'
    '<a href="javascript:alert(1)" onmouseover="x()">ลิงก์</a>'
    '<a href="https://example.go.th/">ลิงก์ดี</a>'
)


def test_clean_body_removes_scripts_handlers_and_javascript_links():
    cleaned = clean_body(HOSTILE)
    for bad in (
        "<script",
        'alert("xss")',
        "onerror",
        "onclick",
        "onmouseover",
        "javascript:",
        "<img",
    ):
        assert bad not in cleaned
    assert "สวัสดี" in cleaned
    assert '<a href="https://example.go.th/">ลิงก์ดี</a>' in cleaned
    assert clean_body("บรรทัดแรก\n\nย่อหน้าสอง <b>").startswith("<p>")
    assert clean_body("ย่อหน้าเดียว & คำ") == "<p>ย่อหน้าเดียว &amp; คำ</p>"


def form_data(publication, **extra):
    return {
        "section": publication["news"].pk,
        "title": "ข่าวจากแบบฟอร์ม",
        "summary": "สรุปจากแบบฟอร์ม",
        "body": HOSTILE,
        **extra,
    }


def test_form_requires_login_and_staff(publication, people, client):
    url = reverse("publishing:submit")
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response.url
    client.force_login(people["director"])
    assert client.get(url).status_code == 403
    client.force_login(people["staff"])
    page = client.get(url)
    assert page.status_code == 200
    assert "ส่งข่าวเพื่อเผยแพร่บนเว็บไซต์" in page.content.decode()


def test_staff_form_creates_sanitised_draft_in_workflow(publication, people, client):
    client.force_login(people["staff"])
    attachment = SimpleUploadedFile("กำหนดการ.pdf", b"%PDF-1.4 test", "application/pdf")
    response = client.post(
        reverse("publishing:submit"), {**form_data(publication), "attachments": [attachment]}
    )
    assert response.status_code == 302
    page = NewsPage.objects.get(title="ข่าวจากแบบฟอร์ม")
    assert page.owner == people["staff"]
    assert not page.live
    assert page.get_parent().pk == publication["news"].pk
    raw = page.get_latest_revision_as_object().body.raw_data
    stored = str(raw)
    for bad in ("<script", "onerror", "onclick", "javascript:"):
        assert bad not in stored
    assert [block["type"] for block in raw] == ["paragraph", "document"]
    state = WorkflowState.objects.for_instance(page).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == people["staff"]
    assert current_state(page).task.name == "หัวหน้ากลุ่มพิจารณา"
    done = client.get(response.url)
    assert done.status_code == 200
    assert "ส่งเรื่องแล้ว" in done.content.decode()


def test_bad_form_keeps_input_and_explains_in_thai(publication, people, client):
    client.force_login(people["staff"])
    bad_file = SimpleUploadedFile("virus.exe", b"MZ", "application/octet-stream")
    response = client.post(
        reverse("publishing:submit"),
        {**form_data(publication, title=""), "body": "เนื้อหาที่พิมพ์ไว้", "attachments": [bad_file]},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "กรุณากรอกหัวเรื่อง" in html
    assert "virus.exe” เป็นชนิดที่ไม่รับ" in html
    assert "เนื้อหาที่พิมพ์ไว้" in html and "สรุปจากแบบฟอร์ม" in html
    assert not NewsPage.objects.filter(title="").exists()


def test_preview_link_for_author_and_reviewers_only(publication, people, client):
    page = submit(publication, people["staff"], title="ข่าวร่างที่ยังไม่เผยแพร่")
    url = preview_path(page)
    forged = reverse(
        "publishing:preview", kwargs={"token": signing.dumps({"page": page.pk}, salt="guessed")}
    )

    anonymous = client.get(url)
    assert anonymous.status_code == 404
    assert client.get(page.url or "/news/" + page.slug + "/").status_code == 404

    for who in ("staff", "head", "director", "officer"):
        client.force_login(people[who])
        response = client.get(url)
        assert response.status_code == 200, who
        html = response.content.decode()
        assert "ข่าวร่างที่ยังไม่เผยแพร่" in html
        assert "เนื้อหาข่าวทดสอบ" in html
        assert 'class="container prose"' in html  # the news page's own template
    client.force_login(people["other"])
    assert client.get(url).status_code == 404
    client.force_login(people["staff"])
    assert client.get(forged).status_code == 404
    # Tamper with the token in this very URL (a fresh token may carry a later timestamp).
    token = url.rstrip("/").rsplit("/", 1)[-1]
    tampered = url.replace(token, token[:-2] + ("xx" if not token.endswith("xx") else "yy"))
    assert client.get(tampered).status_code == 404


def test_preview_shows_the_latest_revision(publication, people, client):
    page = submit(publication, people["staff"])
    draft = Page.objects.get(pk=page.pk).specific
    draft.title = "หัวเรื่องที่แก้ในร่างล่าสุด"
    draft.save_revision(user=people["staff"])
    client.force_login(people["head"])
    assert "หัวเรื่องที่แก้ในร่างล่าสุด" in client.get(preview_path(page)).content.decode()


def preview_link_in(body):
    """The page that the preview link in ``body`` opens (its token is signed with
    the second it was made in, so a link made a second later differs)."""
    match = re.search(r"/publishing/preview/([^/\s]+)/", body)
    assert match, body
    assert match.group(0) == reverse("publishing:preview", kwargs={"token": match.group(1)})
    return page_for_token(match.group(1))


def test_notification_carries_the_preview_link(publication, people):
    page = submit(publication, people["staff"])
    review = OutboxMessage.objects.get(kind="publishing_review")
    assert review.to == [people["head"].email]
    assert preview_link_in(review.body).pk == page.pk
    submitted = OutboxMessage.objects.get(kind="publishing_submitted")
    assert submitted.to == [people["staff"].email]
    assert preview_link_in(submitted.body).pk == page.pk


def test_staff_form_accepts_jpg_and_png_images(publication, people, client):
    from tests.services_data import jpeg_bytes, png_bytes, upload

    client.force_login(people["staff"])
    response = client.post(
        reverse("publishing:submit"),
        {
            **form_data(publication, title="ข่าวพร้อมภาพ"),
            "attachments": [
                upload("ภาพกิจกรรม.JPG", jpeg_bytes()),
                upload("แผนผัง.png", png_bytes()),
            ],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = NewsPage.objects.get(title="ข่าวพร้อมภาพ")
    raw = page.get_latest_revision_as_object().body.raw_data
    assert [block["type"] for block in raw].count("paragraph") == 1
    assert len(raw) == 3  # the text and the two images
    # a PNG that is really a program is still refused
    from tests.services_data import exe_bytes

    bad = client.post(
        reverse("publishing:submit"),
        {**form_data(publication, title="ข่าวปลอม"), "attachments": [upload("x.png", exe_bytes())]},
    )
    assert bad.status_code == 400 and not NewsPage.objects.filter(title="ข่าวปลอม").exists()
