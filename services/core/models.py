"""The outbox: every message the product sends is first a row here.

The row is written in the same transaction as the change it reports, so a
message exists exactly when its change does; delivery happens afterwards in
Django-Q2 (see ``services.core.outbox``).
"""

import uuid

from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def private_storage():
    return storages["attachments"]


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("รอส่ง")
        SENDING = "sending", _("กำลังส่ง")
        SENT = "sent", _("ส่งแล้ว")
        FAILED = "failed", _("ส่งไม่สำเร็จ")

    # A stable name for what the message reports, e.g. "ticket:42:submitted";
    # queuing the same key twice yields one message.
    key = models.CharField(_("รหัสข้อความ"), max_length=200, unique=True)
    # The stable Message-ID: <uuid@site domain>, the same on every attempt, so
    # a receiving server or client can drop a copy sent again after a crash.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("ประเภท"), max_length=64, db_index=True)
    to = models.JSONField(_("ผู้รับ"), default=list)
    subject = models.CharField(_("เรื่อง"), max_length=255)
    body = models.TextField(_("ข้อความ"))
    html_body = models.TextField(_("ข้อความ HTML"), blank=True)
    language = models.CharField(_("ภาษา"), max_length=8, default="th")
    # The conversation the message belongs to, e.g. "ticket:42": its messages
    # carry the same In-Reply-To/References so mail clients thread them.
    thread = models.CharField(_("ชุดข้อความ"), max_length=200, blank=True)
    # Private storage: reports attached to e-mails are never served from MEDIA_URL.
    attachment = models.FileField(
        _("ไฟล์แนบ"), upload_to="outbox/%Y/%m/", blank=True, storage=private_storage
    )
    # More files beside ``attachment`` (e.g. the monthly report as PDF and XLSX):
    # their names in the same private storage.
    extra_attachments = models.JSONField(_("ไฟล์แนบเพิ่มเติม"), default=list, blank=True)
    status = models.CharField(
        _("สถานะ"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("จำนวนครั้งที่พยายามส่ง"), default=0)
    next_attempt_at = models.DateTimeField(_("ส่งครั้งถัดไป"), default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("ข้อผิดพลาดล่าสุด"), blank=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    sent_at = models.DateTimeField(_("ส่งเมื่อ"), null=True, blank=True)

    class Meta:
        verbose_name = _("ข้อความขาออก")
        verbose_name_plural = _("ข้อความขาออก")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"
