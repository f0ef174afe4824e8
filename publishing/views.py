"""Public-site views: the staff submission form and the preview link."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from wagtail.models import WorkflowState

from publishing.forms import SubmissionForm
from publishing.preview import (
    can_preview,
    page_for_token,
    preview_path,
    preview_token,
    render_preview,
)
from publishing.submission import create_submission
from services.core.roles import can_submit_publication


@login_required
def submit(request):
    if not can_submit_publication(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = SubmissionForm(request.POST, request.FILES)
        if form.is_valid():
            page = create_submission(
                request.user, form.cleaned_data, form.cleaned_data["attachments"]
            )
            return redirect("publishing:submitted", token=preview_token(page))
        status = 400
    else:
        form = SubmissionForm()
        status = 200
    return render(request, "publishing/submission_form.html", {"form": form}, status=status)


def _page_or_404(request, token):
    page = page_for_token(token)
    if page is None or not can_preview(request.user, page):
        raise Http404
    return page


@login_required
def submitted(request, token):
    page = _page_or_404(request, token)
    state = WorkflowState.objects.for_instance(page).order_by("-created_at").first()
    return render(
        request,
        "publishing/submission_done.html",
        {"item": page, "workflow_state": state, "preview_path": preview_path(page)},
    )


def preview(request, token):
    return render_preview(request, _page_or_404(request, token))
