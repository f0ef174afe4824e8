"""The publication workflow of service 7 (เผยแพร่ข้อมูลทางเว็บไซต์), created idempotently.

``ensure_workflow`` makes the three timed tasks in the SOP's order, the
workflow, and assigns it to the news and announcement sections that exist.
It is called by ``publishing.demo.build`` and by this app's
``register_group_permissions`` hook (run by ``services.core.roles.ensure_groups``,
e.g. from ``manage.py setup_demo_accounts``); both may run any number of times. It is
not a migration because it needs the groups and the section pages, which
only exist once the demo loader or an administrator has made them.
"""

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Workflow, WorkflowPage, WorkflowTask

from publishing.models import TimedGroupApprovalTask
from services.core import clock
from services.core.roles import DIRECTORS, GROUP_HEADS, WEB_OFFICERS

WORKFLOW_NAME = "เผยแพร่ข้อมูลทางเว็บไซต์"
SECTION_SLUGS = ("news", "announcements")

# (task name, reviewing groups, escalation groups, amount, unit, mode), in SOP order.
# Escalation goes one level up: the director hears of a late group-head review;
# the group head (who proposed the item) follows up a late director approval
# and a late content check by the web officers of the group.
TASKS = [
    ("หัวหน้ากลุ่มพิจารณา", [GROUP_HEADS], [DIRECTORS], 1, clock.DAYS, clock.WORKING),
    ("ผู้อำนวยการอนุมัติ", [DIRECTORS], [GROUP_HEADS], 1, clock.DAYS, clock.WORKING),
    (
        "เจ้าหน้าที่เว็บไซต์ตรวจสอบเนื้อหาและเผยแพร่",
        [WEB_OFFICERS],
        [GROUP_HEADS],
        1,
        clock.DAYS,
        clock.WORKING,
    ),
]


def publication_sections():
    from home.models import NewsIndexPage

    return NewsIndexPage.objects.filter(slug__in=SECTION_SLUGS).order_by("path")


def get_workflow():
    return Workflow.objects.filter(name=WORKFLOW_NAME).first()


def _groups(names):
    return [Group.objects.get_or_create(name=name)[0] for name in names]


@transaction.atomic
def ensure_workflow(log=lambda *_: None):
    """Create or repair the workflow, its tasks and its section assignments."""
    workflow, created = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    if created:
        log(f"created workflow {WORKFLOW_NAME}")
    for order, (name, reviewers, escalate_to, amount, unit, mode) in enumerate(TASKS):
        task = TimedGroupApprovalTask.objects.filter(name=name).first()
        if task is None:
            task = TimedGroupApprovalTask.objects.create(
                name=name, target_amount=amount, target_unit=unit, target_mode=mode
            )
            task.groups.set(_groups(reviewers))
            task.escalation_groups.set(_groups(escalate_to))
            log(f"created task {name}")
        link = WorkflowTask.objects.filter(workflow=workflow, task=task).first()
        if link is None:
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    for section in publication_sections():
        WorkflowPage.objects.get_or_create(page=section, defaults={"workflow": workflow})
    return workflow


def start_publication(page, user):
    """Submit a page to its workflow (the publication workflow for news) as ``user``."""
    workflow = page.get_workflow() or ensure_workflow()
    return workflow.start(page, user)
