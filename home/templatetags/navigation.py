"""The main menu: live children of the home page marked "show in menus"."""

from django import template
from wagtail.models import Site

from home.pagecache import remember

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """[{"pk", "title", "url"}, ...], kept in the page cache until the next purge."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []

    def items():
        pages = site.root_page.get_children().live().in_menu().public()
        return [{"pk": p.pk, "title": p.title, "url": p.get_url(request)} for p in pages]

    return remember("main-menu", items, site.pk)
