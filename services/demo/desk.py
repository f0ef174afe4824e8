"""Demo content of the desk: booking resources, a calendar feed, and a few
tickets at different steps (one breached, one awaiting approval, one with a
booking tomorrow, one just submitted).

Tickets are found again by their demo requester e-mail, resources and the
feed by name, so running the loader twice changes nothing.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from services.bookings.models import CalendarFeed, Resource
from services.bookings.scheduling import confirm_booking
from services.catalogue.models import ServicePage
from services.core.clock import BANGKOK
from services.tickets import moves
from services.tickets.creation import open_ticket
from services.tickets.models import Ticket

RESOURCES = [
    ("Zoom บัญชีที่ 1 (300 คน)", Resource.Kind.ZOOM, 300),
    ("Zoom บัญชีที่ 2 (100 คน)", Resource.Kind.ZOOM, 100),
    ("ห้องประชุม DLICT ชั้น 2", Resource.Kind.ROOM, 30),
    ("ชุดถ่ายทอดสด (กล้อง สวิตเชอร์ ไมโครโฟน)", Resource.Kind.STREAM_KIT, 1000),
]


def _demo_officer():
    return get_user_model().objects.filter(username="officer").first()


def _requester(name, org, email):
    return {
        "requester_name": name,
        "requester_org": org,
        "requester_phone": "0 4300 0000",
        "requester_email": email,
    }


def _finish_current(ticket, user, note, now):
    """Record the current step as done as the office would have (demo history only)."""
    step = ticket.current_step
    moves.complete_step(step, user, note, now)
    moves.log_move(ticket, "finish", user, step=step.position, title=step.title, note=note)
    moves.advance(ticket, now)


def _ensure_resources(log):
    for name, kind, capacity in RESOURCES:
        _resource, created = Resource.objects.get_or_create(
            name=name, defaults={"kind": kind, "capacity": capacity}
        )
        if created:
            log(f"created booking resource {name}")
    if not CalendarFeed.objects.filter(name="ปฏิทินการจองทั้งหมด").exists():
        CalendarFeed.objects.create(name="ปฏิทินการจองทั้งหมด")
        log("created the all-bookings calendar feed")


def _breached(page, officer, now):
    created = now - dt.timedelta(days=10)
    ticket = open_ticket(
        page,
        _requester("นายวีระ ทองคำ", "โรงเรียนบ้านหนองบัว", "demo.breached@example.go.th"),
        {
            "category": "computer",
            "asset_number": "7440-001-0001/65",
            "location": "ห้องธุรการ",
            "symptom": "เปิดเครื่องแล้วจอดำ มีเสียงบี๊บยาว",
        },
        language="th",
        now=created,
    )
    if officer:
        Ticket.objects.filter(pk=ticket.pk).update(assignee=officer)
    return ticket


def _awaiting_approval(page, officer, now):
    created = now - dt.timedelta(minutes=50)
    ticket = open_ticket(
        page,
        _requester("นางสาวมาลี ใจงาม", "กลุ่มบริหารงานบุคคล", "demo.approval@example.go.th"),
        {
            "category": "software",
            "location": "กลุ่มบริหารงานบุคคล",
            "symptom": "ขอติดตั้งโปรแกรมสำนักงานรุ่นใหม่ 5 เครื่อง",
        },
        language="th",
        now=created,
    )
    _finish_current(ticket, None, "รับแบบฟอร์มแล้ว", created + dt.timedelta(minutes=5))
    _finish_current(ticket, officer, "ส่งธุรการกลุ่มแล้ว", created + dt.timedelta(minutes=20))
    return ticket


def _booking_tomorrow(page, officer, now):
    tomorrow = (now.astimezone(BANGKOK) + dt.timedelta(days=1)).date()
    starts = dt.datetime.combine(tomorrow, dt.time(9, 0), tzinfo=BANGKOK)
    ends = dt.datetime.combine(tomorrow, dt.time(12, 0), tzinfo=BANGKOK)
    created = now - dt.timedelta(minutes=30)
    ticket = open_ticket(
        page,
        _requester("Mr. John Carter", "English Program, Demo School", "demo.booking@example.go.th"),
        {
            "title": "ประชุมครูโครงการ EP",
            "date": tomorrow.isoformat(),
            "start_time": "09:00",
            "end_time": "12:00",
            "participants": 80,
            "platform": "zoom",
            "recording": True,
            "live_stream": False,
        },
        language="en",
        now=created,
    )
    _finish_current(ticket, officer, "รับเรื่องแล้ว", created + dt.timedelta(minutes=5))
    booking = confirm_booking(
        ticket,
        officer,
        starts,
        ends,
        participants=80,
        kind=Resource.Kind.ZOOM,
        meeting_id="812 3456 7890",
        join_url="https://zoom.example/j/81234567890",
        passcode="ict2569",
        now=now,
    )
    _finish_current(ticket, officer, f"จอง {booking.resource.name} แล้ว", now)
    return ticket


def _just_submitted(page, officer, now):
    return open_ticket(
        page,
        _requester("นายสุรชัย พรมมา", "โรงเรียนบ้านโนนสูง", "demo.new@example.go.th"),
        {
            "data_wanted": "จำนวนนักเรียนแยกตามชั้น ปีการศึกษา 2568",
            "purpose": "จัดทำแผนปฏิบัติการ",
            "data_format": "excel",
            "delivery": "email",
        },
        language="th",
        now=now - dt.timedelta(minutes=3),
    )


DEMO_TICKETS = [
    ("demo.breached@example.go.th", "computer-internet-repair", _breached),
    ("demo.approval@example.go.th", "hardware-software-repair", _awaiting_approval),
    ("demo.booking@example.go.th", "zoom-meeting-room", _booking_tomorrow),
    ("demo.new@example.go.th", "education-information", _just_submitted),
]


@transaction.atomic
def build(log=print):
    _ensure_resources(log)
    officer = _demo_officer()
    now = timezone.now()
    for email, slug, make in DEMO_TICKETS:
        if Ticket.objects.filter(requester_email=email).exists():
            continue
        page = ServicePage.objects.filter(slug=slug).first()
        if page is None:
            continue
        ticket = make(page, officer, now)
        log(f"created demo ticket {ticket.reference} ({slug})")
