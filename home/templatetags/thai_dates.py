"""Template filters for Thai dates in the Buddhist Era and the Thai fiscal year."""

from django import template

from home import thai

register = template.Library()


@register.filter
def thai_date(value):
    return thai.thai_date(value)


@register.filter
def thai_date_short(value):
    return thai.thai_date(value, short=True)


@register.filter
def thai_datetime(value):
    return thai.thai_datetime(value)


@register.filter
def fiscal_year(value):
    """The fiscal year as a B.E. number, e.g. 2569."""
    if value in (None, ""):
        return ""
    return thai.fiscal_year_be(value)


@register.filter
def fiscal_year_label(value):
    if value in (None, ""):
        return ""
    return thai.fiscal_year_label(value)
