"""axe-core (from npm, pinned in scripts/ensure_browser.py) on the pages people use:
0 serious or critical findings on each."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SERIOUS = {"serious", "critical"}
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def page(browser):
    """A page that lets the axe script in: the site's Content-Security-Policy (tested
    on its own) allows no injected script, and this test is about accessibility."""
    context = browser.new_context(
        locale="th-TH", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def axe_findings(page):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (python scripts/ensure_browser.py)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


def check(page, url, label):
    response = page.goto(url)
    assert response.status < 400, (label, response.status)
    findings = axe_findings(page)
    assert findings == [], f"{label} ({url}): " + "\n".join(findings)


@pytest.fixture
def site(demo_site):
    from services.catalogue.models import ServiceIndexPage, ServicePage
    from services.tickets.models import Ticket

    service = ServicePage.objects.live().filter(slug="computer-internet-repair").first()
    return {
        "catalogue": ServiceIndexPage.objects.live().first(),
        "service": service or ServicePage.objects.live().first(),
        "ticket": Ticket.objects.order_by("-pk").first(),
    }


def test_public_pages_have_no_serious_axe_findings(page, live_server, site, fresh_cache):
    base = live_server.url
    check(page, base + "/", "home")
    check(page, base + site["catalogue"].url, "catalogue")
    check(page, base + site["service"].url, "service page")
    # The form showing errors: sent empty.
    page.get_by_role("button", name="ส่งคำขอ").click()
    page.wait_for_selector(".form-errors")
    findings = axe_findings(page)
    assert findings == [], "form with errors: " + "\n".join(findings)
    check(page, base + reverse("services:track_lookup"), "tracking lookup")
    check(page, base + site["ticket"].get_tracking_url(), "tracking page")
    check(
        page,
        base + reverse("services:survey_walk_in", args=[site["service"].slug]),
        "survey",
    )


def test_desk_and_reports_have_no_serious_axe_findings(browser, live_server, site):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("axe-admin", "axe@example.go.th", "x")
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        locale="th-TH", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        base = live_server.url
        check(page, base + "/admin/services/ticket/", "desk list")
        check(
            page,
            base + reverse("services_ticket_modeladmin_inspect", args=[site["ticket"].pk]),
            "ticket",
        )
        check(page, base + "/admin/reports/", "reports")
    finally:
        context.close()
