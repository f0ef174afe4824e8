"""Abuse: rate limit per client address, markup stripped from every text field."""

import pytest
from django.conf import settings as django_settings

from services.catalogue.models import ServiceFormField, ServicePage
from services.core import ratelimit
from services.core.ratelimit import parse_rate
from services.core.sanitise import clean_text
from services.tickets.models import Ticket
from tests.services_data import form_data

pytestmark = pytest.mark.usefixtures("one_rate_window")


def test_default_rate_is_ten_in_ten_minutes():
    assert parse_rate(django_settings.SERVICE_RATE_LIMIT) == (10, 600)


def test_rate_limit_answers_429_in_thai_per_client(client, catalogue, settings):
    settings.SERVICE_RATE_LIMIT = "3/600"
    page = ServicePage.objects.get(slug="education-information")
    for _ in range(3):
        assert client.post(page.url, form_data("information")).status_code == 302
    typed = form_data("information", requester_name="ประภาพร ทดลองพิมพ์")
    blocked = client.post(page.url, typed)
    assert blocked.status_code == 429
    html = blocked.content.decode()
    assert "ส่งคำขอถี่เกินไป" in html
    # The form comes back with what was typed, and says when to try again.
    assert 'value="ประภาพร ทดลองพิมพ์"' in html
    assert 0 < int(blocked["Retry-After"]) <= 601
    assert Ticket.objects.count() == 3
    # Another address is not affected, and reading the page is never limited.
    other = client.post(page.url, form_data("information"), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302
    assert client.get(page.url).status_code == 200


def test_invalid_posts_count_too(client, catalogue, settings):
    settings.SERVICE_RATE_LIMIT = "2/600"
    page = ServicePage.objects.get(slug="education-information")
    assert client.post(page.url, {}).status_code == 400
    assert client.post(page.url, {}).status_code == 400
    assert client.post(page.url, form_data("information")).status_code == 429
    assert not Ticket.objects.exists()


def test_every_web_process_counts_against_one_limit(settings):
    """gunicorn's workers are separate processes: all together allow the limit once
    (in Redis, or without it in the host's count file; never per process)."""
    import multiprocessing

    from django.test import RequestFactory

    settings.SERVICE_RATE_LIMIT = "4/600"
    request = RequestFactory().post("/", REMOTE_ADDR="10.9.9.9")
    context = multiprocessing.get_context("fork")
    answers, start = context.Queue(), context.Event()

    def web_process():
        start.wait(30)
        answers.put([ratelimit.hit(request, "submit") for _ in range(3)])

    processes = [context.Process(target=web_process) for _ in range(2)]
    for process in processes:
        process.start()
    start.set()
    allowed = answers.get(timeout=30) + answers.get(timeout=30)
    for process in processes:
        process.join(30)
    assert sorted(allowed) == [False, False, True, True, True, True]
    # Another address has its own count.
    assert ratelimit.hit(RequestFactory().post("/", REMOTE_ADDR="10.9.9.8"), "submit")


def test_expired_counts_are_deleted_from_the_host_file(monkeypatch):
    counts, now = ratelimit._host_counts, ratelimit.time.time()  # the limiter's clock
    monkeypatch.setattr(ratelimit._HostCounts, "PURGE_EVERY", 1)
    assert counts.count("ratelimit:test:old", now - 1) == 1
    assert counts.count("ratelimit:test:live", now + 60) == 1
    assert counts.count("ratelimit:test:live", now + 60) == 2
    # The expired key was deleted by a purge: it counts from one again.
    assert counts.count("ratelimit:test:old", now + 60) == 1


@pytest.mark.parametrize(
    "dirty, clean",
    [
        ("<script>alert(1)</script>สวัสดี", "alert(1)สวัสดี"),
        ('<img src=x onerror="alert(1)">ภาพ', "ภาพ"),
        ("&lt;script&gt;alert(2)&lt;/script&gt;", "alert(2)"),
        ("ราคา < 500 บาท & ส่งฟรี", "ราคา < 500 บาท & ส่งฟรี"),
        ("<!-- x --><b onmouseover=alert(3)>ตัวหนา</b>", "ตัวหนา"),
    ],
)
def test_clean_text_strips_markup(dirty, clean):
    assert clean_text(dirty) == clean


SCRIPT = "<script>alert('xss')</script>"
HANDLER = '<img src=x onerror="alert(1)"><a href="javascript:alert(2)" onclick="x()">ลิงก์</a>'


@pytest.mark.parametrize(
    "slug, kind",
    [
        ("zoom-meeting-room", "booking"),
        ("computer-internet-repair", "repair"),
        ("education-information", "information"),
        ("website-publication", "general"),
    ],
)
def test_markup_in_any_text_field_comes_back_harmless(client, catalogue, slug, kind):
    page = ServicePage.objects.get(slug=slug)
    ServiceFormField.objects.create(
        page=page, label="หมายเหตุเพิ่มเติม", field_type="multiline", required=False
    )
    extra = "extra_" + page.form_fields.get().clean_name
    data = form_data(kind)
    text_fields = [
        name
        for name, value in data.items()
        if isinstance(value, str)
        and name
        not in (
            "consent",
            "date",
            "start_time",
            "end_time",
            "participants",
            "platform",
            "recording",
            "category",
            "data_format",
            "delivery",
            "requester_email",
            "requester_phone",
        )
    ]
    for name in text_fields:
        data[name] = f"{SCRIPT}{HANDLER}ข้อความ{name}"
    data[extra] = f"{SCRIPT}{HANDLER}ข้อความเพิ่ม"
    response = client.post(page.url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    ticket = Ticket.objects.get()
    stored = [ticket.requester_name, ticket.requester_org, *map(str, ticket.answers.values())]
    for value in stored:
        assert "<script" not in value and "onerror" not in value and "onclick" not in value
    page_text = client.get(ticket.get_tracking_url()).content.decode()
    assert "<script>alert" not in page_text
    assert "onerror" not in page_text and "onclick" not in page_text
    assert "javascript:alert" not in page_text
    for name in text_fields:
        assert f"ข้อความ{name}" in page_text
    assert "ข้อความเพิ่ม" in page_text


def test_client_address_behind_trusted_proxies(settings, rf):
    from services.core.ratelimit import client_address

    request = rf.get(
        "/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.0.2", REMOTE_ADDR="10.0.0.1"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.1"  # no proxy trusted: the socket address
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request) == "203.0.113.7"  # the forged left entry is ignored
    settings.TRUSTED_PROXY_COUNT = 5
    assert client_address(request) == "10.0.0.1"  # shorter chain than promised: socket
