"""ITA open data: public pages generated from the desk and the catalogue.

- ``statistics``: e-service statistics of a fiscal year or one of its months,
  per service and channel, with the share of steps done within the standard
  time and satisfaction. The figures come from ``reports.build.build_report``,
  the same function as the officers' report, so both always agree.
- ``complaints``: the same figures for the complaint service
  (``settings.ITA_COMPLAINT_SERVICE_CODE``), month by month.
- ``manuals``: every published service standard in one printable page.
"""

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from home.thai import THAI_MONTHS, fiscal_year_be
from services.catalogue.models import ServicePage
from services.reports.build import build_report
from services.reports.period import Period
from services.tickets.models import Ticket

YEARS_SHOWN = 6
CACHE_SECONDS = 600


def current_fiscal_year():
    return fiscal_year_be(timezone.now())


def fiscal_months(year_be):
    """(calendar year, month) of each month of a B.E. fiscal year, October first."""
    year_ce = year_be - 543
    return [(year_ce - 1, m) for m in (10, 11, 12)] + [(year_ce, m) for m in range(1, 10)]


class PeriodForm(forms.Form):
    fy = forms.TypedChoiceField(label=_("ปีงบประมาณ พ.ศ."), coerce=int, required=False)
    month = forms.TypedChoiceField(
        label=_("เดือน"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("ทั้งปีงบประมาณ"))] + [(i, n) for i, n in enumerate(THAI_MONTHS, 1)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = current_fiscal_year()
        self.fields["fy"].choices = [
            (y, str(y)) for y in range(this_year, this_year - YEARS_SHOWN, -1)
        ]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = _("กรุณาเลือกจากรายการ")

    def period(self):
        year = self.cleaned_data.get("fy") or current_fiscal_year()
        month = self.cleaned_data.get("month")
        if month:
            calendar_year = dict((m, y) for y, m in fiscal_months(year))[month]
            return year, Period.month(calendar_year, month)
        return year, Period.fiscal_year(year)


def _period_form(request):
    form = PeriodForm(request.GET or None)
    if request.GET and not form.is_valid():
        return form, None, None
    if not request.GET:
        form = PeriodForm(initial={"fy": current_fiscal_year()})
        form.cleaned_data = {}
    year, period = form.period()
    return form, year, period


def channel_counts(period):
    """{service id: {channel: requests}} for the tickets submitted in ``period``."""
    start, end = period.bounds()
    counts = {}
    rows = (
        Ticket.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("service_id", "channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts.setdefault(row["service_id"], {})[row["channel"]] = row["n"]
    return counts


def _public(response):
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


@require_http_methods(["GET", "HEAD"])
def statistics(request):
    form, year, period = _period_form(request)
    if period is None:
        return TemplateResponse(request, "services/ita_statistics.html", {"form": form}, status=400)
    report = build_report(period)
    by_channel = channel_counts(period)
    channels = Ticket.Channel.choices
    for service in report["services"]:
        counts = by_channel.get(service["id"], {})
        service["channels"] = [counts.get(value, 0) for value, _label in channels]
    totals_by_channel = [
        sum(by_channel.get(s["id"], {}).get(value, 0) for s in report["services"])
        for value, _label in channels
    ]
    context = {
        "form": form,
        "fiscal_year": year,
        "period": period,
        "report": report,
        "channels": [label for _value, label in channels],
        "totals_by_channel": totals_by_channel,
    }
    if period.kind != "month":
        context["trend"] = list(
            zip(
                report["trend"]["labels"],
                report["trend"]["received"],
                report["trend"]["completed"],
                strict=True,
            )
        )
    return _public(TemplateResponse(request, "services/ita_statistics.html", context))


def complaint_service():
    return ServicePage.objects.live().filter(code=settings.ITA_COMPLAINT_SERVICE_CODE).first()


def complaint_figures(service, year):
    """The complaint service's row of the report, for the fiscal year and each month so far."""
    key = f"ita:complaints:{service.pk}:{year}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    today = timezone.localdate()

    def row(period):
        for item in build_report(period)["services"]:
            if item["id"] == service.pk:
                return item
        return None

    months = []
    for calendar_year, month in fiscal_months(year):
        if (calendar_year, month) > (today.year, today.month):
            break
        months.append(
            (THAI_MONTHS[month - 1], calendar_year + 543, row(Period.month(calendar_year, month)))
        )
    figures = {"year": row(Period.fiscal_year(year)), "months": months}
    cache.set(key, figures, CACHE_SECONDS)
    return figures


@require_http_methods(["GET", "HEAD"])
def complaints(request):
    form, year, period = _period_form(request)
    service = complaint_service()
    if period is None:
        return TemplateResponse(
            request, "services/ita_complaints.html", {"form": form, "service": service}, status=400
        )
    context = {"form": form, "fiscal_year": year, "service": service}
    if service is not None:
        context["figures"] = complaint_figures(service, year)
    return _public(TemplateResponse(request, "services/ita_complaints.html", context))


@require_http_methods(["GET", "HEAD"])
def manuals(request):
    pages = sorted(
        ServicePage.objects.live().public().specific(), key=lambda p: (p.code or "~", p.title)
    )
    return _public(
        TemplateResponse(
            request,
            "services/ita_manuals.html",
            {"services": [(page, page.step_values()) for page in pages], "now": timezone.now()},
        )
    )
