"""Working minutes kept on done steps: filled for rows written without the desk, and
by the migration for the steps done before the field existed."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.db import connection

from services.reports.models import PeriodFigures, RollupWatermark
from services.tickets.models import TicketStep, fill_working_minutes
from tests.reporting import at, make_service, make_ticket

backfill_migration = importlib.import_module(
    "services.migrations.0018_backfill_step_working_minutes"
)


@pytest.fixture
def unfilled(home_page):
    """Steps done with no working minutes, as they were before the field existed:
    Friday 16:00 + 3,930 minutes = Monday 09:30 (90 office minutes); a step done in
    20 minutes on a Monday morning; a step still active."""
    service = make_service(home_page)
    tickets = [
        make_ticket(service, at(2026, 3, 13, 16, 0), steps=[(3930, 120, True), (20, 30, True)]),
        make_ticket(service, at(2026, 3, 16, 9, 0), steps=[(20, 30, True), (5, 30, False)]),
    ]
    TicketStep.objects.update(working_minutes=None)
    return tickets


def expected(tickets):
    weekend, monday = tickets
    return {(weekend.pk, 1): 90, (weekend.pk, 2): 20, (monday.pk, 1): 20, (monday.pk, 2): None}


def kept(tickets):
    return {
        (s.ticket_id, s.position): s.working_minutes
        for s in TicketStep.objects.filter(ticket__in=tickets)
    }


def test_fill_working_minutes_counts_office_hours_in_batches(unfilled):
    assert fill_working_minutes(batch=2) == 3
    assert kept(unfilled) == expected(unfilled)
    assert fill_working_minutes() == 0  # nothing left to fill


def test_migration_fills_done_steps_and_drops_elapsed_figures(unfilled, monkeypatch):
    PeriodFigures.objects.create(
        period_key="month:2026-03",
        first_day=dt.date(2026, 3, 1),
        last_day=dt.date(2026, 3, 31),
        data={"percentiles": [[[1], [3930.0, 3930.0]]], "settled_breaches": []},
    )
    RollupWatermark.objects.create(name="daily", last_ticket=99, last_log=5, last_answer=3)
    monkeypatch.setattr(backfill_migration, "BATCH", 2)  # more than one batch

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    backfill_migration.backfill(apps, editor)

    assert kept(unfilled) == expected(unfilled)
    assert not PeriodFigures.objects.exists()
    mark = RollupWatermark.objects.get(name="daily")
    assert (mark.last_ticket, mark.last_log, mark.last_answer) == (0, 5, 3)


def test_a_step_without_working_minutes_is_left_out_of_the_working_figures_only(home_page):
    from django.db.models import F

    from services.reports.queries import step_percentiles

    service = make_service(home_page)
    for taken in (10, 20, 60):
        make_ticket(service, at(2026, 3, 16, 9, 0), steps=[(taken, 30, True)])
    TicketStep.objects.filter(done_at=at(2026, 3, 16, 10, 0)).update(working_minutes=None)
    figures = step_percentiles(TicketStep.objects.all(), {"g_position": F("position")})
    assert figures[(1,)]["working"] == pytest.approx([15.0, 19.0])  # of 10 and 20
    assert figures[(1,)]["elapsed"] == pytest.approx([20.0])  # of 10, 20 and 60
    TicketStep.objects.update(working_minutes=None)
    figures = step_percentiles(TicketStep.objects.all(), {"g_position": F("position")})
    assert figures[(1,)] == {"working": [None, None], "elapsed": [pytest.approx(20.0)]}
