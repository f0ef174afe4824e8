"""The business clock: office hours, Thai public holidays, Asia/Bangkok.

Every due time in the product comes from here. A target is counted either in
working time (only office hours on working days count) or in elapsed time
(the wall clock). A "working day" of target is one full office day of working
time, so a request made on Friday at 15:00 with a one-working-day target is
due on Monday at 15:00 (or later if Monday is a holiday).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holiday_calendars
from django.conf import settings
from django.utils import timezone

BANGKOK = ZoneInfo("Asia/Bangkok")

MINUTES = "minutes"
HOURS = "hours"
DAYS = "days"
WORKING = "working"
ELAPSED = "elapsed"


def _parse_hhmm(text: str) -> dt.time:
    hours, minutes = (int(part) for part in text.split(":"))
    return dt.time(hours, minutes)


@lru_cache(maxsize=64)
def _thai_holidays(year: int) -> holiday_calendars.HolidayBase:
    return holiday_calendars.country_holidays("TH", years=year)


@dataclass(frozen=True)
class BusinessClock:
    opens: dt.time = field(default_factory=lambda: _parse_hhmm(settings.OFFICE_HOURS_START))
    closes: dt.time = field(default_factory=lambda: _parse_hhmm(settings.OFFICE_HOURS_END))
    workdays: tuple[int, ...] = field(default_factory=lambda: tuple(settings.OFFICE_WORKDAYS))
    extra_holidays: frozenset[dt.date] = frozenset()

    # --- days -----------------------------------------------------------
    def is_holiday(self, day: dt.date) -> bool:
        return day in self.extra_holidays or day in _thai_holidays(day.year)

    def holiday_name(self, day: dt.date) -> str | None:
        return _thai_holidays(day.year).get(day)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() in self.workdays and not self.is_holiday(day)

    @property
    def day_minutes(self) -> int:
        start = dt.datetime.combine(dt.date.min, self.opens)
        end = dt.datetime.combine(dt.date.min, self.closes)
        return int((end - start).total_seconds() // 60)

    def _local(self, moment: dt.datetime) -> dt.datetime:
        if timezone.is_naive(moment):
            return moment.replace(tzinfo=BANGKOK)
        return moment.astimezone(BANGKOK)

    def _open_at(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.opens, tzinfo=BANGKOK)

    def _close_at(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.closes, tzinfo=BANGKOK)

    def next_working_day(self, day: dt.date) -> dt.date:
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def previous_working_day(self, day: dt.date) -> dt.date:
        day -= dt.timedelta(days=1)
        while not self.is_working_day(day):
            day -= dt.timedelta(days=1)
        return day

    def is_working_time(self, moment: dt.datetime) -> bool:
        moment = self._local(moment)
        day = moment.date()
        return self.is_working_day(day) and self._open_at(day) <= moment < self._close_at(day)

    def next_working_moment(self, moment: dt.datetime) -> dt.datetime:
        """The moment itself if in office hours, else the next opening."""
        moment = self._local(moment)
        day = moment.date()
        if self.is_working_day(day):
            if moment < self._open_at(day):
                return self._open_at(day)
            if moment < self._close_at(day):
                return moment
        return self._open_at(self.next_working_day(day))

    # --- adding targets -------------------------------------------------
    def add_working_minutes(self, start: dt.datetime, minutes: float) -> dt.datetime:
        """The moment when `minutes` of office time have passed after `start`."""
        moment = self.next_working_moment(start)
        remaining = dt.timedelta(minutes=minutes)
        while True:
            left_today = self._close_at(moment.date()) - moment
            if remaining <= left_today:
                return moment + remaining
            remaining -= left_today
            moment = self._open_at(self.next_working_day(moment.date()))

    def to_minutes(self, amount: float, unit: str, mode: str = WORKING) -> float:
        if unit == MINUTES:
            return amount
        if unit == HOURS:
            return amount * 60
        if unit == DAYS:
            return amount * (self.day_minutes if mode == WORKING else 24 * 60)
        raise ValueError(f"unknown time unit {unit!r}")

    def add(self, start: dt.datetime, amount: float, unit: str, mode: str = WORKING) -> dt.datetime:
        """Due time of a target of `amount` `unit`s counted in `mode` time from `start`."""
        minutes = self.to_minutes(amount, unit, mode)
        if mode == ELAPSED:
            return self._local(start) + dt.timedelta(minutes=minutes)
        if mode != WORKING:
            raise ValueError(f"unknown time mode {mode!r}")
        return self.add_working_minutes(start, minutes)

    def working_minutes_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Office minutes from `start` to `end` (0 if end is not after start)."""
        start, end = self._local(start), self._local(end)
        if end <= start:
            return 0
        total = 0
        day = start.date()
        while day <= end.date():
            if self.is_working_day(day):
                lo = max(start, self._open_at(day))
                hi = min(end, self._close_at(day))
                if hi > lo:
                    total += (hi - lo).total_seconds() / 60
            day += dt.timedelta(days=1)
        return int(total)

    def working_day_before(self, moment: dt.datetime) -> dt.datetime:
        """Same clock time on the previous working day, kept within office hours.

        Used for "prepare and test the equipment one working day before".
        """
        moment = self._local(moment)
        day = self.previous_working_day(moment.date())
        clock_time = min(max(moment.time(), self.opens), self.closes)
        return dt.datetime.combine(day, clock_time, tzinfo=BANGKOK)


def get_clock() -> BusinessClock:
    """The clock as configured in settings (office hours may change in tests)."""
    return BusinessClock()
