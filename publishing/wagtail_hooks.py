"""Admin wiring of the publication workflow: dashboard panel, report, menu."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import TaskState, WorkflowState

from home import thai
from publishing.models import TimedTaskState
from publishing.preview import preview_path
from publishing.report import format_minutes, turnaround
from services.core.roles import can_submit_publication, can_view_reports


def states_due_for(user):
    """Running timed steps this user reviews, soonest due first."""
    states = TimedTaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
    ).select_related("task", "revision", "workflow_state__requested_by")
    if not user.is_superuser:
        states = states.filter(task__groupapprovaltask__groups__in=user.groups.all())
    return states.distinct().order_by("due_at")


class DueReviewsPanel(Component):
    name = "publishing_due_reviews"
    template_name = "publishing/dashboard_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        now = timezone.now()
        items = []
        for state in states_due_for(request.user):
            page = state.revision.content_object
            if page is None:
                continue
            items.append(
                {
                    "state": state,
                    "page": page,
                    "overdue": state.is_overdue(now),
                    "preview_path": preview_path(page),
                    "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
                }
            )
        return {"items": items, "request": request}


@hooks.register("construct_homepage_panels")
def add_due_reviews_panel(request, panels):
    if states_due_for(request.user).exists():
        panels.append(DueReviewsPanel())


class TurnaroundReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "publishing/turnaround_report.html"
    page_title = _("รายงานระยะเวลาการเผยแพร่ข้อมูลทางเว็บไซต์")
    header_icon = "time"

    def dispatch(self, request, *args, **kwargs):
        if not can_view_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = thai.fiscal_year(timezone.now())
        try:
            year_be = int(self.request.GET.get("year", ""))
            year_ce = year_be - thai.BE_OFFSET
        except ValueError:
            year_ce = current
        if not 2000 <= year_ce <= current + 1:
            year_ce = current
        data = turnaround(fiscal_year_ce=year_ce)
        for row in data["rows"]:
            for cell in row.cells:
                if cell:
                    cell.spent_label = format_minutes(cell.spent)
                    cell.target_label = format_minutes(cell.target)
        context.update(data)
        context["year_be"] = thai.be_year(year_ce)
        context["years_be"] = [thai.be_year(y) for y in range(current, current - 5, -1)]
        return context


@hooks.register("register_admin_urls")
def register_report_url():
    return [
        path("publishing/turnaround/", TurnaroundReportView.as_view(), name="publishing_turnaround")
    ]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_reports(request.user)


class SubmitFormMenuItem(MenuItem):
    def is_shown(self, request):
        return can_submit_publication(request.user)


@hooks.register("register_admin_menu_item")
def register_publishing_menu():
    menu = Menu(
        items=[
            ReportMenuItem(
                _("รายงานระยะเวลาการเผยแพร่"),
                reverse("publishing_turnaround"),
                name="publishing-turnaround",
                icon_name="time",
                order=100,
            ),
            SubmitFormMenuItem(
                _("ส่งข่าวผ่านแบบฟอร์ม"),
                reverse("publishing:submit"),
                name="publishing-submit",
                icon_name="doc-full",
                order=200,
            ),
        ]
    )
    return SubmenuMenuItem(_("การเผยแพร่"), menu, name="publishing", icon_name="globe", order=250)


@hooks.register("before_edit_page")
def live_pages_are_for_web_officers(request, page):
    """Only web officers edit a page that is live; others are sent back with a message."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from services.core.roles import may_edit_page

    if not may_edit_page(request.user, page):
        messages.error(request, _("หน้านี้เผยแพร่แล้ว เฉพาะเจ้าหน้าที่เว็บไซต์เท่านั้นที่แก้ไขได้"))
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_serve_document")
def private_until_published(document, request):
    """A staff attachment waiting for publication is a 404 to everyone else."""
    from publishing.attachments import may_serve

    if not may_serve(document, request.user):
        raise Http404


@hooks.register("register_group_permissions")
def grant_publication_rights(groups):
    """Called by ``services.core.roles.ensure_groups``: the workflow and page rights."""
    from publishing.permissions import grant_publication_permissions
    from publishing.workflow import ensure_workflow

    ensure_workflow()
    grant_publication_permissions(groups)


@hooks.register("register_demo_content")
def publication_demo(log=print):
    """Called by ``services.demo.load_demo``: the workflow and two drafts in review."""
    from publishing.demo import build

    build(log=log)
