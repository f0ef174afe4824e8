"""The public site in a real browser: Thai home page, B.E. dates, phone width."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_home_page_in_thai_with_buddhist_era_news(page, live_server, home_page):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "th"
    assert "18 พฤศจิกายน 2569" in page.locator("main").inner_text()
    # The skip link is the first thing a keyboard user reaches.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "ข้ามไปยังเนื้อหาหลัก" in focused


def test_home_page_fits_a_phone_screen(phone_page, live_server, home_page, screenshot_dir):
    phone_page.goto(live_server.url + "/")
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    phone_page.screenshot(path=f"{screenshot_dir}/home-375.png", full_page=True)
    assert overflow <= 0


def test_search_from_the_header(page, live_server, home_page):
    page.goto(live_server.url + "/")
    page.fill("#nav-q", "เครือข่าย")
    page.locator(".nav-search button").click()
    page.wait_for_url("**/search/?q=*")
    assert "พบ" in page.locator("main").inner_text()
