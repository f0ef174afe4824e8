"""Admin wiring of the office's legal duties: traffic logs (and personal data).

Imported from ``services/wagtail_hooks.py``.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from services.core import roles
from services.desk import traffic_views


@hooks.register("register_admin_urls")
def duties_urls():
    return [
        path("traffic-logs/", traffic_views.traffic_export, name="services_traffic_export"),
    ]


class TrafficMenuItem(MenuItem):
    def is_shown(self, request):
        return roles.can_export_traffic_logs(request.user)


@hooks.register("register_settings_menu_item")
def traffic_menu():
    return TrafficMenuItem(
        _("บันทึกการเข้าใช้งาน (log)"),
        reverse("services_traffic_export"),
        name="traffic-logs",
        icon_name="doc-full",
        order=900,
    )
