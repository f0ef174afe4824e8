"""The staff submission form: title, summary, body, attachments, section."""

from django import forms
from django.utils.translation import gettext_lazy as _

from publishing.submission import clean_body, is_future
from publishing.workflow import publication_sections
from services.core.uploads import MultipleFileField


class SectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class SubmissionForm(forms.Form):
    section = SectionChoiceField(
        label=_("เผยแพร่ในหมวด"),
        queryset=publication_sections(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("กรุณาเลือกหมวด")},
    )
    title = forms.CharField(
        label=_("หัวเรื่อง"), max_length=255, error_messages={"required": _("กรุณากรอกหัวเรื่อง")}
    )
    summary = forms.CharField(
        label=_("สรุปย่อ"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("หนึ่งถึงสองประโยค แสดงในหน้ารวมข่าว (ไม่เกิน 500 ตัวอักษร)"),
        error_messages={"required": _("กรุณากรอกสรุปย่อ")},
    )
    body = forms.CharField(
        label=_("เนื้อหา"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("พิมพ์ข้อความได้เลย เว้นบรรทัดเพื่อขึ้นย่อหน้าใหม่ ใช้ตัวหนา ตัวเอียง รายการ และลิงก์ได้"),
        error_messages={"required": _("กรุณากรอกเนื้อหา")},
    )
    attachments = MultipleFileField(
        label=_("เอกสารแนบ"),
        required=False,
        help_text=_("ไม่เกิน 5 ไฟล์ ชนิด PDF, DOCX, XLSX, JPG หรือ PNG"),
    )
    go_live_at = forms.DateTimeField(
        label=_("เผยแพร่ตั้งแต่"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("เว้นว่างไว้เพื่อเผยแพร่ทันทีเมื่อผ่านการอนุมัติ"),
        error_messages={"invalid": _("รูปแบบวันเวลาไม่ถูกต้อง")},
    )

    def clean_body(self):
        cleaned = clean_body(self.cleaned_data["body"])
        if not cleaned:
            raise forms.ValidationError(_("กรุณากรอกเนื้อหา"))
        return cleaned

    def clean_go_live_at(self):
        moment = self.cleaned_data.get("go_live_at")
        if not is_future(moment):
            raise forms.ValidationError(_("เวลาเผยแพร่ต้องเป็นเวลาในอนาคต"))
        return moment

    def clean_attachments(self):
        # Type, content and size are checked by the one upload validator
        # (services.core.uploads); the count per request is checked there too.
        return self.cleaned_data.get("attachments") or []
