"""Panels on the admin home page: open tickets by service, this week's breaches and
this fiscal year's satisfaction against its target. Each is one aggregate query."""

import datetime as dt

from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component

from home.thai import fiscal_year_be
from services.reports.kpi import DEFAULT_TARGET, FORMULA, Satisfaction
from services.reports.period import Period
from services.reports.queries import breached_q
from services.surveys.models import SCORE_MEAN, SurveyResponse
from services.tickets.models import Ticket, TicketStep

BREACHES_SHOWN = 8


class OpenTicketsPanel(Component):
    name = "open_tickets_by_service"
    template_name = "services/reports/panels/open_tickets.html"
    order = 90

    def get_context_data(self, parent_context=None):
        rows = (
            Ticket.objects.filter(status=Ticket.Status.OPEN)
            .values("service_code", "service_title")
            .annotate(count=Count("id"))
            .order_by("-count", "service_title")
        )
        rows = list(rows)
        return {"rows": rows, "total": sum(r["count"] for r in rows)}


def week_bounds(now=None):
    """Monday 00:00 to next Monday 00:00, office time."""
    today = timezone.localdate(now)
    monday = today - dt.timedelta(days=today.weekday())
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=zone)
    return start, start + dt.timedelta(days=7)


class BreachesPanel(Component):
    name = "breaches_this_week"
    template_name = "services/reports/panels/breaches.html"
    order = 91

    def __init__(self, now=None):
        self.now = now

    def get_context_data(self, parent_context=None):
        now = self.now or timezone.now()
        start, end = week_bounds(now)
        late = TicketStep.objects.filter(due_at__gte=start, due_at__lt=end).filter(breached_q(now))
        rows = (
            late.select_related("ticket")
            .order_by("due_at")
            .only(
                "position",
                "title",
                "due_at",
                "done_at",
                "ticket__reference",
                "ticket__service_title",
            )[:BREACHES_SHOWN]
        )
        return {
            "rows": rows,
            "total": late.count(),
            "week_start": start,
            "week_end": end - dt.timedelta(days=1),
        }


class SatisfactionPanel(Component):
    name = "satisfaction_this_year"
    template_name = "services/reports/panels/satisfaction.html"
    order = 92

    def get_context_data(self, parent_context=None):
        year_be = fiscal_year_be(timezone.now())
        period = Period.fiscal_year(year_be)
        start, end = period.bounds()
        answers = SurveyResponse.objects.filter(created_at__gte=start, created_at__lt=end)
        overall = answers.aggregate(mean=Avg(SCORE_MEAN), count=Count("id"))
        rows = (
            answers.values("service__title", "service__kpi_target_percent")
            .annotate(mean=Avg(SCORE_MEAN), count=Count("id"))
            .order_by("service__title")
        )
        services = [
            {
                "title": r["service__title"] or "–",
                "kpi": Satisfaction.from_aggregate(
                    r["mean"], r["count"], r["service__kpi_target_percent"] or DEFAULT_TARGET
                ),
            }
            for r in rows
        ]
        return {
            "period": period,
            "formula": FORMULA,
            "heading": _("ความพึงพอใจ %(period)s") % {"period": period.label},
            "overall": Satisfaction.from_aggregate(overall["mean"], overall["count"]),
            "services": services,
        }
