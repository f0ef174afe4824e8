"""Attachments: only PDF, DOCX, XLSX, JPG, PNG by content; size and count limits; access."""

import pytest
from django.contrib.auth.models import Group, User

from services.catalogue.models import ServicePage
from services.core.uploads import sniff
from services.tickets.models import Ticket
from tests.services_data import (
    docx_bytes,
    exe_bytes,
    form_data,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.usefixtures("fresh_cache")


def post_general(client, *files):
    page = ServicePage.objects.get(slug="website-publication")
    data = form_data("general")
    data["attachments"] = list(files)
    return client.post(page.url, data)


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("a.pdf", pdf_bytes(), "pdf"),
        ("b.docx", docx_bytes(), "docx"),
        ("c.xlsx", xlsx_bytes(), "xlsx"),
        ("d.jpg", jpeg_bytes(), "jpg"),
        ("e.png", png_bytes(), "png"),
        ("f.pdf", exe_bytes(), None),
        ("g.docx", b"PK\x03\x04 not really a zip", None),
    ],
)
def test_type_is_read_from_the_content(name, content, expected):
    assert sniff(upload(name, content)) == expected


def test_all_five_allowed_types_are_accepted(client, catalogue):
    files = [
        upload("ประกาศ.pdf", pdf_bytes()),
        upload("ร่าง.docx", docx_bytes()),
        upload("ข้อมูล.xlsx", xlsx_bytes()),
        upload("ภาพ.JPG", jpeg_bytes()),
        upload("ภาพ2.png", png_bytes()),
    ]
    response = post_general(client, *files)
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = Ticket.objects.get().attachments.order_by("pk")
    assert [a.content_type for a in stored] == [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "image/jpeg",
        "image/png",
    ]


@pytest.mark.parametrize(
    "file, reason",
    [
        (lambda: upload("setup.exe", exe_bytes()), "เป็นชนิดที่ไม่รับ"),
        (lambda: upload("ใบเสนอราคา.pdf", exe_bytes(), "application/pdf"), "ไม่ใช่ไฟล์ PDF"),
        (lambda: upload("รูป.png", jpeg_bytes(), "image/png"), "ไม่ใช่ไฟล์ PNG"),
        (lambda: upload("sheet.xlsx", docx_bytes()), "ไม่ใช่ไฟล์ Excel (XLSX)"),
        (lambda: upload("notes.txt", b"hello"), "เป็นชนิดที่ไม่รับ"),
    ],
)
def test_wrong_and_spoofed_types_are_refused_with_the_reason(client, catalogue, file, reason):
    response = post_general(client, file())
    text = response.content.decode()
    assert response.status_code == 400
    assert reason in text
    assert "กรุณาเลือกไฟล์แนบใหม่อีกครั้ง" in text
    assert "ขอเผยแพร่ประกาศรับสมัครครูอัตราจ้าง" in text  # what was typed is kept
    assert not Ticket.objects.exists()


def test_oversize_file_is_refused(client, catalogue, settings):
    settings.SERVICE_ATTACHMENT_MAX_BYTES = 1024
    big = upload("ภาพใหญ่.png", png_bytes() + b"\x00" * 2048, "image/png")
    response = post_general(client, big)
    text = response.content.decode()
    assert response.status_code == 400
    assert "เกินกำหนด 1.0\xa0KB ต่อไฟล์" in text
    assert not Ticket.objects.exists()


def test_default_limits_are_ten_megabytes_and_five_files(settings):
    assert settings.SERVICE_ATTACHMENT_MAX_BYTES == 10 * 1024 * 1024
    assert settings.SERVICE_ATTACHMENT_MAX_FILES == 5


def test_more_than_five_files_are_refused(client, catalogue):
    files = [upload(f"p{i}.png", png_bytes()) for i in range(6)]
    response = post_general(client, *files)
    assert response.status_code == 400
    assert "แนบไฟล์ได้ไม่เกิน 5 ไฟล์ต่อคำขอ" in response.content.decode()
    assert not Ticket.objects.exists()


@pytest.fixture
def ticket_with_file(client, catalogue):
    response = post_general(client, upload("ประกาศ.pdf", pdf_bytes()))
    assert response.status_code == 302
    return Ticket.objects.get()


def test_tracking_link_holder_can_open_the_attachment(client, ticket_with_file):
    ticket = ticket_with_file
    attachment = ticket.attachments.get()
    url = f"/track/{ticket.reference}/{ticket.tracking_token}/files/{attachment.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert (
        client.get(f"/track/{ticket.reference}/{'x' * 43}/files/{attachment.pk}/").status_code
        == 404
    )


def test_only_officers_open_attachments_by_id(client, ticket_with_file):
    attachment = ticket_with_file.attachments.get()
    url = f"/desk/attachments/{attachment.pk}/"
    client.logout()
    assert client.get(url).status_code == 404
    outsider = User.objects.create_user("staff1", password="x")
    outsider.groups.add(Group.objects.get_or_create(name="Staff")[0])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    officer = User.objects.create_user("officer1", password="x")
    officer.groups.add(Group.objects.get_or_create(name="Officers")[0])
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    admin = User.objects.create_superuser("root", password="x")
    client.force_login(admin)
    assert client.get(url).status_code == 200


def test_attachments_are_not_under_the_public_media_url(ticket_with_file, client, settings):
    attachment = ticket_with_file.attachments.get()
    assert "ประกาศ" not in attachment.file.name
    assert client.get(settings.MEDIA_URL + attachment.file.name).status_code == 404
