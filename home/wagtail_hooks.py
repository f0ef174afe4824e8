"""Wagtail hooks of the public site: the page cache marker, the synonyms snippet
and the search query report."""

from urllib.parse import urlsplit

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from home.pagecache import mark_cacheable
from home.search import admin_views
from home.search.models import Synonym


@hooks.register("on_serve_page")
def page_cache_marker(next_serve_page):
    """Marks a page's own URL as cacheable once every serve check has passed.

    Sub-routes (a service page's confirmation, QR codes, posters) keep their
    own URLs and are never marked.
    """

    def serve(page, request, args, kwargs):
        if request.method == "GET" and not getattr(request, "is_preview", False):
            url = page.get_url(request)
            if url and urlsplit(url).path == request.path:
                mark_cacheable(request)
        return next_serve_page(page, request, args, kwargs)

    return serve


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "list-ul"
    menu_label = _("คำพ้องความหมาย (ค้นหา)")
    list_display = ["term", "means", "updated_at"]
    search_fields = ["term", "means"]
    search_backend_name = None
    ordering = ["term"]


register_snippet(SynonymViewSet)


@hooks.register("register_admin_urls")
def search_report_urls():
    return [
        path("search-report/", admin_views.report, name="home_search_report"),
        path("search-report/synonym/", admin_views.add_synonym, name="home_search_add_synonym"),
        path(
            "search-report/promotion/", admin_views.add_promotion, name="home_search_add_promotion"
        ),
    ]


class SearchReportMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_view(request.user)


@hooks.register("register_reports_menu_item")
def search_report_menu():
    return SearchReportMenuItem(
        _("คำค้นบนเว็บไซต์"),
        reverse("home_search_report"),
        name="search-queries",
        icon_name="search",
        order=900,
    )
