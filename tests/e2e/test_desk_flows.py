"""The desk in a real browser: the conversation with files both ways, a phone ticket,
a reschedule told to everyone with a higher SEQUENCE, the booking calendar, and the
desk at 375 px."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from services.bookings.models import Booking, CalendarFeed
from services.core.models import OutboxMessage
from services.core.roles import OFFICERS
from services.tickets.models import Ticket
from tests.desk_helpers import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def no_sideways_scroll(page):
    return (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )


@pytest.fixture
def officer(demo_site):
    user = make_user("desk_officer", OFFICERS, email="desk.officer@example.go.th")
    user.set_password("desk-pass-2569")
    user.save()
    return user


def log_in(page, base):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", "desk_officer")
    page.fill("#id_password", "desk-pass-2569")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/admin/")


@pytest.fixture
def pdf(tmp_path):
    path = tmp_path / "หนังสือเพิ่มเติม.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    return path


def test_conversation_with_files_both_ways(
    browser, page, live_server, officer, pdf, tmp_path, fresh_cache, screenshot_dir
):
    ticket = Ticket.objects.get(requester_email="demo.new@example.go.th")
    # the requester replies with a file on the tracking page
    page.goto(live_server.url + ticket.get_tracking_url())
    page.fill("#id_body", "ขอส่งหนังสือเพิ่มเติมครับ")
    page.set_input_files("#id_files", str(pdf))
    page.get_by_role("button", name="ส่งข้อความ").click()
    page.wait_for_url("**#conversation")
    assert "ขอส่งหนังสือเพิ่มเติมครับ" in page.locator("#conversation").inner_text()

    # the officer sees both in the desk and replies with a file
    desk = browser.new_context(locale="th-TH").new_page()
    log_in(desk, live_server.url)
    desk.goto(live_server.url + f"/admin/services/ticket/inspect/{ticket.pk}/")
    history = desk.locator(".desk-history").inner_text()
    assert "ขอส่งหนังสือเพิ่มเติมครับ" in history and "หนังสือเพิ่มเติม.pdf" in history
    assert desk.locator(".desk-summary").get_by_role("link", name="หนังสือเพิ่มเติม.pdf").count() == 1
    reply = tmp_path / "คู่มือ.png"
    from PIL import Image

    Image.new("RGB", (16, 16), (0, 120, 60)).save(reply, format="PNG")
    desk.locator("details.desk-action--reply summary").click()
    desk.fill("#id_reply-body", "แนบคู่มือให้แล้วครับ")
    desk.set_input_files("#id_reply-files", str(reply))
    desk.locator("details.desk-action--reply button[type=submit]").click()
    desk.wait_for_selector("text=ตอบผู้ขอ เรียบร้อยแล้ว")
    desk.screenshot(path=f"{screenshot_dir}/desk-conversation.png", full_page=True)
    desk.context.close()

    # the requester downloads it
    page.goto(live_server.url + ticket.get_tracking_url())
    link = page.get_by_role("link", name="คู่มือ.png")
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200 and response.body()[:8] == b"\x89PNG\r\n\x1a\n"
    # anonymous, the desk URL of the same file answers 404
    file_pk = ticket.attachments.get(original_name="คู่มือ.png").pk
    assert page.request.get(f"{live_server.url}/desk/attachments/{file_pk}/").status == 404


def test_phone_ticket_and_the_desk_at_375px(
    phone_page, live_server, officer, fresh_cache, screenshot_dir
):
    page = phone_page
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/desk/new-ticket/")
    page.select_option("#id_service", label="ICT 02 ซ่อมระบบคอมพิวเตอร์และเครือข่ายอินเทอร์เน็ต")
    page.select_option("#id_channel", "phone")
    page.get_by_role("button", name="ต่อไป").click()
    page.fill("#id_req-requester_name", "ครูสมศรี โทรมา")
    page.fill("#id_req-requester_org", "โรงเรียนบ้านโนนสูง")
    page.fill("#id_req-requester_phone", "089 111 2233")
    page.select_option("#id_req-category", "network")
    page.fill("#id_req-location", "ห้องคอมพิวเตอร์")
    page.fill("#id_req-symptom", "อินเทอร์เน็ตใช้ไม่ได้ทั้งอาคาร")
    page.check("#id_req-consent")
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="บันทึกคำขอ").click()
    page.wait_for_url("**/admin/services/ticket/inspect/**")
    assert page.locator(".desk-channel").inner_text().strip() == "โทรศัพท์"
    assert no_sideways_scroll(page)
    # every action is reachable: the first action's button is on screen width
    button = page.locator(".desk-actions button[type=submit]").first
    box = button.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375
    page.screenshot(path=f"{screenshot_dir}/desk-ticket-375.png", full_page=True)
    ticket = Ticket.objects.get(requester_name="ครูสมศรี โทรมา")
    assert ticket.channel == "phone"
    page.goto(live_server.url + "/admin/services/ticket/?channel=phone")
    assert ticket.reference in page.locator("main").inner_text()
    assert no_sideways_scroll(page)
    page.screenshot(path=f"{screenshot_dir}/desk-list-375.png", full_page=True)
    page.goto(live_server.url + "/admin/desk/calendar/?view=month")
    assert no_sideways_scroll(page)


def test_reschedule_tells_everyone_and_the_feed_and_calendar_follow(
    page, live_server, officer, screenshot_dir
):
    booking = Booking.objects.get(ticket__requester_email="demo.booking@example.go.th")
    log_in(page, live_server.url)
    page.goto(
        live_server.url
        + "/admin/desk/calendar/?view=week&day="
        + booking.starts_at.date().isoformat()
    )
    assert booking.ticket.reference in page.locator(".desk-calendar").inner_text()
    page.screenshot(path=f"{screenshot_dir}/desk-calendar.png", full_page=True)

    OutboxMessage.objects.all().delete()
    new_start = timezone.localtime(booking.starts_at) + dt.timedelta(days=1, hours=4)
    page.goto(live_server.url + f"/admin/services/ticket/inspect/{booking.ticket_id}/")
    page.locator("details.desk-action--reschedule summary").click()
    assert page.input_value("#id_reschedule-meeting_id") == booking.meeting_id
    page.fill("#id_reschedule-starts_at", new_start.strftime("%Y-%m-%dT%H:%M"))
    page.fill(
        "#id_reschedule-ends_at", (new_start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    )
    page.fill("#id_reschedule-note", "ผู้ขอเลื่อนการประชุม")
    page.locator("details.desk-action--reschedule button[type=submit]").click()
    page.wait_for_selector("text=เลื่อน / แก้ไขการจอง เรียบร้อยแล้ว")

    notices = OutboxMessage.objects.filter(kind="booking_changed")
    to = sorted(tuple(message.to) for message in notices)
    assert len(notices) == 3
    assert ("demo.booking@example.go.th",) in to
    assert tuple(sorted(settings.NETWORK_TEAM_EMAILS)) in to
    feed = CalendarFeed.objects.filter(revoked=False, resource__isnull=True).first() or (
        CalendarFeed.objects.create(name="ทั้งหมด")
    )
    ical = page.request.get(live_server.url + feed.get_absolute_url()).text()
    stamp = new_start.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{stamp}" in ical
    assert "SEQUENCE:1" in ical.replace("\r\n ", "")
