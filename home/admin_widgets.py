"""The admin's date input: B.E. for Thai users, Wagtail's picker for English.

One format per language, used both to show a date and to read it back:
dd/mm/yyyy with a B.E. year in Thai (a plain text input, as Wagtail's picker
draws a C.E. calendar), dd/mm/yyyy C.E. in English with the picker. Either way
a year of 2400 or more is read as B.E. (``home.thai.parse_be_date``).
"""

import datetime as dt

from django.utils import translation
from wagtail.admin.widgets import AdminDateInput

from home.thai import BEDateInput, be_numeric, parse_be_date


def _thai():
    return (translation.get_language() or "").startswith("th")


class LanguageDateInput(AdminDateInput):
    def format_value(self, value):
        if _thai() and isinstance(value, dt.date):
            return be_numeric(value)
        return super().format_value(value)

    def render(self, name, value, attrs=None, renderer=None):
        if _thai():
            return BEDateInput(self.attrs).render(name, value, attrs, renderer)
        return super().render(name, value, attrs, renderer)

    def value_from_datadict(self, data, files, name):
        raw = super().value_from_datadict(data, files, name)
        parsed = parse_be_date(raw) if isinstance(raw, str) else None
        return parsed or raw
