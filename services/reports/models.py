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


# --- daily roll-ups: what reports read instead of the ticket tables -----------------
# Kept by services.reports.rollups.refresh (a scheduled task with a watermark, also
# run before each report). A day is a calendar day in the office's time zone, of
# the ticket's submission (or the survey answer's).


class TicketDay(models.Model):
    """Tickets submitted on a day, per service, form, channel, assignee and current status."""

    day = models.DateField()
    service_id = models.BigIntegerField(null=True)
    form_kind = models.CharField(max_length=20)
    channel = models.CharField(max_length=16, default="web")
    assignee_id = models.BigIntegerField(null=True)
    status = models.CharField(max_length=16)
    service_title = models.CharField(max_length=255)
    service_code = models.CharField(max_length=20, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["day"], name="ticketday_day")]


class StepDay(models.Model):
    """Steps of the tickets submitted on a day, per service and step of the standard.

    ``breached_settled`` counts the steps that are no longer active and missed
    their target; active steps are counted live (their state moves with the
    clock), over the small partial index of active steps.
    """

    day = models.DateField()
    service_id = models.BigIntegerField(null=True)
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=255)
    target_amount = models.PositiveIntegerField(null=True)
    target_unit = models.CharField(max_length=10, blank=True)
    target_mode = models.CharField(max_length=10, blank=True)
    target_label = models.CharField(max_length=120, blank=True)
    total = models.PositiveIntegerField()
    finished = models.PositiveIntegerField()
    within = models.PositiveIntegerField()
    breached_settled = models.PositiveIntegerField()
    #: Office minutes the finished steps took (``TicketStep.working_minutes``).
    working_minutes_sum = models.FloatField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day"], name="stepday_day")]


class OfficerDay(models.Model):
    """Steps done by an officer, of the tickets submitted on a day: counts on the same
    basis as ``StepDay`` (a done step's verdict no longer moves with the clock)."""

    day = models.DateField()
    user_id = models.BigIntegerField()
    steps = models.PositiveIntegerField()
    timed = models.PositiveIntegerField()
    within = models.PositiveIntegerField()
    breached = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["day"], name="officerday_day")]


class SurveyDay(models.Model):
    """Survey answers given on a day, per service and channel: counts and score sums."""

    day = models.DateField()
    service_id = models.BigIntegerField(null=True)
    channel = models.CharField(max_length=16)
    count = models.PositiveIntegerField()
    score_sum = models.FloatField()
    ease_sum = models.FloatField()
    speed_sum = models.FloatField()
    manner_sum = models.FloatField()
    quality_sum = models.FloatField()
    overall_sum = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["day"], name="surveyday_day")]


class RollupWatermark(models.Model):
    """How far the roll-ups have read: the last ticket, audit entry and answer seen."""

    name = models.CharField(max_length=40, unique=True)
    last_ticket = models.BigIntegerField(default=0)
    last_log = models.BigIntegerField(default=0)
    last_answer = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True)


class PeriodFigures(models.Model):
    """What cannot be added up from days (step-time percentiles, the longest-late
    list of settled steps), kept per report period until a day in it changes."""

    period_key = models.CharField(max_length=40, unique=True)
    first_day = models.DateField()
    last_day = models.DateField()
    stale = models.BooleanField(default=False)
    computed_at = models.DateTimeField(default=timezone.now)
    data = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["first_day", "last_day"], name="periodfigures_days")]
