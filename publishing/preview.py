""" "Publish temporarily": a signed preview link to the draft as it will look.

The link carries a signed token naming the page, so it cannot be guessed or
altered; it still only opens for a signed-in author or reviewer of that page
and is a 404 for everybody else, so a forwarded link reveals nothing.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from wagtail.models import Page, WorkflowState

SALT = "publishing.preview"
MAX_AGE = 60 * 60 * 24 * 90  # a quarter: long enough for any review round


def preview_token(page):
    return signing.dumps({"page": page.pk}, salt=SALT)


def preview_path(page):
    return reverse("publishing:preview", kwargs={"token": preview_token(page)})


def preview_url(page):
    return settings.WAGTAILADMIN_BASE_URL + preview_path(page)


def page_for_token(token):
    """The page a token names, or None for a bad, altered or expired token."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    page_id = data.get("page") if isinstance(data, dict) else None
    page = Page.objects.filter(pk=page_id).first() if page_id else None
    return page.specific if page else None


def _workflow_states(page):
    return WorkflowState.objects.for_instance(page)


def can_preview(user, page):
    """The author (owner or whoever submitted it) and the workflow's reviewers."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or page.owner_id == user.pk:
        return True
    states = _workflow_states(page)
    if states.filter(requested_by=user).exists():
        return True
    from publishing.models import TimedGroupApprovalTask

    tasks = TimedGroupApprovalTask.objects.filter(
        workflow_tasks__workflow__in=states.values("workflow")
    )
    return tasks.filter(groups__in=user.groups.all()).exists()


def render_preview(request, page):
    """The latest revision rendered by the page's own template."""
    draft = page.get_latest_revision_as_object()
    request.is_preview = True
    request.preview_mode = draft.default_preview_mode
    response = draft.serve_preview(request, draft.default_preview_mode)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response
