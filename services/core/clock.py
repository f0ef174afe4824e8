"""The business clock: office hours, the government's holidays, Asia/Bangkok.

Closed days: Thai public and government holidays as government offices observe
them (Labour Day is a working day), plus the special holidays and make-up
working days officers keep in the admin (``SpecialDay``).

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


#: Holidays of the ``holidays`` package that government offices do not observe:
#: Labour Day (a holiday for employees under the labour law, a working day for
#: government offices) and its day in lieu.
NOT_GOVERNMENT = ("วันแรงงานแห่งชาติ",)


def _observed_names(names):
    kept = [name for name in names.split("; ") if not any(x in name for x in NOT_GOVERNMENT)]
    return "; ".join(kept)


@lru_cache(maxsize=64)
def _thai_holidays(year: int) -> dict[dt.date, str]:
    """The days Thai government offices close in ``year``, with their Thai names:
    the package's public and government categories, less Labour Day and its day
    in lieu. Cached: it depends only on the package (special days are not here)."""
    calendar = holiday_calendars.country_holidays(
        "TH", years=year, categories=("public", "government"), language="th"
    )
    days = {}
    for day, names in calendar.items():
        kept = _observed_names(names)
        if kept:
            days[day] = kept
    return days


def special_days() -> tuple[dict[dt.date, str], dict[dt.date, str]]:
    """(holidays, working days) the office keeps in the admin: ({date: name}, {date: name}).

    Read on every ``get_clock()`` (a small table), so a day added in the admin
    moves the next due time at once in every process.
    """
    from services.core.models import SpecialDay

    holidays, working = {}, {}
    for day, name, kind in SpecialDay.objects.values_list("date", "name", "kind"):
        (working if kind == SpecialDay.Kind.WORKING else holidays)[day] = name
    return holidays, working


@dataclass(frozen=True)
class BusinessClock:
    opens: dt.time = field(default_factory=lambda: _parse_hhmm(settings.OFFICE_HOURS_START))
    closes: dt.time = field(default_factory=lambda: _parse_hhmm(settings.OFFICE_HOURS_END))
    workdays: tuple[int, ...] = field(default_factory=lambda: tuple(settings.OFFICE_WORKDAYS))
    #: Special holidays the office declares, {date: name} (or a set of dates).
    extra_holidays: dict | frozenset = field(default_factory=dict)
    #: Make-up working days, {date: name}: worked even on a weekend or a holiday.
    extra_workdays: dict | frozenset = field(default_factory=dict)

    # --- days -----------------------------------------------------------
    def is_holiday(self, day: dt.date) -> bool:
        if day in self.extra_workdays:
            return False
        return day in self.extra_holidays or day in _thai_holidays(day.year)

    def holiday_name(self, day: dt.date) -> str | None:
        if isinstance(self.extra_holidays, dict) and day in self.extra_holidays:
            return self.extra_holidays[day]
        return _thai_holidays(day.year).get(day)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.extra_workdays:
            return True
        return day.weekday() in self.workdays and not self.is_holiday(day)

    def closed_days(self, first, last):
        """[(date, name, kind), ...] from ``first`` to ``last``: every holiday the
        clock skips (kind "holiday", "special") and every make-up working day
        ("working"), in date order."""
        rows = []
        for year in range(first.year, last.year + 1):
            for day, name in _thai_holidays(year).items():
                if first <= day <= last and day not in self.extra_workdays:
                    rows.append((day, name, "holiday"))
        for day in self.extra_holidays:
            if first <= day <= last:
                rows.append((day, self.holiday_name(day) or "", "special"))
        names = self.extra_workdays if isinstance(self.extra_workdays, dict) else {}
        for day in self.extra_workdays:
            if first <= day <= last:
                rows.append((day, names.get(day, ""), "working"))
        rows.sort(key=lambda row: (row[0], row[2]))
        return rows

    @property
    def day_minutes(self) -> int:
        start = dt.datetime.combine(dt.date.min, self.opens)
        end = dt.datetime.combine(dt.date.min, self.closes)
        return int((end - start).total_seconds() // 60)

    def _local(self, moment: dt.datetime) -> dt.datetime:
        if timezone.is_naive(moment):
            return moment.replace(tzinfo=BANGKOK)
        return moment.astimezone(BANGKOK)

    def office_hours(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """When the office opens and closes on ``day`` (Bangkok time; whether it
        is a working day is ``is_working_day``'s answer)."""
        return self._open_at(day), self._close_at(day)

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


def get_clock():
    """The clock as configured in settings (office hours may change in tests), with
    the special days kept in the admin as they stand now."""
    holidays, working = special_days()
    return BusinessClock(extra_holidays=holidays, extra_workdays=working)
