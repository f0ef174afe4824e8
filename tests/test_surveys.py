"""The satisfaction survey: signed links, one answer per ticket, walk-ins, invitations."""

import pytest
from django.core import signing
from django.db import IntegrityError, transaction

from services.core.models import OutboxMessage
from services.surveys import surveys
from services.surveys.models import SurveyResponse
from services.tickets.models import Ticket

from .reporting import answer, at, make_service, make_ticket

# Rate limits and the walk-in daily limit count in the cache: start each test empty.
pytestmark = pytest.mark.usefixtures("fresh_cache")

GOOD = {
    "ease": "5",
    "speed": "4",
    "manner": "5",
    "quality": "4",
    "overall": "5",
    "comment": "บริการดีมาก <script>alert(1)</script>",
}


@pytest.fixture
def service(home_page):
    return make_service(home_page)


@pytest.fixture
def ticket(service):
    return make_ticket(service, at(2026, 11, 2), steps=[(10, 30, True)])


def test_link_is_signed_and_tied_to_its_ticket(ticket):
    token = surveys.make_token(ticket)
    assert surveys.ticket_for_token(token) == ticket
    assert surveys.ticket_for_token(token[:-2] + "xx") is None
    # The same signature with another salt (e.g. a tracking token) is refused.
    assert surveys.ticket_for_token(signing.dumps({"t": ticket.pk}, salt="other")) is None
    assert surveys.ticket_for_token("not-a-token") is None


def test_answer_through_the_link_then_a_second_try_is_refused_in_thai(client, ticket):
    url = surveys.survey_url(ticket).replace("http://127.0.0.1:8000", "")
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "แบบประเมินความพึงพอใจ" in html and ticket.reference in html
    response = client.post(url, GOOD)
    assert response.status_code == 200
    assert "ขอบคุณที่ตอบแบบประเมิน" in response.content.decode()
    saved = SurveyResponse.objects.get(ticket=ticket)
    assert saved.scores == [5, 4, 5, 4, 5]
    assert saved.service_id == ticket.service_id
    assert "<script>" not in saved.comment and saved.comment.startswith("บริการดีมาก")

    again = client.post(url, {**GOOD, "overall": "1"})
    assert again.status_code == 409
    assert "คำขอนี้ได้ตอบแบบประเมินแล้ว" in again.content.decode()
    assert client.get(url).status_code == 409
    assert SurveyResponse.objects.filter(ticket=ticket).count() == 1
    assert SurveyResponse.objects.get(ticket=ticket).overall == 5


def test_database_refuses_a_second_answer_for_one_ticket(ticket, service):
    answer(service, (4, 4, 4, 4, 4), ticket=ticket)
    with pytest.raises(IntegrityError), transaction.atomic():
        answer(service, (1, 1, 1, 1, 1), ticket=ticket)
    with pytest.raises(surveys.AlreadyAnswered):
        surveys.record_answer(
            {"ease": 1, "speed": 1, "manner": 1, "quality": 1, "overall": 1}, ticket=ticket
        )


def test_race_between_two_answers_is_caught_as_already_answered(ticket, service, monkeypatch):
    answer(service, (4, 4, 4, 4, 4), ticket=ticket)
    # The first check passes (as when two requests arrive together); the constraint decides.
    monkeypatch.setattr(surveys, "has_answer", lambda _ticket: False)
    with pytest.raises(surveys.AlreadyAnswered):
        surveys.record_answer(
            {"ease": 1, "speed": 1, "manner": 1, "quality": 1, "overall": 1}, ticket=ticket
        )
    assert SurveyResponse.objects.filter(ticket=ticket).count() == 1


def test_forged_link_is_a_clear_404(client, ticket):
    response = client.get("/survey/t/abc:def/")
    assert response.status_code == 404
    assert "ลิงก์แบบประเมินไม่ถูกต้องหรือหมดอายุแล้ว" in response.content.decode()


def test_missing_scores_keep_the_input_and_say_what_is_missing(client, service):
    url = f"/survey/service/{service.slug}/"
    response = client.post(url, {"ease": "5", "comment": "ข้อความที่พิมพ์ไว้"})
    html = response.content.decode()
    assert response.status_code == 400
    assert html.count("กรุณาเลือกคะแนนข้อนี้") == 4
    assert "ข้อความที่พิมพ์ไว้" in html
    import re

    assert re.search(r'<input[^>]*value="5"[^>]*id="id_ease_0"[^>]*checked', html), re.findall(
        r"<input[^>]*id_ease_0[^>]*>", html
    )
    bad = client.post(url, {**GOOD, "speed": "9"})
    assert bad.status_code == 400 and "กรุณาเลือกคะแนน 1 ถึง 5" in bad.content.decode()
    assert SurveyResponse.objects.count() == 0


def test_walk_in_answer_has_a_service_and_no_ticket(client, service):
    response = client.post(f"/survey/service/{service.slug}/", GOOD)
    assert response.status_code == 200
    saved = SurveyResponse.objects.get()
    assert saved.ticket is None and saved.service_id == service.pk
    assert saved.channel == SurveyResponse.Channel.WALK_IN
    # Walk-ins may answer again: they are different people at the counter.
    assert client.post(f"/survey/service/{service.slug}/", GOOD).status_code == 200
    assert SurveyResponse.objects.count() == 2


def test_walk_in_honeypot_is_refused(client, service):
    response = client.post(f"/survey/service/{service.slug}/", {**GOOD, "website": "x"})
    assert response.status_code == 400
    assert SurveyResponse.objects.count() == 0


def test_survey_form_is_rate_limited(client, service, settings, one_rate_window):
    settings.SURVEY_RATE_LIMIT = "2/600"
    url = f"/survey/service/{service.slug}/"
    assert client.post(url, GOOD).status_code == 200
    assert client.post(url, GOOD).status_code == 200
    third = client.post(url, {**GOOD, "comment": "ความเห็นที่พิมพ์ไว้"})
    assert third.status_code == 429
    assert int(third["Retry-After"]) > 0
    assert "ความเห็นที่พิมพ์ไว้" in third.content.decode()  # the input is kept
    assert SurveyResponse.objects.count() == 2


def test_walk_in_survey_is_limited_per_client_per_day(client, service, settings, one_rate_window):
    settings.WALK_IN_SURVEY_DAILY_LIMIT = 3
    url = f"/survey/service/{service.slug}/"
    for _ in range(3):
        assert client.post(url, GOOD).status_code == 200
    stuffed = client.post(url, GOOD)
    assert stuffed.status_code == 429
    assert "ส่งคำขอถี่เกินไป" in stuffed.content.decode()
    assert client.post(url, GOOD, REMOTE_ADDR="10.3.3.3").status_code == 200
    assert SurveyResponse.objects.count() == 4


def test_walk_in_qr_code_and_poster(client, service):
    import zxingcpp
    from PIL import Image

    png = client.get(f"/survey/service/{service.slug}/qr.png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    import io

    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    assert decoded[0].text == surveys.walk_in_url(service)
    assert decoded[0].text.endswith(f"/survey/service/{service.slug}/")
    assert client.get(f"/survey/service/{service.slug}/qr.svg")["Content-Type"] == ("image/svg+xml")
    assert client.get(f"/survey/service/{service.slug}/qr.gif").status_code == 404
    poster = client.get(f"/survey/service/{service.slug}/poster/")
    html = poster.content.decode()
    assert poster.status_code == 200
    assert "SCAN ME" in html and service.title in html
    assert f"/survey/service/{service.slug}/qr.svg" in html
    assert "ร้อยละ 70" in html
    assert client.get("/survey/service/no-such-service/").status_code == 404


def test_english_link_sets_the_language_and_shows_english(client, service):
    ticket = make_ticket(service, at(2026, 11, 3), language="en")
    url = surveys.survey_url(ticket).replace("http://127.0.0.1:8000", "")
    assert url.endswith("?lang=en")
    first = client.get(url)
    assert first.status_code == 302 and "?" not in first["Location"]
    html = client.get(first["Location"]).content.decode()
    assert '<html lang="en">' in html
    assert "Satisfaction survey" in html and "Overall satisfaction" in html


def test_resolving_a_ticket_queues_one_invitation_in_the_requesters_language(service):
    ticket = make_ticket(service, at(2026, 11, 4), status=Ticket.Status.OPEN, language="en")
    assert not OutboxMessage.objects.filter(key=f"ticket:{ticket.pk}:survey").exists()
    ticket.status = Ticket.Status.RESOLVED
    ticket.save()
    message = OutboxMessage.objects.get(key=f"ticket:{ticket.pk}:survey")
    assert message.language == "en" and message.to == [ticket.requester_email]
    assert message.subject.startswith("Please rate our service: request ICT-")
    assert "/survey/t/" in message.body and "?lang=en" in message.body
    # Saved again, or invited again by the desk's resolve move: still one message.
    ticket.save()
    surveys.send_survey_invitation(ticket)
    assert OutboxMessage.objects.filter(kind="survey_invitation").count() == 1


def test_thai_invitation_and_no_invitation_for_an_open_ticket(service):
    open_ticket = make_ticket(service, at(2026, 11, 5), status=Ticket.Status.OPEN)
    open_ticket.save()
    assert not OutboxMessage.objects.filter(kind="survey_invitation").exists()
    open_ticket.status = Ticket.Status.RESOLVED
    open_ticket.save(update_fields=["status"])
    message = OutboxMessage.objects.get(kind="survey_invitation")
    assert "ประเมินความพึงพอใจ" in message.subject
    token = message.body.split("/survey/t/")[1].split("/")[0]
    assert surveys.ticket_for_token(token) == open_ticket
