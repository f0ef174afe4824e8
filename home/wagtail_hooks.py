"""Admin wiring of the site search: the synonyms snippet and the query report."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from home.search import admin_views
from home.search.models import Synonym


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
