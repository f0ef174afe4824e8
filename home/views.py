"""Public views of the home app: site search."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
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
