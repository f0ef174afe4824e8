"""Admin login throttling: ten wrong passwords are allowed, the eleventh is refused in Thai."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.desk_helpers import make_user

pytestmark = pytest.mark.django_db


def login(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_eleventh_wrong_password_is_locked_out_with_a_thai_message(client):
    make_user("somchai", superuser=True)
    for attempt in range(10):
        response = login(client, "somchai", f"wrong-{attempt}")
        assert response.status_code == 200, attempt  # the form again, not a lockout
    locked = login(client, "somchai", "wrong-10")
    assert locked.status_code == 429
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in locked.content.decode()
    # Even the right password is refused now, from any address (per user) …
    assert login(client, "somchai", "x", address="10.9.9.9").status_code == 429
    # … and from this address for any user name (per address).
    make_user("wipa", superuser=True)
    assert login(client, "wipa", "x").status_code == 429
    assert login(client, "wipa", "x", address="10.7.7.7").status_code == 302


def test_admin_unlocks_in_the_admin_and_others_may_not(client):
    make_user("somchai", superuser=True)
    for attempt in range(11):
        login(client, "somchai", f"wrong-{attempt}", address=f"10.1.0.{attempt}")
    assert login(client, "somchai", "x", address="10.2.0.1").status_code == 429
    attempt = AccessAttempt.objects.filter(username="somchai").first()

    staff = make_user("staff-member", group="Staff")
    client.force_login(staff)
    delete_url = reverse("axes_accessattempt_modeladmin_delete", args=[attempt.pk])
    assert client.post(delete_url).status_code in (302, 403)
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()

    client.force_login(make_user("boss", superuser=True))
    index = client.get(reverse("axes_accessattempt_modeladmin_index"))
    assert index.status_code == 200 and "somchai" in index.content.decode()
    assert "ปลดล็อก" in client.get(delete_url).content.decode()
    assert client.post(delete_url).status_code == 302
    assert not AccessAttempt.objects.filter(username="somchai").exists()
    client.logout()
    assert login(client, "somchai", "x", address="10.2.0.1").status_code == 302


def test_forged_or_missing_address_does_not_break_login(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    make_user("somchai", superuser=True)
    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": "somchai", "password": "wrong"},
        HTTP_X_FORWARDED_FOR="not-an-address",
    )
    assert response.status_code == 200
    assert AccessAttempt.objects.filter(username="somchai", ip_address=None).exists()
    client.force_login(make_user("wipa", superuser=True))  # a request with no address
