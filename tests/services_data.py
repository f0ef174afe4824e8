"""Valid request data for each form kind and small real files, shared by the tests."""

import datetime as dt
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

REQUESTER = {
    "requester_name": "สมหญิง ตัวอย่าง",
    "requester_org": "โรงเรียนบ้านหนองตัวอย่าง",
    "requester_phone": "081 234 5678",
    "requester_email": "somying@example.com",
    "consent": "on",
}


def kind_data(kind):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    return {
        "booking": {
            "title": "ประชุมผู้บริหารสถานศึกษา",
            "date": tomorrow,
            "start_time": "09:00",
            "end_time": "12:00",
            "participants": "45",
            "platform": "zoom",
            "recording": "on",
            "notes": "ขอสิทธิ์ Host",
        },
        "repair": {
            "category": "computer",
            "asset_number": "7440-001-0001/62",
            "location": "ห้องธุรการ ชั้น 2",
            "symptom": "เปิดเครื่องไม่ติด มีเสียงดังปี๊บ",
        },
        "information": {
            "category": "simple",
            "data_wanted": "จำนวนนักเรียนแยกตามชั้น ปีการศึกษา 2569",
            "purpose": "ประกอบการจัดทำแผนปฏิบัติการ",
            "data_format": "excel",
            "delivery": "email",
        },
        "general": {
            "subject": "ขอเผยแพร่ประกาศรับสมัครครูอัตราจ้าง",
            "details": "แนบไฟล์ประกาศสำหรับเผยแพร่บนเว็บไซต์",
        },
    }[kind]


def form_data(kind, **overrides):
    return {**REQUESTER, **kind_data(kind), **overrides}


def png_bytes(size=(8, 8), color=(200, 30, 30)):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def pdf_bytes():
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def xlsx_bytes():
    import openpyxl

    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "จำนวนนักเรียน"
    workbook.save(buffer)
    return buffer.getvalue()


def exe_bytes():
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
