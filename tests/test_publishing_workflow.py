"""The publication workflow: permissions, the three approvals, rejection, history."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from home.models import NewsPage
from publishing.models import TimedTaskState
from publishing.workflow import TASKS, WORKFLOW_NAME, ensure_workflow
from services.core.models import OutboxMessage
from tests import publishing_support as support
from tests.publishing_support import act, current_state, submit

publication = support.publication
people = support.people

pytestmark = pytest.mark.django_db


def fresh(page):
    return Page.objects.get(pk=page.pk).specific


def test_workflow_is_assigned_to_news_and_announcements_once(publication):
    workflow = publication["workflow"]
    assert workflow.name == WORKFLOW_NAME
    assert [task.name for task in workflow.tasks] == [name for name, *_ in TASKS]
    assert all(task.specific.target_amount == 1 for task in workflow.tasks)
    ensure_workflow()
    ensure_workflow()
    assert workflow.tasks.count() == 3
    assert publication["news"].get_workflow() == workflow
    assert publication["announcements"].get_workflow() == workflow


def test_staff_can_write_and_submit_but_never_publish_or_approve(publication, people, client):
    staff = people["staff"]
    section_perms = publication["news"].permissions_for_user(staff)
    assert section_perms.can_add_subpage()
    draft = NewsPage(
        title="ร่างข่าว", slug="draft-by-staff", date=timezone.localdate(), owner=staff, live=False
    )
    publication["news"].add_child(instance=draft)
    draft.save_revision(user=staff)
    perms = fresh(draft).permissions_for_user(staff)
    assert perms.can_edit() and perms.can_submit_for_moderation()
    assert not perms.can_publish()
    assert not perms.can_unpublish()
    page = submit(publication, staff)
    state = current_state(page)
    assert state.task.specific.get_actions(page, staff) == []

    client.force_login(staff)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk])
    response = client.post(url)
    # Wagtail's admin turns PermissionDenied into a redirect with an error message.
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response.url == reverse("wagtailadmin_home")
    assert TaskState.objects.get(pk=state.pk).status == TaskState.STATUS_IN_PROGRESS
    assert not fresh(page).live


def test_reviewers_rights(publication, people):
    page = submit(publication, people["staff"])
    officer_perms = fresh(page).permissions_for_user(people["officer"])
    assert officer_perms.can_publish()
    assert not fresh(page).permissions_for_user(people["head"]).can_publish()
    assert not fresh(page).permissions_for_user(people["director"]).can_publish()


def test_three_approvals_in_order_publish_the_page(publication, people, client):
    page = submit(publication, people["staff"])
    assert not fresh(page).live
    order = []
    for who in ("head", "director", "officer"):
        state = current_state(page)
        order.append(state.task.name)
        # The others cannot act on this step.
        for other in {"head", "director", "officer"} - {who}:
            assert state.task.specific.get_actions(page, people[other]) == []
        client.force_login(people[who])
        url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk])
        assert client.post(url).status_code == 302
        assert TaskState.objects.get(pk=state.pk).status == TaskState.STATUS_APPROVED
    assert order == [name for name, *_ in TASKS]
    page = fresh(page)
    assert page.live
    assert page.workflow_states.get().status == WorkflowState.STATUS_APPROVED
    client.logout()
    news_list = client.get(publication["news"].url)
    assert "ข่าวทดสอบการเผยแพร่" in news_list.content.decode()
    approved = OutboxMessage.objects.get(key__endswith=":approved")
    assert approved.to == [people["staff"].email]
    assert "เผยแพร่แล้ว" in approved.subject


def test_go_live_time_is_kept_after_the_last_approval(publication, people):
    go_live = (timezone.now() + dt.timedelta(days=3)).replace(microsecond=0)
    page = submit(publication, people["staff"], go_live_at=go_live)
    for who in ("head", "director", "officer"):
        act(page, people[who])
    page = fresh(page)
    assert not page.live
    assert page.approved_schedule
    assert page.scheduled_revision.approved_go_live_at == go_live
    assert "รอเผยแพร่ตามเวลา" in OutboxMessage.objects.get(key__endswith=":approved").subject


def test_rejection_returns_comment_to_author_and_resubmission_restarts(publication, people, client):
    page = submit(publication, people["staff"])
    act(page, people["head"])
    rejected = current_state(page)
    client.force_login(people["director"])
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "reject", rejected.pk])
    assert client.post(url, {"comment": "แก้วันที่อบรมให้ถูกต้อง"}).status_code == 302
    assert TaskState.objects.get(pk=rejected.pk).status == TaskState.STATUS_REJECTED
    message = OutboxMessage.objects.get(key=f"publishing:taskstate:{rejected.pk}:rejected")
    assert message.to == [people["staff"].email]
    assert "แก้วันที่อบรมให้ถูกต้อง" in message.body
    assert "ประเสริฐ ผู้อำนวยการ" in message.body
    assert not fresh(page).workflow_in_progress
    assert not fresh(page).live

    # The author edits and resubmits in the admin editor: back to the first step.
    client.force_login(people["staff"])
    data = nested_form_data(
        {
            "title": "ข่าวทดสอบการเผยแพร่ (แก้ไขแล้ว)",
            "slug": page.slug,
            "date": page.date.isoformat(),
            "summary": "สรุปข่าวทดสอบ",
            "image_alt": "",
            "body": streamfield([("paragraph", rich_text("<p>แก้วันที่แล้ว</p>"))]),
            "comments": inline_formset([]),
        }
    )
    data["action-submit"] = "1"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    state = current_state(page)
    assert state.task.name == TASKS[0][0]
    assert state.status == TaskState.STATUS_IN_PROGRESS
    assert WorkflowState.objects.for_instance(page).count() == 2
    for who in ("head", "director", "officer"):
        act(page, people[who])
    assert fresh(page).live
    assert fresh(page).title == "ข่าวทดสอบการเผยแพร่ (แก้ไขแล้ว)"


def test_page_history_names_each_approver_and_time(publication, people, client):
    page = submit(publication, people["staff"])
    before = timezone.now()
    for who in ("head", "director", "officer"):
        act(page, people[who], comment=f"อนุมัติโดย {who}")
    entries = PageLogEntry.objects.filter(page=page, action="wagtail.workflow.approve").order_by(
        "timestamp"
    )
    assert [e.user for e in entries] == [people["head"], people["director"], people["officer"]]
    assert all(e.timestamp >= before for e in entries)
    director_entry = entries[1]
    assert director_entry.data["workflow"]["task"]["title"] == "ผู้อำนวยการอนุมัติ"

    admin = people["officer"]
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    history = client.get(reverse("wagtailadmin_pages:history", args=[page.pk]))
    html = history.content.decode()
    assert history.status_code == 200
    for who in ("head", "director", "officer"):
        assert people[who].get_full_name() in html
    assert "ผู้อำนวยการอนุมัติ" in html


def test_each_step_state_is_timed(publication, people):
    page = submit(publication, people["staff"])
    state = current_state(page)
    assert isinstance(state, TimedTaskState)
    assert state.due_at == state.compute_due_at()
    assert state.due_at > state.started_at


def test_workflow_mail_goes_only_through_the_outbox(
    publication, people, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        page = submit(publication, people["staff"])
        for who in ("head", "director", "officer"):
            act(page, people[who])
    assert mailoutbox, "the notifications were delivered"
    assert all("X-Outbox-Key" in m.extra_headers for m in mailoutbox)
    kinds = set(OutboxMessage.objects.values_list("kind", flat=True))
    assert {"publishing_submitted", "publishing_review", "publishing_approved"} <= kinds
