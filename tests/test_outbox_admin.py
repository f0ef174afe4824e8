"""Failed messages are visible to officers in the admin and can be put back in the queue."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from services.core.models import OutboxMessage
from services.core.roles import OFFICERS, STAFF, ensure_groups

from . import desk_helpers


@pytest.fixture
def failed_message(db):
    return desk_helpers.failed_message(last_error="ConnectionRefusedError: mail server unreachable")


def user_in(group_name):
    ensure_groups()
    user = User.objects.create_user(f"u-{group_name}", password="pw-123456789")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_officer_sees_failures_and_retries(client, failed_message):
    client.force_login(user_in(OFFICERS))
    index = reverse("services_outboxmessage_modeladmin_index")
    response = client.get(index, {"status": "failed"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "ส่งไม่ได้" in html and "mail server unreachable" in html
    response = client.post(reverse("outbox_retry_failed"))
    assert response.status_code == 302
    failed_message.refresh_from_db()
    assert failed_message.status == OutboxMessage.Status.PENDING


def test_staff_cannot_see_or_retry(client, failed_message):
    client.force_login(user_in(STAFF))
    index = reverse("services_outboxmessage_modeladmin_index")
    assert client.get(index).status_code in (302, 403)
    # Wagtail turns PermissionDenied in admin views into a redirect with a message.
    response = client.post(reverse("outbox_retry_failed"))
    assert response.status_code in (302, 403)
    assert response.get("Location", "") != reverse("services_outboxmessage_modeladmin_index")
    failed_message.refresh_from_db()
    assert failed_message.status == OutboxMessage.Status.FAILED
