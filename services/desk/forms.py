"""The small forms of the desk's action buttons, one per move.

They only turn typed text into values; whether the move is allowed is decided
by ``moves``.
"""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.bookings.models import Booking, Resource
from services.bookings.scheduling import open_bookings
from services.core.clock import BANGKOK
from services.core.uploads import MultipleFileField
from services.tickets.moves import desk_users

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def required_text(label, rows=2):
    return forms.CharField(
        label=label,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": _("กรุณากรอกข้อมูลช่องนี้")},
    )


def optional_text(label, rows=2):
    return forms.CharField(
        label=label, max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": rows})
    )


class MoveForm(forms.Form):
    def __init__(self, *args, ticket=None, step=None, **kwargs):
        self.ticket, self.step = ticket, step
        kwargs.setdefault("prefix", self.move)
        super().__init__(*args, **kwargs)


class TakeForm(MoveForm):
    move = "take"


class AssignForm(MoveForm):
    move = "assign"
    assignee = forms.ModelChoiceField(
        label=_("มอบหมายให้"),
        queryset=None,
        error_messages={"required": _("กรุณาเลือกเจ้าหน้าที่"), "invalid_choice": _("กรุณาเลือกเจ้าหน้าที่")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = desk_users().order_by("first_name", "username")
        self.fields["assignee"].label_from_instance = lambda user: (
            user.get_full_name() or user.get_username()
        )


class FinishForm(MoveForm):
    move = "finish"
    note = optional_text(_("บันทึกผลการดำเนินการ"))


class AlternativeForm(MoveForm):
    move = "choose_alternative"
    label = forms.ChoiceField(
        label=_("กรณี"),
        choices=(),
        error_messages={"required": _("กรุณาเลือกกรณี"), "invalid_choice": _("กรุณาเลือกกรณีจากรายการ")},
    )
    reason = required_text(_("เหตุผล"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from services.core.targets import describe_target

        alternatives = (self.step.alternatives if self.step else None) or []
        self.fields["label"].choices = [
            (
                alt["label"],
                f"{alt['label']} ({describe_target(alt['amount'], alt['unit'], alt['mode'])})",
            )
            for alt in alternatives
        ]


class ApproveForm(MoveForm):
    move = "approve"
    reason = optional_text(_("ความเห็น (ถ้ามี)"))


class RejectForm(MoveForm):
    move = "reject"
    reason = required_text(_("เหตุผลที่ไม่อนุมัติ (ส่งถึงผู้ขอ)"))


class ScheduleForm(MoveForm):
    move = "schedule"
    starts_at = forms.DateTimeField(
        label=_("เริ่ม"),
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
        error_messages={"required": _("กรุณาระบุวันเวลาเริ่ม"), "invalid": _("วันเวลาไม่ถูกต้อง")},
    )
    ends_at = forms.DateTimeField(
        label=_("สิ้นสุด"),
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
        error_messages={"required": _("กรุณาระบุวันเวลาสิ้นสุด"), "invalid": _("วันเวลาไม่ถูกต้อง")},
    )
    participants = forms.IntegerField(
        label=_("จำนวนผู้เข้าร่วม"),
        min_value=1,
        initial=1,
        max_value=100000,
        error_messages={"invalid": _("กรุณากรอกตัวเลข"), "min_value": _("อย่างน้อย 1 คน")},
    )
    kind = forms.ChoiceField(
        label=_("ประเภททรัพยากร"),
        required=False,
        choices=[("", _("ทุกประเภท")), *Resource.Kind.choices],
    )
    resource = forms.ModelChoiceField(
        label=_("ทรัพยากร"),
        required=False,
        queryset=Resource.objects.filter(active=True),
        empty_label=_("เลือกให้อัตโนมัติ (ว่างและจุพอ)"),
    )
    meeting_id = forms.CharField(label=_("Meeting ID"), required=False, max_length=64)
    join_url = forms.URLField(
        label=_("ลิงก์เข้าร่วม"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("ลิงก์ไม่ถูกต้อง")},
    )
    passcode = forms.CharField(label=_("รหัสผ่าน"), required=False, max_length=64)
    note = optional_text(_("บันทึก"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.ticket is not None:
            self.initial.update(initial_from_request(self.ticket))

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("เวลาสิ้นสุดต้องอยู่หลังเวลาเริ่ม"))
        return data


def initial_from_request(ticket):
    """The schedule form's starting values, from what the requester asked for."""
    answers = ticket.answers or {}
    initial = {}
    try:
        day = dt.date.fromisoformat(answers.get("date") or "")
        start = dt.time.fromisoformat(answers.get("start_time") or "")
        end = dt.time.fromisoformat(answers.get("end_time") or "")
    except (TypeError, ValueError):
        day = None
    if day is not None:
        initial["starts_at"] = dt.datetime.combine(day, start, tzinfo=BANGKOK)
        initial["ends_at"] = dt.datetime.combine(day, end, tzinfo=BANGKOK)
    participants = answers.get("participants")
    if isinstance(participants, int) and participants > 0:
        initial["participants"] = participants
    platform = answers.get("platform")
    if platform == "zoom":
        initial["kind"] = Resource.Kind.ZOOM
    elif answers.get("live_stream"):
        initial["kind"] = Resource.Kind.STREAM_KIT
    return initial


class RescheduleForm(MoveForm):
    """Move or edit one confirmed booking; starts filled with its current values."""

    move = "reschedule"
    booking = forms.ModelChoiceField(
        label=_("การจอง"),
        queryset=Booking.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("กรุณาเลือกการจองจากรายการ")},
    )
    starts_at = ScheduleForm.base_fields["starts_at"]
    ends_at = ScheduleForm.base_fields["ends_at"]
    participants = ScheduleForm.base_fields["participants"]
    resource = forms.ModelChoiceField(
        label=_("ทรัพยากร"),
        required=False,
        queryset=Resource.objects.filter(active=True),
        empty_label=_("ทรัพยากรเดิม"),
    )
    meeting_id = ScheduleForm.base_fields["meeting_id"]
    join_url = ScheduleForm.base_fields["join_url"]
    passcode = ScheduleForm.base_fields["passcode"]
    note = optional_text(_("เหตุผลที่เปลี่ยน (บันทึกในประวัติ)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bookings = (
            open_bookings(self.ticket, timezone.now())
            if self.ticket is not None
            else Booking.objects.none()
        )
        self.fields["booking"].queryset = bookings
        first = bookings.first()
        if first is not None and not self.is_bound:
            self.initial.update(
                booking=first.pk,
                starts_at=timezone.localtime(first.starts_at),
                ends_at=timezone.localtime(first.ends_at),
                participants=first.participants,
                meeting_id=first.meeting_id,
                join_url=first.join_url,
                passcode=first.passcode,
            )

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("เวลาสิ้นสุดต้องอยู่หลังเวลาเริ่ม"))
        return data


class ResolveForm(MoveForm):
    move = "resolve"
    note = optional_text(_("สรุปผล"))


class CloseForm(MoveForm):
    move = "close"
    note = optional_text(_("บันทึก"))


class CancelForm(MoveForm):
    move = "cancel"
    reason = required_text(_("เหตุผลที่ยกเลิก (ส่งถึงผู้ขอ)"))


class ReplyForm(MoveForm):
    move = "reply"
    body = required_text(_("ข้อความถึงผู้ขอ (ส่งทางอีเมลและแสดงในหน้าติดตาม)"), rows=3)
    files = MultipleFileField(label=_("แนบไฟล์ถึงผู้ขอ (ถ้ามี)"), required=False)


class NoteForm(MoveForm):
    move = "note"
    body = required_text(_("บันทึกภายใน (ผู้ขอไม่เห็น)"), rows=3)
    files = MultipleFileField(label=_("แนบไฟล์ภายใน (ผู้ขอไม่เห็น)"), required=False)


FORMS = {
    form.move: form
    for form in (
        TakeForm,
        AssignForm,
        FinishForm,
        AlternativeForm,
        ApproveForm,
        RejectForm,
        ScheduleForm,
        RescheduleForm,
        ResolveForm,
        CloseForm,
        CancelForm,
        ReplyForm,
        NoteForm,
    )
}
