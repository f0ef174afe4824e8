"""The monthly report: the schedule, building last month's report once, e-mail with XLSX,
stored reports in the admin, the five-year clean-up."""

import datetime as dt
import io

import pytest
from django.core import mail
from openpyxl import load_workbook

from services.core.models import OutboxMessage
from services.core.roles import EXECUTIVES, STAFF
from services.reports import monthly
from services.reports.models import StoredReport
from services.reports.period import Period

from .reporting import answer, at, make_service, make_ticket
from .test_reports import user_in


@pytest.fixture
def january(home_page):
    repair = make_service(home_page)
    make_ticket(repair, at(2026, 1, 5), steps=[(10, 30, True), (200, 120, True)])
    make_ticket(repair, at(2026, 1, 31, 23, 59), steps=[(10, 30, True)])
    make_ticket(repair, at(2026, 2, 1, 0, 0), steps=[(10, 30, True)])  # February: not counted
    answer(repair, (4, 4, 5, 4, 4), at(2026, 1, 20))
    return repair


def test_monthly_schedule_is_created_for_the_1st_at_seven(db):
    from django.utils import timezone
    from django_q.models import Schedule

    from services.core.schedules import ensure_schedules

    ensure_schedules()
    ensure_schedules()
    schedule = Schedule.objects.get(name="monthly report")
    assert schedule.func == "services.reports.monthly.build_monthly_report"
    assert schedule.schedule_type == Schedule.MONTHLY and schedule.repeats == -1
    first = timezone.localtime(schedule.next_run)
    assert (first.day, first.hour, first.minute) == (1, 7, 0)
    assert first.date() > timezone.localdate()
    following = timezone.localtime(schedule.calculate_next_run())
    assert (following.day, following.hour) == (1, 7)
    assert following.month == first.month % 12 + 1


def test_builds_last_months_report_and_sends_it_once_even_if_run_twice(
    january, django_capture_on_commit_callbacks
):
    first_exec = user_in(EXECUTIVES)
    user_in(STAFF)  # not an executive: gets nothing
    with django_capture_on_commit_callbacks(execute=True):
        result = monthly.build_monthly_report(today=dt.date(2026, 2, 1))
    with django_capture_on_commit_callbacks(execute=True):
        again = monthly.build_monthly_report(today=dt.date(2026, 2, 1))
    assert result["created"] is True and again["created"] is False
    assert result["period"] == again["period"] == "month:2026-01"

    stored = StoredReport.objects.get()
    assert stored.period_label == "เดือนมกราคม 2569"
    assert (stored.period_start, stored.period_end) == (dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert stored.data["totals"]["received"] == 2
    assert stored.data["satisfaction"]["percent"] == 84.0
    assert OutboxMessage.objects.filter(kind="monthly_report").count() == 1
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [first_exec.email]
    assert "เดือนมกราคม 2569" in email.subject
    assert "ร้อยละความพึงพอใจ = คะแนนเฉลี่ย ÷ 5 × 100" in email.body
    name, content, _mimetype = email.attachments[0]
    assert name.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(content))
    services = workbook[workbook.sheetnames[1]]
    total = [c.value for c in list(services.iter_rows())[-1]]
    assert total[1] == "รวมทุกบริการ" and total[2] == 2
    with stored.xlsx.open("rb") as handle:
        assert handle.read() == content


def test_a_different_month_is_a_new_report(january, django_capture_on_commit_callbacks):
    user_in(EXECUTIVES)
    with django_capture_on_commit_callbacks(execute=True):
        monthly.build_monthly_report(today=dt.date(2026, 2, 1))
        monthly.build_monthly_report(today=dt.date(2026, 3, 1))
    assert sorted(StoredReport.objects.values_list("period_key", flat=True)) == [
        "month:2026-01",
        "month:2026-02",
    ]
    assert len(mail.outbox) == 2
    assert StoredReport.objects.get(period_key="month:2026-02").data["totals"]["received"] == 1


def test_reports_older_than_five_years_are_removed(db):
    from django.core.files.base import ContentFile

    old = StoredReport.objects.create(
        period_key="month:2020-12",
        period_label="old",
        period_start=dt.date(2020, 12, 1),
        period_end=dt.date(2020, 12, 31),
        data={},
    )
    old.xlsx.save("old.xlsx", ContentFile(b"x"))
    name = old.xlsx.name
    kept = StoredReport.objects.create(
        period_key="month:2021-02",
        period_label="kept",
        period_start=dt.date(2021, 2, 1),
        period_end=dt.date(2021, 2, 28),
        data={},
    )
    assert monthly.purge_old_reports(today=dt.date(2026, 2, 1)) == 1
    assert list(StoredReport.objects.all()) == [kept]
    assert not old.xlsx.storage.exists(name)


def test_executives_see_stored_reports_in_the_admin(
    client, january, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        monthly.store_report(Period.month(2026, 1))
    stored = StoredReport.objects.get()
    client.force_login(user_in(EXECUTIVES))
    listing = client.get("/admin/reports/stored/").content.decode()
    assert "เดือนมกราคม 2569" in listing
    detail = client.get(f"/admin/reports/stored/{stored.pk}/")
    assert detail.status_code == 200 and "เดือนมกราคม 2569" in detail.content.decode()
    download = client.get(f"/admin/reports/stored/{stored.pk}/file.xlsx")
    assert download.status_code == 200
    with stored.xlsx.open("rb") as handle:
        assert b"".join(download.streaming_content) == handle.read()
    printed = client.get(f"/admin/reports/stored/{stored.pk}/?print=1").content.decode()
    assert "data-print" in printed and "js/print.js" in printed
    csv_text = client.get(f"/admin/reports/stored/{stored.pk}/file.csv?table=services")
    assert "รวมทุกบริการ" in csv_text.content.decode("utf-8-sig")
