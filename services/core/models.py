"""The outbox: every message the product sends is first a row here.

The row is written in the same transaction as the change it reports, so a
message exists exactly when its change does; delivery happens afterwards in
Django-Q2 (see ``services.outbox``).
"""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def private_storage():
    return storages["attachments"]


class OutboxMessage(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("อีเมล")
        LINE = "line", "LINE"

    class Status(models.TextChoices):
        PENDING = "pending", _("รอส่ง")
        SENDING = "sending", _("กำลังส่ง")
        SENT = "sent", _("ส่งแล้ว")
        FAILED = "failed", _("ส่งไม่สำเร็จ")

    # A stable name for what the message reports, e.g. "ticket:42:submitted";
    # queuing the same key twice yields one message.
    key = models.CharField(_("รหัสข้อความ"), max_length=200, unique=True)
    kind = models.CharField(_("ประเภท"), max_length=64, db_index=True)
    # E-mail addresses, or LINE user / group ids for the LINE channel.
    channel = models.CharField(
        _("ช่องทาง"), max_length=8, choices=Channel.choices, default=Channel.EMAIL
    )
    to = models.JSONField(_("ผู้รับ"), default=list)
    subject = models.CharField(_("เรื่อง"), max_length=255)
    body = models.TextField(_("ข้อความ"))
    html_body = models.TextField(_("ข้อความ HTML"), blank=True)
    language = models.CharField(_("ภาษา"), max_length=8, default="th")
    # Private storage: reports attached to e-mails are never served from MEDIA_URL.
    attachment = models.FileField(
        _("ไฟล์แนบ"), upload_to="outbox/%Y/%m/", blank=True, storage=private_storage
    )
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


class PrivacyNotice(models.Model):
    """One version of the privacy notice; a request records the version accepted."""

    version = models.PositiveIntegerField(_("ฉบับที่"), unique=True)
    summary = models.TextField(
        _("สิ่งที่เปลี่ยนแปลงในฉบับนี้"),
        blank=True,
        help_text=_("แสดงในหน้าประกาศความเป็นส่วนตัว ใต้ข้อความที่ระบบจัดทำจากการทำงานจริง"),
    )
    published_at = models.DateTimeField(_("ประกาศเมื่อ"), default=timezone.now)

    class Meta:
        verbose_name = _("ประกาศความเป็นส่วนตัว")
        verbose_name_plural = _("ประกาศความเป็นส่วนตัว")
        ordering = ["-version"]

    def __str__(self):
        return _("ประกาศความเป็นส่วนตัว ฉบับที่ %(version)s") % {"version": self.version}

    @classmethod
    def current(cls, now=None):
        """The newest version in force at ``now``; version 1 is made when none exists."""
        now = now or timezone.now()
        notice = cls.objects.filter(published_at__lte=now).order_by("-version").first()
        if notice is None:
            notice, _created = cls.objects.get_or_create(version=1, defaults={"published_at": now})
        return notice


class PersonalDataRequest(models.Model):
    """A record of one export or erasure of a person's data (PDPA sections 30-33).

    It keeps a digest of the e-mail or phone number, never the value itself,
    so the record outlives the erasure without holding what was erased.
    """

    class Kind(models.TextChoices):
        EXPORT = "export", _("ขอสำเนาข้อมูล")
        ERASE = "erase", _("ลบข้อมูล")

    kind = models.CharField(_("ประเภท"), max_length=8, choices=Kind.choices)
    subject_digest = models.CharField(_("รหัสอ้างอิงเจ้าของข้อมูล"), max_length=64, db_index=True)
    references = models.JSONField(_("เลขที่คำขอที่เกี่ยวข้อง"), default=list, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ดำเนินการโดย"),
    )
    created_at = models.DateTimeField(_("เมื่อ"), default=timezone.now)

    class Meta:
        verbose_name = _("คำขอเกี่ยวกับข้อมูลส่วนบุคคล")
        verbose_name_plural = _("คำขอเกี่ยวกับข้อมูลส่วนบุคคล")
        ordering = ["-created_at"]
        permissions = [
            ("manage_personal_data", _("ส่งออกและลบข้อมูลส่วนบุคคลของเจ้าของข้อมูล")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.subject_digest[:12]}"
