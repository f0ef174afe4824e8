"""Demo tickets and satisfaction answers, so reports and charts show something at once.

When the site has no tickets yet, a few months of requests are created on
the demo catalogue, with steps timed on the business clock (most on time,
some late, some still open); resolved tickets then get survey answers, and
each service a few walk-in answers. Everything is generated from a fixed
seed and only when missing, so running the loader again changes nothing.
Tickets are written with bulk_create: no e-mail is queued for them.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from services.catalogue.models import ServicePage
from services.core.clock import get_clock
from services.surveys.models import SurveyResponse
from services.tickets.creation import open_ticket
from services.tickets.deadlines import runs_clock
from services.tickets.models import Ticket, TicketStep

DEMO_MARK = "surveys-demo"
TICKETS = 90
DAYS_BACK = 150
NAMES = [
    "โรงเรียนบ้านหนองบัว",
    "โรงเรียนชุมชนบ้านโคก",
    "กลุ่มนโยบายและแผน",
    "กลุ่มบริหารงานบุคคล",
    "โรงเรียนอนุบาลประจำจังหวัด",
    "กลุ่มนิเทศ ติดตามและประเมินผล",
]
PEOPLE = [
    "นางสาวสุดารัตน์ ทองดี",
    "นายวีระพงษ์ แก้วมณี",
    "นางกาญจนา พรหมมา",
    "นายธีรวัฒน์ บุญมี",
    "นางสาวปิยะนุช ศรีสวัสดิ์",
]
COMMENTS = [
    "บริการรวดเร็ว เจ้าหน้าที่สุภาพมาก",
    "ได้รับลิงก์ห้องประชุมทันเวลา ขอบคุณค่ะ",
    "อยากให้มีช่องทางติดตามงานซ่อมทาง LINE",
    "",
    "",
    "รอนานกว่าที่แจ้งไว้เล็กน้อย",
]


def _office_time(rng, day):
    start = dt.datetime.combine(day, dt.time(8, 45), tzinfo=timezone.get_current_timezone())
    return start + dt.timedelta(minutes=rng.randrange(0, 7 * 60))


def _time_steps(ticket, rng, outcome, now):
    """Give the ticket's steps a past: each takes 30-140 % of its target."""
    clock = get_clock()
    cursor = ticket.created_at
    steps = list(ticket.steps.order_by("position"))
    stop_at = rng.randrange(1, len(steps) + 1) if outcome != "resolved" else len(steps) + 1
    for step in steps:
        step.status, step.started_at, step.due_at, step.done_at = (
            TicketStep.Status.PENDING,
            None,
            None,
            None,
        )
        step.warn_at = None
        amount, unit, mode = step.target_amount, step.target_unit, step.target_mode
        if step.position < stop_at or (outcome == "rejected" and step.position == stop_at):
            due = clock.add(cursor, amount, unit, mode) if runs_clock(step) else None
            allowed = (due - cursor) if due else dt.timedelta(hours=2)
            late = rng.random() < 0.15
            factor = rng.uniform(1.05, 1.6) if late else rng.uniform(0.3, 0.95)
            done = min(cursor + allowed * factor, now)
            step.status, step.started_at, step.due_at, step.done_at = (
                TicketStep.Status.DONE,
                cursor,
                due,
                done,
            )
            step.breached = bool(due and done > due)
            step.record_working_minutes(clock)
            cursor = done
        elif step.position == stop_at and outcome == "open":
            step.start(cursor)
        elif outcome == "rejected" and step.position > stop_at:
            step.status = TicketStep.Status.SKIPPED
    TicketStep.objects.bulk_update(
        [s for s in steps if not (outcome == "open" and s.position == stop_at)],
        ["status", "started_at", "due_at", "done_at", "working_minutes", "warn_at", "breached"],
    )
    return cursor


def _create_tickets(pages, rng, log):
    now = timezone.now()
    today = timezone.localdate()
    count = 0
    for number in range(TICKETS):
        page = pages[number % len(pages)]
        day = today - dt.timedelta(days=rng.randrange(1, DAYS_BACK))
        while day.weekday() >= 5:
            day -= dt.timedelta(days=1)
        created = _office_time(rng, day)
        age = (now - created).days
        roll = rng.random()
        outcome = "open" if age < 20 and roll < 0.5 else "rejected" if roll < 0.08 else "resolved"
        requester = {
            "requester_name": rng.choice(PEOPLE),
            "requester_org": rng.choice(NAMES),
            "requester_phone": "0 4300 0000",
            "requester_email": f"demo{number + 1}@example.com",
        }
        # The one ticket builder; past requests get no confirmation e-mail.
        ticket = open_ticket(
            page, requester, {"demo": DEMO_MARK}, language="th", now=created, notify=False
        )
        finished = _time_steps(ticket, rng, outcome, now)
        ticket.status = {
            "open": Ticket.Status.OPEN,
            "rejected": Ticket.Status.REJECTED,
            "resolved": Ticket.Status.RESOLVED,
        }[outcome]
        fields = ["status"]
        if outcome != "open":
            ticket.active_step = None
            fields.append("active_step")
        if outcome == "resolved":
            ticket.resolved_at = finished
            fields.append("resolved_at")
            if rng.random() < 0.5:
                ticket.status, ticket.closed_at = Ticket.Status.CLOSED, finished
                fields.append("closed_at")
        Ticket.objects.filter(pk=ticket.pk).update(**{f: getattr(ticket, f) for f in fields})
        count += 1
    log(f"created {count} demo tickets with timed steps")


def _scores(rng, low):
    centre = 3.2 if low else 4.3
    return [max(1, min(5, round(rng.gauss(centre, 0.7)))) for _ in range(5)]


def _answer(rng, page, when, ticket=None, low=False):
    ease, speed, manner, quality, overall = _scores(rng, low)
    return SurveyResponse(
        ticket=ticket,
        service=page,
        ease=ease,
        speed=speed,
        manner=manner,
        quality=quality,
        overall=overall,
        comment=rng.choice(COMMENTS),
        language="th",
        created_at=when,
        channel=SurveyResponse.Channel.LINK if ticket else SurveyResponse.Channel.WALK_IN,
    )


def build(log=print):
    pages = list(ServicePage.objects.live().order_by("path"))
    if not pages:
        log("no services: demo survey answers skipped")
        return
    rng = random.Random(20251001)
    # One service is kept below its 70 % target so the charts show a miss.
    low_service = pages[min(3, len(pages) - 1)].pk
    with transaction.atomic():
        # A history of finished requests, unless the site already has one.
        if not Ticket.objects.filter(
            status__in=[Ticket.Status.RESOLVED, Ticket.Status.CLOSED]
        ).exists():
            _create_tickets(pages, rng, log)
        # Only demo requesters (example.com addresses) get invented answers.
        unanswered = Ticket.objects.filter(
            status__in=[Ticket.Status.RESOLVED, Ticket.Status.CLOSED],
            survey__isnull=True,
            resolved_at__isnull=False,
            requester_email__endswith="@example.com",
        ).order_by("pk")
        answers = []
        for ticket in unanswered:
            if ticket.pk % 4 == 0:  # not everyone answers
                continue
            rng = random.Random(ticket.pk)
            when = ticket.resolved_at + dt.timedelta(hours=rng.randrange(1, 48))
            answers.append(
                _answer(
                    rng,
                    ticket.service,
                    min(when, timezone.now()),
                    ticket,
                    low=ticket.service_id == low_service,
                )
            )
        if not SurveyResponse.objects.filter(channel=SurveyResponse.Channel.WALK_IN).exists():
            today = timezone.localdate()
            for page in pages:
                rng = random.Random(page.pk)
                for _number in range(3):
                    day = today - dt.timedelta(days=rng.randrange(1, DAYS_BACK))
                    answers.append(
                        _answer(rng, page, _office_time(rng, day), low=page.pk == low_service)
                    )
        SurveyResponse.objects.bulk_create(answers)
    if answers:
        log(f"created {len(answers)} demo survey answers")
