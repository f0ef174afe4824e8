"""Officer-entered tickets: phone, walk-in, letter, LINE and e-mail requests get the
same steps and clock as the web form; the channel is stored, filtered and counted."""

import pytest
from django.test import Client
from django.utils import timezone

from services.catalogue.models import ServicePage
from services.core.models import OutboxMessage
from services.reports.build import build_report, report_tables
from services.reports.period import Period
from services.tickets.creation import open_ticket
from services.tickets.models import Ticket
from tests.desk_helpers import desk_users
from tests.services_data import exe_bytes, kind_data, pdf_bytes, upload

URL = "/admin/desk/new-ticket/"


@pytest.fixture
def users(catalogue):
    return desk_users()


def login(user):
    client = Client()
    client.force_login(user)
    return client


def repair_service():
    return ServicePage.objects.get(form_kind="repair", code="ICT 02")


def phone_post(service, **overrides):
    data = {
        "service": service.pk,
        "channel": "phone",
        "req-requester_name": "ครูสมศรี โทรมา",
        "req-requester_org": "โรงเรียนบ้านโนนสูง",
        "req-requester_phone": "089-111-2233",
        "req-requester_email": "",
        "req-consent": "on",
        **{f"req-{name}": value for name, value in kind_data("repair").items()},
    }
    data.update(overrides)
    return data


def test_officer_enters_a_phone_ticket_with_the_same_steps_and_clock(users):
    service = repair_service()
    client = login(users["officer"])
    chooser = client.get(URL)
    assert chooser.status_code == 200 and "โทรศัพท์" in chooser.content.decode()
    form = client.get(URL, {"service": service.pk, "channel": "phone"})
    assert form.status_code == 200 and "อาการที่พบ" in form.content.decode()
    response = client.post(
        URL, phone_post(service, **{"req-attachments": [upload("รูป.pdf", pdf_bytes())]})
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    ticket = Ticket.objects.get()
    assert ticket.channel == Ticket.Channel.PHONE and ticket.get_channel_display() == "โทรศัพท์"
    assert ticket.requester_email == "" and ticket.attachments.count() == 1
    web = open_ticket(
        service,
        {"requester_name": "ก", "requester_email": "a@example.com"},
        {},
        now=ticket.created_at,
    )
    assert [(s.title, s.target_amount, s.target_unit) for s in ticket.steps.all()] == [
        (s.title, s.target_amount, s.target_unit) for s in web.steps.all()
    ]
    assert ticket.steps.get(position=1).due_at == web.steps.get(position=1).due_at
    # no e-mail to a requester without one
    assert not OutboxMessage.objects.filter(key=f"ticket:{ticket.pk}:submitted").exists()
    assert OutboxMessage.objects.filter(key=f"ticket:{web.pk}:submitted").exists()
    # the desk shows the channel and filters by it
    desk = client.get(response["Location"]).content.decode()
    assert "โทรศัพท์" in desk
    listed = client.get("/admin/services/ticket/", {"channel": "phone"}).content.decode()
    assert ticket.reference in listed and web.reference not in listed


def test_bad_input_keeps_what_was_typed(users):
    service = repair_service()
    client = login(users["officer"])
    bad = client.post(
        URL,
        phone_post(
            service,
            **{
                "req-requester_phone": "โทรมาเมื่อเช้า",
                "req-attachments": [upload("x.pdf", exe_bytes())],
                "req-consent": "",
            },
        ),
    )
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "กรุณากรอกหมายเลขโทรศัพท์ให้ถูกต้อง" in text
    assert "ไม่ใช่ไฟล์ PDF" in text
    assert "กรุณาสอบถามและบันทึกความยินยอมของผู้ขอก่อน" in text
    assert "ครูสมศรี โทรมา" in text
    assert client.post(URL, phone_post(service, channel="web")).status_code == 400
    assert client.post(URL, phone_post(service, channel="fax")).status_code == 400
    assert client.post(URL, {**phone_post(service), "service": "999999"}).status_code == 400
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("officer", True),
        ("admin", True),
        ("approver", False),
        ("director", False),
        ("executive", False),
        ("staff", False),
    ],
)
def test_who_may_enter_tickets(users, who, allowed):
    response = login(users[who]).post(URL, phone_post(repair_service()))
    if allowed:
        assert response.status_code == 302
    else:
        assert response.status_code in (302, 403)
        assert not Ticket.objects.exists()


def test_reports_count_tickets_by_channel(users):
    service = repair_service()
    now = timezone.now()
    for channel in ("phone", "phone", "walk_in", "web"):
        open_ticket(
            service,
            {"requester_name": "ก", "requester_email": "a@example.com"},
            {},
            channel=channel,
            now=now,
        )
    with pytest.raises(ValueError):
        open_ticket(service, {"requester_name": "ก"}, {}, channel="pigeon")
    local = timezone.localdate()
    data = build_report(Period.month(local.year, local.month))
    counts = {row["channel"]: row["received"] for row in data["channels"]}
    assert counts == {
        "web": 1,
        "staff": 0,
        "walk_in": 1,
        "letter": 0,
        "phone": 2,
        "line": 0,
        "email": 0,
    }
    table = next(t for t in report_tables(data) if t.key == "channels")
    assert ["โทรศัพท์", 2, 0, 2] in table.rows
