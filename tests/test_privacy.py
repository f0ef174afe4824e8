"""PDPA: the accepted notice version, anonymisation after the retention period
(reports unchanged), and a person's export and erasure with audit entries."""

import io
import json
import os
import secrets

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from services.core.models import OutboxMessage, PersonalDataRequest, PrivacyNotice
from services.privacy import retention
from services.reports.build import build_report
from services.reports.period import Period
from services.tickets import moves
from services.tickets.creation import open_ticket
from services.tickets.models import Ticket, TicketMessage

from .desk_helpers import desk_users
from .reporting import answer, at, make_service
from .services_data import png_bytes, upload

OLD = at(2020, 3, 2)  # fiscal year 2563
NOW = at(2026, 5, 1)


def person(n):
    return {
        "name": f"นายบุคคลทดสอบ{n} นามสกุลพิเศษ{n}",
        "email": f"person{n}.private@school{n}.example.ac.th",
        "phone": f"08{n}-555-01{n}{n}",
        "line": f"U{n}f00dfeedbeefcafe{n}0123456789abcd",
        "answer": f"รายละเอียดส่วนตัวของบุคคล{n} ห้อง 30{n}",
        "note": f"บันทึกถึงบุคคล{n} เบอร์ลับ",
        "message": f"ข้อความตอบบุคคล{n} เท่านั้น",
        "comment": f"ข้อเสนอแนะส่วนตัวบุคคล{n}",
        # Files outlive a test's database rollback: a fresh tag keeps tests apart.
        "file": f"PERSONAL-FILE-{n}-{secrets.token_hex(6)}-".encode() * 4,
    }


def file_for(data):
    # A PNG with the person's bytes appended: a valid image that carries them.
    return upload("บัตรประชาชน.png", png_bytes() + data["file"], "image/png")


def requester_of(data, email=None):
    """The requester fields a form gives for ``data``'s person."""
    return {
        "requester_name": data["name"],
        "requester_email": email or data["email"],
        "requester_phone": data["phone"],
        "requester_org": "โรงเรียนทดสอบ",
    }


def filed(service, data, when, status="close", email=None):
    ticket = open_ticket(
        service,
        requester_of(data, email),
        {"details": data["answer"]},
        files=[file_for(data)],
        now=when,
    )
    Ticket.objects.filter(pk=ticket.pk).update(line_user_id=data["line"])
    TicketMessage.objects.create(ticket=ticket, body=data["message"], is_public=True)
    ticket.steps.filter(position=1).update(note=data["note"])
    answer(service, (5, 4, 5, 4, 5), when=when, ticket=ticket, comment=data["comment"])
    OutboxMessage.objects.create(
        key=f"ticket:{ticket.pk}:line:status",
        kind="line_status",
        channel=OutboxMessage.Channel.LINE,
        to=[data["line"]],
        subject="status",
        body=f"{data['name']} status",
    )
    if status == "close":
        finish(ticket, when)
    return Ticket.objects.get(pk=ticket.pk)


_users = {}


def finish(ticket, when):
    admin = desk_users_cache()["admin"]
    ticket.refresh_from_db()
    moves.resolve(ticket, admin, note="เสร็จแล้ว", now=when)
    moves.close(ticket, admin, now=when)


def desk_users_cache():
    if (
        not _users.get("admin")
        or not type(_users["admin"]).objects.filter(pk=_users["admin"].pk).exists()
    ):
        _users.clear()
        _users.update(desk_users())
    return _users


def database_text():
    """Every row of every table as text (Thai kept as is)."""
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return json.dumps(json.loads(out.getvalue()), ensure_ascii=False)


def files_text():
    chunks = []
    for folder in (settings.PRIVATE_MEDIA_ROOT, settings.MEDIA_ROOT):
        for root, _dirs, names in os.walk(folder):
            for name in names:
                with open(os.path.join(root, name), "rb") as handle:
                    chunks.append(handle.read())
    return b"\n".join(chunks)


def personal_values(data):
    return [
        data[k] for k in ("name", "email", "phone", "line", "answer", "note", "message", "comment")
    ]


def report_figures(year, now):
    """The year's report as of ``now``: active late steps are late by minutes
    counted to that moment, so a comparison uses one moment for both sides."""
    data = build_report(Period.fiscal_year(year), now=now)
    data.pop("built_at")
    return data


@pytest.fixture
def service(home_page):
    desk_users_cache()
    return make_service(home_page, "privacy-test", "ICT 02", "ซ่อมคอมพิวเตอร์")


def test_each_request_records_the_notice_version_it_accepted(service):
    first = filed(service, person(1), at(2026, 1, 5), status="open")
    PrivacyNotice.objects.create(version=2, published_at=at(2026, 2, 1), summary="เพิ่ม LINE")
    second = filed(service, person(2), at(2026, 3, 5), status="open")
    assert first.privacy_notice.version == 1
    assert first.consent_at == at(2026, 1, 5)
    assert second.privacy_notice.version == 2
    assert second.consent_at == at(2026, 3, 5)


def test_the_privacy_page_states_what_the_code_does(client, service, settings):
    settings.PDPA_RETENTION_YEARS = 7
    PrivacyNotice.objects.create(version=3, published_at=at(2025, 1, 1), summary="ฉบับทดสอบ")
    text = client.get("/privacy/").content.decode()
    assert "ฉบับที่ 3" in text
    assert "ครบ 7 ปี" in text
    assert "เก็บไว้ 90 วันแล้วลบ" in text
    assert "ฉบับทดสอบ" in text
    assert "รหัสผู้ใช้ LINE ของท่าน (user ID)" not in text  # LINE is off in tests


def test_anonymising_old_tickets_leaves_no_personal_value_and_reports_unchanged(service):
    old, kept = person(7), person(8)
    old_ticket = filed(service, old, OLD)
    # Same fiscal year, but finished less than five years before NOW: kept.
    recent_ticket = filed(service, kept, at(2020, 4, 1), status="open")
    finish(recent_ticket, at(2021, 6, 1))
    old_files = [a.file.path for a in old_ticket.attachments.all()]
    assert all(os.path.exists(path) for path in old_files)
    now = timezone.now()
    before = {year: report_figures(year, now) for year in (2563, 2564)}
    text = database_text()
    assert all(value in text for value in personal_values(old))

    result = retention.anonymise_expired(now=NOW)

    assert result["anonymised"] == 1
    text = database_text()
    for value in personal_values(old):
        assert value not in text, value
    blobs = files_text()
    assert old["file"] not in blobs
    assert not any(os.path.exists(path) for path in old_files)
    # The other person's data is untouched.
    assert all(value in text for value in personal_values(kept))
    assert kept["file"] in blobs
    # Rows stay, so every figure of every report stays.
    assert {year: report_figures(year, now) for year in (2563, 2564)} == before
    old_ticket.refresh_from_db()
    assert old_ticket.anonymised_at is not None
    assert old_ticket.steps.count() == 2
    assert old_ticket.attachments.count() == 1
    assert ModelLogEntry.objects.filter(
        object_id=str(old_ticket.pk), action="services.ticket.anonymise"
    ).exists()
    # Running again finds nothing more; open tickets are never touched.
    assert retention.anonymise_expired(now=NOW)["anonymised"] == 0


def test_retention_period_is_configurable(service, settings):
    ticket = filed(service, person(3), OLD)
    settings.PDPA_RETENTION_YEARS = 10
    assert retention.anonymise_expired(now=NOW)["anonymised"] == 0
    settings.PDPA_RETENTION_YEARS = 5
    assert retention.anonymise_expired(now=NOW)["anonymised"] == 1
    ticket.refresh_from_db()
    assert ticket.requester_email == ""


def test_open_tickets_are_never_anonymised(service):
    filed(service, person(4), OLD, status="open")
    assert retention.anonymise_expired(now=NOW)["anonymised"] == 0


def test_the_retention_task_is_scheduled():
    from services.core.schedules import SCHEDULES

    assert any(e[1] == "services.privacy.retention.anonymise_expired" for e in SCHEDULES)


# --- export and erase -----------------------------------------------------------------
def grant(user):
    user.user_permissions.add(Permission.objects.get(codename="manage_personal_data"))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def people(service):
    a, b = person(5), person(6)
    tickets_a = [
        filed(service, a, at(2025, 1, 6)),
        filed(service, a, at(2025, 2, 6), status="open", email=a["email"].upper()),
    ]
    ticket_b = filed(service, b, at(2025, 3, 6))
    return a, b, tickets_a, ticket_b


def test_who_may_open_the_personal_data_page(client, people):
    users = desk_users_cache()
    for role in ("officer", "approver", "director", "executive", "staff"):
        client.force_login(users[role])
        assert client.get("/admin/personal-data/").status_code in (302, 403), role
        response = client.post(
            "/admin/personal-data/", {"subject": people[0]["email"], "action": "export_json"}
        )
        assert response.status_code in (302, 403), role
    client.force_login(grant(users["officer"]))
    assert client.get("/admin/personal-data/").status_code == 200
    client.force_login(users["admin"])
    assert client.get("/admin/personal-data/").status_code == 200
    assert PersonalDataRequest.objects.count() == 0


def test_export_then_erase_one_email_returns_then_removes_exactly_that_persons_data(client, people):
    a, b, tickets_a, ticket_b = people
    officer = grant(desk_users_cache()["officer"])
    client.force_login(officer)

    response = client.post("/admin/personal-data/", {"subject": a["email"], "action": "find"})
    assert response.status_code == 200
    text = response.content.decode()
    assert all(t.reference in text for t in tickets_a) and ticket_b.reference not in text

    response = client.post(
        "/admin/personal-data/", {"subject": f"  {a['email'].title()} ", "action": "export_json"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert sorted(t["reference"] for t in data["tickets"]) == sorted(t.reference for t in tickets_a)
    dumped = json.dumps(data, ensure_ascii=False)
    for value in personal_values(a):
        assert value in dumped, value
    for value in personal_values(b):
        assert value not in dumped, value
    assert data["tickets"][0]["consent"]["privacy_notice_version"] == 1
    assert data["tickets"][0]["attachments"][0]["content_base64"]
    assert data["messages_sent"]

    response = client.post(
        "/admin/personal-data/", {"subject": a["email"], "action": "export_xlsx"}
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["tickets"].values)
    assert sorted(r[0] for r in rows[1:]) == sorted(t.reference for t in tickets_a)
    assert {r[4] for r in rows[1:]} == {a["name"]}

    # Erasing needs the confirmation box.
    response = client.post("/admin/personal-data/", {"subject": a["email"], "action": "erase"})
    assert response.status_code == 400
    assert "กรุณายืนยันก่อนลบข้อมูล" in response.content.decode()
    assert Ticket.objects.filter(requester_email__iexact=a["email"]).count() == 2

    now = timezone.now()
    before = report_figures(2568, now)
    response = client.post(
        "/admin/personal-data/", {"subject": a["email"], "action": "erase", "confirm": "on"}
    )
    assert response.status_code == 200
    text = database_text()
    for value in personal_values(a):
        assert value not in text, value
    for value in personal_values(b):
        assert value in text, value
    assert a["file"] not in files_text() and b["file"] in files_text()
    assert report_figures(2568, now) == before
    assert Ticket.objects.count() == 3

    records = list(PersonalDataRequest.objects.order_by("pk"))
    assert [r.kind for r in records] == ["export", "export", "erase"]
    assert all(r.user == officer for r in records)
    assert sorted(records[-1].references) == sorted(t.reference for t in tickets_a)
    assert a["email"] not in json.dumps([r.subject_digest for r in records])
    actions = list(
        ModelLogEntry.objects.filter(action__startswith="services.privacy.")
        .order_by("pk")
        .values_list("action", "user_id")
    )
    assert actions == [
        ("services.privacy.export", officer.pk),
        ("services.privacy.export", officer.pk),
        ("services.privacy.erase", officer.pk),
    ]
    # Afterwards the address finds nothing.
    response = client.post(
        "/admin/personal-data/", {"subject": a["email"], "action": "export_json"}
    )
    assert json.loads(response.content)["tickets"] == []


def test_export_by_phone_number_in_another_format(client, people):
    a, _b, tickets_a, _ticket_b = people
    client.force_login(desk_users_cache()["admin"])
    digits = "".join(c for c in a["phone"] if c.isdigit())
    response = client.post(
        "/admin/personal-data/", {"subject": "+66 " + digits[1:], "action": "export_json"}
    )
    data = json.loads(response.content)
    assert sorted(t["reference"] for t in data["tickets"]) == sorted(t.reference for t in tickets_a)


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", "", "12", "a@b", "x" * 300])
def test_bad_subject_is_a_400_with_a_thai_message(client, people, hostile):
    client.force_login(desk_users_cache()["admin"])
    response = client.post("/admin/personal-data/", {"subject": hostile, "action": "erase"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "กรุณากรอก" in text
    assert "<script>alert(1)</script>" not in text
    assert PersonalDataRequest.objects.count() == 0


def waiting_request(service, data, email=None):
    """A request of ``data``'s person accepted by the public form whose ticket is
    not made yet (the journal row the cluster turns into a ticket)."""
    from services.tickets import journal

    return journal.accept(service, requester_of(data, email), {"details": data["answer"]})


def test_waiting_requests_are_found_exported_and_erased_with_the_person(client, people):
    from services.tickets.models import PendingRequest

    a, b, tickets_a, _ticket_b = people
    service = tickets_a[0].service
    mine = waiting_request(service, a, email=a["email"].upper())
    theirs = waiting_request(service, b)
    client.force_login(grant(desk_users_cache()["officer"]))

    found = client.post("/admin/personal-data/", {"subject": a["email"], "action": "find"})
    text = found.content.decode()
    assert mine.reference in text and theirs.reference not in text

    by_phone = client.post(
        "/admin/personal-data/", {"subject": "+66 " + a["phone"][1:], "action": "export_json"}
    )
    waiting = json.loads(by_phone.content)["waiting_requests"]
    assert [w["reference"] for w in waiting] == [mine.reference]
    assert waiting[0]["requester_name"] == a["name"]
    assert waiting[0]["answers"] == {"details": a["answer"]}

    sheet = client.post("/admin/personal-data/", {"subject": a["email"], "action": "export_xlsx"})
    rows = list(load_workbook(io.BytesIO(sheet.content))["waiting_requests"].values)
    assert [row[0] for row in rows[1:]] == [mine.reference] and a["answer"] in rows[1][4]

    client.post(
        "/admin/personal-data/", {"subject": a["email"], "action": "erase", "confirm": "on"}
    )
    assert list(PendingRequest.objects.values_list("reference", flat=True)) == [theirs.reference]
    for value in personal_values(a):
        assert value not in database_text(), value
    erased = PersonalDataRequest.objects.filter(kind="erase").get()
    assert mine.reference in erased.references
    assert sorted(erased.references) == sorted([mine.reference, *(t.reference for t in tickets_a)])
