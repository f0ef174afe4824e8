"""Admin wiring of the reports: URLs, the menu, and the dashboard panels.

Imported from ``services/wagtail_hooks.py`` (Wagtail only looks for a
``wagtail_hooks`` module at the top of each app).
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from services.core.roles import can_view_reports
from services.reports import views
from services.reports.panels import BreachesPanel, OpenTicketsPanel, SatisfactionPanel


@hooks.register("register_admin_urls")
def report_urls():
    return [
        path("reports/", views.report, name="services_reports"),
        path("reports/export.<str:fmt>", views.report_export, name="services_reports_export"),
        path("reports/print/", views.report_print, name="services_reports_print"),
        path("reports/stored/", views.stored_list, name="services_reports_stored"),
        path(
            "reports/stored/<int:pk>/", views.stored_detail, name="services_reports_stored_detail"
        ),
        path(
            "reports/stored/<int:pk>/file.<str:fmt>",
            views.stored_file,
            name="services_reports_stored_file",
        ),
    ]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_reports(request.user)


@hooks.register("register_admin_menu_item")
def report_menu():
    return SubmenuMenuItem(
        _("รายงาน"),
        Menu(
            items=[
                ReportMenuItem(
                    _("รายงานผลการให้บริการ"),
                    reverse("services_reports"),
                    name="service-report",
                    icon_name="table",
                    order=1,
                ),
                ReportMenuItem(
                    _("รายงานประจำเดือนที่จัดเก็บ"),
                    reverse("services_reports_stored"),
                    name="stored-reports",
                    icon_name="folder-open-inverse",
                    order=2,
                ),
            ]
        ),
        name="reports",
        icon_name="table",
        order=450,
    )


@hooks.register("construct_homepage_panels")
def report_panels(request, panels):
    if can_view_reports(request.user):
        panels[:0] = [OpenTicketsPanel(), BreachesPanel(), SatisfactionPanel()]
