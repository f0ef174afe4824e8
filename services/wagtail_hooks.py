"""Admin wiring of the services app: one ModelAdmin per model, kept here."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from .admin_views import is_officer, retry_failed_messages
from .models import OutboxMessage


class ReadOnlyForOfficers(PermissionHelper):
    """Officers may list and inspect; nobody edits rows the system writes."""

    def user_can_list(self, user):
        return is_officer(user)

    def user_can_inspect_obj(self, user, obj):
        return is_officer(user)

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class OutboxMessageAdmin(ModelAdmin):
    model = OutboxMessage
    menu_label = _("ข้อความขาออก")
    menu_icon = "mail"
    menu_order = 900
    add_to_settings_menu = True
    permission_helper_class = ReadOnlyForOfficers
    inspect_view_enabled = True
    index_template_name = "services/admin/outbox_index.html"
    list_display = ("subject", "recipients", "status", "attempts", "next_attempt_at",
                    "error_summary", "created_at")
    list_filter = ("status", "kind")
    search_fields = ("subject", "key", "to")
    inspect_view_fields = ("key", "kind", "to", "subject", "body", "status", "attempts",
                           "next_attempt_at", "last_error", "created_at", "sent_at")

    def recipients(self, obj):
        return ", ".join(obj.to)

    recipients.short_description = _("ผู้รับ")

    def error_summary(self, obj):
        return (obj.last_error or "")[:80]

    error_summary.short_description = _("ข้อผิดพลาดล่าสุด")


modeladmin_register(OutboxMessageAdmin)


@hooks.register("register_admin_urls")
def outbox_urls():
    return [path("outbox/retry-failed/", retry_failed_messages, name="outbox_retry_failed")]

from .reports import wagtail_hooks as _report_hooks  # noqa: E402,F401  (Wagtail loads app-level hooks only)
