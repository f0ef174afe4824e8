"""Fixtures shared by the publication workflow tests: site, workflow, people."""

import pytest
from django.contrib.auth import get_user_model

from services.core.roles import DIRECTORS, GROUP_HEADS, STAFF, WEB_OFFICERS, ensure_groups

PASSWORD = "Pub-test-pass-2569"


@pytest.fixture
def publication(home_page):
    """The demo site with the groups, permissions and the publication workflow."""
    from publishing.workflow import get_workflow, publication_sections

    ensure_groups()
    return {
        "home": home_page,
        "workflow": get_workflow(),
        "news": publication_sections().get(slug="news"),
        "announcements": publication_sections().get(slug="announcements"),
    }


def make_user(username, group, first, last):
    user = get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.go.th",
        first_name=first,
        last_name=last,
    )
    if group:
        user.groups.add(ensure_groups()[group])
    return user


@pytest.fixture
def people(publication):
    return {
        "staff": make_user("t_staff", STAFF, "กมล", "ผู้เขียน"),
        "other": make_user("t_other", STAFF, "สมศรี", "เพื่อนร่วมงาน"),
        "head": make_user("t_head", GROUP_HEADS, "วิไล", "หัวหน้า"),
        "director": make_user("t_director", DIRECTORS, "ประเสริฐ", "ผู้อำนวยการ"),
        "officer": make_user("t_officer", WEB_OFFICERS, "สมชาย", "เว็บมาสเตอร์"),
    }


def submit(publication, user, title="ข่าวทดสอบการเผยแพร่", **extra):
    from publishing.submission import create_submission

    data = {
        "section": publication["news"],
        "title": title,
        "summary": "สรุปข่าวทดสอบ",
        "body": "<p>เนื้อหาข่าวทดสอบ</p>",
        **extra,
    }
    return create_submission(user, data, extra.pop("files", ()))


def current_state(page):
    from wagtail.models import Page

    return Page.objects.get(pk=page.pk).specific.current_workflow_task_state


def act(page, user, action="approve", comment=""):
    """Take a workflow action the way the admin does: through the task."""
    state = current_state(page)
    state.task.specific.on_action(state, user, action, comment=comment)
    return state
