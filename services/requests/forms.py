"""The public request forms: one per form kind, each with the requester's details.

Every text a requester types goes through ``clean_text`` (bleach, no tags
kept). Extra questions editors add to a service page are appended as fields
named ``extra_<clean name>``.
"""

import datetime as dt
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import FormBuilder

from home.phones import PhoneField
from home.thai import BEDateField
from services.catalogue.models import FormKind
from services.core.sanitise import clean_text
from services.core.uploads import REQUIRED, MultipleFileField

EXTRA_PREFIX = "extra_"


class RequestForm(forms.Form):
    """Fields every request has; subclasses add the fields of their kind."""

    kind = FormKind.GENERAL
    kind_fields = ()
    attachments_label = _("ไฟล์แนบ")
    use_required_attribute = True

    requester_name = forms.CharField(label=_("ชื่อ-นามสกุล"), max_length=200)
    requester_org = forms.CharField(label=_("หน่วยงาน / โรงเรียน"), max_length=255)
    requester_phone = PhoneField(label=_("โทรศัพท์"))
    requester_email = forms.EmailField(
        label=_("อีเมล"),
        max_length=254,
        help_text=_("ใช้รับเลขที่คำขอ ลิงก์ติดตามสถานะ และค้นหาคำขอภายหลัง"),
        error_messages={"invalid": _("กรุณากรอกอีเมลให้ถูกต้อง เช่น name@example.com")},
    )
    attachments = MultipleFileField(label=_("ไฟล์แนบ"), required=False)
    consent = forms.BooleanField(
        label=_("ข้าพเจ้ายินยอมให้เก็บและใช้ข้อมูลส่วนบุคคลเพื่อการให้บริการนี้"),
        error_messages={"required": _("กรุณาให้ความยินยอมก่อนส่งคำขอ")},
    )
    # Hidden from people by CSS; bots fill every field they find.
    website = forms.CharField(label=_("เว็บไซต์ (เว้นว่าง)"), required=False)

    def __init__(self, *args, page=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.fields["attachments"].label = self.attachments_label
        self.fields["attachments"].help_text = _(
            "PDF, DOCX, XLSX, JPG หรือ PNG ไม่เกิน %(size)s MB ต่อไฟล์ สูงสุด %(count)s ไฟล์"
        ) % {
            "size": settings.SERVICE_ATTACHMENT_MAX_BYTES // (1024 * 1024),
            "count": settings.SERVICE_ATTACHMENT_MAX_FILES,
        }
        if page is not None:
            for name, field in FormBuilder(page.form_fields.all()).formfields.items():
                self.fields[EXTRA_PREFIX + name] = field
        for name, field in self.fields.items():
            if name != "consent":
                field.error_messages["required"] = REQUIRED
        autocomplete = {
            "requester_name": "name",
            "requester_org": "organization",
            "requester_phone": "tel",
            "requester_email": "email",
        }
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["requester_phone"].widget.attrs["inputmode"] = "tel"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    # --- groups of fields for the template ---------------------------------
    def kind_bound_fields(self):
        return [self[name] for name in self.kind_fields]

    def extra_bound_fields(self):
        return [self[name] for name in self.fields if name.startswith(EXTRA_PREFIX)]

    def requester_bound_fields(self):
        return [
            self[name]
            for name in ("requester_name", "requester_org", "requester_phone", "requester_email")
        ]

    @property
    def files_need_reselect(self):
        """After an error the browser has forgotten the chosen files: say so."""
        return self.is_bound and bool(self.errors) and bool(self.files)

    @property
    def is_spam(self):
        return bool(self.data.get("website"))

    # --- cleaning ----------------------------------------------------------
    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = clean_text(value)
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                cleaned[name] = [clean_text(v) for v in value]
        if self.is_spam:
            raise ValidationError(_("ไม่สามารถส่งคำขอได้ กรุณาลองใหม่อีกครั้ง"), code="spam")
        return cleaned

    def answers(self):
        """The kind's answers and the extra answers, as JSON-safe values."""
        data = {name: _json_safe(self.cleaned_data.get(name)) for name in self.kind_fields}
        extra = []
        for name, field in self.fields.items():
            if name.startswith(EXTRA_PREFIX):
                extra.append(
                    {
                        "name": name[len(EXTRA_PREFIX) :],
                        "label": str(field.label),
                        "value": _json_safe(self.cleaned_data.get(name)),
                    }
                )
        if extra:
            data["extra"] = extra
        return data


def _json_safe(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


PLATFORMS = [
    ("zoom", "Zoom"),
    ("meet", "Google Meet"),
    ("teams", "Microsoft Teams"),
    ("youtube", "YouTube Live"),
    ("facebook", "Facebook Live"),
    ("other", _("อื่น ๆ")),
]


class BookingForm(RequestForm):
    kind = FormKind.BOOKING
    kind_fields = (
        "title",
        "date",
        "start_time",
        "end_time",
        "participants",
        "platform",
        "recording",
        "live_stream",
        "notes",
    )
    attachments_label = _("เอกสารประกอบ (ถ้ามี) เช่น หนังสือขอความอนุเคราะห์ กำหนดการ")

    title = forms.CharField(label=_("ชื่อการประชุม / กิจกรรม"), max_length=255)
    date = BEDateField(label=_("วันที่"), help_text=_("วัน/เดือน/ปี พ.ศ. เช่น 15/01/2570"))
    start_time = forms.TimeField(
        label=_("เวลาเริ่ม"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"invalid": _("กรุณากรอกเวลา เช่น 09:00")},
    )
    end_time = forms.TimeField(
        label=_("เวลาสิ้นสุด"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"invalid": _("กรุณากรอกเวลา เช่น 12:00")},
    )
    participants = forms.IntegerField(
        label=_("จำนวนผู้เข้าร่วม (คน)"),
        min_value=1,
        max_value=10000,
        error_messages={
            "invalid": _("กรุณากรอกจำนวนเป็นตัวเลข"),
            "min_value": _("จำนวนผู้เข้าร่วมต้องมีอย่างน้อย 1 คน"),
            "max_value": _("จำนวนผู้เข้าร่วมต้องไม่เกิน 10,000 คน"),
        },
    )
    platform = forms.ChoiceField(label=_("ระบบที่ต้องการ"), choices=PLATFORMS)
    recording = forms.BooleanField(
        label=_("ต้องการสิทธิ์บันทึกการประชุม / สิทธิ์ผู้ควบคุม (Host)"), required=False
    )
    live_stream = forms.BooleanField(label=_("ต้องการถ่ายทอดสด"), required=False)
    notes = forms.CharField(
        label=_("หมายเหตุ"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    #: How far ahead a booking may be made.
    BOOKING_HORIZON_DAYS = 2 * 365

    def clean_date(self):
        date = self.cleaned_data["date"]
        today = timezone.localdate()
        if date < today:
            raise ValidationError(_("วันที่ต้องไม่เป็นวันที่ผ่านมาแล้ว"), code="past")
        if date > today + dt.timedelta(days=self.BOOKING_HORIZON_DAYS):
            raise ValidationError(_("จองล่วงหน้าได้ไม่เกิน 2 ปี กรุณาตรวจสอบปี พ.ศ. ที่กรอก"), code="too_far")
        return date

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("เวลาสิ้นสุดต้องหลังเวลาเริ่ม"))
        return cleaned


class RepairForm(RequestForm):
    kind = FormKind.REPAIR
    kind_fields = ("category", "asset_number", "location", "symptom")
    attachments_label = _("รูปถ่ายอาการ (ถ้ามี)")

    CATEGORIES = [
        ("computer", _("คอมพิวเตอร์")),
        ("printer", _("เครื่องพิมพ์")),
        ("network", _("ระบบเครือข่าย")),
        ("internet", _("อินเทอร์เน็ต")),
        ("software", _("ซอฟต์แวร์ / โปรแกรม")),
    ]
    category = forms.ChoiceField(label=_("ประเภทปัญหา"), choices=CATEGORIES)
    asset_number = forms.CharField(label=_("เลขครุภัณฑ์ (ถ้ามี)"), required=False, max_length=255)
    location = forms.CharField(label=_("สถานที่ / ห้อง"), max_length=255)
    symptom = forms.CharField(
        label=_("อาการที่พบ"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class InformationForm(RequestForm):
    kind = FormKind.INFORMATION
    kind_fields = ("category", "data_wanted", "purpose", "data_format", "delivery")
    attachments_label = _("เอกสารประกอบ (ถ้ามี)")

    # The category sets the first target (the standard: 15 minutes / 1 working day).
    CATEGORIES = [
        ("simple", _("ข้อมูลที่มีอยู่แล้ว ไม่ซับซ้อน")),
        ("complex", _("คำขอซับซ้อน ต้องประมวลผลจากฐานข้อมูล")),
    ]
    category = forms.ChoiceField(label=_("ลักษณะคำขอ"), choices=CATEGORIES, initial="simple")

    FORMATS = [
        ("excel", _("ไฟล์ Excel")),
        ("pdf", _("ไฟล์ PDF")),
        ("word", _("ไฟล์ Word")),
        ("paper", _("เอกสารพิมพ์")),
        ("other", _("อื่น ๆ")),
    ]
    DELIVERY = [
        ("email", _("อีเมล")),
        ("line", _("LINE")),
        ("pickup", _("รับด้วยตนเอง")),
        ("letter", _("หนังสือราชการ")),
    ]
    data_wanted = forms.CharField(
        label=_("ข้อมูลที่ต้องการ"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    purpose = forms.CharField(
        label=_("วัตถุประสงค์การนำไปใช้"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    data_format = forms.ChoiceField(label=_("รูปแบบข้อมูล"), choices=FORMATS)
    delivery = forms.ChoiceField(label=_("ช่องทางรับข้อมูล"), choices=DELIVERY)


class GeneralForm(RequestForm):
    kind = FormKind.GENERAL
    kind_fields = ("subject", "details")

    subject = forms.CharField(label=_("เรื่อง"), max_length=255)
    details = forms.CharField(
        label=_("รายละเอียด"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )


FORMS = {form.kind: form for form in (BookingForm, RepairForm, InformationForm, GeneralForm)}


def form_class_for(kind):
    return FORMS.get(kind, GeneralForm)


def build_form(page, data=None, files=None):
    return form_class_for(page.form_kind)(data, files, page=page)


def answer_items(ticket):
    """[(label, readable value), ...] of a ticket's answers, for people to read."""
    form_class = form_class_for(ticket.form_kind)
    items = []
    for name in form_class.kind_fields:
        if name not in ticket.answers:
            continue
        field = form_class.base_fields[name]
        items.append((field.label, _readable(field, ticket.answers[name])))
    for extra in ticket.answers.get("extra", []):
        items.append((extra.get("label", ""), _readable(None, extra.get("value"))))
    return items


def _readable(field, value):
    if value in (None, "", []):
        return "–"
    if isinstance(value, bool):
        return _("ต้องการ") if value else _("ไม่ต้องการ")
    if field is not None and getattr(field, "choices", None):
        return dict(field.choices).get(value, value)
    if field is not None and isinstance(field, forms.DateField):
        from home.thai import thai_date

        return thai_date(dt.date.fromisoformat(value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value
