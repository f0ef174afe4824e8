"""Demo tickets and survey answers: present after load_demo, unchanged by a second run."""

from django.core.management import call_command

from services.reports.build import build_report
from services.reports.period import Period
from services.surveys.models import SurveyResponse
from services.tickets.models import Ticket, TicketStep


def counts():
    return (
        Ticket.objects.count(),
        TicketStep.objects.count(),
        SurveyResponse.objects.count(),
        sorted(SurveyResponse.objects.values_list("ticket_id", "overall"), key=str),
    )


def test_demo_gives_reports_something_to_show_and_is_idempotent(demo_site):
    first = counts()
    tickets, steps, answers, _rows = first
    assert tickets >= 50 and steps > tickets and answers >= 30
    assert SurveyResponse.objects.filter(ticket__isnull=True).exists()
    assert Ticket.objects.filter(status=Ticket.Status.OPEN).exists()
    assert TicketStep.objects.filter(breached=True).exists()
    # Every done step keeps its office minutes, so the reports' medians show for them.
    done = TicketStep.objects.filter(status=TicketStep.Status.DONE)
    assert done.exists() and not done.filter(working_minutes__isnull=True).exists()
    call_command("load_demo", verbosity=0)
    assert counts() == first
    from django.utils import timezone

    from home.thai import fiscal_year_be

    this_year = build_report(Period.fiscal_year(fiscal_year_be(timezone.now())))
    last_year = build_report(Period.fiscal_year(fiscal_year_be(timezone.now()) - 1))
    received = this_year["totals"]["received"] + last_year["totals"]["received"]
    assert received == tickets
    assert this_year["satisfaction"]["count"] + last_year["satisfaction"]["count"] > 0
    medians = [row["median_working_minutes"] for row in this_year["steps"] + last_year["steps"]]
    assert any(median is not None for median in medians)
