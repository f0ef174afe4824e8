"""Requests waiting in the journal are visible to officers in the admin, read only,
without the requester's data; other roles and anonymous visitors get nothing."""

import pytest
from django.urls import reverse

from services.catalogue.models import ServicePage
from services.tickets import journal
from services.tickets.models import PendingRequest

from .desk_helpers import desk_users

ROLES = ("officer", "approver", "director", "staff", "executive", "admin")
SEES = {"officer", "admin"}
INDEX = "services_pendingrequest_modeladmin_index"


@pytest.fixture
def stuck(catalogue):
    service = ServicePage.objects.live().first()
    entry = journal.accept(
        service,
        {"requester_name": "ผู้ขอลับ", "requester_email": "secret-person@example.com"},
        {"symptom": "เปิดไม่ติด"},
    )
    PendingRequest.objects.filter(pk=entry.pk).update(
        attempts=3, last_error="OperationalError('disk I/O error')"
    )
    return PendingRequest.objects.get(pk=entry.pk)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_on_the_list_and_the_inspect_view(client, stuck, role):
    client.force_login(desk_users()[role])
    inspect = reverse("services_pendingrequest_modeladmin_inspect", args=[stuck.pk])
    listing, detail = client.get(reverse(INDEX)), client.get(inspect)
    if role in SEES:
        assert listing.status_code == 200 and detail.status_code == 200
        for page in (listing, detail):
            html = page.content.decode()
            assert stuck.reference in html and "disk I/O error" in html
            assert "secret-person@example.com" not in html and "ผู้ขอลับ" not in html
            assert stuck.tracking_token not in html
    else:
        # Wagtail answers a refused admin view with a redirect and a message.
        assert listing.status_code in (302, 403) and detail.status_code in (302, 403)
        assert stuck.reference not in listing.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_nobody_edits_or_deletes_a_waiting_request(client, stuck, role):
    client.force_login(desk_users()[role])
    for name in ("edit", "delete"):
        url = reverse(f"services_pendingrequest_modeladmin_{name}", args=[stuck.pk])
        assert client.post(url, {"attempts": 0}).status_code in (302, 403)
    create = reverse("services_pendingrequest_modeladmin_create")
    assert client.post(create, {"reference": "X-1"}).status_code in (302, 403)
    stuck.refresh_from_db()
    assert stuck.attempts == 3
    assert list(PendingRequest.objects.values_list("pk", flat=True)) == [stuck.pk]


def test_anonymous_visitors_are_sent_to_the_login(client, stuck):
    response = client.get(reverse(INDEX))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(
    "query",
    ["<script>alert(1)</script>", "' OR 1=1 --", "ร" * 2000, "\x00", "%", "REFERENCE"],
)
def test_hostile_searches_answer_calmly(client, stuck, query):
    client.force_login(desk_users()["officer"])
    found = query == "REFERENCE"
    if found:  # the end of its reference finds the request
        query = stuck.reference[-6:]
    response = client.get(reverse(INDEX), {"q": query})
    assert response.status_code in (200, 400)
    assert b"<script>alert(1)</script>" not in response.content
    assert (stuck.reference in response.content.decode()) == found
