"""Public views of the home app: site search, robots.txt and the favicon."""

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Page

from home.search import clean_query

RESULTS_PER_PAGE = 10


def search(request):
    raw = request.GET.get("q", "")
    query, truncated = clean_query(raw)
    message = ""
    results = None
    if not raw.strip():
        message = _("กรุณาพิมพ์คำที่ต้องการค้นหา")
    elif not query:
        message = _("ไม่พบคำที่ใช้ค้นหาได้ กรุณาลองคำอื่น")
    else:
        if truncated:
            message = _("คำค้นยาวเกินไป ระบบใช้เฉพาะส่วนต้นของคำค้น")
        pages = Page.objects.live().public().specific().search(query, operator="and")
        results = Paginator(pages, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "search/search.html",
        {"raw_query": raw[:200], "query": query, "results": results, "message": message},
    )


# Private or per-person addresses that search engines have no business crawling.
ROBOTS_DISALLOW = ["/admin/", "/track/", "/survey/t/", "/desk/", "/calendar/", "/publishing/"]


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says."""
    return HttpResponsePermanentRedirect(staticfiles_storage.url("img/favicon.ico"))
