"""The staff submission form: title, summary, body, attachments, section."""

import os

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from services.forms import MultipleFileInput

from .submission import clean_body, is_future
from .workflow import publication_sections

MAX_FILES = 5


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class SectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class SubmissionForm(forms.Form):
    section = SectionChoiceField(
        label=_("เผยแพร่ในหมวด"), queryset=publication_sections(), empty_label=None,
        widget=forms.RadioSelect, error_messages={"required": _("กรุณาเลือกหมวด")})
    title = forms.CharField(label=_("หัวเรื่อง"), max_length=255,
                            error_messages={"required": _("กรุณากรอกหัวเรื่อง")})
    summary = forms.CharField(
        label=_("สรุปย่อ"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("หนึ่งถึงสองประโยค แสดงในหน้ารวมข่าว (ไม่เกิน 500 ตัวอักษร)"),
        error_messages={"required": _("กรุณากรอกสรุปย่อ")})
    body = forms.CharField(
        label=_("เนื้อหา"), widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("พิมพ์ข้อความได้เลย เว้นบรรทัดเพื่อขึ้นย่อหน้าใหม่ "
                    "ใช้ตัวหนา ตัวเอียง รายการ และลิงก์ได้"),
        error_messages={"required": _("กรุณากรอกเนื้อหา")})
    attachments = MultipleFileField(
        label=_("เอกสารแนบ"), required=False,
        help_text=_("ไม่เกิน 5 ไฟล์ ชนิด PDF, DOCX, XLSX, PPTX, ODT, ODS, CSV, TXT หรือ ZIP"))
    go_live_at = forms.DateTimeField(
        label=_("เผยแพร่ตั้งแต่"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                   format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("เว้นว่างไว้เพื่อเผยแพร่ทันทีเมื่อผ่านการอนุมัติ"),
        error_messages={"invalid": _("รูปแบบวันเวลาไม่ถูกต้อง")})

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
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("แนบได้ไม่เกิน 5 ไฟล์"))
        allowed = {ext.lower() for ext in settings.WAGTAILDOCS_EXTENSIONS}
        limit = settings.WAGTAILDOCS_MAX_UPLOAD_SIZE
        for upload in files:
            ext = os.path.splitext(upload.name)[1].lstrip(".").lower()
            if ext not in allowed:
                raise forms.ValidationError(
                    _("ไฟล์ %(name)s เป็นชนิดที่ไม่รับ") % {"name": upload.name})
            if upload.size > limit:
                raise forms.ValidationError(
                    _("ไฟล์ %(name)s ใหญ่เกิน %(limit)s")
                    % {"name": upload.name, "limit": filesizeformat(limit)})
        return files
