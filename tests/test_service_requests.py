"""Each form kind becomes a ticket with the service's steps and targets, copied at submission."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from services.catalogue.models import ServiceFormField, ServicePage
from services.core.clock import get_clock
from services.core.models import OutboxMessage
from services.requests.forms import build_form
from services.requests.submission import submit_form
from services.tickets.models import Ticket, TicketStep
from tests.services_data import form_data, png_bytes, upload

BKK = ZoneInfo("Asia/Bangkok")
# A Tuesday with no Thai holiday near it.
TUESDAY_10 = dt.datetime(2026, 11, 24, 10, 0, tzinfo=BKK)

pytestmark = pytest.mark.usefixtures("fresh_cache")


def service(slug):
    return ServicePage.objects.get(slug=slug)


def submit(page, kind, now=TUESDAY_10, files=None, **overrides):
    form = build_form(page, form_data(kind, **overrides), files or {})
    assert form.is_valid(), form.errors
    return submit_form(page, form, language="th", now=now)


EXPECTED = {
    # slug: (kind, [(title start, amount, unit, mode, label)], due of step 1)
    "zoom-meeting-room": (
        "booking",
        [
            ("รับเรื่อง", 10, "minutes", "working", ""),
            ("พิจารณา", 10, "minutes", "working", ""),
            ("ขอสิทธิ์", None, "", "working", "ตามกำหนดการ"),
            ("รายงาน", 20, "minutes", "working", ""),
        ],
        dt.datetime(2026, 11, 24, 10, 10, tzinfo=BKK),
    ),
    "computer-internet-repair": (
        "repair",
        [
            ("ตรวจสอบและแก้ไข", 1, "days", "working", ""),
            ("แจ้งผล", None, "", "working", "เมื่อแก้ไขเสร็จ"),
        ],
        dt.datetime(2026, 11, 25, 10, 0, tzinfo=BKK),
    ),
    "education-information": (
        "information",
        [
            ("ตอบกลับ", 15, "minutes", "working", ""),
        ],
        dt.datetime(2026, 11, 24, 10, 15, tzinfo=BKK),
    ),
    "website-publication": (
        "general",
        [
            ("ผู้ขอจัดเตรียม", 1, "days", "working", ""),
            ("กรอกแบบฟอร์ม", 1, "hours", "working", ""),
            ("เสนอรองผู้อำนวยการ", 1, "days", "working", ""),
            ("ผู้มีอำนาจลงนาม", 1, "days", "working", ""),
            ("เจ้าหน้าที่จัดทำ", 1, "days", "working", ""),
            ("ตรวจสอบความถูกต้อง", 1, "days", "working", ""),
            ("เผยแพร่", 1, "days", "working", ""),
        ],
        # The requester prepares the files first: the office's clock waits.
        None,
    ),
}


@pytest.mark.parametrize("slug", EXPECTED)
def test_each_form_kind_creates_a_ticket_with_the_standard_steps(catalogue, slug):
    kind, steps, first_due = EXPECTED[slug]
    page = service(slug)
    assert page.form_kind == kind
    ticket = submit(page, kind)

    assert ticket.reference == "ICT-2570-000001"  # 24 Nov 2026 is in fiscal year B.E. 2570
    assert ticket.fiscal_year == 2570 and ticket.sequence == 1
    assert ticket.service_code == page.code and ticket.service_title == page.title
    assert ticket.form_kind == kind and ticket.status == Ticket.Status.OPEN
    assert ticket.requester_email == "somying@example.com"
    assert ticket.consent_at == TUESDAY_10
    assert len(ticket.tracking_token) >= 40
    got = [
        (s.title, s.target_amount, s.target_unit, s.target_mode, s.target_label)
        for s in ticket.steps.all()
    ]
    assert len(got) == len(steps)
    for (title, *target), (prefix, *expected) in zip(got, steps, strict=True):
        assert title.startswith(prefix)
        assert target == expected
    first = ticket.steps.get(position=1)
    assert first.status == TicketStep.Status.ACTIVE
    assert first.started_at == TUESDAY_10
    assert first.due_at == first_due
    assert ticket.current_step == first
    assert not ticket.steps.exclude(position=1).exclude(status=TicketStep.Status.PENDING).exists()
    for key, value in form_data(kind).items():
        if key in ticket.answers and key not in ("recording",):
            assert str(ticket.answers[key]) == value


def test_booking_answers_are_typed(catalogue):
    ticket = submit(service("zoom-meeting-room"), "booking")
    assert ticket.answers["recording"] is True
    assert ticket.answers["live_stream"] is False
    assert ticket.answers["participants"] == 45
    assert ticket.answers["start_time"] == "09:00"


def test_alternative_targets_are_copied(catalogue):
    ticket = submit(service("computer-internet-repair"), "repair")
    labels = {
        alt["label"]: (alt["amount"], alt["unit"])
        for alt in ticket.steps.get(position=1).alternatives
    }
    assert labels["ส่งซ่อมร้านภายนอก"] == (2, "days")
    assert labels["ปัญหาจากผู้ให้บริการ"] == (6, "hours")
    info = submit(service("education-information"), "information")
    assert info.steps.get(position=1).alternatives[0]["label"] == "คำขอซับซ้อน"


def test_untimed_first_step_has_no_due_time(catalogue):
    page = service("website-publication")
    page.steps = [
        {
            "type": "step",
            "value": {
                "title": "รอตามกำหนดการ",
                "kind": "work",
                "role": "officer",
                "target_label": "ตามกำหนดการ",
                "alternatives": [],
            },
        }
    ]
    page.save_revision().publish()
    ticket = submit(ServicePage.objects.get(pk=page.pk), "general")
    step = ticket.steps.get()
    assert step.status == TicketStep.Status.ACTIVE and step.due_at is None
    assert step.target_text == "ตามกำหนดการ"


def test_editing_the_page_later_leaves_submitted_tickets_unchanged(catalogue):
    page = service("zoom-meeting-room")
    ticket = submit(page, "booking")
    before = list(ticket.steps.values_list("title", "target_amount", "target_unit", "due_at"))

    page.steps = [
        {
            "type": "step",
            "value": {
                "title": "ขั้นตอนใหม่ที่แก้ไขภายหลัง",
                "kind": "intake",
                "role": "officer",
                "target_amount": 2,
                "target_unit": "days",
                "target_mode": "working",
                "alternatives": [],
            },
        }
    ]
    page.title = "ชื่อบริการใหม่"
    page.save_revision().publish()

    ticket.refresh_from_db()
    assert (
        list(ticket.steps.values_list("title", "target_amount", "target_unit", "due_at")) == before
    )
    assert ticket.service_title == "ขอใช้ห้องประชุมออนไลน์ผ่าน Zoom"
    newer = submit(ServicePage.objects.get(pk=page.pk), "booking")
    assert list(newer.steps.values_list("title", flat=True)) == ["ขั้นตอนใหม่ที่แก้ไขภายหลัง"]


def test_references_count_up_and_restart_each_fiscal_year(catalogue):
    page = service("education-information")
    first = submit(page, "information", now=dt.datetime(2026, 9, 30, 15, 0, tzinfo=BKK))
    second = submit(page, "information", now=dt.datetime(2026, 9, 30, 15, 5, tzinfo=BKK))
    october = submit(page, "information", now=dt.datetime(2026, 10, 1, 9, 0, tzinfo=BKK))
    assert [first.reference, second.reference, october.reference] == [
        "ICT-2569-000001",
        "ICT-2569-000002",
        "ICT-2570-000001",
    ]


def test_current_step_moves_on_and_expected_times_chain(catalogue):
    ticket = submit(service("zoom-meeting-room"), "booking")
    plan = ticket.expected_schedule()
    assert plan[0][1] == dt.datetime(2026, 11, 24, 10, 10, tzinfo=BKK)
    assert plan[1][1] == dt.datetime(2026, 11, 24, 10, 20, tzinfo=BKK)
    assert plan[2][1] is None  # "ตามกำหนดการ"
    assert plan[3][1] == dt.datetime(2026, 11, 24, 10, 40, tzinfo=BKK)
    first = ticket.steps.get(position=1)
    first.status, first.done_at = TicketStep.Status.DONE, TUESDAY_10
    first.save()
    second = ticket.steps.get(position=2)
    due = second.start(TUESDAY_10 + dt.timedelta(minutes=5))
    assert due == get_clock().add(TUESDAY_10 + dt.timedelta(minutes=5), 10, "minutes")
    assert ticket.current_step == second


def test_confirmation_email_is_queued_in_the_same_transaction(catalogue):
    ticket = submit(service("computer-internet-repair"), "repair")
    message = OutboxMessage.objects.get(key=f"ticket:{ticket.pk}:submitted")
    assert message.to == ["somying@example.com"]
    assert ticket.reference in message.subject
    assert "http://127.0.0.1:8000/track/" + ticket.reference + "/" + ticket.tracking_token in (
        message.body
    )
    assert "1 วันทำการ" in message.body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_view_submission_redirects_to_confirmation_and_mails_after_commit(client, catalogue):
    page = service("computer-internet-repair")
    data = form_data("repair")
    data["attachments"] = [upload("อาการ.png", png_bytes(), "image/png")]
    response = client.post(page.url, data)
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.get_tracking_url() not in response["Location"]
    assert ticket.tracking_token in response["Location"]
    page_response = client.get(response["Location"])
    text = page_response.content.decode()
    assert page_response.status_code == 200
    assert ticket.reference in text and ticket.get_tracking_url() in text
    assert "1 วันทำการ" in text
    assert "กำหนดเสร็จ" in text
    assert ticket.attachments.get().original_name == "อาการ.png"
    # Delivered by the (synchronous in tests) Django-Q2 task after the commit.
    # One "received" message for the requester (officers hear of the new ticket apart).
    to_requester = [m for m in mail.outbox if ticket.requester_email in m.to]
    assert len(to_requester) == 1
    assert ticket.reference in to_requester[0].subject
    assert ticket.get_absolute_tracking_url() in to_requester[0].body


def test_english_requester_gets_english_email(
    client, catalogue, django_capture_on_commit_callbacks
):
    client.cookies["django_language"] = "en"
    page = service("education-information")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page.url, form_data("information"))
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.language == "en"
    assert mail.outbox[0].subject.startswith("Request received")


def test_extra_fields_from_the_admin_are_asked_and_kept(client, catalogue):
    page = service("zoom-meeting-room")
    ServiceFormField.objects.create(
        page=page, label="ชื่อผู้ควบคุมการประชุม", field_type="singleline", required=True
    )
    response = client.get(page.url)
    assert "ชื่อผู้ควบคุมการประชุม" in response.content.decode()
    bad = client.post(page.url, form_data("booking"))
    assert bad.status_code == 400
    assert not Ticket.objects.exists()
    name = "extra_" + page.form_fields.get().clean_name
    ok = client.post(page.url, form_data("booking", **{name: "ครูวิชัย"}))
    assert ok.status_code == 302
    extra = Ticket.objects.get().answers["extra"]
    assert extra == [{"name": name[len("extra_") :], "label": "ชื่อผู้ควบคุมการประชุม", "value": "ครูวิชัย"}]


def test_form_errors_are_thai_beside_the_field_and_keep_what_was_typed(client, catalogue):
    page = service("zoom-meeting-room")
    data = form_data("booking", end_time="08:00", requester_email="not-an-email", consent="")
    data.pop("consent")
    response = client.post(page.url, data)
    text = response.content.decode()
    assert response.status_code == 400
    assert "เวลาสิ้นสุดต้องหลังเวลาเริ่ม" in text
    assert "กรุณากรอกอีเมลให้ถูกต้อง" in text
    assert "กรุณาให้ความยินยอมก่อนส่งคำขอ" in text
    for typed in (
        "ประชุมผู้บริหารสถานศึกษา",
        "โรงเรียนบ้านหนองตัวอย่าง",
        "not-an-email",
        "081 234 5678",
        "ขอสิทธิ์ Host",
        'value="45"',
    ):
        assert typed in text
    assert not Ticket.objects.exists()


def test_missing_fields_and_nonsense_never_give_a_500(client, catalogue):
    page = service("computer-internet-repair")
    for data in (
        {},
        {"category": "rocket", "participants": "x"},
        {"requester_email": "a" * 5000},
        form_data("repair", symptom=""),
    ):
        response = client.post(page.url, data)
        assert response.status_code == 400
        assert "form-field--error" in response.content.decode()
    assert client.post(page.url + "?x=1", {"date": "31/02/2569"}).status_code == 400
    assert not Ticket.objects.exists()


def test_past_booking_date_is_refused(client, catalogue):
    response = client.post(service("video-conference").url, form_data("booking", date="2020-01-01"))
    assert response.status_code == 400
    assert "วันที่ต้องไม่เป็นวันที่ผ่านมาแล้ว" in response.content.decode()


def test_honeypot_creates_no_ticket(client, catalogue):
    response = client.post(
        service("education-information").url,
        form_data("information", website="http://spam.example"),
    )
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_form_needs_csrf(catalogue):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(service("education-information").url, form_data("information"))
    assert response.status_code == 403
    assert not Ticket.objects.exists()


def test_consent_links_to_the_privacy_notice(client, catalogue):
    text = client.get(service("education-information").url).content.decode()
    assert 'href="/privacy/"' in text
    assert "ยินยอม" in text


def test_upload_of_a_photo_is_stored_under_a_random_name(catalogue, settings):
    page = service("computer-internet-repair")
    files = {"attachments": [upload("รูปเครื่องเสีย.png", png_bytes(), "image/png")]}
    ticket = submit(page, "repair", files=files)
    attachment = ticket.attachments.get()
    assert attachment.content_type == "image/png"
    assert "รูปเครื่องเสีย" not in attachment.file.name
    assert attachment.file.name.endswith(".png")
    assert attachment.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    with attachment.file.open("rb") as handle:
        assert handle.read() == png_bytes()


def test_a_buddhist_era_date_is_read_as_be_and_shown_back_in_thai(client, catalogue):
    from services.requests.forms import answer_items

    page = service("video-conference")
    response = client.post(page.url, form_data("booking", date="15/01/2570"))
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.answers["date"] == "2027-01-15"
    assert ("วันที่", "15 มกราคม 2570") in [(str(k), str(v)) for k, v in answer_items(ticket)]


@pytest.mark.parametrize(
    "typed,message",
    [
        ("15/01/2563", "วันที่ต้องไม่เป็นวันที่ผ่านมาแล้ว"),
        ("15/01/2575", "จองล่วงหน้าได้ไม่เกิน 2 ปี"),
        ("15/01/3112", "จองล่วงหน้าได้ไม่เกิน 2 ปี"),
        ("31/02/2570", "กรุณากรอกวันที่เป็น วัน/เดือน/ปี พ.ศ."),
        ("<script>alert(1)</script>", "กรุณากรอกวันที่เป็น วัน/เดือน/ปี พ.ศ."),
        ("9" * 300, "กรุณากรอกวันที่เป็น วัน/เดือน/ปี พ.ศ."),
    ],
)
def test_a_booking_date_out_of_range_is_refused_in_thai_keeping_the_input(
    client, catalogue, typed, message
):
    response = client.post(service("video-conference").url, form_data("booking", date=typed))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    from django.utils.html import escape

    assert f'value="{escape(typed)}"' in body
    assert not Ticket.objects.exists()
