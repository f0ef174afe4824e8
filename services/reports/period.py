"""Report periods: a month, a Thai fiscal year (October to September) or any date range.

Dates are the office's local dates (Asia/Bangkok); a period covers whole
days, from the start date 00:00 up to (not including) the day after the
end date. Labels use Buddhist Era years.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from home.thai import EN_MONTHS, THAI_MONTHS, THAI_MONTHS_SHORT, _is_english, be_year, thai_date

MONTH = "month"
FISCAL_YEAR = "fiscal_year"
RANGE = "range"


def _month_start(day):
    return day.replace(day=1)


def _next_month(day):
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date  # inclusive

    # --- constructors ---------------------------------------------------------
    @classmethod
    def month(cls, year, month):
        start = dt.date(year, month, 1)
        return cls(MONTH, start, _next_month(start) - dt.timedelta(days=1))

    @classmethod
    def fiscal_year(cls, year_be):
        """Fiscal year B.E. 2569 runs from 1 October 2025 to 30 September 2026."""
        year_ce = year_be - 543
        return cls(FISCAL_YEAR, dt.date(year_ce - 1, 10, 1), dt.date(year_ce, 9, 30))

    @classmethod
    def between(cls, start, end):
        return cls(RANGE, start, end)

    @classmethod
    def previous_month(cls, today=None):
        today = today or timezone.localdate()
        last = _month_start(today) - dt.timedelta(days=1)
        return cls.month(last.year, last.month)

    @classmethod
    def from_dict(cls, data):
        return cls(
            data["kind"], dt.date.fromisoformat(data["start"]), dt.date.fromisoformat(data["end"])
        )

    def as_dict(self):
        return {
            "kind": self.kind,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "key": self.key,
        }

    # --- reading --------------------------------------------------------------
    @property
    def key(self):
        if self.kind == MONTH:
            return f"month:{self.start:%Y-%m}"
        if self.kind == FISCAL_YEAR:
            return f"fy:{be_year(self.end.year)}"
        return f"range:{self.start.isoformat()}:{self.end.isoformat()}"

    @property
    def label(self):
        """'เดือนมกราคม 2569', 'ปีงบประมาณ พ.ศ. 2569', '1 ม.ค. 2569 – 15 ม.ค. 2569'."""
        if self.kind == MONTH:
            year = be_year(self.start.year)
            if _is_english():
                return f"{EN_MONTHS[self.start.month - 1]} B.E. {year}"
            return f"เดือน{THAI_MONTHS[self.start.month - 1]} {year}"
        if self.kind == FISCAL_YEAR:
            year = be_year(self.end.year)
            return f"Fiscal year B.E. {year}" if _is_english() else f"ปีงบประมาณ พ.ศ. {year}"
        return f"{thai_date(self.start, short=True)} – {thai_date(self.end, short=True)}"

    @property
    def dates_label(self):
        return _("%(start)s ถึง %(end)s") % {
            "start": thai_date(self.start),
            "end": thai_date(self.end),
        }

    def bounds(self):
        """Aware datetimes [start, end) in the office's time zone."""
        zone = timezone.get_current_timezone()
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return start, end

    def buckets(self):
        """[(label, start, end), ...] for the trend chart: days in a month, months otherwise."""
        zone = timezone.get_current_timezone()
        result = []
        if self.kind == MONTH or (self.end - self.start).days <= 31:
            day = self.start
            while day <= self.end:
                start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
                result.append((str(day.day), start, start + dt.timedelta(days=1)))
                day += dt.timedelta(days=1)
            return result
        cursor = _month_start(self.start)
        last_start, end_bound = self.bounds()
        while cursor <= self.end:
            start = max(dt.datetime.combine(cursor, dt.time.min, tzinfo=zone), last_start)
            end = min(dt.datetime.combine(_next_month(cursor), dt.time.min, tzinfo=zone), end_bound)
            if _is_english():
                label = f"{EN_MONTHS[cursor.month - 1][:3]} {str(be_year(cursor.year))[-2:]}"
            else:
                label = f"{THAI_MONTHS_SHORT[cursor.month - 1]} {str(be_year(cursor.year))[-2:]}"
            result.append((label, start, end))
            cursor = _next_month(cursor)
        return result
