"""Officers preview every e-mail template as text and HTML, in Thai and English."""

import pytest
from django.test import Client

from services.desk.email_preview import template_names

from .desk_helpers import desk_users

pytestmark = pytest.mark.django_db


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_every_template_renders_in_both_languages_for_officers(home_page):
    users = desk_users()
    client = login(users["officer"])
    names = template_names()
    assert {"ticket_submitted", "ticket_reply", "monthly_report", "booking_confirmed"} <= set(names)
    for language, greeting in (("th", "เรียน"), ("en", "Dear")):
        response = client.get(f"/admin/email-previews/?lang={language}")
        assert response.status_code == 200
        html = response.content.decode()
        assert "แสดงตัวอย่างไม่ได้" not in html and "Preview failed" not in html, html[:2000]
        for name in names:
            assert f'id="email-{name}"' in html
        assert greeting in html
        framed = client.get(f"/admin/email-previews/ticket_reply/{language}/")
        assert framed.status_code == 200
        assert f'<html lang="{language}">' in framed.content.decode()
        assert "sandbox" in framed["Content-Security-Policy"]
        assert framed["X-Frame-Options"] == "SAMEORIGIN"


def test_only_officers_preview_and_odd_names_are_404(home_page):
    users = desk_users()
    for who in ("staff", "executive", "approver"):
        assert login(users[who]).get("/admin/email-previews/").status_code in (302, 403)
    officer = login(users["admin"])
    assert officer.get("/admin/email-previews/../../etc/passwd/th/").status_code == 404
    assert officer.get("/admin/email-previews/no_such/th/").status_code == 404
    assert officer.get("/admin/email-previews/ticket_reply/xx/").status_code == 404
    assert officer.get("/admin/email-previews/?lang=<script>").status_code == 200
