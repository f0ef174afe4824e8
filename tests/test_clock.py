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
