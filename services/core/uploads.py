"""What a requester may attach: the type is read from the file's content.

The name's extension must agree with what the first bytes say; an .exe
renamed .pdf starts with "MZ", not "%PDF-", and is refused.
"""

from __future__ import annotations

import zipfile
from typing import IO, TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

# extension -> (name people know, content type)
ALLOWED = {
    "pdf": ("PDF", "application/pdf"),
    "docx": (
        "Word (DOCX)",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": ("Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "jpg": ("JPG", "image/jpeg"),
    "jpeg": ("JPG", "image/jpeg"),
    "png": ("PNG", "image/png"),
}
ACCEPT_ATTR = ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"
REQUIRED = gettext_lazy("กรุณากรอกข้อมูลช่องนี้")


def sniff(upload: UploadedFile | IO[bytes]) -> str | None:
    """The extension family the content really is ('pdf', 'docx', ...), or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            if any(name.startswith("word/") for name in names):
                return "docx"
            if any(name.startswith("xl/") for name in names):
                return "xlsx"
    return None


def validate_upload(upload: UploadedFile) -> tuple[str, str]:
    """Raise ValidationError with the reason, or return (content type, extension)."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    max_bytes = settings.SERVICE_ATTACHMENT_MAX_BYTES
    if extension not in ALLOWED:
        raise ValidationError(
            _("ไฟล์ “%(name)s” เป็นชนิดที่ไม่รับ (รับเฉพาะ PDF, DOCX, XLSX, JPG และ PNG)"),
            code="type",
            params={"name": name},
        )
    if upload.size > max_bytes:
        raise ValidationError(
            _("ไฟล์ “%(name)s” มีขนาด %(size)s เกินกำหนด %(max)s ต่อไฟล์"),
            code="size",
            params={
                "name": name,
                "size": filesizeformat(upload.size),
                "max": filesizeformat(max_bytes),
            },
        )
    real = sniff(upload)
    expected = "jpg" if extension == "jpeg" else extension
    if real != expected:
        raise ValidationError(
            _("เนื้อหาของไฟล์ “%(name)s” ไม่ใช่ไฟล์ %(kind)s ตามที่ชื่อไฟล์ระบุ"),
            code="content",
            params={"name": name, "kind": ALLOWED[extension][0]},
        )
    return ALLOWED[extension][1], expected


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by ``validate_upload``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTR}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(REQUIRED, code="required")
            return []
        limit = settings.SERVICE_ATTACHMENT_MAX_FILES
        if len(files) > limit:
            raise ValidationError(
                _("แนบไฟล์ได้ไม่เกิน %(max)s ไฟล์ต่อคำขอ"), code="count", params={"max": limit}
            )
        errors = []
        for upload in files:
            try:
                validate_upload(upload)
            except ValidationError as exc:
                errors.extend(exc.error_list)
        if errors:
            raise ValidationError(errors)
        return files
