"""The dashboard tells officers, and only officers, when the system's own work is stuck:
messages the outbox gave up on, and public requests not made into tickets for minutes."""

import datetime as dt

import pytest
from django.utils import timezone

from services.catalogue.models import ServicePage
from services.core.models import OutboxMessage
from services.tickets import journal
from services.tickets.models import PendingRequest

from .desk_helpers import desk_users, failed_message

ROLES = ("officer", "approver", "director", "staff", "executive", "admin")
OFFICERS = {"officer", "admin"}
TITLE = "งานของระบบที่ต้องดูแล"


def waiting_request(minutes_ago):
    entry = journal.accept(
        ServicePage.objects.live().first(), {"requester_email": "a@example.com"}, {}
    )
    received = timezone.now() - dt.timedelta(minutes=minutes_ago)
    PendingRequest.objects.filter(pk=entry.pk).update(received_at=received)
    return entry


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_stuck_work_only_as_an_officer(client, catalogue, role):
    failed_message(key="t:stuck")
    waiting_request(minutes_ago=30)
    waiting_request(minutes_ago=20)
    client.force_login(desk_users()[role])
    html = client.get("/admin/").content.decode()
    if role in OFFICERS:
        assert TITLE in html
        assert "ข้อความที่ส่งไม่สำเร็จ 1 รายการ" in html
        assert "คำขอที่รอบันทึกเป็นงานนานเกิน 5 นาที 2 รายการ" in html
        assert "/admin/services/pendingrequest/" in html
        assert "/admin/services/outboxmessage/?status=failed" in html
    else:
        assert TITLE not in html


def test_nothing_is_shown_while_all_is_well(client, catalogue):
    waiting_request(minutes_ago=1)  # a request the cluster is about to make
    OutboxMessage.objects.create(key="t:ok", kind="test", to=["y@example.com"], subject="s")
    client.force_login(desk_users()["officer"])
    response = client.get("/admin/")
    assert response.status_code == 200
    assert TITLE not in response.content.decode()


def test_only_what_is_stuck_is_listed(client, catalogue):
    waiting_request(minutes_ago=6)
    client.force_login(desk_users()["officer"])
    html = client.get("/admin/").content.decode()
    assert "นานเกิน 5 นาที 1 รายการ" in html and "ข้อความที่ส่งไม่สำเร็จ" not in html
