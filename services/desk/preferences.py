"""The desk's notices in the admin account settings: each person turns kinds off."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.account import BaseSettingsPanel, notifications_tab

from services.core import roles
from services.core.models import NotificationPreference


class DeskNotificationsForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = list(NotificationPreference.KINDS)


class DeskNotificationsPanel(BaseSettingsPanel):
    name = "desk_notifications"
    title = _("การแจ้งเตือนงานบริการ (อีเมล)")
    help_text = _("เลือกประเภทการแจ้งเตือนที่ต้องการรับ ยกเลิกเครื่องหมายเพื่อปิด")
    tab = notifications_tab
    order = 150
    form_class = DeskNotificationsForm

    def is_active(self):
        return roles.sees_desk(self.user)

    def get_form(self):
        instance = NotificationPreference.objects.filter(user=self.user).first()
        if instance is None:
            instance = NotificationPreference(user=self.user)
        kwargs = {"instance": instance, "prefix": self.name}
        if self.request.method == "POST":
            return self.form_class(self.request.POST, **kwargs)
        return self.form_class(**kwargs)
