"""Bookings: the resources officers lend (Zoom accounts, rooms, streaming kits),
the confirmed time slots, and the revocable calendar feeds that publish them.

The rule that no two confirmed bookings of one resource overlap lives in
``services.bookings``; here are only the rows.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_feed_token():
    return secrets.token_urlsafe(32)


class Resource(models.Model):
    class Kind(models.TextChoices):
        ZOOM = "zoom", _("บัญชี Zoom")
        ROOM = "room", _("ห้องประชุม")
        STREAM_KIT = "stream_kit", _("ชุดถ่ายทอดสด")

    name = models.CharField(_("ชื่อทรัพยากร"), max_length=120, unique=True)
    kind = models.CharField(_("ประเภท"), max_length=16, choices=Kind.choices)
    capacity = models.PositiveIntegerField(_("จำนวนผู้เข้าร่วมสูงสุด"), default=100)
    active = models.BooleanField(_("เปิดให้จอง"), default=True)
    note = models.TextField(_("หมายเหตุ"), blank=True)

    class Meta:
        verbose_name = _("ทรัพยากรสำหรับจอง")
        verbose_name_plural = _("ทรัพยากรสำหรับจอง")
        ordering = ["kind", "capacity", "name"]

    def __str__(self):
        return self.name


class Booking(models.Model):
    # Out of Wagtail's reference index, as its ticket is (see Ticket).
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("ยืนยันแล้ว")
        CANCELLED = "cancelled", _("ยกเลิก")

    ticket = models.ForeignKey(
        "services.Ticket", on_delete=models.CASCADE, related_name="bookings", verbose_name=_("คำขอ")
    )
    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("ทรัพยากร")
    )
    starts_at = models.DateTimeField(_("เริ่ม"))
    ends_at = models.DateTimeField(_("สิ้นสุด"))
    participants = models.PositiveIntegerField(_("จำนวนผู้เข้าร่วม"), default=1)
    meeting_id = models.CharField(_("Meeting ID"), max_length=64, blank=True)
    join_url = models.URLField(_("ลิงก์เข้าร่วม"), max_length=500, blank=True)
    passcode = models.CharField(_("รหัสผ่าน"), max_length=64, blank=True)
    status = models.CharField(
        _("สถานะ"), max_length=16, choices=Status.choices, default=Status.CONFIRMED
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ยืนยันโดย"),
    )
    created_at = models.DateTimeField(_("จองเมื่อ"), default=timezone.now)
    # What subscribed calendars see: a UID that does not depend on the host the
    # site runs on, and a version (SEQUENCE) and time (DTSTAMP, LAST-MODIFIED)
    # that change only when the booking does, through ``record_change``.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("แก้ไขครั้งที่"), default=0)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), default=timezone.now)
    # Set in the same transaction as the reminder's outbox row: each is sent once.
    reminder_sent_at = models.DateTimeField(_("เตือน 30 นาทีเมื่อ"), null=True, blank=True)
    preparation_sent_at = models.DateTimeField(_("เตือนเตรียมอุปกรณ์เมื่อ"), null=True, blank=True)
    # The iCal SEQUENCE: one higher after every reschedule, edit or cancellation.

    class Meta:
        verbose_name = _("การจอง")
        verbose_name_plural = _("การจอง")
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["resource", "status", "starts_at"], name="booking_resource_time"),
            models.Index(fields=["status", "starts_at"], name="booking_status_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="booking_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.resource} {self.starts_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self._state.adding:
            self.updated_at = self.created_at
        super().save(*args, **kwargs)

    @staticmethod
    def changed(now=None):
        """Fields to ``update()`` with on every change a calendar must see."""
        return {"sequence": models.F("sequence") + 1, "updated_at": now or timezone.now()}


class CalendarFeed(models.Model):
    """A secret iCal address; revoking it makes the address answer 404."""

    name = models.CharField(_("ชื่อปฏิทิน"), max_length=120)
    resource = models.ForeignKey(
        Resource,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feeds",
        verbose_name=_("ทรัพยากร"),
        help_text=_("เว้นว่างเพื่อรวมการจองทุกทรัพยากร"),
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)
    revoked = models.BooleanField(_("เพิกถอนแล้ว"), default=False)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)

    class Meta:
        verbose_name = _("ปฏิทิน iCal")
        verbose_name_plural = _("ปฏิทิน iCal")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("services:calendar_feed", args=[self.token])

    def full_url(self):
        return settings.WAGTAILADMIN_BASE_URL + self.get_absolute_url()


class Loan(models.Model):
    """Equipment lent under an equipment-loan ticket: what, until when, and how it came back."""

    class Condition(models.TextChoices):
        GOOD = "good", _("สภาพดี")
        DAMAGED = "damaged", _("ชำรุด")
        LOST = "lost", _("สูญหาย")

    ticket = models.ForeignKey(
        "services.Ticket", on_delete=models.CASCADE, related_name="loans", verbose_name=_("คำขอ")
    )
    item = models.CharField(_("ครุภัณฑ์ / วัสดุที่ยืม"), max_length=255)
    asset_number = models.CharField(_("เลขครุภัณฑ์"), max_length=64, blank=True)
    lent_at = models.DateTimeField(_("ยืมเมื่อ"), default=timezone.now)
    due_at = models.DateTimeField(_("กำหนดคืน"))
    returned_at = models.DateTimeField(_("คืนเมื่อ"), null=True, blank=True)
    condition_on_return = models.CharField(
        _("สภาพเมื่อคืน"), max_length=16, choices=Condition.choices, blank=True
    )
    return_note = models.TextField(_("บันทึกการคืน"), blank=True)
    reminder_sent_at = models.DateTimeField(_("เตือนก่อนครบกำหนดเมื่อ"), null=True, blank=True)

    class Meta:
        verbose_name = _("การยืมครุภัณฑ์")
        verbose_name_plural = _("การยืมครุภัณฑ์")
        ordering = ["due_at"]
        indexes = [models.Index(fields=["returned_at", "due_at"], name="loan_open_due")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_at__gt=models.F("lent_at")), name="loan_due_after_lent"
            ),
        ]

    def __str__(self):
        return self.item
