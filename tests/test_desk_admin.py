"""The desk in the Wagtail admin: list, filters, ticket view with moves, panels,
and the requester's cancel button on the tracking page."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from services.bookings.models import Resource
from services.tickets.models import Ticket, TicketStep

from .desk_helpers import advance_to, desk_users, make_ticket, step

pytestmark = pytest.mark.django_db

PIPELINE = [
    step("intake", amount=10, unit="minutes"),
    step("approval", "approver"),
    step("schedule"),
    step("work", amount=1, unit="days"),
    step("report"),
]
LIST_URL = "/admin/services/ticket/"


def inspect_url(ticket):
    return reverse("services_ticket_modeladmin_inspect", args=[ticket.pk])


@pytest.fixture
def users():
    return desk_users()


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_who_sees_the_desk(users):
    ticket = make_ticket(PIPELINE, timezone.now())
    for who in ("officer", "approver", "director", "executive", "admin"):
        response = login(users[who]).get(LIST_URL)
        assert response.status_code == 200, who
        assert ticket.reference in response.content.decode()
    staff = login(users["staff"])
    assert staff.get(LIST_URL).status_code in (302, 403)
    assert staff.get(inspect_url(ticket)).status_code in (302, 403)
    assert "โต๊ะงานคำขอบริการ" not in staff.get("/admin/").content.decode()


def test_list_shows_step_due_badge_and_filters(users):
    now = timezone.now()
    late = make_ticket(PIPELINE, now - dt.timedelta(days=5), email="late@example.com")
    fresh = make_ticket([step("work", amount=3, unit="days")], now, email="fresh@example.com")
    late.assignee = users["officer"]
    late.save()
    client = login(users["officer"])
    page = client.get(LIST_URL).content.decode()
    assert "sla-badge--breached" in page and "sla-badge--on_time" in page
    assert "ขั้นตอนที่ 1 (intake)" in page
    assert "Officer1" in page  # the assignee
    assert re.search(r"25\d\d เวลา \d\d:\d\d น\.", page)  # due time, B.E. year

    breached = client.get(LIST_URL, {"sla": "breached"}).content.decode()
    assert late.reference in breached and fresh.reference not in breached
    on_time = client.get(LIST_URL, {"sla": "on_time"}).content.decode()
    assert fresh.reference in on_time and late.reference not in on_time
    found = client.get(LIST_URL, {"q": "fresh@example.com"}).content.decode()
    assert fresh.reference in found and late.reference not in found
    by_reference = client.get(LIST_URL, {"q": late.reference}).content.decode()
    assert late.reference in by_reference and fresh.reference not in by_reference
    assert client.get(LIST_URL, {"status": "open", "fy": "2569"}).status_code == 200
    assert client.get(LIST_URL, {"assignee__id__exact": users["officer"].pk}).status_code == 200


def test_list_query_count_does_not_grow_with_rows(users, django_assert_max_num_queries):
    now = timezone.now()
    client = login(users["officer"])
    for _ in range(3):
        make_ticket(PIPELINE, now)
    client.get(LIST_URL)  # warm caches (content types, site)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(LIST_URL)
    for _ in range(30):
        make_ticket(PIPELINE, now)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST_URL)
    assert response.content.decode().count('class="sla-badge') == 33
    assert len(many) == len(few)


def test_ticket_view_shows_timeline_history_and_allowed_actions(users):
    ticket = make_ticket(PIPELINE, timezone.now())
    client = login(users["officer"])
    page = client.get(inspect_url(ticket)).content.decode()
    assert "desk-timeline" in page and "ขั้นตอนที่ 5 (report)" in page
    assert 'value="finish"' in page and 'value="take"' in page
    assert 'value="approve"' not in page
    approver_page = login(users["approver"]).get(inspect_url(advance_to(ticket, 2, timezone.now())))
    assert 'value="approve"' in approver_page.content.decode()
    executive_page = login(users["executive"]).get(inspect_url(ticket)).content.decode()
    assert (
        "ท่านดูคำขอได้อย่างเดียว" in executive_page
        and '<input type="hidden" name="move"' not in executive_page
    )


def test_moves_through_the_admin(users):
    ticket = make_ticket(PIPELINE, timezone.now())
    client = login(users["officer"])
    response = client.post(inspect_url(ticket), {"move": "finish", "finish-note": "รับเรื่องแล้ว"})
    assert response.status_code == 302
    assert ticket.steps.get(position=1).status == TicketStep.Status.DONE
    page = client.get(inspect_url(ticket)).content.decode()
    assert "บันทึกขั้นตอนเสร็จ เรียบร้อยแล้ว" in page
    assert "รับเรื่องแล้ว" in page  # the note in the timeline and history

    # The officer may not approve: refused with a Thai message, not a 500.
    refused = client.post(inspect_url(ticket), {"move": "approve", "approve-reason": "ok"})
    assert refused.status_code == 409
    assert "ท่านไม่มีสิทธิ์อนุมัติ" in refused.content.decode()
    assert ticket.steps.get(position=2).status == TicketStep.Status.ACTIVE

    # The approver rejects without a reason: 400, the field says why.
    approver = login(users["approver"])
    empty = approver.post(inspect_url(ticket), {"move": "reject", "reject-reason": ""})
    assert empty.status_code == 400
    assert "กรุณากรอกข้อมูลช่องนี้" in empty.content.decode()
    done = approver.post(inspect_url(ticket), {"move": "approve", "approve-reason": "เห็นชอบ"})
    assert done.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).active_step.kind == "schedule"

    assert client.post(inspect_url(ticket), {"move": "nonsense"}).status_code == 409


def test_schedule_form_keeps_input_on_conflict(users):
    room = Resource.objects.create(name="ห้องประชุม DLICT", kind="room", capacity=30)
    now = timezone.now()
    first = advance_to(make_ticket(PIPELINE, now), 3, now)
    second = advance_to(make_ticket(PIPELINE, now), 3, now)
    client = login(users["officer"])
    day = (timezone.localtime() + dt.timedelta(days=3)).date().isoformat()
    data = {
        "move": "schedule",
        "schedule-starts_at": f"{day}T09:00",
        "schedule-ends_at": f"{day}T11:00",
        "schedule-participants": "20",
        "schedule-resource": str(room.pk),
        "schedule-meeting_id": "",
        "schedule-note": "ห้องใหญ่",
    }
    assert client.post(inspect_url(first), data).status_code == 302
    clash = client.post(inspect_url(second), {**data, "schedule-starts_at": f"{day}T10:00"})
    body = clash.content.decode()
    assert clash.status_code == 409
    assert "ถูกจองแล้วช่วง" in body
    assert f'value="{day}T10:00"' in body  # what was typed is kept
    bad = client.post(inspect_url(second), {**data, "schedule-ends_at": "not a time"})
    assert bad.status_code == 400 and "วันเวลาไม่ถูกต้อง" in bad.content.decode()


def test_dashboard_panels(users):
    now = timezone.now()
    mine = make_ticket(PIPELINE, now)
    mine.assignee = users["officer"]
    mine.save()
    waiting = advance_to(make_ticket(PIPELINE, now), 2, now)
    late = make_ticket(PIPELINE, now - dt.timedelta(days=3))
    officer_home = login(users["officer"]).get("/admin/").content.decode()
    assert "คำขอที่ฉันรับผิดชอบ" in officer_home and mine.reference in officer_home
    assert "ใกล้ครบกำหนดและเกินกำหนด" in officer_home and late.reference in officer_home
    assert "รอการอนุมัติจากฉัน" not in officer_home
    approver_home = login(users["approver"]).get("/admin/").content.decode()
    assert "รอการอนุมัติจากฉัน" in approver_home and waiting.reference in approver_home
    assert "desk_my_tickets" not in login(users["staff"]).get("/admin/").content.decode()


def test_requester_cancels_from_the_tracking_page_with_csrf():
    ticket = make_ticket(PIPELINE, timezone.now())
    client = Client(enforce_csrf_checks=True)
    page = client.get(ticket.get_tracking_url())
    body = page.content.decode()
    assert "ยกเลิกคำขอนี้" in body
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    cancel_url = reverse("services:track_cancel", args=[ticket.reference, ticket.tracking_token])
    assert client.post(cancel_url, {"reason": "x"}).status_code == 403  # no CSRF token
    unconfirmed = client.post(cancel_url, {"reason": "ไม่ต้องการแล้ว", "csrfmiddlewaretoken": token})
    assert unconfirmed.status_code == 400
    assert "กรุณาทำเครื่องหมายยืนยันก่อนยกเลิกคำขอ" in unconfirmed.content.decode()
    assert "ไม่ต้องการแล้ว" in unconfirmed.content.decode()  # what was typed is kept
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    response = client.post(
        cancel_url, {"reason": "ไม่ต้องการแล้ว", "confirm": "on", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CANCELLED
    assert "ยกเลิกคำขอเรียบร้อยแล้ว" in client.get(ticket.get_tracking_url()).content.decode()
    # Too late now: a clear message, no 500.
    again = client.post(cancel_url, {"confirm": "on", "csrfmiddlewaretoken": token})
    assert again.status_code == 409 and "ยกเลิกคำขอไม่ได้" in again.content.decode()
    wrong = client.post(
        reverse("services:track_cancel", args=[ticket.reference, "nope"]),
        {"csrfmiddlewaretoken": token},
    )
    assert wrong.status_code == 404


def test_no_cancel_button_once_work_has_started():
    ticket = advance_to(make_ticket(PIPELINE, timezone.now()), 3, timezone.now())
    assert "ยกเลิกคำขอนี้" not in Client().get(ticket.get_tracking_url()).content.decode()
