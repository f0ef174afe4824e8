"""Public views of the home app: site search and its suggestions, robots.txt and the favicon."""

from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Page

from home.search.run import first_content_types, search_site
from home.search.text import MAX_QUERY_LENGTH, clean_query

MAX_SUGGESTIONS = 8


def search(request):
    raw = request.GET.get("q", "")
    exact = request.GET.get("exact") == "1"
    page_number = request.GET.get("page")
    if page_number is not None and not page_number.isdigit():
        page_number = "1"
    message = ""
    outcome = None
    if not raw.strip():
        message = _("กรุณาพิมพ์คำที่ต้องการค้นหา")
    else:
        outcome = search_site(raw, page_number, exact=exact)
        if outcome is None:
            message = _("ไม่พบคำที่ใช้ค้นหาได้ กรุณาลองคำอื่น")
        elif outcome.expansion.truncated:
            message = _("คำค้นยาวเกินไป ระบบใช้เฉพาะส่วนต้นของคำค้น")
    return render(
        request,
        "search/search.html",
        {
            "raw_query": raw[:MAX_QUERY_LENGTH],
            "outcome": outcome,
            "results": outcome.others if outcome else None,
            "message": message,
            "exact": exact,
        },
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


def suggest(request):
    """Service pages whose title starts like what is typed, for the search box."""
    query, _truncated = clean_query(request.GET.get("q", "")[:MAX_QUERY_LENGTH])
    items = []
    if query:
        pages = (
            Page.objects.live()
            .public()
            .filter(content_type__in=first_content_types())
            .specific()
            .autocomplete(query)[:MAX_SUGGESTIONS]
        )
        items = [
            {"title": page.title, "url": page.url, "code": getattr(page, "code", "")}
            for page in pages
        ]
    return JsonResponse({"results": items})
