"""The request form's quick path (services.requests.quick_intake) and the request
journal behind it (services.tickets.journal): a browser's valid request is
accepted before Django and becomes the same ticket the view would make; anything
doubtful reaches Django with its body; nothing is lost on the way."""

import datetime as dt
import io
import re

import pytest
from django.conf import settings
from django.core.files.uploadhandler import load_handler
from django.http.multipartparser import MultiPartParser
from django.test import Client
from django.utils import timezone

from home.pagecache import CachedPagesApplication, page_cache
from services.catalogue.models import ServicePage
from services.core.models import OutboxMessage
from services.requests import quick_intake
from services.requests.forms import build_form
from services.tickets import journal
from services.tickets.models import PendingRequest, Ticket
from tests.services_data import form_data
from tests.wsgi_client import wsgi_request

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
BOUNDARY = "----WebKitFormBoundary7MA4YWxkTrZu0gW"


@pytest.fixture
def quick(settings, fresh_cache):
    settings.PAGE_CACHE_SECONDS = 300
    settings.SERVICE_RATE_LIMIT = "1000/60"
    page_cache().clear()
    quick_intake._forms.clear()
    yield
    page_cache().clear()


class Recorder:
    """Django behind the quick path, noting each request it had to answer and
    the body it read."""

    def __init__(self):
        from django.core.handlers.wsgi import WSGIHandler

        self.django = WSGIHandler()
        self.bodies = []

    def __call__(self, environ, start_response):
        if environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length)
            self.bodies.append(body)
            environ["wsgi.input"] = io.BytesIO(body)
        return self.django(environ, start_response)


@pytest.fixture
def site(quick, catalogue):
    recorder = Recorder()
    application = CachedPagesApplication(quick_intake.QuickIntakeApplication(recorder))
    page = ServicePage.objects.get(slug="computer-internet-repair")
    return Site(application, recorder, page)


class Site:
    def __init__(self, application, recorder, page):
        self.application, self.django, self.page = application, recorder, page

    def visit(self, cookies=None):
        """Two GETs (Django serves and stores the page, then the stored copy):
        the visitor's CSRF cookie and form token."""
        self.request("GET", self.page.url, cookies=cookies)
        _status, headers, body = self.request("GET", self.page.url, cookies=cookies)
        cookie = next(v for k, v in headers if k == "Set-Cookie" and v.startswith("csrftoken="))
        secret = cookie.split(";")[0].split("=", 1)[1]
        return secret, TOKEN.search(body).group(1).decode()

    def request(self, method, path, body=b"", headers=None, cookies=None):
        return wsgi_request(method, path, body, headers, cookies, application=self.application)

    def post(self, fields, secret, *, files=None, headers=None, cookies=None, path=None):
        body = multipart(fields, files=files)
        return self.request(
            "POST",
            path or self.page.url,
            body,
            {
                "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
                "HTTP_ORIGIN": "http://testserver",
                **(headers or {}),
            },
            {"csrftoken": secret, **(cookies or {})},
        )


def multipart(fields, files=None, boundary=BOUNDARY):
    """``fields`` as a browser posts the form: the empty file input included
    unless ``files`` gives it a file."""
    parts = []
    for name, value in fields.items():
        for one in value if isinstance(value, list) else [value]:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                + one.encode()
                + b"\r\n"
            )
    filename, content = (files or {}).get("attachments", ("", b""))
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; '
        f'filename="{filename}"\r\nContent-Type: '
        f"{'image/png' if filename else 'application/octet-stream'}\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)


def header(headers, name):
    return next((v for k, v in headers if k.lower() == name.lower()), None)


# --- a valid request ------------------------------------------------------------------


def test_a_browser_request_is_accepted_before_django_and_is_the_ticket_the_view_makes(site):
    secret, token = site.visit()
    fields = {**form_data("repair"), "csrfmiddlewaretoken": token, "website": ""}
    status, headers, body = site.post(fields, secret)
    assert status == "302 Found" and body == b""
    assert site.django.bodies == []  # Django never saw it
    location = header(headers, "Location")
    reference, tracking = re.fullmatch(rf"{site.page.url}sent/([^/]+)/([^/]+)/", location).groups()
    for policy in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"):
        assert header(headers, policy), policy

    # Tasks run in the process here, so the journal was made into the ticket at once.
    quick_ticket = Ticket.objects.get(reference=reference)
    assert quick_ticket.tracking_token == tracking
    assert not PendingRequest.objects.exists()
    # The same form through the view (Django's own path) for comparison.
    client = Client()
    assert client.post(site.page.url, form_data("repair")).status_code == 302
    view_ticket = Ticket.objects.exclude(pk=quick_ticket.pk).latest("pk")
    assert view_ticket.sequence == quick_ticket.sequence + 1
    same = (
        "requester_name requester_org requester_phone requester_email answers language "
        "service_id service_code form_kind channel privacy_notice_id status"
    ).split()
    for name in same:
        assert getattr(quick_ticket, name) == getattr(view_ticket, name), name
    assert [s.title for s in quick_ticket.steps.all()] == [s.title for s in view_ticket.steps.all()]
    first = quick_ticket.steps.get(position=1)
    assert first.status == "active" and first.started_at == quick_ticket.created_at
    mail = OutboxMessage.objects.get(key=f"ticket:{quick_ticket.pk}:submitted")
    assert mail.to == ["somying@example.com"] and reference in mail.body

    # The confirmation page is the usual one now the ticket exists.
    status, _headers, page = site.request("GET", location)
    assert status.startswith("200") and reference.encode() in page
    assert b"being-recorded" not in page


def test_hostile_text_is_cleaned_as_the_view_cleans_it(site):
    secret, token = site.visit()
    hostile = {
        "requester_name": "<script>alert(1)</script>สมชาย &lt;b&gt;ใจดี",
        "symptom": '<img src=x onerror="alert(1)">เปิดไม่ติด',
    }
    fields = {**form_data("repair", **hostile), "csrfmiddlewaretoken": token}
    status, headers, _ = site.post(fields, secret)
    assert status == "302 Found" and site.django.bodies == []
    ticket = Ticket.objects.get(reference=header(headers, "Location").split("/")[-3])
    assert "<" not in ticket.requester_name and "สมชาย" in ticket.requester_name
    assert "<" not in ticket.answers["symptom"] and "เปิดไม่ติด" in ticket.answers["symptom"]
    view = build_form(site.page, form_data("repair", **hostile))
    assert view.is_valid()
    assert ticket.requester_name == view.cleaned_data["requester_name"]


def test_english_visitors_requests_are_english_tickets(site):
    secret, token = site.visit(cookies={"django_language": "en"})
    fields = {**form_data("repair"), "csrfmiddlewaretoken": token}
    status, headers, _ = site.post(fields, secret, cookies={"django_language": "en"})
    assert status == "302 Found" and site.django.bodies == []
    reference = header(headers, "Location").split("/")[-3]
    assert Ticket.objects.get(reference=reference).language == "en"


# --- anything doubtful goes to Django, body and all ---------------------------------------


def _forged(token):
    return token[:-1] + ("a" if token[-1] != "a" else "b")


DOUBTFUL = {
    # name: (change to the fields, extra WSGI headers, extra cookies, Django's answer)
    "no token": ({"csrfmiddlewaretoken": None}, {}, {}, "403"),
    "forged token": ({"csrfmiddlewaretoken": _forged}, {}, {}, "403"),
    "another site's origin": ({}, {"HTTP_ORIGIN": "https://evil.example"}, {}, "403"),
    "bad e-mail": ({"requester_email": "ไม่ใช่อีเมล"}, {}, {}, "400"),
    "no consent": ({"consent": None}, {}, {}, "400"),
    "honeypot filled": ({"website": "http://spam.example"}, {}, {}, "400"),
    "NUL in a field": ({"location": "ห้อง\x00ธุรการ"}, {}, {}, "400"),
    "too long": ({"symptom": "ก" * 5000}, {}, {}, "400"),
    "signed in": ({}, {}, {"sessionid": "x" * 32}, "302"),
    "another charset": (
        {},
        {"CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}; charset=iso-8859-1"},
        {},
        None,
    ),
}


@pytest.mark.parametrize("case", DOUBTFUL, ids=list(DOUBTFUL))
def test_anything_doubtful_goes_to_django_with_its_body(site, case):
    change, headers, cookies, expected = DOUBTFUL[case]
    secret, token = site.visit()
    fields = {**form_data("repair"), "csrfmiddlewaretoken": token}
    for name, value in change.items():
        if value is None:
            fields.pop(name)
        else:
            fields[name] = value(fields[name]) if callable(value) else value
    body = multipart(fields)
    status, _headers, page = site.post(fields, secret, headers=headers, cookies=cookies)
    assert site.django.bodies == [body]  # Django read the very bytes sent
    assert not PendingRequest.objects.exists()
    if expected:
        assert status.startswith(expected), (status, page[:300])
    if expected == "400":
        # The form again, with what was typed kept.
        assert "สมหญิง ตัวอย่าง".encode() in page


def test_a_file_goes_to_django_which_keeps_it(site):
    from tests.services_data import png_bytes

    secret, token = site.visit()
    fields = {**form_data("repair"), "csrfmiddlewaretoken": token}
    status, headers, _ = site.post(
        fields, secret, files={"attachments": ("symptom.png", png_bytes())}
    )
    assert status == "302 Found" and len(site.django.bodies) == 1
    ticket = Ticket.objects.get(reference=header(headers, "Location").split("/")[-3])
    assert ticket.attachments.count() == 1


def test_a_page_nobody_was_shown_since_a_purge_goes_to_django(site):
    secret, token = site.visit()
    site.page.save_revision().publish()  # purges the stored page and its offer
    fields = {**form_data("repair"), "csrfmiddlewaretoken": token}
    status, _headers, _ = site.post(fields, secret)
    assert status == "302 Found" and len(site.django.bodies) == 1
    # The next visitor is shown the new revision, and the quick path takes it again.
    secret, token = site.visit()
    status, _headers, _ = site.post({**fields, "csrfmiddlewaretoken": token}, secret)
    assert status == "302 Found" and len(site.django.bodies) == 1


def test_the_rate_limit_counts_each_request_once_and_django_answers_the_excess(
    site, settings, one_rate_window
):
    settings.SERVICE_RATE_LIMIT = "2/60"
    secret, token = site.visit()
    fields = {**form_data("repair"), "csrfmiddlewaretoken": token}
    assert site.post(fields, secret)[0] == "302 Found"
    assert site.post(fields, secret)[0] == "302 Found"
    assert site.django.bodies == []
    status, headers, page = site.post(fields, secret)
    assert status.startswith("429") and header(headers, "Retry-After")
    assert len(site.django.bodies) == 1
    assert "สมหญิง ตัวอย่าง".encode() in page  # what was typed is kept
    assert Ticket.objects.filter(requester_email="somying@example.com").count() == 2


# --- the multipart reader and the shared form -------------------------------------------


def django_reads(body, boundary=BOUNDARY):
    meta = {
        "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
        "CONTENT_LENGTH": str(len(body)),
    }
    handlers = [load_handler(h) for h in settings.FILE_UPLOAD_HANDLERS]
    post, files = MultiPartParser(meta, io.BytesIO(body), handlers, "utf-8").parse()
    return {k: post.getlist(k) for k in post}, dict(files)


READABLE = {
    "thai and empty values": {"a": "สวัสดี", "b": "", "c": "x"},
    "line breaks and dashes": {"symptom": "บรรทัดหนึ่ง\r\nบรรทัดสอง\n--ขีด--\r\n", "x": "-"},
    "repeated names": {"tag": ["หนึ่ง", "สอง", "สาม"]},
    "quotes and semicolons": {"q": 'a "b"; c=d', "r": 'name="x"'},
}


@pytest.mark.parametrize("case", READABLE, ids=list(READABLE))
def test_the_multipart_reader_reads_what_django_reads(case):
    body = multipart(READABLE[case])
    ours = quick_intake.read_multipart(body, BOUNDARY)
    post, files = django_reads(body)
    assert ours is not None and files == {}
    assert {k: ours.getlist(k) for k in ours} == post


def _part(head, value=b""):
    return f"--{BOUNDARY}\r\n{head}\r\n\r\n".encode() + value + b"\r\n"


REFUSED = {
    "a file": _part(
        'Content-Disposition: form-data; name="f"; filename="a.png"\r\nContent-Type: image/png',
        b"PNG",
    ),
    "lower-case head": _part('content-disposition: form-data; name="a"', b"1"),
    "base64 part": _part(
        'Content-Disposition: form-data; name="a"\r\nContent-Transfer-Encoding: base64', b"MQ=="
    ),
    "escaped name": _part('Content-Disposition: form-data; name="a\\"b"', b"1"),
    "not UTF-8": _part('Content-Disposition: form-data; name="a"', "ก".encode("tis-620")),
    "empty file input with content": _part(
        'Content-Disposition: form-data; name="f"; filename=""\r\n'
        "Content-Type: application/octet-stream",
        b"x",
    ),
}


@pytest.mark.parametrize(
    "header",
    [
        f"multipart/form-data; boundary={BOUNDARY}",
        "multipart/form-data; boundary=---------------------------9051914041544843365972754266",
        "multipart/form-data; boundary=a'()+_,-./:=?Z",
        'multipart/form-data; boundary="quoted"',
        "multipart/form-data;boundary=x",
        "Multipart/Form-Data; boundary=x",
        "multipart/form-data; boundary=x; charset=latin-1",
        "multipart/form-data; boundary=" + "x" * 71,
        "multipart/form-data; boundary=x\n",
        "multipart/form-data; boundary=",
        "application/x-www-form-urlencoded",
        "",
    ],
)
def test_the_content_type_is_read_as_django_reads_it(header):
    from django.utils.http import parse_header_parameters

    assert quick_intake.content_type(header) == parse_header_parameters(header)


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_the_multipart_reader_leaves_anything_else_to_django(case):
    body = REFUSED[case] + f"--{BOUNDARY}--\r\n".encode()
    assert quick_intake.read_multipart(body, BOUNDARY) is None
    # Unterminated or preamble'd bodies as well.
    assert quick_intake.read_multipart(b"preamble\r\n" + body, BOUNDARY) is None
    assert quick_intake.read_multipart(body[:-4], BOUNDARY) is None


KINDS = {
    "zoom-meeting-room": "booking",
    "computer-internet-repair": "repair",
    "information-request": "information",
}


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"requester_email": "bad"},
        {"requester_phone": "12"},
        {"website": "spam"},
        {"requester_name": ""},
        {"category": "no-such-choice"},
        {"requester_name": "<b>ตัวหนา</b>"},
    ],
)
def test_a_shared_form_validates_as_a_fresh_one(catalogue, changes):
    """``bound_form`` shares the fields of one unbound form; binding it in turn to
    different data gives each time what a form built afresh gives."""
    for page in ServicePage.objects.live():
        kind = KINDS.get(page.slug)
        if kind is None:
            continue
        offer = quick_intake.offer_for(page, "th")
        unbound = quick_intake.unbound_form(offer)
        for data in (form_data(kind), form_data(kind, **changes), form_data(kind)):
            shared = quick_intake.bound_form(unbound, data)
            fresh = build_form(page, data)
            assert shared.is_valid() == fresh.is_valid()
            assert shared.errors == fresh.errors
            if fresh.is_valid():
                assert shared.cleaned_data == fresh.cleaned_data
                assert shared.answers() == fresh.answers()


# --- the journal ------------------------------------------------------------------------


def test_a_waiting_request_shows_its_reference_and_comes_back(site):
    entry = journal.accept(site.page, form_data("repair"), {"category": "computer"})
    url = site.page.url + site.page.reverse_subpage(
        "confirmation", args=[entry.reference, entry.tracking_token]
    )
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Refresh"] == "3" and "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert entry.reference in page and 'id="being-recorded"' in page
    # The tracking link answers the same way; a wrong token finds nothing.
    track = Client().get(f"/track/{entry.reference}/{entry.tracking_token}/")
    assert track.status_code == 200 and entry.reference in track.content.decode()
    assert Client().get(url.replace(entry.tracking_token, "x" * 43)).status_code == 404
    assert Client().get(f"/track/{entry.reference}/{'y' * 43}/").status_code == 404
    # Another service's page does not show it.
    other = ServicePage.objects.live().exclude(pk=site.page.pk).first()
    wrong = other.url + other.reverse_subpage(
        "confirmation", args=[entry.reference, entry.tracking_token]
    )
    assert Client().get(wrong).status_code == 404


def test_tickets_are_made_once_each_at_the_time_they_were_received(site):
    received = timezone.now() - dt.timedelta(minutes=7)
    entries = [
        journal.accept(
            site.page, form_data("repair", requester_email=f"p{i}@example.com"), {}, now=received
        )
        for i in range(3)
    ]
    assert journal.make_tickets(idle_seconds=0, quiet_seconds=0) == 3
    assert journal.make_tickets(idle_seconds=0, quiet_seconds=0) == 0
    for entry in entries:
        ticket = Ticket.objects.get(reference=entry.reference)
        assert ticket.tracking_token == entry.tracking_token
        assert ticket.created_at == received and ticket.sequence == entry.sequence
    assert not PendingRequest.objects.exists()


def test_a_request_that_fails_stays_with_its_reason_and_the_others_go_on(site, monkeypatch):
    good = journal.accept(site.page, form_data("repair"), {})
    bad = journal.accept(site.page, form_data("repair", requester_name="พัง"), {})
    made = journal.make_ticket

    def failing(entry):
        if entry.pk == bad.pk:
            raise RuntimeError("disk full")
        return made(entry)

    monkeypatch.setattr(journal, "make_ticket", failing)
    assert journal.make_tickets(idle_seconds=0, quiet_seconds=0) == 1
    assert Ticket.objects.filter(reference=good.reference).exists()
    kept = PendingRequest.objects.get(pk=bad.pk)
    assert kept.attempts == 1 and "disk full" in kept.last_error
    monkeypatch.setattr(journal, "make_ticket", made)
    assert journal.make_tickets(idle_seconds=0, quiet_seconds=0) == 1
    assert Ticket.objects.filter(reference=bad.reference).exists()


def test_nothing_is_lost_while_the_queue_is_down(site, monkeypatch):
    from django_q import tasks

    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks, "async_task", down)
    secret, token = site.visit()
    fields = {**form_data("repair"), "csrfmiddlewaretoken": token}
    status, headers, _ = site.post(fields, secret)
    assert status == "302 Found"
    reference = header(headers, "Location").split("/")[-3]
    assert PendingRequest.objects.filter(reference=reference).exists()
    assert not Ticket.objects.filter(reference=reference).exists()
    # The schedule's run makes it.
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name="request journal")
    assert schedule.func == journal.TASK and schedule.minutes == 1
    monkeypatch.undo()
    assert journal.make_tickets(idle_seconds=0, quiet_seconds=0) == 1
    assert Ticket.objects.filter(reference=reference).exists()


def test_while_requests_pour_in_tickets_wait_but_not_too_long(site):
    assert not journal._busy(0.5)  # nothing waiting
    journal.accept(site.page, form_data("repair"), {})
    assert journal._busy(0.5)  # one just arrived
    PendingRequest.objects.update(received_at=timezone.now() - dt.timedelta(seconds=1))
    assert not journal._busy(0.5)  # the form went quiet
    journal.accept(site.page, form_data("repair"), {})
    PendingRequest.objects.filter(pk=PendingRequest.objects.order_by("pk").first().pk).update(
        received_at=timezone.now() - dt.timedelta(seconds=journal.LONGEST_WAIT + 1)
    )
    assert not journal._busy(0.5)  # busy, but the oldest has waited long enough


def test_one_run_at_a_time(db):
    with journal.one_run(5) as first:
        with journal.one_run(5) as second:
            assert first is True and second is False
    with journal.one_run(5) as again:
        assert again is True


def test_journal_and_view_share_the_years_numbers(site):
    entry = journal.accept(site.page, form_data("repair"), {})
    assert Client().post(site.page.url, form_data("repair")).status_code == 302
    ticket = Ticket.objects.latest("pk")
    assert ticket.sequence == entry.sequence + 1 and ticket.fiscal_year == entry.fiscal_year


def test_a_run_out_of_time_hands_over_to_the_next(site, monkeypatch):

    handed = []
    monkeypatch.setattr(journal, "enqueue", lambda func, **kwargs: handed.append(func))
    journal.accept(site.page, form_data("repair"), {})
    assert journal.make_tickets(budget_seconds=0, quiet_seconds=0) == 0
    assert handed == [journal.TASK] and PendingRequest.objects.count() == 1
    assert journal.make_tickets(idle_seconds=0, quiet_seconds=0) == 1
    assert handed == [journal.TASK]


def _stored(pk):
    """A journal row as the database holds it, column by column."""
    from django.db import connection

    fields = [f for f in PendingRequest._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {PendingRequest._meta.db_table} WHERE id = %s", [pk])
        return dict(zip([f.name for f in fields], cursor.fetchone(), strict=True))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_journal_writes_the_row_the_orm_writes_and_keeps_nothing_of_a_failure(
    catalogue, monkeypatch
):
    """``journal.accept`` writes its row without the ORM, in a transaction of its
    own: the same stored values as ``Model.save`` (hostile text and all), and a
    failed write leaves neither the row nor a used number."""
    from django.db import IntegrityError, connection

    page = ServicePage.objects.get(slug="computer-internet-repair")
    when = timezone.now().replace(microsecond=123456)
    requester = form_data("repair", requester_name="<b>ผู้ขอ</b> \"'\\ \u200b😀")
    answers = {"category": "computer", "symptom": 'เปิด "ไม่" ติด\n\\', "n": [1, None, True]}
    entry = journal.accept(page, requester, answers, language="en", now=when)
    assert not connection.in_atomic_block
    twin = PendingRequest(
        reference="TWIN-1",
        fiscal_year=entry.fiscal_year,
        sequence=entry.sequence,
        service=page,
        requester=entry.requester,
        answers=answers,
        language="en",
        received_at=when,
    )
    twin.save()
    ours, orms = _stored(entry.pk), _stored(twin.pk)
    for name in ("reference", "tracking_token"):
        ours.pop(name), orms.pop(name)
    assert ours == orms
    again = PendingRequest.objects.get(pk=entry.pk)
    assert again.reference == entry.reference and again.tracking_token == entry.tracking_token
    assert again.requester["requester_name"] == requester["requester_name"]
    assert again.answers == answers and again.received_at == when

    if connection.vendor == "sqlite":  # PostgreSQL writes both in one statement
        monkeypatch.setattr(Ticket, "format_reference", lambda year, number: entry.reference)
        with pytest.raises(IntegrityError):
            journal.accept(page, requester, answers)
        monkeypatch.undo()
    after = journal.accept(page, requester, answers, now=when)
    assert after.sequence == entry.sequence + 1
    assert PendingRequest.objects.count() == 3
