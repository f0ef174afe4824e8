"""Reports built and kept by the system: the monthly report for executives."""

import secrets

from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEEP_YEARS = 5


def report_storage():
    # Reports list ticket references: keep them out of the public media folder.
    return storages["attachments"]


def report_path(instance, filename):
    return f"reports/{instance.period_key}-{secrets.token_hex(8)}.xlsx"


class StoredReport(models.Model):
    period_key = models.CharField(
        _("รหัสช่วงเวลา"), max_length=40, unique=True, help_text=_("เช่น month:2026-01")
    )
    period_label = models.CharField(_("ช่วงเวลา"), max_length=120)
    period_start = models.DateField(_("ตั้งแต่วันที่"))
    period_end = models.DateField(_("ถึงวันที่"))
    built_at = models.DateTimeField(_("จัดทำเมื่อ"), default=timezone.now)
    data = models.JSONField(_("ข้อมูลรายงาน"), default=dict)
    xlsx = models.FileField(
        _("ไฟล์ Excel"), upload_to=report_path, storage=report_storage, max_length=255, blank=True
    )

    class Meta:
        verbose_name = _("รายงานประจำเดือน")
        verbose_name_plural = _("รายงานประจำเดือน")
        ordering = ["-period_start"]

    def __str__(self):
        return self.period_label
