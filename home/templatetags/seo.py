"""What search engines and link previews read: a description for every page."""

from django import template
from django.conf import settings
from django.utils.html import strip_tags
from django.utils.text import Truncator

register = template.Library()

FALLBACK_FIELDS = ("search_description", "summary", "intro", "form_intro")


@register.simple_tag(takes_context=True)
def meta_description(context, page=None):
    """The page's search description, else its summary or introduction, else the
    office's name: never empty, at most about 160 characters."""
    page = page or context.get("page")
    if page is not None and hasattr(page, "specific"):
        page = page.specific
    for field in FALLBACK_FIELDS:
        text = " ".join(strip_tags(str(getattr(page, field, "") or "")).split())
        if text:
            return Truncator(text).chars(160)
    office = getattr(context.get("settings"), "home", None)
    name = getattr(getattr(office, "OfficeSettings", None), "name", "") if office else ""
    return name or settings.WAGTAIL_SITE_NAME
