"""The publication SOP in a real browser: staff submits through the form, the group
head, the director and the web officer each approve in the Wagtail admin, and the
item appears on the public news list."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page

from services.core.roles import DIRECTORS, GROUP_HEADS, STAFF, WEB_OFFICERS, ensure_groups

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "E2e-publish-2569"
TITLE = "ขอเชิญร่วมกิจกรรมวันเด็กแห่งชาติ ประจำปี 2570"


def make_users():
    groups = ensure_groups()
    users = {}
    for username, group, first, last in (
        ("e2e_staff", STAFF, "กมลชนก", "แก้วใส"),
        ("e2e_head", GROUP_HEADS, "วิไลวรรณ", "ศรีสุข"),
        ("e2e_director", DIRECTORS, "ประเสริฐ", "มั่นคง"),
        ("e2e_officer", WEB_OFFICERS, "สมชาย", "ใจดี"),
    ):
        user = get_user_model().objects.create_user(
            username=username,
            password=PASSWORD,
            email=f"{username}@example.go.th",
            first_name=first,
            last_name=last,
        )
        user.groups.add(groups[group])
        users[username] = user
    return users


def log_in(page, base, username, next_path):
    page.goto(f"{base}/admin/login/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"**{next_path}")


def approve_from_dashboard(browser, base, username, shots, step):
    context = browser.new_context(locale="th-TH", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, base, username, "/admin/")
    # Our panel lists what is due; Wagtail's own panel carries the actions.
    assert TITLE in page.locator("#publishing-due-section").inner_text()
    page.screenshot(path=f"{shots}/publication-{step}-{username}-dashboard.png", full_page=True)
    row = page.locator("#awaiting-review-section tr", has_text=TITLE)
    row.locator("[data-w-dropdown-target=toggle]").click()
    with page.expect_navigation():
        row.get_by_role("button", name="อนุมัติ", exact=True).click()
    context.close()


def test_staff_submits_three_approve_and_it_is_published(
    browser, page, live_server, home_page, screenshot_dir
):
    make_users()
    base = live_server.url

    log_in(page, base, "e2e_staff", "/publishing/submit/")
    page.get_by_label("ข่าวประชาสัมพันธ์").check()
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "ขอเชิญโรงเรียนในสังกัดร่วมกิจกรรมวันเด็ก")
    page.fill(
        "#id_body", "กิจกรรมจัดวันเสาร์ที่ 9 มกราคม\n\nลงทะเบียนได้ที่ห้อง DLICT<script>alert(1)</script>"
    )
    page.screenshot(path=f"{screenshot_dir}/publication-0-form.png", full_page=True)
    page.get_by_role("button", name="ส่งเพื่อพิจารณา").click()
    page.wait_for_url("**/publishing/submitted/**")
    assert "ส่งเรื่องแล้ว" in page.locator("main").inner_text()
    assert "หัวหน้ากลุ่มพิจารณา" in page.locator("main").inner_text()

    news = Page.objects.get(title=TITLE).specific
    assert not news.live

    for step, username in enumerate(("e2e_head", "e2e_director", "e2e_officer"), start=1):
        approve_from_dashboard(browser, base, username, screenshot_dir, step)

    news.refresh_from_db()
    assert news.live
    page.goto(f"{base}/news/")
    assert TITLE in page.locator("main").inner_text()
    page.get_by_role("link", name=TITLE).click()
    body = page.locator("main").inner_text()
    assert "ลงทะเบียนได้ที่ห้อง DLICT" in body
    assert "alert(1)" not in body
