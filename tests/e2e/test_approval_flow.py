"""Approval by the named role in a real browser: the demo director approves a repair
request and the demo executive a live stream, each from "awaiting my approval"."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from services.core.roles import DIRECTORS, EXECUTIVES, GROUP_HEADS, ensure_groups
from services.tickets.models import TicketStep

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "E2e-approve-2569"


def make_user(username, group):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.go.th"
    )
    user.groups.add(ensure_groups()[group])
    return user


def ticket_at_approval(slug, position):
    from services.catalogue.models import ServicePage
    from services.tickets.creation import open_ticket
    from tests.desk_helpers import advance_to

    now = timezone.now()
    page = ServicePage.objects.get(slug=slug)
    ticket = open_ticket(
        page, {"requester_name": "ผู้ขอ ทดสอบ", "requester_email": "req@example.com"}, {}, now=now
    )
    return advance_to(ticket, position, now)


def approve_in_admin(browser, base, username, ticket, shots):
    context = browser.new_context(locale="th-TH", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/admin/")
    panel = page.locator("#desk_awaiting_approval")
    assert ticket.reference in panel.inner_text()
    with page.expect_navigation():
        panel.get_by_role("link", name=ticket.reference).click()
    approve = page.locator("details.desk-action--approve")
    if approve.get_attribute("open") is None:
        approve.locator("summary").click()
    form = page.locator("details.desk-action--approve form")
    form.locator("textarea, input[type=text]").first.fill("อนุมัติ")
    with page.expect_navigation():
        form.get_by_role("button", name="อนุมัติ").click()
    page.screenshot(path=f"{shots}/approve-{username}.png", full_page=True)
    assert "อนุมัติ เรียบร้อยแล้ว" in page.content()
    context.close()


def test_director_approves_a_repair_and_executive_a_live_stream(
    browser, live_server, catalogue, screenshot_dir
):
    make_user("e2e_director", DIRECTORS)
    make_user("e2e_executive", EXECUTIVES)
    make_user("e2e_head", GROUP_HEADS)
    repair = ticket_at_approval("hardware-software-repair", 3)
    live = ticket_at_approval("online-meeting-live-stream", 4)

    approve_in_admin(browser, live_server.url, "e2e_director", repair, screenshot_dir)
    approve_in_admin(browser, live_server.url, "e2e_executive", live, screenshot_dir)

    step = repair.steps.get(position=3)
    assert step.status == TicketStep.Status.DONE and step.done_by.username == "e2e_director"
    step = live.steps.get(position=4)
    assert step.status == TicketStep.Status.DONE and step.done_by.username == "e2e_executive"
