"""iCal (RFC 5545) feeds of confirmed bookings, one per resource and one for all,
served at a secret, revocable address so a shared Google Calendar can subscribe.

Events carry the reference, the service and the unit, never the requester's
e-mail or phone. Cancelled bookings stay in the feed as STATUS:CANCELLED for
a while so subscribed calendars drop them.
"""

import datetime as dt

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from icalendar import Calendar, Event

from services.bookings.models import Booking, CalendarFeed

PAST = dt.timedelta(days=90)


def feed_bookings(feed, now=None):
    now = now or timezone.now()
    bookings = (
        Booking.objects.filter(ends_at__gte=now - PAST)
        .select_related("ticket", "resource")
        .order_by("starts_at")
    )
    if feed.resource_id:
        bookings = bookings.filter(resource_id=feed.resource_id)
    return bookings


def build_calendar(feed, now=None):
    """The feed as iCal bytes."""
    host = settings.WAGTAILADMIN_BASE_URL.split("://", 1)[-1].split("/", 1)[0] or "ict-desk"
    calendar = Calendar()
    calendar.add("prodid", "-//ICT Service Desk//Bookings//TH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", feed.name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = now or timezone.now()
    for booking in feed_bookings(feed, now):
        ticket = booking.ticket
        event = Event()
        event.add("uid", f"booking-{booking.pk}@{host}")
        event.add("dtstamp", stamp.astimezone(dt.UTC))
        event.add("sequence", booking.sequence)
        event.add("dtstart", booking.starts_at.astimezone(dt.UTC))
        event.add("dtend", booking.ends_at.astimezone(dt.UTC))
        event.add("summary", f"{ticket.reference} {ticket.service_title}")
        event.add("location", booking.resource.name)
        lines = [ticket.requester_org or ticket.requester_name, f"{booking.participants} คน"]
        if booking.meeting_id:
            lines.append(f"Meeting ID: {booking.meeting_id}")
        event.add("description", "\n".join(line for line in lines if line))
        event.add(
            "status", "CANCELLED" if booking.status == Booking.Status.CANCELLED else "CONFIRMED"
        )
        calendar.add_component(event)
    return calendar.to_ical()


@require_http_methods(["GET", "HEAD"])
def calendar_feed(request, token):
    feed = (
        CalendarFeed.objects.filter(token=token, revoked=False).select_related("resource").first()
    )
    if feed is None:
        raise Http404
    response = HttpResponse(build_calendar(feed), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Disposition"] = 'inline; filename="bookings.ics"'
    return response
