"""The booking lifecycle: the schedule form filled from the request, reschedule and
edit with notices and a higher SEQUENCE, cancellation notices, no resolve (and no
survey) before the booking ends, meeting details on the tracking page."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from services.bookings import scheduling
from services.bookings.calendar import build_calendar
from services.bookings.models import Booking, CalendarFeed, Loan, Resource
from services.core.models import OutboxMessage
from services.desk.forms import RescheduleForm, ScheduleForm
from services.tickets import moves
from services.tickets.models import Ticket, TicketStep
from tests.desk_helpers import advance_to, desk_users, make_ticket, step

pytestmark = pytest.mark.django_db

STEPS = [step("intake", amount=10, unit="minutes"), step("schedule"), step("work"), step("report")]


def later(days=3, hour=9):
    day = (timezone.localtime() + dt.timedelta(days=days)).date()
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def users():
    return desk_users()


@pytest.fixture
def booked(users):
    zoom = Resource.objects.create(name="Zoom A", kind="zoom", capacity=100)
    Resource.objects.create(name="Zoom B", kind="zoom", capacity=300)
    ticket = advance_to(make_ticket(STEPS, timezone.now()), 2, timezone.now())
    start = later()
    booking = moves.perform(
        "schedule",
        ticket,
        users["officer"],
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        participants=40,
        resource=zoom,
        meeting_id="987 654 3210",
        join_url="https://zoom.example/j/9876543210",
        passcode="ab12",
    )
    OutboxMessage.objects.all().delete()
    ticket.refresh_from_db()
    return ticket, booking


def test_schedule_form_opens_filled_from_the_request(users):
    ticket = make_ticket(STEPS, timezone.now())
    ticket.answers = {
        "date": "2030-01-15",
        "start_time": "09:00",
        "end_time": "12:30",
        "participants": 45,
        "platform": "zoom",
    }
    form = ScheduleForm(ticket=ticket, step=None)
    assert form.initial["starts_at"].strftime("%Y-%m-%d %H:%M") == "2030-01-15 09:00"
    assert form.initial["ends_at"].strftime("%H:%M") == "12:30"
    assert form.initial["participants"] == 45 and form.initial["kind"] == "zoom"
    html = form.as_p()
    assert 'value="2030-01-15T09:00"' in html and 'value="45"' in html
    ticket.answers = {"date": "not a date", "start_time": "<script>", "participants": "many"}
    assert "starts_at" not in ScheduleForm(ticket=ticket, step=None).initial


def test_reschedule_tells_everyone_once_and_raises_the_sequence(users, booked):
    ticket, booking = booked
    form = RescheduleForm(ticket=ticket, step=None)
    assert form.initial["booking"] == booking.pk and form.initial["meeting_id"] == "987 654 3210"
    new_start = later(days=4, hour=13)
    moved = moves.perform(
        "reschedule",
        ticket,
        users["officer"],
        booking=booking,
        starts_at=new_start,
        ends_at=new_start + dt.timedelta(hours=1),
        participants=40,
        note="ผู้ขอเลื่อนวัน",
    )
    assert moved.sequence == booking.sequence + 1 and moved.starts_at == new_start
    notices = OutboxMessage.objects.filter(kind="booking_changed")
    recipients = sorted(address for message in notices for address in message.to)
    assert len(notices) == 3
    assert recipients == sorted(
        ["requester@example.com", "officer1@example.go.th", *settings.NETWORK_TEAM_EMAILS]
    )
    # the feed shows the new time with SEQUENCE one higher
    feed = CalendarFeed.objects.create(name="ทั้งหมด")
    [event] = Calendar.from_ical(build_calendar(feed)).walk("VEVENT")
    assert event.decoded("dtstart") == new_start
    assert int(event["sequence"]) == 1
    # done again with the same values: a second change, told again with a new key
    moves.perform(
        "reschedule",
        ticket,
        users["officer"],
        booking=moved,
        starts_at=new_start,
        ends_at=new_start + dt.timedelta(hours=2),
    )
    assert OutboxMessage.objects.filter(kind="booking_changed").count() == 6


def test_reschedule_is_conflict_checked_and_by_officers_only(users, booked):
    ticket, booking = booked
    other = advance_to(make_ticket(STEPS, timezone.now()), 2, timezone.now())
    taken = later(days=5)
    moves.perform(
        "schedule",
        other,
        users["officer"],
        starts_at=taken,
        ends_at=taken + dt.timedelta(hours=2),
        resource=booking.resource,
    )
    with pytest.raises(scheduling.BookingConflict):
        moves.perform(
            "reschedule",
            ticket,
            users["officer"],
            booking=booking,
            starts_at=taken + dt.timedelta(hours=1),
            ends_at=taken + dt.timedelta(hours=3),
        )
    with pytest.raises(moves.MoveNotAllowed):  # in the past
        moves.perform(
            "reschedule",
            ticket,
            users["officer"],
            booking=booking,
            starts_at=later(days=-2),
            ends_at=later(days=-2, hour=10),
        )
    with pytest.raises(moves.MoveNotAllowed):  # another ticket's booking
        moves.perform(
            "reschedule",
            ticket,
            users["officer"],
            booking=other.bookings.get(),
            starts_at=later(days=6),
            ends_at=later(days=6, hour=10),
        )
    for who in ("approver", "director", "executive", "staff"):
        with pytest.raises(moves.MoveNotAllowed):
            moves.perform(
                "reschedule",
                ticket,
                users[who],
                booking=booking,
                starts_at=later(days=7),
                ends_at=later(days=7, hour=10),
            )
    booking.refresh_from_db()
    assert booking.sequence == 0 and booking.starts_at == later()
    # the move is offered only while a booking has not ended
    assert "reschedule" in moves.allowed_moves(ticket, users["officer"])
    plain = make_ticket(STEPS, timezone.now())
    assert "reschedule" not in moves.allowed_moves(plain, users["officer"])


def test_cancel_marks_the_event_cancelled_and_tells_the_network_team(users, booked):
    ticket, booking = booked
    moves.cancel(ticket, users["officer"], "ยกเลิกการประชุม")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and booking.sequence == 1
    [notice] = OutboxMessage.objects.filter(key__endswith=":network", kind="booking_changed")
    assert notice.to == sorted(settings.NETWORK_TEAM_EMAILS)
    assert "ยกเลิก" in notice.subject
    feed = CalendarFeed.objects.create(name="ทั้งหมด")
    [event] = Calendar.from_ical(build_calendar(feed)).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED" and int(event["sequence"]) == 1


def test_no_resolve_and_no_survey_before_the_booking_ends(users, booked):
    ticket, booking = booked
    officer = users["officer"]
    with pytest.raises(moves.MoveNotAllowed) as refused:
        moves.resolve(ticket, officer, "เสร็จแล้ว")
    assert "หลังการจองสิ้นสุด" in refused.value.message
    moves.finish(ticket, officer)  # the work step may finish: the report step is left
    with pytest.raises(moves.MoveNotAllowed):
        moves.finish(ticket, officer)  # the last step would resolve it
    assert "resolve" not in moves.allowed_moves(ticket, officer)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert not OutboxMessage.objects.filter(kind="survey_invitation").exists()
    # the meeting is over
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    moves.finish(ticket, officer, "ส่งรายงานแล้ว")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.RESOLVED
    assert OutboxMessage.objects.filter(kind="survey_invitation").count() == 1
    assert ticket.steps.filter(status=TicketStep.Status.DONE).count() == 4


def test_tracking_page_shows_the_meeting_details_to_the_token_holder(booked):
    ticket, booking = booked
    page = Client().get(ticket.get_tracking_url()).content.decode()
    assert "987 654 3210" in page and "https://zoom.example/j/9876543210" in page
    assert "ab12" in page
    lookup = Client().get(reverse("services:track_lookup")).content.decode()
    assert "987 654 3210" not in lookup


def test_public_free_busy_page_has_no_personal_data(booked):
    ticket, booking = booked
    day = timezone.localtime(booking.starts_at).date()
    page = Client().get(reverse("services:availability"), {"day": day.isoformat()})
    text = page.content.decode()
    assert page.status_code == 200 and "Zoom A" in text
    assert timezone.localtime(booking.starts_at).strftime("%H:%M") in text
    for private in (ticket.reference, ticket.requester_name, "987 654 3210", "ab12"):
        assert private not in text
    assert Client().get(reverse("services:availability"), {"day": "<x>"}).status_code == 200


def test_admin_calendar_shows_bookings_to_the_desk_only(users, booked):
    ticket, booking = booked
    day = timezone.localtime(booking.starts_at).date().isoformat()
    for view in ("week", "month"):
        client = Client()
        client.force_login(users["executive"])
        page = client.get("/admin/desk/calendar/", {"view": view, "day": day})
        assert page.status_code == 200 and ticket.reference in page.content.decode()
    client = Client()
    client.force_login(users["staff"])
    assert client.get("/admin/desk/calendar/").status_code in (302, 403)


def test_loan_reminder_goes_once_a_day_before_the_due_date(users):
    ticket = make_ticket(STEPS, timezone.now())
    now = timezone.now()
    loan = Loan.objects.create(
        ticket=ticket, item="โปรเจกเตอร์ Epson", lent_at=now, due_at=now + dt.timedelta(hours=20)
    )
    Loan.objects.create(ticket=ticket, item="กล้อง", lent_at=now, due_at=now + dt.timedelta(days=5))
    assert scheduling.send_loan_reminders(now) == {"reminded": 1}
    assert scheduling.send_loan_reminders(now) == {"reminded": 0}
    [message] = OutboxMessage.objects.filter(kind="loan_reminder")
    assert "โปรเจกเตอร์ Epson" in message.body and message.to == ["requester@example.com"]
    loan.refresh_from_db()
    assert loan.reminder_sent_at is not None


def test_free_busy_page_is_cached_and_a_new_booking_shows_at_once(settings, fresh_cache, users):
    from home.pagecache import HEADER, page_cache

    settings.PAGE_CACHE_SECONDS = 300
    page_cache().clear()
    zoom = Resource.objects.create(name="Zoom C", kind="zoom", capacity=100)
    start = later(days=2, hour=13)
    day = {"day": timezone.localtime(start).date().isoformat()}
    url = reverse("services:availability")
    Client().get(url)  # the first page view makes the office settings, which purges
    assert Client().get(url, day)[HEADER] == "miss"
    assert Client().get(url, day)[HEADER] == "hit"
    ticket = advance_to(make_ticket(STEPS, timezone.now()), 2, timezone.now())
    moves.perform(
        "schedule",
        ticket,
        users["officer"],
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        participants=10,
        resource=zoom,
    )
    page = Client().get(url, day)
    assert page[HEADER] == "miss" and "13:00" in page.content.decode()
    page_cache().clear()
