"""The admin report of what people searched for, and its one-click fixes.

Who may read it and who may add a synonym or a promotion is decided by Django
permissions (``home.view_searchquerylog``, ``home.add_synonym``,
``wagtailsearchpromotions.add_searchpromotion``), which the role setup grants
to groups.
"""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from home.search import log
from home.search.models import Synonym
from home.search.run import first_content_types
from home.search.text import normal_form
from home.thai import THAI_MONTHS

VIEW_PERMISSION = "home.view_searchquerylog"
SYNONYM_PERMISSION = "home.add_synonym"
PROMOTION_PERMISSION = "wagtailsearchpromotions.add_searchpromotion"
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
MAX_PAGE_CHOICES = 200


def may_view(user):
    return user.is_active and user.has_perm(VIEW_PERMISSION)


def _month_label(year, month):
    return f"{THAI_MONTHS[month - 1]} {year + 543}"


def _recent_months(today, count=12):
    year, month = today.year, today.month
    months = []
    for _i in range(count):
        months.append((f"{year + 543}-{month:02d}", _month_label(year, month)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def _parse_month(value, today):
    """(year CE, month) from "2569-05" (B.E.) or "2026-05"; None when unreadable."""
    if not value:
        return today.year, today.month
    found = _MONTH.match(value.strip())
    if not found:
        return None
    year, month = int(found.group(1)), int(found.group(2))
    if year >= 2400:
        year -= 543
    if not (1 <= month <= 12 and 2000 <= year <= 2200):
        return None
    return year, month


def page_choices():
    """Pages a query may be pinned to: service standards first, then other live pages."""
    first = first_content_types()
    live = Page.objects.live().public().filter(depth__gt=1)
    services = list(live.filter(content_type__in=first).order_by("title")[:MAX_PAGE_CHOICES])
    others = list(live.exclude(content_type__in=first).order_by("title")[:MAX_PAGE_CHOICES])
    return services + others


def report(request, status=200, bound=None):
    if not may_view(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    parsed = _parse_month(request.GET.get("month", ""), today)
    error = ""
    if parsed is None:
        error = gettext("เดือนไม่ถูกต้อง กรุณาเลือกเดือนจากรายการ")
        parsed, status = (today.year, today.month), 400
    year, month = parsed
    data = log.month_report(year, month)
    context = {
        "header_title": _("คำค้นบนเว็บไซต์"),
        "month_value": f"{year + 543}-{month:02d}",
        "month_label": _month_label(year, month),
        "months": _recent_months(today),
        "error": error,
        "data": data,
        "pages": page_choices(),
        "may_add_synonym": request.user.has_perm(SYNONYM_PERMISSION),
        "may_promote": request.user.has_perm(PROMOTION_PERMISSION),
        "bound": bound or {},
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": _("หน้าแรก")},
            {"url": "", "label": _("คำค้นบนเว็บไซต์")},
        ],
    }
    return TemplateResponse(request, "home/admin/search_report.html", context, status=status)


def _back(request):
    month = request.POST.get("month", "")
    url = reverse("home_search_report")
    return redirect(f"{url}?month={month}" if _MONTH.match(month) else url)


def add_synonym(request):
    """One click on a report row: the query becomes a synonym of the words typed beside it."""
    if request.method != "POST":
        return _back(request)
    if not (may_view(request.user) and request.user.has_perm(SYNONYM_PERMISSION)):
        raise PermissionDenied
    term = request.POST.get("term", "")[:200]
    means = request.POST.get("means", "")[:1000]
    synonym = Synonym(term=term, means=means)
    try:
        synonym.full_clean(exclude=["key"])
    except ValidationError as error:
        bound = {
            "term": term,
            "means": means,
            "errors": [m for ms in error.message_dict.values() for m in ms],
        }
        messages.error(
            request,
            gettext("เพิ่มคำพ้องความหมายไม่ได้: %(reason)s") % {"reason": " ".join(bound["errors"])},
        )
        return report(request, status=400, bound=bound)
    synonym.save()
    messages.success(
        request,
        gettext("เพิ่มคำพ้องความหมาย “%(term)s” แล้ว มีผลกับการค้นหาครั้งถัดไปทันที") % {"term": synonym.term},
    )
    return _back(request)


def add_promotion(request):
    """One click on a report row: pin a page to the query, above every other result."""
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    if request.method != "POST":
        return _back(request)
    if not (may_view(request.user) and request.user.has_perm(PROMOTION_PERMISSION)):
        raise PermissionDenied
    query = normal_form(request.POST.get("query", ""))
    page_id = request.POST.get("page", "")
    page = None
    if page_id.isdigit():
        page = Page.objects.live().public().filter(pk=int(page_id), depth__gt=1).first()
    if not query or page is None:
        messages.error(request, gettext("กรุณาเลือกหน้าที่ต้องการแนะนำสำหรับคำค้นนี้"))
        return report(request, status=400, bound={"query": query, "page": page_id})
    with transaction.atomic():
        promoted = Query.get(query)
        existing = SearchPromotion.objects.filter(query=promoted)
        first = existing.aggregate(first=Min("sort_order"))["first"]
        existing.filter(page=page).delete()
        SearchPromotion.objects.create(
            query=promoted,
            page=page,
            sort_order=0 if first is None else first - 1,
            description=gettext("เพิ่มจากรายงานคำค้น"),
        )
    messages.success(
        request,
        gettext("แนะนำหน้า “%(page)s” เป็นผลแรกของคำค้น “%(query)s” แล้ว")
        % {"page": page.title, "query": query},
    )
    return _back(request)
