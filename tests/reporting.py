"""Helpers for survey and report tests: services, tickets with timed steps, answers."""

import datetime as dt
import itertools

from django.utils import timezone

from services.catalogue.models import ServiceIndexPage, ServicePage
from services.core.clock import get_clock
from services.surveys.models import SurveyResponse
from services.tickets.models import Ticket, TicketStep, working_minutes_taken

BKK = dt.timezone(dt.timedelta(hours=7))
_sequence = itertools.count(1)


def at(year, month, day, hour=9, minute=0):
    """A Bangkok wall-clock time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=BKK)


def catalogue(home_page):
    index = ServiceIndexPage.objects.filter(slug="services-test").first()
    if index is None:
        index = ServiceIndexPage(title="บริการทดสอบ", slug="services-test")
        home_page.add_child(instance=index)
        index.save_revision().publish()
    return index


def make_service(home_page, slug="repair-test", code="ICT 02", title="ซ่อมคอมพิวเตอร์", target=70):
    page = ServicePage(
        title=title,
        slug=slug,
        code=code,
        kpi_target_percent=target,
        form_kind="repair",
        steps=[
            {
                "type": "step",
                "value": {
                    "title": "รับเรื่อง",
                    "kind": "intake",
                    "role": "officer",
                    "target_amount": 30,
                    "target_unit": "minutes",
                    "target_mode": "elapsed",
                    "description": "",
                    "target_label": "",
                    "alternatives": [],
                },
            },
            {
                "type": "step",
                "value": {
                    "title": "ซ่อม",
                    "kind": "work",
                    "role": "officer",
                    "target_amount": 2,
                    "target_unit": "hours",
                    "target_mode": "elapsed",
                    "description": "",
                    "target_label": "",
                    "alternatives": [],
                },
            },
        ],
    )
    catalogue(home_page).add_child(instance=page)
    page.save_revision().publish()
    return ServicePage.objects.get(pk=page.pk)


def make_ticket(
    service,
    created_at,
    status=Ticket.Status.RESOLVED,
    steps=(),
    email="a@example.com",
    language="th",
    mode="elapsed",
):
    """``steps``: (minutes taken, target minutes or None, done?) per step, one after another;
    targets are counted in ``mode`` time ("elapsed" or "working") on the business clock."""
    from home.thai import fiscal_year_be

    sequence = next(_sequence)
    year = fiscal_year_be(created_at)
    ticket = Ticket.objects.create(
        reference=Ticket.format_reference(year, sequence),
        fiscal_year=year,
        sequence=sequence,
        service=service,
        service_code=service.code,
        service_title=service.title,
        form_kind="repair",
        requester_name="ผู้ทดสอบ",
        requester_email=email,
        language=language,
        status=Ticket.Status.OPEN,
        created_at=created_at,
    )
    cursor = created_at
    rows = []
    clock = get_clock()
    for position, (taken, target, done) in enumerate(steps, start=1):
        due = clock.add(cursor, target, "minutes", mode) if target else None
        done_at = cursor + dt.timedelta(minutes=taken) if done else None
        rows.append(
            TicketStep(
                ticket=ticket,
                position=position,
                title=("รับเรื่อง", "ซ่อม", "รายงาน")[position - 1],
                kind="work",
                role="officer",
                target_amount=target,
                target_unit="minutes" if target else "",
                target_mode=mode,
                status=TicketStep.Status.DONE if done else TicketStep.Status.ACTIVE,
                started_at=cursor,
                due_at=due,
                done_at=done_at,
                # As the desk keeps it when a step is done (moves.complete_step).
                working_minutes=working_minutes_taken(cursor, done_at, clock),
            )
        )
        if done:
            cursor = cursor + dt.timedelta(minutes=taken)
    TicketStep.objects.bulk_create(rows)
    if status != Ticket.Status.OPEN:
        Ticket.objects.filter(pk=ticket.pk).update(status=status, resolved_at=cursor)
        ticket.refresh_from_db()
    return ticket


def answer(service, scores, when=None, ticket=None, comment=""):
    ease, speed, manner, quality, overall = scores
    return SurveyResponse.objects.create(
        service=service,
        ticket=ticket,
        ease=ease,
        speed=speed,
        manner=manner,
        quality=quality,
        overall=overall,
        comment=comment,
        created_at=when or timezone.now(),
        channel=SurveyResponse.Channel.LINK if ticket else SurveyResponse.Channel.WALK_IN,
    )
