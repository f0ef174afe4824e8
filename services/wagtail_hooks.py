"""Admin wiring of the services app: one ModelAdmin per model, kept here
(the outbox; the desk: tickets, bookings, resources, calendar feeds)."""

from axes.models import AccessAttempt
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register
from wagtail_modeladmin.views import DeleteView

from home.thai import thai_datetime
from services.bookings.models import Booking, CalendarFeed, Loan, Resource
from services.core import roles
from services.core.models import OutboxMessage
from services.desk import acting, calendar_views, email_preview, holidays, intake
from services.desk.admin_views import (
    DeskPermissionHelper,
    FiscalYearFilter,
    SlaStateFilter,
    TicketIndexView,
    TicketInspectView,
    homepage_panels,
)
from services.desk.outbox_admin import ReadOnlyPermissionHelper, retry_failed_messages
from services.desk.preferences import DeskNotificationsPanel
from services.desk.search import DeskSearchHandler
from services.templatetags.desk_tags import badge
from services.tickets import sla
from services.tickets.models import PendingRequest, Ticket


class ReadOnlyForOfficers(ReadOnlyPermissionHelper):
    """Officers may list and inspect rows the system writes."""

    def may_see(self, user):
        return roles.is_officer(user)


class LastErrorColumn:
    """The list column of a row's last error, shortened (rows the system retries)."""

    def error_summary(self, obj):
        return (obj.last_error or "")[:80]

    error_summary.short_description = _("ข้อผิดพลาดล่าสุด")


class OutboxMessageAdmin(LastErrorColumn, ModelAdmin):
    model = OutboxMessage
    menu_label = _("ข้อความขาออก")
    menu_icon = "mail"
    menu_order = 900
    add_to_settings_menu = True
    permission_helper_class = ReadOnlyForOfficers
    inspect_view_enabled = True
    index_template_name = "services/admin/outbox_index.html"
    list_display = (
        "subject",
        "recipients",
        "status",
        "attempts",
        "next_attempt_at",
        "error_summary",
        "created_at",
    )
    list_filter = ("status", "kind")
    search_fields = ("subject", "key", "to")
    inspect_view_fields = (
        "key",
        "kind",
        "to",
        "subject",
        "body",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
    )

    def recipients(self, obj):
        return ", ".join(obj.to)

    recipients.short_description = _("ผู้รับ")


modeladmin_register(OutboxMessageAdmin)


class PendingRequestAdmin(LastErrorColumn, ModelAdmin):
    """Requests accepted from a public form whose ticket is not made yet
    (``services.tickets.journal``). A row lives seconds; one that stays says
    why, and becomes a ticket on a later run once the cause is fixed. The
    requester's data is not shown here: it is the ticket's, once made."""

    model = PendingRequest
    menu_label = _("รายการคำขอที่รอบันทึก")
    menu_icon = "time"
    menu_order = 910
    add_to_settings_menu = True
    permission_helper_class = ReadOnlyForOfficers
    inspect_view_enabled = True
    list_display = ("reference", "service", "received", "attempts", "error_summary")
    search_fields = ("reference",)
    inspect_view_fields = ("reference", "service", "received_at", "attempts", "last_error")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("service")

    def received(self, obj):
        return thai_datetime(obj.received_at)

    received.short_description = _("รับคำขอเมื่อ")


modeladmin_register(PendingRequestAdmin)


@hooks.register("register_admin_urls")
def outbox_urls():
    return [
        path("outbox/retry-failed/", retry_failed_messages, name="outbox_retry_failed"),
        path("email-previews/", email_preview.preview_list, name="email_preview"),
        path(
            "email-previews/<str:template>/<str:language>/",
            email_preview.preview_html,
            name="email_preview_html",
        ),
        path("desk/new-ticket/", intake.new_ticket, name="desk_new_ticket"),
        path("desk/calendar/", calendar_views.desk_calendar, name="desk_calendar"),
        path("acting/", acting.acting_index, name="desk_acting"),
        path("acting/<int:pk>/end/", acting.acting_end, name="desk_acting_end"),
        path("holidays/", holidays.holidays_page, name="desk_holidays"),
        path(
            "holidays/<int:pk>/delete/",
            holidays.special_day_delete,
            name="desk_special_day_delete",
        ),
    ]


class EmailPreviewMenuItem(MenuItem):
    def is_shown(self, request):
        return roles.is_officer(request.user)


@hooks.register("register_settings_menu_item")
def register_email_preview_menu_item():
    return EmailPreviewMenuItem(
        _("ตัวอย่างอีเมล"), reverse("email_preview"), icon_name="mail", order=905
    )


@hooks.register("register_settings_menu_item")
def holidays_menu():
    return DeskMenuItem(
        _("วันหยุดราชการ"),
        reverse("desk_holidays"),
        name="holidays",
        icon_name="date",
        order=330,
        allowed=roles.sees_desk,
    )


@hooks.register("register_account_settings_panel")
def desk_notifications_panel(request, user, profile):
    return DeskNotificationsPanel(request, user, profile)


class ActingMenuItem(MenuItem):
    def is_shown(self, request):
        return roles.may_name_deputy(request.user) or bool(roles.acting_roles(request.user))


@hooks.register("register_settings_menu_item")
def acting_menu():
    return ActingMenuItem(
        _("ผู้รักษาราชการแทน"), reverse("desk_acting"), name="acting", icon_name="user", order=320
    )


# --- the officers' desk (issue 4) ------------------------------------------------


class TicketAdmin(ModelAdmin):
    model = Ticket
    menu_label = _("โต๊ะงานคำขอบริการ")
    menu_icon = "tasks"
    menu_order = 200
    permission_helper_class = DeskPermissionHelper
    inspect_view_enabled = True
    inspect_view_class = TicketInspectView
    index_view_class = TicketIndexView
    inspect_template_name = "services/admin/ticket_inspect.html"
    index_template_name = "services/admin/ticket_index.html"
    list_display = (
        "reference_link",
        "service_title",
        "requester",
        "current_step",
        "due",
        "sla_badge",
        "assignee_name",
    )
    list_display_add_buttons = None
    list_filter = ("service", "status", "channel", SlaStateFilter, "assignee", FiscalYearFilter)
    list_select_related = ("active_step", "assignee")
    list_per_page = 50
    search_fields = ("search_text",)
    search_handler_class = DeskSearchHandler
    # Newest first by primary key: one index walk, no sort of the whole table.
    ordering = ("-pk",)

    def get_queryset(self, request):
        return sla.with_sla(super().get_queryset(request).select_related("active_step", "assignee"))

    def reference_link(self, obj):
        # The list already wraps the first column in a link to the ticket
        # (its primary button); a second <a> inside it would nest links.
        return format_html("<strong>{}</strong>", obj.reference)

    reference_link.short_description = _("เลขที่คำขอ")
    reference_link.admin_order_field = "reference"

    def requester(self, obj):
        return format_html("{}<br><small>{}</small>", obj.requester_name, obj.requester_email)

    requester.short_description = _("ผู้ขอ")

    def current_step(self, obj):
        step = obj.active_step
        if obj.status != Ticket.Status.OPEN or step is None:
            return obj.get_status_display()
        return f"{step.position}. {step.title}"

    current_step.short_description = _("ขั้นตอนปัจจุบัน")

    def due(self, obj):
        step = obj.active_step
        if obj.status != Ticket.Status.OPEN or step is None or step.due_at is None:
            return "—"
        return thai_datetime(step.due_at, short=True)

    due.short_description = _("กำหนดเสร็จ")
    due.admin_order_field = "active_step__due_at"

    def sla_badge(self, obj):
        return badge(sla.ticket_state(obj)) or "—"

    sla_badge.short_description = _("SLA")

    def assignee_name(self, obj):
        if obj.assignee is None:
            return "—"
        return obj.assignee.get_full_name() or obj.assignee.get_username()

    assignee_name.short_description = _("ผู้รับผิดชอบ")
    assignee_name.admin_order_field = "assignee__first_name"

    def get_extra_class_names_for_field_col(self, obj, field_name):
        return [f"col-{field_name}"]


modeladmin_register(TicketAdmin)


class OfficersManage(PermissionHelper):
    """Officers keep the booking resources and calendar feeds; others may look."""

    def user_can_list(self, user):
        return roles.sees_desk(user)

    def user_can_inspect_obj(self, user, obj):
        # Without an inspect view the listing must not link to one.
        return self.inspect_view_enabled and roles.sees_desk(user)

    def _manages(self, user):
        return user.is_superuser or roles.OFFICER in roles.user_roles(user)

    def user_can_create(self, user):
        return self._manages(user)

    def user_can_edit_obj(self, user, obj):
        return self._manages(user)

    def user_can_delete_obj(self, user, obj):
        return False


class ResourceAdmin(ModelAdmin):
    model = Resource
    menu_label = _("ทรัพยากรสำหรับจอง")
    menu_icon = "desktop"
    menu_order = 210
    add_to_settings_menu = True
    permission_helper_class = OfficersManage
    list_display = ("name", "kind", "capacity", "active")
    list_filter = ("kind", "active")
    search_fields = ("name",)


modeladmin_register(ResourceAdmin)


class BookingReadOnly(DeskPermissionHelper):
    """Bookings are made by the schedule move only; whoever sees the desk sees them."""


class BookingAdmin(ModelAdmin):
    model = Booking
    menu_label = _("การจอง")
    menu_icon = "date"
    menu_order = 205
    permission_helper_class = BookingReadOnly
    inspect_view_enabled = True
    list_display = ("resource", "starts", "ends", "ticket", "participants", "status")
    list_filter = ("resource", "status")
    list_select_related = ("resource", "ticket")
    search_fields = ("ticket__reference", "meeting_id")
    inspect_view_fields = (
        "ticket",
        "resource",
        "starts_at",
        "ends_at",
        "participants",
        "meeting_id",
        "join_url",
        "passcode",
        "status",
        "confirmed_by",
        "created_at",
    )

    def starts(self, obj):
        return thai_datetime(obj.starts_at, short=True)

    starts.short_description = _("เริ่ม")
    starts.admin_order_field = "starts_at"

    def ends(self, obj):
        return thai_datetime(obj.ends_at, short=True)

    ends.short_description = _("สิ้นสุด")


modeladmin_register(BookingAdmin)


class LoanAdmin(ModelAdmin):
    """Equipment lent under a loan ticket: what, the due date, the condition on return.
    The borrower is reminded a day before the due date (``send_loan_reminders``)."""

    model = Loan
    menu_label = _("การยืมครุภัณฑ์")
    menu_icon = "doc-full"
    menu_order = 207
    permission_helper_class = OfficersManage
    list_display = ("item", "asset_number", "ticket", "due", "returned_at", "condition_on_return")
    list_filter = ("condition_on_return",)
    list_select_related = ("ticket",)
    search_fields = ("item", "asset_number", "ticket__reference")
    form_fields_exclude = ("reminder_sent_at",)

    def due(self, obj):
        return thai_datetime(obj.due_at, short=True)

    due.short_description = _("กำหนดคืน")
    due.admin_order_field = "due_at"


modeladmin_register(LoanAdmin)


class CalendarFeedAdmin(ModelAdmin):
    model = CalendarFeed
    menu_label = _("ปฏิทิน iCal")
    menu_icon = "date"
    menu_order = 215
    add_to_settings_menu = True
    permission_helper_class = OfficersManage
    list_display = ("name", "resource", "feed_url", "revoked", "created_at")
    list_filter = ("revoked",)

    def feed_url(self, obj):
        if obj.revoked:
            return "—"
        return format_html("<code>{}</code>", obj.full_url())

    feed_url.short_description = _("ที่อยู่สำหรับสมัครรับปฏิทิน")


modeladmin_register(CalendarFeedAdmin)


TICKET_LOG_ACTIONS = [
    ("take", _("รับงาน"), _("รับงาน")),
    ("assign", _("มอบหมายงาน"), _("มอบหมายงาน")),
    ("finish", _("บันทึกขั้นตอนเสร็จ"), _("บันทึกขั้นตอนเสร็จ")),
    ("choose_alternative", _("เลือกกรณีระยะเวลา"), _("เลือกกรณีระยะเวลาและปรับกำหนดเสร็จ")),
    ("approve", _("อนุมัติ"), _("อนุมัติ")),
    ("reject", _("ไม่อนุมัติ"), _("ไม่อนุมัติ")),
    ("schedule", _("จองและแจ้งรายละเอียด"), _("จองทรัพยากรและแจ้งรายละเอียดผู้ขอ")),
    ("resolve", _("ดำเนินการเสร็จสิ้น"), _("ดำเนินการเสร็จสิ้น")),
    ("close", _("ปิดงาน"), _("ปิดงาน")),
    ("cancel", _("ยกเลิกคำขอ"), _("ยกเลิกคำขอ")),
    ("reply", _("ตอบผู้ขอ"), _("ตอบผู้ขอ")),
    ("note", _("บันทึกภายใน"), _("บันทึกภายใน")),
    ("requester_reply", _("ข้อความจากผู้ขอ"), _("ผู้ขอส่งข้อความ")),
    ("reschedule", _("เลื่อน / แก้ไขการจอง"), _("เลื่อนหรือแก้ไขการจอง")),
    ("create", _("บันทึกคำขอจากช่องทางอื่น"), _("เจ้าหน้าที่บันทึกคำขอ")),
    ("escalate", _("แจ้งผู้บังคับบัญชา (เกินกำหนด)"), _("ขั้นตอนเกินกำหนด แจ้งผู้บังคับบัญชาแล้ว")),
    ("restart", _("เริ่มขั้นตอนใหม่"), _("ยื่นใหม่ เริ่มจากขั้นตอนแรก")),
    ("booking_changed", _("แก้ไขการจอง"), _("แก้ไขการจอง")),
    ("anonymise", _("ลบข้อมูลส่วนบุคคล"), _("ลบข้อมูลส่วนบุคคลของผู้ขอแล้ว")),
]


@hooks.register("register_log_actions")
def register_ticket_log_actions(actions):
    for name, label, message in TICKET_LOG_ACTIONS:
        actions.register_action(f"services.ticket.{name}", label, message)


class DeskMenuItem(MenuItem):
    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def is_shown(self, request):
        return self.allowed(request.user)


@hooks.register("register_admin_menu_item")
def desk_new_ticket_menu():
    return DeskMenuItem(
        _("บันทึกคำขอจากช่องทางอื่น"),
        reverse("desk_new_ticket"),
        name="desk-new-ticket",
        icon_name="plus",
        order=201,
        allowed=roles.may_enter_tickets,
    )


@hooks.register("register_admin_menu_item")
def desk_calendar_menu():
    return DeskMenuItem(
        _("ปฏิทินการจอง"),
        reverse("desk_calendar"),
        name="desk-calendar",
        icon_name="calendar",
        order=206,
        allowed=roles.sees_desk,
    )


@hooks.register("construct_homepage_panels")
def desk_homepage_panels(request, panels):
    homepage_panels(request, panels)


@hooks.register("insert_global_admin_css")
def desk_admin_css():
    from django.templatetags.static import static

    return format_html('<link rel="stylesheet" href="{}">', static("css/desk_admin.css"))


# Wagtail loads only app-level hooks modules; the reports package keeps its own.
from services.desk import duties_hooks as _duties_hooks  # noqa: E402,F401
from services.reports import wagtail_hooks as _report_hooks  # noqa: E402,F401


class LockedLoginPermissions(PermissionHelper):
    """Locked logins: listed and unlocked (deleted) by whoever may unlock."""

    def user_can_list(self, user):
        return roles.may_unlock_logins(user)

    def user_can_inspect_obj(self, user, obj):
        return False

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return roles.may_unlock_logins(user)


class UnlockView(DeleteView):
    """Unlock: forget every failed attempt of this user name and of this address."""

    def get_meta_title(self):
        return _("ปลดล็อกการเข้าสู่ระบบ")

    def confirmation_message(self):
        return _("ปลดล็อกผู้ใช้ %(username)s และเครื่อง %(address)s หรือไม่") % {
            "username": self.instance.username or "—",
            "address": self.instance.ip_address or "—",
        }

    def delete_instance(self):
        from axes.utils import reset

        if self.instance.username:
            reset(username=self.instance.username)
        if self.instance.ip_address:
            reset(ip=self.instance.ip_address)
        AccessAttempt.objects.filter(pk=self.instance.pk).delete()


class LockedLoginAdmin(ModelAdmin):
    """django-axes' failed login records; deleting one unlocks that user and address."""

    model = AccessAttempt
    menu_label = _("ปลดล็อกการเข้าสู่ระบบ")
    menu_icon = "lock-open"
    menu_order = 950
    add_to_settings_menu = True
    permission_helper_class = LockedLoginPermissions
    delete_view_class = UnlockView
    list_display = ("username", "ip_address", "failures_since_start", "attempt_time")
    search_fields = ("username", "ip_address")


modeladmin_register(LockedLoginAdmin)


# --- the site search: who keeps synonyms and promotions, who reads the query report


SEARCH_KEEPERS = (roles.OFFICERS, roles.WEB_OFFICERS)
SEARCH_KEEPER_PERMISSIONS = (
    ("home", "add_synonym"),
    ("home", "change_synonym"),
    ("home", "delete_synonym"),
    ("home", "view_synonym"),
    ("wagtailsearchpromotions", "add_searchpromotion"),
    ("wagtailsearchpromotions", "change_searchpromotion"),
    ("wagtailsearchpromotions", "delete_searchpromotion"),
    ("wagtailsearchpromotions", "view_searchpromotion"),
)


@hooks.register("register_group_permissions")
def grant_search_rights(groups):
    """Called by ``roles.ensure_groups``: report readers read the query report;
    officers and web officers also keep synonyms and promoted results."""
    from django.contrib.auth.models import Permission

    report = Permission.objects.get(content_type__app_label="home", codename="view_searchquerylog")
    keeper = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in SEARCH_KEEPER_PERMISSIONS
    ]
    for name in roles.REPORT_READERS:
        groups[name].permissions.add(report)
    for name in SEARCH_KEEPERS:
        groups[name].permissions.add(*keeper)
