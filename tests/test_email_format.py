"""E-mails as mail clients and servers see them: parsed back with Python's ``email``."""

import email
import email.policy
import email.utils

import pytest
from django.core import mail
from django.utils import timezone

from services.core import outbox
from services.core.models import OutboxMessage
from services.tickets import moves

from .desk_helpers import advance_to, desk_users, make_ticket, step

pytestmark = pytest.mark.django_db

PIPELINE = [step("intake", amount=10, unit="minutes"), step("approval", "approver"), step("work")]


def deliver_all():
    for message in OutboxMessage.objects.order_by("pk"):
        outbox.deliver(message.pk)
    return [
        email.message_from_bytes(m.message().as_bytes(), policy=email.policy.default)
        for m in mail.outbox
    ]


@pytest.fixture
def parsed(settings):
    settings.SITE_DOMAIN = "ict.example.go.th"
    settings.REPLY_TO_EMAIL = "ict-office@example.go.th"
    users = desk_users()
    now = timezone.now()
    ticket = make_ticket(PIPELINE, now, email="requester@example.com")
    other = make_ticket(PIPELINE, now, language="en", email="en@example.com")
    moves.reply(ticket, users["officer"], "เรียนผู้ขอ โปรดดูที่ https://example.go.th/a?b=1&c=<x>")
    moves.reply(ticket, users["officer"], "ข้อความที่สอง")
    moves.reject(advance_to(ticket, 2, now), users["approver"], "ไม่มีช่วงเวลาว่าง")
    moves.reply(other, users["officer"], "Second ticket")
    return ticket, other, deliver_all()


def test_every_message_has_html_and_text_and_well_formed_headers(parsed):
    ticket, other, messages = parsed
    assert len(messages) == 4
    ids = set()
    for message in messages:
        assert message.get_content_type() == "multipart/alternative"
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        assert text is not None and html is not None
        assert text.get_content_type() == "text/plain"
        assert html.get_content_type() == "text/html"
        assert "<html" in html.get_content() and "<html" not in text.get_content()
        assert message["Date"].endswith("+0700")
        assert (
            email.utils.parsedate_to_datetime(message["Date"]).utcoffset().total_seconds()
            == 7 * 3600
        )
        assert message["Auto-Submitted"] == "auto-generated"
        assert message["Reply-To"] == "ict-office@example.go.th"
        assert message["Message-ID"].endswith("@ict.example.go.th>")
        ids.add(message["Message-ID"])
    assert len(ids) == 4  # unique


def test_messages_of_one_ticket_thread_together_and_apart_from_others(parsed):
    ticket, other, messages = parsed
    mine = [m for m in messages if m["To"] == "requester@example.com"]
    theirs = [m for m in messages if m["To"] == "en@example.com"]
    assert len(mine) == 3 and len(theirs) == 1
    roots = {m["In-Reply-To"] for m in mine}
    assert len(roots) == 1
    root = roots.pop()
    assert root.startswith("<") and root.endswith("@ict.example.go.th>")
    assert all(m["References"] == root for m in mine)
    assert theirs[0]["In-Reply-To"] != root
    assert root not in {m["Message-ID"] for m in messages}


def test_html_part_escapes_what_people_typed_and_links_urls(parsed):
    _ticket, _other, messages = parsed
    html = messages[0].get_body(preferencelist=("html",)).get_content()
    assert 'lang="th"' in html
    assert "<x>" not in html and "&lt;x&gt;" in html
    assert '<a href="https://example.go.th/a?b=1&amp;c=' in html
    english = [m for m in messages if m["To"] == "en@example.com"][0]
    assert 'lang="en"' in english.get_body(preferencelist=("html",)).get_content()


def test_reply_to_falls_back_to_the_office_email(home_page):
    from home.models import OfficeSettings

    office = OfficeSettings.for_site(home_page.get_site())
    office.email = "saraban@example.go.th"
    office.save()
    message = outbox.queue_email("t:reply-to", ["a@example.com"], "test_notice", {"ref": "R"})
    built = outbox.build_message(message)
    assert built.reply_to == ["saraban@example.go.th"]
