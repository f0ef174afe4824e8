"""Bookings: free resources only, no double booking under concurrency, iCal feeds,
and the reminders around a booking, each sent once."""

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from icalendar import Calendar

from services.bookings import scheduling as bookings
from services.bookings.models import Booking, CalendarFeed, Resource
from services.bookings.scheduling import BookingConflict
from services.core.models import OutboxMessage
from services.tickets import moves
from services.tickets.models import Ticket

from .desk_helpers import advance_to, bkk, desk_users, make_ticket, step

ZOOM_STEPS = [step("intake", amount=10, unit="minutes"), step("schedule"), step("report")]


def resources():
    return {
        "big": Resource.objects.create(name="Zoom 300", kind="zoom", capacity=300),
        "small": Resource.objects.create(name="Zoom 100", kind="zoom", capacity=100),
        "room": Resource.objects.create(name="ห้องประชุม", kind="room", capacity=30),
    }


def later(days=3, hour=9):
    day = (timezone.localtime() + dt.timedelta(days=days)).date()
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=timezone.get_current_timezone())


@pytest.mark.django_db
class TestChoosingAResource:
    def test_smallest_free_resource_that_fits_is_chosen(self):
        res = resources()
        ticket = make_ticket(ZOOM_STEPS, timezone.now())
        start = later()
        first = bookings.confirm_booking(
            ticket, None, start, start + dt.timedelta(hours=2), participants=80, kind="zoom"
        )
        assert first.resource == res["small"]
        # The small account is taken for that time: an overlapping request gets the big one.
        second = bookings.confirm_booking(
            ticket,
            None,
            start + dt.timedelta(hours=1),
            start + dt.timedelta(hours=3),
            participants=50,
            kind="zoom",
        )
        assert second.resource == res["big"]
        # Back to back is not an overlap.
        third = bookings.confirm_booking(
            ticket,
            None,
            start + dt.timedelta(hours=2),
            start + dt.timedelta(hours=4),
            participants=50,
            resource=res["small"],
        )
        assert third.resource == res["small"]
        with pytest.raises(BookingConflict, match="ไม่มีทรัพยากรที่ว่าง"):
            bookings.confirm_booking(
                ticket,
                None,
                start + dt.timedelta(minutes=70),
                start + dt.timedelta(minutes=110),
                participants=10,
                kind="zoom",
            )

    def test_chosen_resource_busy_or_too_small_is_refused_in_thai(self):
        res = resources()
        ticket = make_ticket(ZOOM_STEPS, timezone.now())
        start = later()
        bookings.confirm_booking(
            ticket,
            None,
            start,
            start + dt.timedelta(hours=2),
            resource=res["room"],
            participants=20,
        )
        with pytest.raises(BookingConflict, match="ถูกจองแล้วช่วง"):
            bookings.confirm_booking(
                ticket,
                None,
                start + dt.timedelta(minutes=90),
                start + dt.timedelta(hours=3),
                resource=res["room"],
            )
        with pytest.raises(BookingConflict, match="รองรับผู้เข้าร่วมได้ 30 คน"):
            bookings.confirm_booking(
                ticket,
                None,
                later(days=4),
                later(days=4, hour=10),
                resource=res["room"],
                participants=31,
            )
        with pytest.raises(moves.MoveNotAllowed, match="เวลาสิ้นสุดต้องอยู่หลังเวลาเริ่ม"):
            bookings.confirm_booking(ticket, None, start, start, resource=res["room"])
        assert Booking.objects.count() == 1

    def test_sequential_overlapping_confirmations_leave_one(self):
        res = resources()
        start = later()
        ticket_a = make_ticket(ZOOM_STEPS, timezone.now())
        ticket_b = make_ticket(ZOOM_STEPS, timezone.now())
        bookings.confirm_booking(
            ticket_a, None, start, start + dt.timedelta(hours=3), resource=res["big"]
        )
        with pytest.raises(BookingConflict):
            bookings.confirm_booking(
                ticket_b,
                None,
                start + dt.timedelta(hours=1),
                start + dt.timedelta(hours=2),
                resource=res["big"],
            )
        assert Booking.objects.filter(resource=res["big"]).count() == 1


@pytest.mark.django_db
def test_schedule_move_books_finishes_the_step_and_sends_details():
    users = desk_users()
    res = resources()
    ticket = advance_to(
        make_ticket(ZOOM_STEPS, timezone.now(), language="en", email="en@example.com"),
        2,
        timezone.now(),
    )
    start = later()
    booking = bookings.schedule(
        ticket,
        users["officer"],
        start,
        start + dt.timedelta(hours=2),
        participants=40,
        kind="zoom",
        meeting_id="812 3456 7890",
        join_url="https://zoom.example/j/1",
        passcode="abc123",
    )
    assert booking.resource == res["small"] and booking.confirmed_by == users["officer"]
    ticket.refresh_from_db()
    assert ticket.active_step.kind == "report"
    confirmed = OutboxMessage.objects.get(key=f"booking:{booking.pk}:confirmed")
    assert confirmed.to == ["en@example.com"]
    assert confirmed.subject == f"Booking details for request {ticket.reference}"
    assert "812 3456 7890" in confirmed.body and "abc123" in confirmed.body
    assert ticket.get_absolute_tracking_url() in confirmed.body
    network = OutboxMessage.objects.get(key=f"booking:{booking.pk}:network")
    assert network.to == sorted(settings.NETWORK_TEAM_EMAILS)
    assert network.subject.startswith("แจ้งทีมเครือข่าย")
    assert ticket.reference in network.body
    # What the network team needs to prepare, and nothing private.
    assert "Zoom 100" in network.body and "บัญชี Zoom" in network.body
    assert "จำนวนผู้เข้าร่วม: 40" in network.body and "เริ่ม:" in network.body
    assert "abc123" not in network.body and "abc123" not in network.html_body
    assert ticket.tracking_token not in network.body
    assert "/track/" not in network.body and "zoom.example/j/1" not in network.body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_overlapping_confirmations_leave_exactly_one():
    """Real threads on real connections. On SQLite the options of
    ``cms.settings.base.sqlite_options`` (IMMEDIATE transactions, busy timeout)
    make the writers queue: one wins, the others get a clear conflict and
    nobody gets "database is locked"."""
    resource = Resource.objects.create(name="Zoom A", kind="zoom", capacity=300)
    now = timezone.now()
    tickets = [make_ticket(ZOOM_STEPS, now) for _ in range(4)]
    for round_number in range(3 if connection.vendor == "sqlite" else 5):
        start = later(days=3 + round_number)
        barrier = threading.Barrier(len(tickets))
        results = []

        def confirm(ticket, offset, start=start, barrier=barrier, results=results):
            try:
                barrier.wait()
                bookings.confirm_booking(
                    ticket,
                    None,
                    start + dt.timedelta(minutes=offset),
                    start + dt.timedelta(hours=2),
                    resource=resource,
                )
                results.append("ok")
            except BookingConflict as exc:
                assert str(exc.args[0] if exc.args else exc)
                results.append("conflict")
            except Exception as exc:  # "database is locked" would land here
                results.append(f"error: {exc}")
            finally:
                connection.close()

        threads = [
            threading.Thread(target=confirm, args=(ticket, 10 * i))
            for i, ticket in enumerate(tickets)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(results) == ["conflict"] * (len(tickets) - 1) + ["ok"]
        assert Booking.objects.filter(resource=resource, starts_at__date=start.date()).count() == 1


# --- iCal ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_ical_feeds_parse_and_revoked_or_wrong_tokens_give_404(client):
    res = resources()
    ticket = make_ticket(ZOOM_STEPS, timezone.now())
    start = later()
    one = bookings.confirm_booking(
        ticket, None, start, start + dt.timedelta(hours=2), resource=res["big"]
    )
    two = bookings.confirm_booking(
        ticket, None, start, start + dt.timedelta(hours=1), resource=res["room"]
    )
    everything = CalendarFeed.objects.create(name="ทั้งหมด")
    room_only = CalendarFeed.objects.create(name="ห้องประชุม", resource=res["room"])

    response = client.get(everything.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0" and calendar.get("PRODID")
    events = calendar.walk("VEVENT")
    assert {str(e["UID"]) for e in events} == {
        f"{one.uuid}@{settings.SITE_DOMAIN}",
        f"{two.uuid}@{settings.SITE_DOMAIN}",
    }
    for event in events:
        begins = event.decoded("DTSTART")
        assert begins.utcoffset() == dt.timedelta(0)
        assert event["DTSTART"].to_ical().endswith(b"Z")
        assert event.decoded("DTEND") > begins
        assert ticket.reference in str(event["SUMMARY"])
        assert ticket.requester_email not in event.to_ical().decode()
    assert events[0].decoded("DTSTART") == start.astimezone(dt.UTC)

    room_events = Calendar.from_ical(client.get(room_only.get_absolute_url()).content).walk(
        "VEVENT"
    )
    assert [str(e["UID"]) for e in room_events] == [f"{two.uuid}@{settings.SITE_DOMAIN}"]

    room_only.revoked = True
    room_only.save()
    assert client.get(room_only.get_absolute_url()).status_code == 404
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404


def feed_events(client, feed):
    response = client.get(feed.get_absolute_url())
    assert response.status_code == 200
    return {str(e["UID"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


@pytest.mark.django_db
def test_ical_versions_change_only_when_the_booking_does(client, settings):
    settings.SITE_DOMAIN = "ict.example.go.th"
    users = desk_users()
    res = resources()
    ticket = make_ticket(ZOOM_STEPS, timezone.now())
    start = later()
    booking = bookings.confirm_booking(
        ticket, users["officer"], start, start + dt.timedelta(hours=2), resource=res["big"]
    )
    feed = CalendarFeed.objects.create(name="ทั้งหมด")
    uid = f"{booking.uuid}@ict.example.go.th"

    first = feed_events(client, feed)[uid]
    assert int(first["SEQUENCE"]) == 0
    assert first.decoded("DTSTAMP") == first.decoded("LAST-MODIFIED")

    changed_at = timezone.now() - dt.timedelta(minutes=10)
    bookings.change_booking(
        booking,
        users["officer"],
        starts_at=start + dt.timedelta(hours=1),
        ends_at=start + dt.timedelta(hours=3),
        now=changed_at,
    )
    bookings.change_booking(
        booking,
        users["officer"],
        resource=res["small"],
        meeting_id=" 123 456 789 ",
        now=changed_at + dt.timedelta(minutes=1),
    )
    # The same change again is no change: the version stays.
    bookings.change_booking(booking, users["officer"], meeting_id="123 456 789")

    polls = [feed_events(client, feed)[uid] for _ in range(2)]
    for event in polls:
        assert int(event["SEQUENCE"]) == 2
        assert event.decoded("DTSTART") == (start + dt.timedelta(hours=1)).astimezone(dt.UTC)
        assert str(event["LOCATION"]) == "Zoom 100"
        assert event["DTSTAMP"].to_ical().endswith(b"Z")
    assert polls[0]["DTSTAMP"].to_ical() == polls[1]["DTSTAMP"].to_ical()
    assert polls[0].decoded("DTSTAMP") == (changed_at + dt.timedelta(minutes=1)).replace(
        microsecond=0
    ).astimezone(dt.UTC)
    assert polls[0].decoded("LAST-MODIFIED") == polls[0].decoded("DTSTAMP")

    moves.cancel(Ticket.objects.get(pk=ticket.pk), users["officer"], "งดจัดประชุม")
    cancelled = feed_events(client, feed)[uid]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) == 3
    assert cancelled.decoded("DTSTAMP") > polls[0].decoded("DTSTAMP")


@pytest.mark.django_db
def test_changing_a_booking_is_checked(client):
    users = desk_users()
    res = resources()
    ticket = make_ticket(ZOOM_STEPS, timezone.now())
    start = later()
    booking = bookings.confirm_booking(
        ticket, users["officer"], start, start + dt.timedelta(hours=2), resource=res["room"]
    )
    other = bookings.confirm_booking(
        ticket,
        users["officer"],
        start + dt.timedelta(hours=3),
        start + dt.timedelta(hours=4),
        resource=res["room"],
    )
    for who in ("approver", "director", "executive", "staff"):
        with pytest.raises(moves.MoveNotAllowed, match="เจ้าหน้าที่"):
            bookings.change_booking(booking, users[who], participants=5)
    with pytest.raises(BookingConflict, match="ถูกจองแล้ว"):
        bookings.change_booking(booking, users["officer"], ends_at=other.ends_at)
    with pytest.raises(moves.MoveNotAllowed, match="หลังเวลาเริ่ม"):
        bookings.change_booking(booking, users["officer"], ends_at=start)
    with pytest.raises(BookingConflict, match="รองรับผู้เข้าร่วม"):
        bookings.change_booking(booking, users["officer"], participants=31)
    booking.refresh_from_db()
    assert booking.sequence == 0
    changed = bookings.change_booking(booking, users["admin"], participants=25)
    assert changed.sequence == 1 and changed.participants == 25


# --- reminders ----------------------------------------------------------------------
@pytest.mark.django_db
def test_reminders_are_sent_once_at_the_right_times():
    users = desk_users()
    res = resources()
    # Booked on Monday 9 March 2026 at 10:00: prepare on Friday 6 March at 10:00.
    created = bkk(2026, 3, 2, 9, 0)
    ticket = advance_to(make_ticket(ZOOM_STEPS, created, email="req@example.com"), 2, created)
    start = bkk(2026, 3, 9, 10, 0)
    booking = bookings.schedule(
        ticket,
        users["officer"],
        start,
        start + dt.timedelta(hours=2),
        resource=res["room"],
        now=created,
    )

    def keys():
        return set(
            OutboxMessage.objects.filter(key__startswith=f"booking:{booking.pk}:").values_list(
                "key", flat=True
            )
        )

    base = {f"booking:{booking.pk}:confirmed", f"booking:{booking.pk}:network"}
    assert keys() == base
    assert bookings.send_reminders(bkk(2026, 3, 6, 9, 59)) == {"reminded": 0, "prepared": 0}
    assert bookings.send_reminders(bkk(2026, 3, 6, 10, 0)) == {"reminded": 0, "prepared": 1}
    prepare = OutboxMessage.objects.get(key=f"booking:{booking.pk}:prepare")
    assert prepare.to == [users["officer"].email]
    assert ticket.reference in prepare.body
    for minute in (0, 1, 2):
        bookings.send_reminders(bkk(2026, 3, 8, 12, minute))  # Sunday: nothing new
    assert bookings.send_reminders(bkk(2026, 3, 9, 9, 29)) == {"reminded": 0, "prepared": 0}
    assert bookings.send_reminders(bkk(2026, 3, 9, 9, 31)) == {"reminded": 1, "prepared": 0}
    for minute in (32, 40, 59):
        assert bookings.send_reminders(bkk(2026, 3, 9, 9, minute)) == {"reminded": 0, "prepared": 0}
    assert keys() == base | {
        f"booking:{booking.pk}:prepare",
        f"booking:{booking.pk}:remind30:requester",
        f"booking:{booking.pk}:remind30:officer",
    }
    requester = OutboxMessage.objects.get(key=f"booking:{booking.pk}:remind30:requester")
    assert requester.to == ["req@example.com"]
    assert requester.subject == f"เตือน: เริ่มเวลา 10:00 น. ({ticket.reference})"
    officer = OutboxMessage.objects.get(key=f"booking:{booking.pk}:remind30:officer")
    assert officer.to == [users["officer"].email]


@pytest.mark.django_db
def test_cancelled_ticket_cancels_its_booking_and_its_reminders():
    users = desk_users()
    res = resources()
    now = timezone.now()
    ticket = advance_to(make_ticket(ZOOM_STEPS, now), 2, now)
    start = later()
    booking = bookings.schedule(
        ticket, users["officer"], start, start + dt.timedelta(hours=1), resource=res["room"]
    )
    moves.cancel(Ticket.objects.get(pk=ticket.pk), users["officer"], "งดจัดประชุม")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert bookings.send_reminders(start - dt.timedelta(minutes=20)) == {
        "reminded": 0,
        "prepared": 0,
    }
    # The slot is free again.
    assert (
        bookings.confirm_booking(
            ticket, None, start, start + dt.timedelta(hours=1), resource=res["room"]
        ).pk
        != booking.pk
    )
