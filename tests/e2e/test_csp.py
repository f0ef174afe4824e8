"""Every public page and the desk, in a real browser with the Content-Security-Policy
on: each response carries the header and the browser reports no violation.

The public pages are found from the data, not listed by hand: every live Wagtail
page and the sub-pages its routes serve without an argument, every URL of the
URLconf that takes no argument and answers a GET with HTML, and the pages that
need a token (tracking, confirmation, survey) for a real ticket of the demo.

Violations are caught twice: a ``securitypolicyviolation`` listener that the
browser adds before any script of the page runs, and the console, where Chromium
reports each ("… violates the following Content Security Policy directive …").
Unlike the accessibility test, the browser here keeps the policy (no
``bypass_csp``); a test of the listener itself makes sure that a forbidden script
and a forbidden style attribute are seen, so no run passes for want of looking.
"""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from services.core.roles import OFFICERS, WEB_OFFICERS
from tests.desk_helpers import make_user
from tests.test_fuzz import page_urls, url_templates

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Recorded in the page before its own scripts run; injected by the browser (CDP),
# so the policy does not apply to it. window.print is replaced to see that the
# print buttons' script ran, without a print dialog.
LISTENER = """
window.__cspViolations = [];
window.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push({
    directive: e.violatedDirective,
    blocked: e.blockedURI,
    source: e.sourceFile,
    line: e.lineNumber,
    sample: e.sample,
  });
}, true);
window.__printed = 0;
window.print = function () { window.__printed += 1; };
"""
CONSOLE_SIGNS = ("Content Security Policy", "Content-Security-Policy", "Refused to")
# Not pages: Wagtail's admin and documents, files, and what the admin test covers.
NOT_PUBLIC = ("/admin/", "/django-admin/", "/documents/", "/static/", "/media/")


class Watch:
    """One browser page that records CSP violations and which pages it checked."""

    def __init__(self, page, base):
        self.page, self.base = page, base
        self.console = []
        self.violations = []
        self.checked = []
        page.add_init_script(LISTENER)
        page.on("console", self._on_console)

    def _on_console(self, message):
        if any(sign in message.text for sign in CONSOLE_SIGNS):
            self.console.append((self.page.url, message.text))

    def check_response(self, response, label):
        assert response is not None, label
        header = response.header_value("content-security-policy")
        assert header, f"{label} ({response.url}): no Content-Security-Policy header"
        self.checked.append(label)
        return header

    def goto(self, url, label, allow=(200,)):
        response = self.page.goto(self.base + url if url.startswith("/") else url)
        assert response is not None and response.status in allow, (label, url, response.status)
        self.check_response(response, label)
        return response

    def collect(self, label):
        """The violations seen on the page now open (call before leaving it)."""
        for item in self.page.evaluate("window.__cspViolations || []"):
            self.violations.append(
                f"{label} ({self.page.url}): {item['directive']} blocked "
                f"{item['blocked'] or '(inline)'} at {item['source']}:{item['line']} "
                f"{item['sample']!r}"
            )

    def visit(self, url, label, allow=(200,)):
        response = self.goto(url, label, allow)
        self.collect(label)
        return response

    def assert_clean(self):
        found = self.violations + [f"console on {url}: {text}" for url, text in self.console]
        assert found == [], "Content-Security-Policy violations:\n" + "\n".join(found)


def sources(header, directive):
    for part in header.split(";"):
        words = part.split()
        if words and words[0] == directive:
            return words[1:]
    return []


def type_and_see_suggestions(watch, label):
    """The header's search box suggests services as one types (static/js/search-suggest.js)."""
    page = watch.page
    page.fill("#nav-q", "")
    page.locator("#nav-q").press_sequentially("ซ่อม", delay=30)
    page.wait_for_selector("#nav-q-suggest li a")
    watch.collect(label + ", suggestions")


def public_urls():
    """(label, url) for every live page, its argument-free sub-pages and the URLconf's
    argument-free public URLs."""
    urls = []
    for what, url, kind, names in page_urls():
        if not names:
            urls.append((f"{kind[0] if what == 'sub' else kind} {url}", url))
    for template, names, pattern in url_templates(lambda t: not t.startswith(NOT_PUBLIC)):
        if not names:
            urls.append((f"{pattern.name or pattern.lookup_str} {template}", template))
    return urls


@pytest.fixture
def demo(demo_site, fresh_cache):
    from services.catalogue.models import ServicePage
    from services.surveys.surveys import has_answer
    from services.tickets.models import Ticket

    service = ServicePage.objects.live().get(slug="computer-internet-repair")
    unanswered = [ticket for ticket in Ticket.objects.order_by("pk") if not has_answer(ticket)]
    return {
        "service": service,
        "ticket": Ticket.objects.order_by("pk").first(),
        "survey": unanswered[0],
    }


def test_every_public_page_keeps_the_policy(page, live_server, demo):
    from services.surveys.surveys import make_token

    watch = Watch(page, live_server.url)
    seen = set()
    skipped = []
    for label, url in public_urls():
        # Asked first without the browser, which shows no page for an empty 405.
        probe = page.request.get(live_server.url + url)
        kind = probe.headers.get("content-type", "")
        final = urlsplit(probe.url).path
        if probe.status == 405 or not kind.startswith("text/html"):
            skipped.append(f"{label}: {probe.status} {kind}")
            continue
        if final.startswith(NOT_PUBLIC):  # sent to log in: the desk test goes there
            skipped.append(f"{label}: for staff, {final}")
            continue
        response = page.goto(live_server.url + url)
        assert response.status == 200, (label, url, response.status)
        header = watch.check_response(response, label)
        for directive in ("script-src", "style-src"):
            assert "'unsafe-inline'" not in sources(header, directive), (label, header)
        watch.collect(label)
        seen.add(final)
    # Left out: what a browser does not show as a page (images, calendar feeds,
    # JSON, robots.txt, the sitemap), POST-only endpoints, and staff pages.
    assert {"/", "/search/", "/track/", "/availability/", demo["service"].url} <= seen

    ticket, service = demo["ticket"], demo["service"]
    # Pages behind a token, for real tickets.
    watch.visit(ticket.get_tracking_url(), "tracking page")
    confirmation = ticket.service.url + f"sent/{ticket.reference}/{ticket.tracking_token}/"
    watch.visit(confirmation, "confirmation page")
    watch.visit(reverse("services:survey", args=[make_token(demo["survey"])]), "survey page")
    watch.visit(reverse("services:survey_walk_in", args=[service.slug]), "walk-in survey")
    watch.visit("/no-such-page/", "404 page", allow=(404,))

    # The request form sent empty shows its errors.
    watch.goto(service.url, "service page")
    with page.expect_navigation() as sent_empty:
        page.get_by_role("button", name="ส่งคำขอ").click()
    watch.check_response(sent_empty.value, "request form with errors")
    page.wait_for_selector(".form-errors")
    watch.collect("request form with errors")

    # Search with a Thai query, and suggestions as one types.
    watch.goto("/search/?q=" + "เครือข่าย", "search with a Thai query")
    assert "พบ" in page.locator("main").inner_text()
    type_and_see_suggestions(watch, "search with a Thai query")

    # The print buttons run their script.
    for url, label in (
        (service.url + "poster/", "service poster"),
        (reverse("services:survey_poster", args=[service.slug]), "survey poster"),
        (reverse("services:ita_manuals"), "ITA manuals"),
    ):
        watch.goto(url, label)
        page.locator("[data-print]").first.click()
        assert page.evaluate("window.__printed") == 1, label
        watch.collect(label)

    # The language switch, there and back.
    watch.goto("/", "home page")
    type_and_see_suggestions(watch, "home page")
    with page.expect_navigation() as english:
        page.locator(".lang-switch button").click()
    watch.check_response(english.value, "home page in English")
    assert page.locator("html").get_attribute("lang") == "en"
    watch.collect("home page in English")
    with page.expect_navigation() as thai:
        page.locator(".lang-switch button").click()
    watch.check_response(thai.value, "home page in Thai again")
    assert page.locator("html").get_attribute("lang") == "th"
    watch.collect("home page in Thai again")

    print(f"{len(watch.checked)} public pages checked, {len(skipped)} URLs not pages")
    assert len(seen) > 20
    watch.assert_clean()


@pytest.fixture
def officer(demo_site):
    from django.contrib.auth.models import Group

    user = make_user("csp_officer", OFFICERS, email="csp.officer@example.go.th")
    user.groups.add(Group.objects.get(name=WEB_OFFICERS))
    user.set_password("csp-pass-2569")
    user.save()
    return user


def test_the_desk_keeps_the_policy(browser, live_server, demo_site, officer, fresh_cache):
    from services.bookings.models import Booking
    from services.tickets.models import Ticket

    context = browser.new_context(locale="th-TH", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    watch = Watch(page, live_server.url)
    try:
        watch.goto("/admin/login/", "login")
        page.fill("#id_username", "csp_officer")
        page.fill("#id_password", "csp-pass-2569")
        with page.expect_navigation() as logged_in:
            page.locator("form button[type=submit]").first.click()
        watch.check_response(logged_in.value, "dashboard after login")
        page.wait_for_url("**/admin/")
        watch.collect("dashboard")

        watch.visit("/admin/services/ticket/", "desk list")
        # The list's search (Wagtail's own scripts).
        page.fill("input[name=q]", "ซ่อม")
        page.keyboard.press("Enter")
        page.wait_for_load_state("networkidle")
        watch.collect("desk list searched")

        ticket = Ticket.objects.get(requester_email="demo.new@example.go.th")
        inspect = reverse("services_ticket_modeladmin_inspect", args=[ticket.pk])
        watch.goto(inspect, "ticket")
        page.locator("details.desk-action--reply summary").click()
        watch.collect("ticket")

        watch.visit("/admin/reports/", "reports")
        watch.goto(reverse("services_reports_print"), "report to print")
        page.locator("[data-print]").click()
        assert page.evaluate("window.__printed") == 1
        watch.collect("report to print")
        watch.visit("/admin/pages/", "page explorer")
        watch.visit(f"/admin/pages/{demo_site.pk}/edit/", "page editor")
        booking = Booking.objects.order_by("starts_at").first()
        watch.visit(
            "/admin/desk/calendar/?view=week&day=" + booking.starts_at.date().isoformat(),
            "booking calendar",
        )
        watch.visit("/admin/desk/calendar/?view=month", "booking calendar, month")
        watch.visit("/admin/desk/new-ticket/", "new ticket at the desk")
        watch.visit(reverse("publishing:submit"), "news submission form")
        watch.visit("/", "home page with the user bar")
    finally:
        context.close()
    print(f"{len(watch.checked)} desk pages checked")
    watch.assert_clean()


def test_the_listener_sees_what_the_policy_refuses(page, live_server, home_page):
    """Without this, a listener that never fires would pass every page above."""
    watch = Watch(page, live_server.url)
    watch.goto("/", "home page")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.__ranInline = true;";
            document.body.appendChild(script);
            document.querySelector("main").setAttribute("style", "outline: 9px solid red");
        }"""
    )
    page.wait_for_function("window.__cspViolations.length >= 2")
    assert page.evaluate("window.__ranInline === undefined")
    assert page.evaluate("getComputedStyle(document.querySelector('main')).outlineWidth") != "9px"
    watch.collect("home page")
    assert any("script-src" in line for line in watch.violations), watch.violations
    assert any("style-src" in line for line in watch.violations), watch.violations
    assert any("Content Security Policy" in text for _url, text in watch.console), watch.console
    with pytest.raises(AssertionError, match="script-src"):
        watch.assert_clean()


def test_the_header_is_not_optional(page, live_server, home_page, settings):
    """Checking a response without the policy fails the check."""
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "EXCLUDE_URL_PREFIXES": ["/"],
    }
    watch = Watch(page, live_server.url)
    with pytest.raises(AssertionError, match="no Content-Security-Policy header"):
        watch.goto("/", "home page")
