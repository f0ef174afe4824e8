"""Content-Security-Policy everywhere, no inline script or style in our templates,
Thai error pages, and a 500 page that needs no database."""

import re
from pathlib import Path

import pytest
from django.template import loader

from tests.desk_helpers import make_user

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def policy(response):
    header = response["Content-Security-Policy"]
    return dict((part.split()[0], part.split()[1:]) for part in header.split(";") if part.strip())


def test_public_pages_get_a_strict_policy(client, home_page):
    for url in ("/", "/track/", "/search/?q=ข่าว"):
        response = client.get(url)
        assert response.status_code == 200, url
        rules = policy(response)
        assert rules["script-src"] == ["'self'"], url
        assert rules["style-src"] == ["'self'"], url
        assert rules["object-src"] == ["'none'"] and rules["frame-ancestors"] == ["'self'"]


def test_the_admin_allows_wagtails_inline_scripts_and_styles_and_nothing_else(client, home_page):
    client.force_login(make_user("csp-admin", superuser=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    rules = policy(response)
    assert set(rules["script-src"]) == {"'self'", "'unsafe-inline'"}
    assert set(rules["style-src"]) == {"'self'", "'unsafe-inline'"}
    assert rules["default-src"] == ["'self'"] and rules["object-src"] == ["'none'"]


def test_no_inline_script_or_event_handler_in_our_templates():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>")
    handler = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if inline_script.search(text) or handler.search(text):
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert not offenders


def test_no_inline_style_in_our_web_templates():
    """Styles live in static/css/: the site's policy refuses style attributes and
    <style> elements, and the admin's allowance is for Wagtail, not for us. E-mails
    are exempt (mail programs read no style sheets)."""
    inline_style = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if path.parent.name != "emails" and inline_style.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders


def test_500_page_is_thai_and_needs_no_database():
    # No db fixture: any query while rendering would fail this test.
    html = loader.get_template("500.html").render()
    assert '<html lang="th">' in html and "ระบบขัดข้องชั่วคราว" in html


@pytest.mark.django_db
def test_404_page_is_thai(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.content.decode()
