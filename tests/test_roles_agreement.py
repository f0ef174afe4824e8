"""Each role gets one answer from every place that asks the same question.

"May this user see the reports?", "approve this step?" and "edit this page?"
are asked by views, admin menus, dashboard panels and the moves; all of them
call ``services.core.roles``. This test asks each place as each role and
checks the answers agree with the one function (and with what the role
should be allowed).
"""

import datetime as dt

import pytest
from django.test import RequestFactory
from django.urls import reverse
from wagtail import hooks

from home.models import NewsPage
from services.core import roles
from services.tickets import moves
from services.tickets.models import Ticket

from .desk_helpers import advance_to, bkk, desk_users, make_ticket, step

ROLES = ("officer", "approver", "director", "staff", "executive", "admin")

REPORT_READERS = {"officer", "approver", "director", "executive", "admin"}
APPROVERS = {"approver", "admin"}


@pytest.fixture
def users(db):
    return desk_users()


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _menu_shows(request, url_name):
    """Is the admin menu item that links to ``url_name`` shown to this user?"""
    url = reverse(url_name)
    for make_item in hooks.get_hooks("register_admin_menu_item"):
        item = make_item()
        children = getattr(getattr(item, "menu", None), "registered_menu_items", None)
        for child in children or [item]:
            if getattr(child, "url", None) == url:
                return child.is_shown(request)
    raise AssertionError(f"no menu item links to {url}")


def _panel_names(request):
    panels = []
    for construct in hooks.get_hooks("construct_homepage_panels"):
        construct(request, panels)
    return {getattr(panel, "name", type(panel).__name__) for panel in panels}


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_reports(role, users, client):
    user = users[role]
    expected = role in REPORT_READERS
    assert roles.can_view_reports(user) is expected

    client.force_login(user)
    service_report = client.get(reverse("services_reports"))
    turnaround = client.get(reverse("publishing_turnaround"))
    assert (service_report.status_code == 200) is expected, service_report.status_code
    assert (turnaround.status_code == 200) is expected, turnaround.status_code
    if not expected:
        # Wagtail's admin answers a refusal with 403 or a redirect home with a message.
        assert service_report.status_code in (302, 403) and turnaround.status_code in (302, 403)

    request = _request(user)
    assert _menu_shows(request, "services_reports") is expected
    assert _menu_shows(request, "publishing_turnaround") is expected
    report_panels = {"open_tickets_by_service", "breaches_this_week", "satisfaction_this_year"}
    report_panels &= _panel_names(request)
    assert bool(report_panels) is expected


@pytest.mark.parametrize("role", ROLES)
def test_who_approves_this_step(role, users, client):
    start = bkk(2026, 3, 16, 9, 0)
    ticket = make_ticket([step("intake"), step("approval", role="approver"), step("work")], start)
    ticket = advance_to(ticket, 2, start + dt.timedelta(minutes=10))
    user = users[role]
    expected = role in APPROVERS
    approval = ticket.current_step

    assert roles.may_approve(user, approval) is expected
    for move in ("approve", "reject"):
        try:
            moves.check(ticket, user, move)
            allowed = True
        except moves.MoveNotAllowed as refused:
            allowed = False
            assert refused.message  # a sentence for people, in Thai
        assert allowed is expected, move
        assert (move in moves.allowed_moves(ticket, user)) is expected

    client.force_login(user)
    page = client.get(f"/admin/services/ticket/inspect/{ticket.pk}/")
    if roles.sees_desk(user):
        assert page.status_code == 200
        offered = 'name="move" value="approve"' in page.content.decode()
        assert offered is expected
    else:
        assert page.status_code in (302, 403)
        assert not expected
    # "Awaiting my approval" lists exactly the steps this person may act on.
    from services.desk.admin_views import AwaitingApprovalPanel

    waiting = set(AwaitingApprovalPanel(user).tickets(start).values_list("pk", flat=True))
    assert (ticket.pk in waiting) is expected

    # Approving through the desk changes the ticket only for those allowed.
    response = client.post(
        f"/admin/services/ticket/inspect/{ticket.pk}/", {"move": "approve", "reason": "เห็นชอบ"}
    )
    # 302 after a move; a refused move is re-shown with its reason (409) or refused (403).
    assert response.status_code == (302 if expected else response.status_code)
    assert response.status_code in (302, 403, 409)
    ticket.refresh_from_db()
    approval.refresh_from_db()
    assert (approval.status == "done") is expected
    assert ticket.status == Ticket.Status.OPEN


@pytest.mark.parametrize("role", ROLES)
def test_who_edits_this_page(role, users, client, home_page):
    news = NewsPage.objects.live().first()
    assert news is not None
    user = users[role]
    answer = roles.may_edit_page(user, news)
    # A live page: Wagtail's rights and the SOP (web officers only) together.
    assert answer is (news.permissions_for_user(user).can_edit() and role == "admin")

    client.force_login(user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[news.pk]))
    assert (response.status_code == 200) is answer, response.status_code
