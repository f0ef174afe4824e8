"""The business clock: office hours, weekends and Thai public holidays."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from services.core.clock import DAYS, ELAPSED, HOURS, MINUTES, WORKING, BusinessClock

BKK = ZoneInfo("Asia/Bangkok")


def at(y, m, d, hh=0, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=BKK)


@pytest.fixture
def clock(settings):
    settings.OFFICE_HOURS_START = "08:30"
    settings.OFFICE_HOURS_END = "16:30"
    settings.OFFICE_WORKDAYS = [0, 1, 2, 3, 4]
    return BusinessClock()


def test_working_minutes_inside_one_day(clock):
    # Monday 23 Nov 2026, 09:00 + 10 working minutes.
    assert clock.add(at(2026, 11, 23, 9), 10, MINUTES, WORKING) == at(2026, 11, 23, 9, 10)


def test_working_day_crosses_a_weekend(clock):
    # Friday 27 Nov 15:00 + 1 working day (8 office hours) -> Monday 30 Nov 15:00.
    assert clock.add(at(2026, 11, 27, 15), 1, DAYS, WORKING) == at(2026, 11, 30, 15)


def test_working_hours_cross_the_evening(clock):
    # Wednesday 16:00 + 1 working hour -> Thursday 09:00.
    assert clock.add(at(2026, 11, 25, 16), 1, HOURS, WORKING) == at(2026, 11, 26, 9)


def test_request_at_night_starts_at_next_opening(clock):
    assert clock.add(at(2026, 11, 24, 22), 30, MINUTES, WORKING) == at(2026, 11, 25, 9)


def test_working_time_skips_a_thai_public_holiday(clock):
    # Fri 4 Dec 2026 15:00 + 1 working day: Sat, Sun, then Mon 7 Dec is the
    # in-lieu holiday for 5 December -> Tuesday 8 Dec 15:00.
    assert clock.is_holiday(dt.date(2026, 12, 7))
    assert clock.add(at(2026, 12, 4, 15), 1, DAYS, WORKING) == at(2026, 12, 8, 15)


def test_working_time_skips_songkran(clock):
    # Fri 10 Apr 2026 16:00 + 1 working hour: 13–15 Apr are Songkran -> Thu 16 Apr 09:00.
    assert clock.add(at(2026, 4, 10, 16), 1, HOURS, WORKING) == at(2026, 4, 16, 9)


def test_elapsed_time_ignores_weekends_and_holidays(clock):
    assert clock.add(at(2026, 12, 4, 15), 1, DAYS, ELAPSED) == at(2026, 12, 5, 15)
    assert clock.add(at(2026, 11, 27, 23), 6, HOURS, ELAPSED) == at(2026, 11, 28, 5)


def test_working_day_before_an_event(clock):
    # An event on Tuesday 8 Dec 10:00: the working day before is Friday 4 Dec
    # (Mon 7 Dec is a holiday, then the weekend).
    assert clock.working_day_before(at(2026, 12, 8, 10)) == at(2026, 12, 4, 10)
    # An evening event is prepared by closing time the working day before.
    assert clock.working_day_before(at(2026, 11, 26, 19)) == at(2026, 11, 25, 16, 30)


def test_working_minutes_between(clock):
    assert clock.working_minutes_between(at(2026, 11, 27, 15), at(2026, 11, 30, 15)) == 480
    assert clock.working_minutes_between(at(2026, 11, 30, 15), at(2026, 11, 27, 15)) == 0


def test_office_hours_are_configurable(settings):
    settings.OFFICE_HOURS_START = "09:00"
    settings.OFFICE_HOURS_END = "17:00"
    clock = BusinessClock()
    assert clock.add(at(2026, 11, 23, 16, 30), 1, HOURS, WORKING) == at(2026, 11, 24, 9, 30)


def test_unknown_units_are_refused(clock):
    with pytest.raises(ValueError):
        clock.add(at(2026, 11, 23, 9), 1, "weeks", WORKING)


# --- the government's calendar -------------------------------------------------------
def test_labour_day_is_a_working_day_for_government_offices(clock):
    assert clock.is_working_day(dt.date(2026, 5, 1))  # a Friday
    assert clock.is_working_day(dt.date(2027, 5, 3))  # Labour Day's day in lieu, a Monday
    assert not clock.is_working_day(dt.date(2026, 5, 13))  # Royal Ploughing Ceremony
    assert clock.holiday_name(dt.date(2026, 5, 13)) == "วันพืชมงคล"
    assert clock.holiday_name(dt.date(2026, 5, 1)) is None


@pytest.mark.django_db
def test_a_special_day_added_in_the_admin_moves_a_due_time_at_once(client):
    from services.core.clock import get_clock
    from services.core.models import SpecialDay
    from tests.desk_helpers import make_user

    friday = dt.datetime(2026, 6, 12, 15, 0, tzinfo=BKK)
    assert get_clock().add(friday, 1, DAYS) == dt.datetime(2026, 6, 15, 15, 0, tzinfo=BKK)
    officer = make_user("cal_officer", "Officers")
    client.force_login(officer)
    response = client.post(
        "/admin/holidays/?year=2569",
        {"date": "15/06/2569", "name": "วันหยุดพิเศษตามมติคณะรัฐมนตรี", "kind": "holiday"},
    )
    assert response.status_code == 302
    assert SpecialDay.objects.get().date == dt.date(2026, 6, 15)
    assert get_clock().add(friday, 1, DAYS) == dt.datetime(2026, 6, 16, 15, 0, tzinfo=BKK)
    # A make-up working day on a Saturday counts as a working day.
    SpecialDay.objects.create(date=dt.date(2026, 6, 13), name="วันทำงานชดเชย", kind="working")
    assert get_clock().add(friday, 1, DAYS) == dt.datetime(2026, 6, 13, 15, 0, tzinfo=BKK)
    page = client.get("/admin/holidays/?year=2569").content.decode()
    assert "วันหยุดพิเศษตามมติคณะรัฐมนตรี" in page and "วันพืชมงคล" in page
    assert "<td>1 พฤษภาคม 2569</td>" not in page  # Labour Day: a working day
    assert "<td>13 พฤษภาคม 2569</td>" in page
    assert "วันทำงานชดเชย" in page


@pytest.mark.django_db
def test_the_holidays_page_refuses_bad_input_and_non_officers(client):
    from services.core.models import SpecialDay
    from tests.desk_helpers import make_user

    client.force_login(make_user("cal_exec", "Executives"))
    assert client.get("/admin/holidays/?year=2569").status_code == 200
    response = client.post(
        "/admin/holidays/", {"date": "15/06/2569", "name": "x", "kind": "holiday"}
    )
    assert response.status_code in (302, 403)  # Wagtail sends a refused admin user home
    assert not SpecialDay.objects.exists()
    client.force_login(make_user("cal_officer2", "Officers"))
    for year in ("abc", "99999999999999999999", "-1", "<script>"):
        assert client.get("/admin/holidays/", {"year": year}).status_code == 400
    response = client.post(
        "/admin/holidays/?year=2569", {"date": "31/02/2569", "name": "<b>x</b>", "kind": "holiday"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "กรุณากรอกวันที่" in body and "31/02/2569" in body
    assert not SpecialDay.objects.exists()


@pytest.mark.django_db
def test_an_internet_fault_filed_at_ten_is_due_at_eleven(catalogue):
    from services.catalogue.models import ServicePage
    from services.tickets.creation import open_ticket

    page = ServicePage.objects.get(slug="computer-internet-repair")
    ten = dt.datetime(2026, 6, 10, 10, 0, tzinfo=BKK)  # a Wednesday
    requester = {"requester_name": "ก ข", "requester_email": "a@example.com"}
    internet = open_ticket(page, requester, {"category": "internet"}, now=ten)
    first = internet.steps.get(position=1)
    assert first.due_at == dt.datetime(2026, 6, 10, 11, 0, tzinfo=BKK)
    assert first.chosen_alternative == "อินเทอร์เน็ตใช้งานไม่ได้"
    computer = open_ticket(page, requester, {"category": "computer"}, now=ten)
    assert computer.steps.get(position=1).due_at == dt.datetime(2026, 6, 11, 10, 0, tzinfo=BKK)
    # An officer may still switch (upstream fault: 6 hours), with a reason.
    from services.tickets import moves
    from tests.desk_helpers import make_user

    officer = make_user("net_officer", "Officers")
    moves.choose_alternative(
        internet, officer, "ปัญหาจากผู้ให้บริการ", "ผู้ให้บริการแจ้งว่าสายหลักขาด", now=ten
    )
    first.refresh_from_db()
    assert first.due_at == dt.datetime(2026, 6, 10, 16, 0, tzinfo=BKK)
    assert "ผู้ให้บริการแจ้งว่าสายหลักขาด" in first.note


@pytest.mark.django_db
def test_information_request_targets_follow_the_category(catalogue):
    from services.catalogue.models import ServicePage
    from services.tickets.creation import open_ticket

    page = ServicePage.objects.get(slug="education-information")
    ten = dt.datetime(2026, 6, 10, 10, 0, tzinfo=BKK)
    requester = {"requester_name": "ก ข", "requester_email": "a@example.com"}
    simple = open_ticket(page, requester, {"category": "simple"}, now=ten)
    assert simple.steps.get().due_at == dt.datetime(2026, 6, 10, 10, 15, tzinfo=BKK)
    complex_ = open_ticket(page, requester, {"category": "complex"}, now=ten)
    assert complex_.steps.get().due_at == dt.datetime(2026, 6, 11, 10, 0, tzinfo=BKK)


def test_office_hours_of_a_day_are_bangkok_opening_and_closing(clock):
    opens, closes = clock.office_hours(dt.date(2026, 12, 1))
    assert (opens.hour, opens.minute, closes.hour, closes.minute) == (8, 30, 16, 30)
    assert str(opens.tzinfo) == "Asia/Bangkok" and opens.date() == closes.date()
    assert clock.is_working_time(opens) and not clock.is_working_time(closes)
