"""E-mails of the publication workflow, all through the outbox.

Each message has a stable key (``publishing:<what>:<id>:<event>``) so a
signal fired twice or a sweep run twice sends it once. Wagtail's own workflow
e-mails are replaced (see ``PublishingConfig.ready``): they would be sent
synchronously on the web request and bypass the outbox.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState

from publishing.preview import preview_url
from services.core.links import page_url
from services.core.outbox import queue_email


def _emails(users):
    return sorted({user.email for user in users if user and user.email and user.is_active})


def authors(workflow_state):
    page = workflow_state.content_object.specific
    return _emails([getattr(page, "owner", None), workflow_state.requested_by])


def _context(task_state=None, workflow_state=None, **extra):
    workflow_state = workflow_state or task_state.workflow_state
    page = workflow_state.content_object.specific
    context = {
        "page_title": page.get_admin_display_title(),
        "workflow_name": workflow_state.workflow.name,
        "preview_url": preview_url(page),
        "edit_url": settings.WAGTAILADMIN_BASE_URL
        + reverse("wagtailadmin_pages:edit", args=[page.pk]),
        "dashboard_url": settings.WAGTAILADMIN_BASE_URL + reverse("wagtailadmin_home"),
        "requested_by": workflow_state.requested_by,
        "go_live_at": page.go_live_at,
        **extra,
    }
    if task_state is not None:
        context.update(
            task_name=task_state.task.name, due_at=task_state.due_at, task_state=task_state
        )
    return context


def notify_review_requested(task_state):
    """A step has started: tell its reviewers, with the preview link and due time."""
    task = task_state.task.specific
    queue_email(
        f"publishing:taskstate:{task_state.pk}:review",
        _emails(task.reviewers()),
        "publishing_review",
        _context(task_state),
    )


def notify_submitted(workflow_state):
    queue_email(
        f"publishing:workflow:{workflow_state.pk}:submitted",
        authors(workflow_state),
        "publishing_submitted",
        _context(workflow_state=workflow_state),
    )


def notify_changes_requested(task_state):
    queue_email(
        f"publishing:taskstate:{task_state.pk}:rejected",
        authors(task_state.workflow_state),
        "publishing_rejected",
        _context(task_state, comment=task_state.comment, reviewer=task_state.finished_by),
    )


def notify_approved(workflow_state):
    from wagtail.models import Page

    page = Page.objects.get(pk=workflow_state.object_id).specific  # as just published
    queue_email(
        f"publishing:workflow:{workflow_state.pk}:approved",
        authors(workflow_state),
        "publishing_approved",
        _context(
            workflow_state=workflow_state,
            live=page.live,
            page_url=page_url(page),
            scheduled_at=page.approved_schedule and page.go_live_at,
        ),
    )


def notify_reminder(task_state):
    task = task_state.task.specific
    queue_email(
        f"publishing:taskstate:{task_state.pk}:reminder",
        _emails(task.reviewers()),
        "publishing_reminder",
        _context(task_state),
    )


def notify_escalation(task_state, now=None):
    task = task_state.task.specific
    overdue = (now or timezone.now()) - task_state.due_at
    queue_email(
        f"publishing:taskstate:{task_state.pk}:escalation",
        _emails(task.escalation_recipients()),
        "publishing_escalation",
        _context(
            task_state,
            overdue_hours=int(overdue.total_seconds() // 3600),
            reviewers=list(task.reviewers()),
        ),
    )


# --- signal receivers ----------------------------------------------------------
def on_task_submitted(sender, instance, user=None, **kwargs):
    notify_review_requested(instance)


def on_workflow_submitted(sender, instance, user=None, **kwargs):
    notify_submitted(instance)


def on_workflow_rejected(sender, instance, user=None, **kwargs):
    """Send the comment back to the author and close this round.

    The SOP has every resubmission go through every step again, whereas
    Wagtail would resume at the step that asked for changes; closing the round
    here means the next submission (admin or staff form) starts a fresh
    workflow at the first step. The request and the comment stay in the
    page history.
    """
    rejected = instance.current_task_state.specific
    notify_changes_requested(rejected)
    if instance.status == WorkflowState.STATUS_NEEDS_CHANGES:
        instance.cancel(user=user)


def on_workflow_approved(sender, instance, user=None, **kwargs):
    notify_approved(instance)
