"""{{ number|phone_link }}: a phone number shown in Thai form as a tel: link that dials."""

from django import template
from django.utils.html import format_html

from home import phones

register = template.Library()


@register.filter
def phone_display(value):
    return phones.display_phone(value)


@register.filter
def tel_href(value):
    return phones.tel_href(value)


@register.filter
def phone_link(value):
    href = phones.tel_href(value)
    if not href:
        return value or ""
    return format_html('<a href="{}">{}</a>', href, phones.display_phone(value))
