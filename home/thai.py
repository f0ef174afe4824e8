"""Thai dates: Buddhist Era years, Thai month names and the Thai fiscal year.

The fiscal year runs from 1 October to 30 September and is named by the
calendar year in which it ends: 1 October 2025 opens fiscal year 2026,
which is B.E. 2569.
"""

import datetime as dt
import re

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

BE_OFFSET = 543

THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _is_english():
    return (translation.get_language() or "th").startswith("en")


def _as_local(value):
    """A datetime in the site's time zone, or a date unchanged."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            return timezone.localtime(value)
        return value
    return value


def be_year(year):
    return year + BE_OFFSET


def thai_date(value, short=False):
    """'22 พฤศจิกายน 2569' (or '22 November B.E. 2569' in English)."""
    if value in (None, ""):
        return ""
    value = _as_local(value)
    year = be_year(value.year)
    if _is_english():
        month = EN_MONTHS[value.month - 1]
        if short:
            month = month[:3]
        return f"{value.day} {month} B.E. {year}"
    months = THAI_MONTHS_SHORT if short else THAI_MONTHS
    return f"{value.day} {months[value.month - 1]} {year}"


def thai_datetime(value, short=False):
    """'22 พฤศจิกายน 2569 เวลา 09:30 น.'"""
    if value in (None, ""):
        return ""
    value = _as_local(value)
    day = thai_date(value, short=short)
    if not isinstance(value, dt.datetime):
        return day
    if _is_english():
        return f"{day}, {value:%H:%M}"
    return f"{day} เวลา {value:%H:%M} น."


def fiscal_year(value):
    """The Christian-era fiscal year a date belongs to (Oct–Sep, named by its end)."""
    value = _as_local(value)
    return value.year + 1 if value.month >= 10 else value.year


def fiscal_year_be(value):
    return be_year(fiscal_year(value))


def fiscal_year_label(value):
    """'ปีงบประมาณ พ.ศ. 2569' / 'Fiscal year B.E. 2569'."""
    year = fiscal_year_be(value)
    if _is_english():
        return f"Fiscal year B.E. {year}"
    return f"ปีงบประมาณ พ.ศ. {year}"


def fiscal_year_bounds(year_ce):
    """First and last day of a fiscal year given by its Christian-era name."""
    return dt.date(year_ce - 1, 10, 1), dt.date(year_ce, 9, 30)


# --- Buddhist Era date inputs -------------------------------------------------------
# A year of 2400 or more typed into a date field is a B.E. year (no office date is
# in the 25th century C.E.); widgets show dates as dd/mm/yyyy in B.E.
BE_THRESHOLD = 2400
_DATE_PATTERNS = (
    re.compile(r"^(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
)
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def parse_be_date(text):
    """A date from 'dd/mm/yyyy' or 'yyyy-mm-dd', the year read as B.E. when it is
    2400 or more; None when the text is not a date."""
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    text = (text or "").strip().translate(_THAI_DIGITS)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(match[k]) for k in ("y", "m", "d"))
            if year >= BE_THRESHOLD:
                year -= BE_OFFSET
            try:
                return dt.date(year, month, day)
            except ValueError:
                return None
    return None


def be_numeric(value):
    """'15/01/2570' for 15 January 2027."""
    return f"{value.day:02d}/{value.month:02d}/{be_year(value.year)}"


class BEDateInput(forms.TextInput):
    """A text input that shows its date as dd/mm/yyyy in B.E."""

    def __init__(self, attrs=None):
        attrs = {
            "placeholder": "วว/ดด/ปปปป",
            "inputmode": "numeric",
            "autocomplete": "off",
            "data-be-date": "",
            **(attrs or {}),
        }
        super().__init__(attrs)

    def format_value(self, value):
        if isinstance(value, dt.date):
            return be_numeric(value)
        return super().format_value(value)


class BEDateField(forms.DateField):
    """A date typed in B.E. (or C.E. below 2400), e.g. 15/01/2570."""

    widget = BEDateInput
    default_error_messages = {
        "invalid": gettext_lazy("กรุณากรอกวันที่เป็น วัน/เดือน/ปี พ.ศ. เช่น 15/01/2570"),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        parsed = parse_be_date(value)
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed
