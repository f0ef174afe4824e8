"""The publication workflow's task type: a group approval with a time target.

``TimedGroupApprovalTask`` is a Wagtail group approval task that knows how
long its step may take (amount, unit, working or elapsed time) and whom to
escalate to. Each time it starts it creates a ``TimedTaskState`` whose
``due_at`` comes from the business clock, so the dashboard, the reminders,
the escalation and the turnaround report all read one stored due time.
"""

from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupApprovalTask, TaskState

from services.core import clock


class TimedTaskState(TaskState):
    """One run of a timed task on one revision, with its due time."""

    due_at = models.DateTimeField(_("กำหนดเสร็จ"), null=True, blank=True, db_index=True)
    reminded_at = models.DateTimeField(_("แจ้งเตือนเมื่อ"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("แจ้งผู้บังคับบัญชาเมื่อ"), null=True, blank=True)

    class Meta:
        verbose_name = _("สถานะขั้นตอนที่มีกำหนดเวลา")
        verbose_name_plural = _("สถานะขั้นตอนที่มีกำหนดเวลา")

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        # started_at is only known once the row exists (auto_now_add).
        if adding and self.due_at is None:
            self.due_at = self.compute_due_at()
            super().save(update_fields=["due_at"])

    @property
    def timed_task(self):
        return self.task.specific

    def compute_due_at(self):
        task = self.timed_task
        return clock.get_clock().add(
            self.started_at, task.target_amount, task.target_unit, task.target_mode
        )

    def spent_minutes(self, now=None):
        """Time taken so far (or in all, once finished), counted as the target is."""
        end = self.finished_at or now or timezone.now()
        if self.timed_task.target_mode == clock.ELAPSED:
            return max(0, int((end - self.started_at).total_seconds() // 60))
        return clock.get_clock().working_minutes_between(self.started_at, end)

    def is_overdue(self, now=None):
        now = now or timezone.now()
        if self.due_at is None:
            return False
        end = self.finished_at if self.status != self.STATUS_IN_PROGRESS else now
        if end is None:  # cancelled without a finish time
            return False
        return end > self.due_at

    @property
    def breached(self):
        """A finished step that ended after its due time, or a running one past it."""
        return self.is_overdue()


class TimedGroupApprovalTask(GroupApprovalTask):
    """A group approval step of the SOP, due a set time after it starts."""

    UNIT_CHOICES = [
        (clock.MINUTES, _("นาที")),
        (clock.HOURS, _("ชั่วโมง")),
        (clock.DAYS, _("วัน")),
    ]
    MODE_CHOICES = [
        (clock.WORKING, _("เวลาทำการ")),
        (clock.ELAPSED, _("เวลาต่อเนื่อง")),
    ]

    target_amount = models.PositiveIntegerField(_("ระยะเวลาเป้าหมาย"), default=1)
    target_unit = models.CharField(
        _("หน่วย"), max_length=16, choices=UNIT_CHOICES, default=clock.DAYS
    )
    target_mode = models.CharField(
        _("นับแบบ"), max_length=16, choices=MODE_CHOICES, default=clock.WORKING
    )
    escalation_groups = models.ManyToManyField(
        Group,
        blank=True,
        related_name="+",
        verbose_name=_("กลุ่มที่แจ้งเมื่อเกินกำหนด"),
        help_text=_("ผู้บังคับบัญชาที่ได้รับแจ้งหนึ่งครั้งเมื่อขั้นตอนนี้เกินกำหนดเวลา"),
    )

    task_state_class = TimedTaskState
    admin_form_fields = GroupApprovalTask.admin_form_fields + [
        "target_amount",
        "target_unit",
        "target_mode",
        "escalation_groups",
    ]
    admin_form_widgets = {
        **GroupApprovalTask.admin_form_widgets,
        "escalation_groups": GroupApprovalTask.admin_form_widgets["groups"],
    }

    class Meta:
        verbose_name = _("ขั้นตอนอนุมัติตามกลุ่มที่มีกำหนดเวลา")
        verbose_name_plural = _("ขั้นตอนอนุมัติตามกลุ่มที่มีกำหนดเวลา")

    @classmethod
    def get_description(cls):
        return _("สมาชิกของกลุ่มที่เลือกพิจารณาขั้นตอนนี้ภายในเวลาเป้าหมายตามปฏิทินวันทำการ")

    def target_minutes(self):
        return clock.get_clock().to_minutes(self.target_amount, self.target_unit, self.target_mode)

    def target_label(self):
        return (
            f"{self.target_amount} {self.get_target_unit_display()} "
            f"({self.get_target_mode_display()})"
        )

    def get_actions(self, obj, user):
        if user.is_superuser or self._user_in_groups(user):
            return [
                ("reject", _("ขอให้แก้ไข"), True),
                ("approve", _("อนุมัติ"), False),
                ("approve", _("อนุมัติพร้อมความเห็น"), True),
            ]
        return []

    def reviewers(self):
        from django.contrib.auth import get_user_model

        return (
            get_user_model().objects.filter(groups__in=self.groups.all(), is_active=True).distinct()
        )

    def escalation_recipients(self):
        from django.contrib.auth import get_user_model

        return (
            get_user_model()
            .objects.filter(groups__in=self.escalation_groups.all(), is_active=True)
            .distinct()
        )


class PublicationRequest(models.Model):
    """A staff submission: the draft page and the service ticket that follows it."""

    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="publication_requests",
        verbose_name=_("หน้า"),
    )
    ticket = models.OneToOneField(
        "services.Ticket",
        on_delete=models.CASCADE,
        related_name="publication_request",
        verbose_name=_("คำขอรับบริการ"),
    )
    created_at = models.DateTimeField(_("ยื่นเมื่อ"), auto_now_add=True)

    class Meta:
        verbose_name = _("คำขอเผยแพร่")
        verbose_name_plural = _("คำขอเผยแพร่")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.ticket.reference} {self.page.title}"
