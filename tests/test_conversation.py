"""The conversation on a ticket: replies and notes with files, the requester's
reply from the tracking page, and who may download which file."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from services.core.models import OutboxMessage
from services.tickets import moves
from services.tickets.models import Ticket, TicketAttachment
from tests.desk_helpers import desk_users, make_ticket, step
from tests.services_data import exe_bytes, jpeg_bytes, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db

STEPS = [step("intake", amount=10, unit="minutes"), step("work", amount=1, unit="days")]


@pytest.fixture
def users(db, fresh_cache):
    return desk_users()


def login(user):
    client = Client()
    client.force_login(user)
    return client


def inspect_url(ticket):
    return f"/admin/services/ticket/inspect/{ticket.pk}/"


def reply_url(ticket, token=None):
    return reverse("services:track_reply", args=[ticket.reference, token or ticket.tracking_token])


def test_requester_replies_with_a_file_and_the_desk_is_told(users):
    ticket = make_ticket(STEPS, timezone.now())
    client = Client()
    response = client.post(
        reply_url(ticket),
        {"body": "ส่งหนังสือขอความอนุเคราะห์เพิ่มเติมครับ", "files": [upload("หนังสือ.pdf", pdf_bytes())]},
    )
    assert response.status_code == 302
    message = ticket.messages.get()
    assert message.from_requester and message.is_public and message.author is None
    [file] = message.files.all()
    assert file.original_name == "หนังสือ.pdf" and file.ticket_id == ticket.pk
    # the desk hears of it (every officer while nobody has taken the ticket)
    notice = OutboxMessage.objects.get(key__contains=":requester-message:")
    assert notice.to == ["officer1@example.go.th"]
    assert ticket.reference in notice.subject
    # the page shows the message and links the file behind the token
    page = client.get(ticket.get_tracking_url()).content.decode()
    assert "ส่งหนังสือขอความอนุเคราะห์เพิ่มเติมครับ" in page
    link = reverse(
        "services:track_attachment", args=[ticket.reference, ticket.tracking_token, file.pk]
    )
    assert link in page
    assert client.get(link).status_code == 200
    # the officer sees both in the desk
    desk = login(users["officer"]).get(inspect_url(ticket)).content.decode()
    assert "ส่งหนังสือขอความอนุเคราะห์เพิ่มเติมครับ" in desk
    assert reverse("services:officer_attachment", args=[file.pk]) in desk


def test_requester_reply_refuses_hostile_input(users):
    ticket = make_ticket(STEPS, timezone.now())
    client = Client()
    assert client.post(reply_url(ticket, "wrong"), {"body": "x"}).status_code == 404
    bad = client.post(
        reply_url(ticket), {"body": "ดูไฟล์นี้", "files": [upload("invoice.pdf", exe_bytes())]}
    )
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "ไม่ใช่ไฟล์ PDF" in text and "ดูไฟล์นี้" in text  # reason shown, body kept
    empty = client.post(reply_url(ticket), {"body": "   "})
    assert empty.status_code == 400 and "กรุณากรอกข้อมูลช่องนี้" in empty.content.decode()
    script = client.post(reply_url(ticket), {"body": "<script>alert(1)</script>สวัสดี"})
    assert script.status_code == 302
    assert "<script>" not in ticket.messages.get().body
    assert ticket.messages.count() == 1 and not TicketAttachment.objects.exists()


@override_settings(SERVICE_RATE_LIMIT="2/600")
def test_requester_reply_is_rate_limited(users, one_rate_window):
    ticket = make_ticket(STEPS, timezone.now())
    client = Client()
    codes = [client.post(reply_url(ticket), {"body": f"ข้อความ {n}"}).status_code for n in range(3)]
    assert codes == [302, 302, 429]


def test_no_reply_on_a_closed_ticket(users):
    ticket = make_ticket(STEPS, timezone.now())
    moves.cancel(ticket, users["officer"], "ซ้ำ")
    assert "ส่งข้อความ</button>" not in Client().get(ticket.get_tracking_url()).content.decode()
    refused = Client().post(reply_url(ticket), {"body": "ยังอยู่ไหม"})
    assert refused.status_code == 409
    with pytest.raises(moves.MoveNotAllowed):
        moves.check(ticket, users["admin"], "requester_reply")


def test_officer_replies_with_a_file_and_the_requester_downloads_it(users):
    ticket = make_ticket(STEPS, timezone.now())
    response = login(users["officer"]).post(
        inspect_url(ticket),
        {
            "move": "reply",
            "reply-body": "แนบคู่มือการใช้งานให้แล้วครับ",
            "reply-files": [upload("คู่มือ.png", png_bytes())],
        },
    )
    assert response.status_code == 302
    message = ticket.messages.get()
    [file] = message.files.all()
    assert file.is_public and file.content_type == "image/png"
    email = OutboxMessage.objects.get(kind="ticket_reply")
    assert "ไฟล์แนบ 1 ไฟล์" in email.body
    client = Client()
    page = client.get(ticket.get_tracking_url()).content.decode()
    link = reverse(
        "services:track_attachment", args=[ticket.reference, ticket.tracking_token, file.pk]
    )
    assert "แนบคู่มือการใช้งานให้แล้วครับ" in page and link in page
    download = client.get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == png_bytes()


def test_internal_note_files_never_reach_the_requester(users):
    ticket = make_ticket(STEPS, timezone.now())
    note = moves.note(
        ticket, users["approver"], "ตรวจบัตรแล้ว", files=[upload("บัตร.jpg", jpeg_bytes())]
    )
    [file] = note.files.all()
    assert not file.is_public
    page = Client().get(ticket.get_tracking_url()).content.decode()
    assert "ตรวจบัตรแล้ว" not in page and "บัตร.jpg" not in page
    hidden = reverse(
        "services:track_attachment", args=[ticket.reference, ticket.tracking_token, file.pk]
    )
    assert Client().get(hidden).status_code == 404
    assert (
        login(users["officer"])
        .get(reverse("services:officer_attachment", args=[file.pk]))
        .status_code
        == 200
    )


def test_every_attachment_url_is_404_for_strangers(users):
    ticket = make_ticket(STEPS, timezone.now())
    moves.reply(ticket, users["officer"], "ไฟล์", files=[upload("a.pdf", pdf_bytes())])
    other = make_ticket(STEPS, timezone.now(), email="other@example.com")
    file = TicketAttachment.objects.get()
    by_token = reverse(
        "services:track_attachment", args=[ticket.reference, ticket.tracking_token, file.pk]
    )
    by_desk = reverse("services:officer_attachment", args=[file.pk])
    wrong_ticket = reverse(
        "services:track_attachment", args=[other.reference, other.tracking_token, file.pk]
    )
    anonymous = Client()
    assert anonymous.get(by_desk).status_code == 404
    assert anonymous.get(wrong_ticket).status_code == 404
    assert anonymous.get(by_token.replace(ticket.tracking_token, "x" * 43)).status_code == 404
    assert anonymous.get(by_token).status_code == 200  # the token holder
    assert anonymous.get(by_token)["Cache-Control"] == "private, no-store"
    for who, code in (
        ("officer", 200),
        ("approver", 200),
        ("director", 200),
        ("executive", 200),
        ("admin", 200),
        ("staff", 404),
    ):
        assert login(users[who]).get(by_desk).status_code == code, who


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("officer", True),
        ("approver", True),
        ("director", True),
        ("admin", True),
        ("executive", False),
        ("staff", False),
    ],
)
def test_reply_and_note_with_files_by_role(users, who, allowed):
    ticket = make_ticket(STEPS, timezone.now())
    for move in ("reply", "note"):
        if allowed:
            message = moves.perform(
                move, ticket, users[who], body="ข้อความ", files=[upload("a.pdf", pdf_bytes())]
            )
            assert message.files.count() == 1
        else:
            with pytest.raises(moves.MoveNotAllowed):
                moves.perform(
                    move, ticket, users[who], body="ข้อความ", files=[upload("a.pdf", pdf_bytes())]
                )
    assert TicketAttachment.objects.count() == (2 if allowed else 0)


def test_a_bad_file_from_the_desk_is_refused_with_the_text_kept(users):
    ticket = make_ticket(STEPS, timezone.now())
    response = login(users["officer"]).post(
        inspect_url(ticket),
        {"move": "reply", "reply-body": "ไฟล์ตามแนบ", "reply-files": [upload("x.png", exe_bytes())]},
    )
    assert response.status_code == 400
    assert "ไฟล์ตามแนบ" in response.content.decode()
    assert not Ticket.objects.get(pk=ticket.pk).messages.exists()
