"""Admin wiring of the office's legal duties: traffic logs (and personal data).

Imported from ``services/wagtail_hooks.py``.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from services.core import roles
from services.desk import privacy_views, traffic_views


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


# --- personal data (PDPA) --------------------------------------------------------
@hooks.register("register_admin_urls")
def privacy_urls():
    return [path("personal-data/", privacy_views.personal_data, name="services_personal_data")]


class PersonalDataMenuItem(MenuItem):
    def is_shown(self, request):
        return roles.can_manage_personal_data(request.user)


@hooks.register("register_settings_menu_item")
def personal_data_menu():
    return PersonalDataMenuItem(
        _("ข้อมูลส่วนบุคคล (PDPA)"),
        reverse("services_personal_data"),
        name="personal-data",
        icon_name="user",
        order=910,
    )


@hooks.register("register_log_actions")
def privacy_log_actions(actions):
    actions.register_action("services.privacy.export", _("ส่งออกข้อมูลส่วนบุคคล"), _("ส่งออกข้อมูลส่วนบุคคล"))
    actions.register_action("services.privacy.erase", _("ลบข้อมูลส่วนบุคคล"), _("ลบข้อมูลส่วนบุคคลตามคำขอ"))


@hooks.register("register_permissions")
def personal_data_permission():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="services", codename="manage_personal_data"
    )
