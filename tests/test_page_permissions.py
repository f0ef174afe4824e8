"""Page permissions by group: staff write their own drafts; only web officers touch live pages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from home.models import NewsPage
from tests import publishing_support as support

publication = support.publication
people = support.people

pytestmark = pytest.mark.django_db


def news(publication, owner, slug, live):
    page = NewsPage(title=slug, slug=slug, date=timezone.localdate(), owner=owner, live=live)
    publication["news"].add_child(instance=page)
    page.save_revision(user=owner)
    return page


def edit_status(client, user, page):
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    return response.status_code


def test_staff_edit_own_drafts_only(publication, people, client):
    own = news(publication, people["staff"], "own-draft", live=False)
    others = news(publication, people["other"], "other-draft", live=False)
    assert edit_status(client, people["staff"], own) == 200
    assert edit_status(client, people["staff"], others) in (302, 403)
    assert not others.permissions_for_user(people["staff"]).can_edit()


@pytest.mark.parametrize(
    "who, allowed",
    [("staff", False), ("other", False), ("head", False), ("director", False), ("officer", True)],
)
def test_only_web_officers_edit_live_pages(publication, people, client, who, allowed):
    live = news(publication, people["staff"], f"live-{who}", live=True)
    status = edit_status(client, people[who], live)
    assert (status == 200) is allowed, (who, status)


def test_old_staff_change_right_is_removed(publication, people):
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission

    from publishing.permissions import grant_publication_permissions
    from services.core.roles import STAFF, ensure_groups

    groups = ensure_groups()
    change = Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page")
    GroupPagePermission.objects.get_or_create(
        group=groups[STAFF], page=publication["news"], permission=change
    )
    grant_publication_permissions(groups)
    assert not GroupPagePermission.objects.filter(
        group=groups[STAFF], permission__codename="change_page"
    ).exists()
