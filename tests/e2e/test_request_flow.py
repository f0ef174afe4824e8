"""A requester on a phone: catalogue → repair service → form with a photo → tracking."""

import re

import pytest

from services.tickets.models import Ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def photo(tmp_path):
    from PIL import Image

    path = tmp_path / "จอดับ.png"
    Image.new("RGB", (64, 48), (30, 90, 160)).save(path, format="PNG")
    return path


def no_sideways_scroll(page):
    return (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )


def test_request_a_repair_with_a_photo_and_track_it(
    phone_page, live_server, catalogue, photo, screenshot_dir, fresh_cache
):
    page = phone_page
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="ขอรับบริการ").click()
    page.wait_for_url("**/services/")
    assert no_sideways_scroll(page)
    page.screenshot(path=f"{screenshot_dir}/catalogue-375.png", full_page=True)

    page.get_by_role("link", name="ซ่อมระบบคอมพิวเตอร์และเครือข่ายอินเทอร์เน็ต").click()
    page.wait_for_url("**/services/computer-internet-repair/")
    assert "1 วันทำการ" in page.locator(".timeline").inner_text()
    assert no_sideways_scroll(page)
    page.screenshot(path=f"{screenshot_dir}/service-375.png", full_page=True)

    # A first try without the symptom: Thai error beside the field, typing kept.
    page.select_option("#id_category", "computer")
    page.fill("#id_location", "ห้องธุรการ ชั้น 2")
    page.fill("#id_requester_name", "สมหญิง ตัวอย่าง")
    page.fill("#id_requester_org", "โรงเรียนบ้านหนองตัวอย่าง")
    page.fill("#id_requester_phone", "081 234 5678")
    page.fill("#id_requester_email", "somying@example.com")
    page.check("#id_consent")
    page.get_by_role("button", name="ส่งคำขอ").click()
    page.wait_for_selector(".form-errors")
    assert "กรุณากรอกข้อมูลช่องนี้" in page.locator("#id_symptom_error").inner_text()
    assert page.input_value("#id_location") == "ห้องธุรการ ชั้น 2"
    assert page.input_value("#id_requester_email") == "somying@example.com"
    page.screenshot(path=f"{screenshot_dir}/form-error-375.png", full_page=True)

    page.fill("#id_symptom", "เปิดเครื่องแล้วจอดับ มีเสียงปี๊บสามครั้ง")
    page.set_input_files("#id_attachments", str(photo))
    page.check("#id_consent")
    page.get_by_role("button", name="ส่งคำขอ").click()
    page.wait_for_url("**/sent/**")
    reference = page.locator("#reference").inner_text().strip()
    assert re.fullmatch(r"ICT-\d{4}-\d{6}", reference)
    assert no_sideways_scroll(page)
    page.screenshot(path=f"{screenshot_dir}/confirmation-375.png", full_page=True)

    ticket = Ticket.objects.get(reference=reference)
    assert ticket.attachments.get().original_name == "จอดับ.png"

    page.locator("#tracking-link").click()
    page.wait_for_url(f"**/track/{reference}/**")
    body = page.locator("main").inner_text()
    assert reference in body
    assert "ตรวจสอบและแก้ไขปัญหาคอมพิวเตอร์ / อินเทอร์เน็ต" in body
    assert "กำหนดเสร็จ" in body and "จอดับ.png" in body
    assert no_sideways_scroll(page)
    page.screenshot(path=f"{screenshot_dir}/tracking-375.png", full_page=True)


def test_poster_prints_on_one_a4_page(page, live_server, catalogue, screenshot_dir):
    page.goto(live_server.url + "/services/computer-internet-repair/poster/")
    assert "SCAN ME" in page.locator("main").inner_text()
    page.screenshot(path=f"{screenshot_dir}/poster-desktop.png", full_page=True)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    # One sheet: exactly one page object in the PDF.
    assert len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf)) == 1


def test_catalogue_and_service_at_desktop_width(page, live_server, catalogue, screenshot_dir):
    page.goto(live_server.url + "/services/")
    from services.catalogue.models import ServicePage

    cards = page.locator(".service-card")
    assert cards.count() == ServicePage.objects.live().count() == 10
    page.screenshot(path=f"{screenshot_dir}/catalogue-desktop.png", full_page=True)
    page.goto(live_server.url + "/services/zoom-meeting-room/")
    assert page.locator(".timeline__step").count() == 4
    page.screenshot(path=f"{screenshot_dir}/service-desktop.png", full_page=True)
