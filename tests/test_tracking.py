"""Public tracking: the right token or e-mail shows the ticket; anything else reveals nothing."""

import re

import pytest

from services.catalogue.models import ServicePage
from services.requests.forms import build_form
from services.requests.submission import submit_form
from services.tickets.models import TicketMessage
from tests.services_data import form_data

pytestmark = pytest.mark.usefixtures("fresh_cache")


@pytest.fixture
def ticket(catalogue):
    page = ServicePage.objects.get(slug="computer-internet-repair")
    form = build_form(page, form_data("repair"))
    assert form.is_valid()
    return submit_form(page, form, language="th")


def normalised(response):
    """The page without its per-request CSRF token and the user's own typing."""
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    return re.sub(r' value="[^"]*"', "", text)


def test_tracking_page_shows_status_steps_and_thai_dates(client, ticket):
    response = client.get(ticket.get_tracking_url())
    text = response.content.decode()
    assert response.status_code == 200
    assert ticket.reference in text
    assert "กำลังดำเนินการ" in text
    assert "ขั้นตอนปัจจุบัน" in text and "ตรวจสอบและแก้ไขปัญหา" in text
    step = ticket.steps.get(position=1)
    from home.thai import thai_datetime

    assert thai_datetime(step.due_at) in text  # B.E. year, Thai month
    assert str(step.due_at.year + 543) in text
    assert "เปิดเครื่องไม่ติด" in text  # the answers


def test_public_officer_messages_appear_and_private_ones_do_not(client, ticket):
    TicketMessage.objects.create(ticket=ticket, body="ช่างจะเข้าไปตรวจเครื่องบ่ายนี้", is_public=True)
    TicketMessage.objects.create(ticket=ticket, body="บันทึกภายใน ห้ามแสดง", is_public=False)
    text = client.get(ticket.get_tracking_url()).content.decode()
    assert "ช่างจะเข้าไปตรวจเครื่องบ่ายนี้" in text
    assert "บันทึกภายใน" not in text


def test_wrong_token_and_missing_reference_look_the_same(client, ticket):
    wrong_token = client.get(f"/track/{ticket.reference}/{'A' * 43}/")
    missing = client.get(f"/track/ICT-2599-999999/{ticket.tracking_token}/")
    assert wrong_token.status_code == missing.status_code == 404
    assert normalised(wrong_token) == normalised(missing)
    for response in (wrong_token, missing):
        text = response.content.decode()
        assert "ไม่พบคำขอ" in text
        assert ticket.requester_name not in text and "ตรวจสอบและแก้ไข" not in text


def test_lookup_by_reference_and_email(client, ticket):
    response = client.post(
        "/track/", {"reference": ticket.reference.lower(), "email": "SOMYING@example.com"}
    )
    assert response.status_code == 302
    assert response["Location"] == ticket.get_tracking_url()


def test_lookup_with_wrong_email_is_the_same_as_a_missing_reference(client, ticket):
    wrong_email = client.post(
        "/track/", {"reference": ticket.reference, "email": "someone@example.com"}
    )
    missing = client.post(
        "/track/", {"reference": "ICT-2599-999999", "email": ticket.requester_email}
    )
    by_token = client.get(f"/track/{ticket.reference}/nope/")
    assert wrong_email.status_code == missing.status_code == by_token.status_code == 404
    assert normalised(wrong_email) == normalised(missing) == normalised(by_token)
    assert ticket.requester_name not in wrong_email.content.decode()


def test_lookup_form_errors_are_thai_and_keep_input(client, ticket):
    response = client.post("/track/", {"reference": "ICT-2569-000001", "email": "abc"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "กรุณากรอกอีเมลให้ถูกต้อง" in text
    assert 'value="ICT-2569-000001"' in text and 'value="abc"' in text


def test_lookup_page_loads(client, db):
    response = client.get("/track/")
    assert response.status_code == 200
    assert "ติดตามสถานะคำขอ" in response.content.decode()
