"""Bookings laid out by day: the week and month calendar of the desk and the
public free/busy page (which shows times only, never who booked)."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from services.bookings.models import Booking, Resource
from services.core.clock import BANGKOK

WEEK, MONTH = "week", "month"


@dataclass
class Day:
    date: dt.date
    in_period: bool
    bookings: list = field(default_factory=list)


def _monday(day):
    return day - dt.timedelta(days=day.weekday())


def period(view, day):
    """(first day, last day, previous anchor, next anchor) of the week or month of ``day``."""
    if view == MONTH:
        first = day.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        return first, following - dt.timedelta(days=1), previous, following
    first = _monday(day)
    return (
        first,
        first + dt.timedelta(days=6),
        first - dt.timedelta(days=7),
        first + dt.timedelta(days=7),
    )


def _start_of(day):
    return dt.datetime.combine(day, dt.time.min, tzinfo=BANGKOK)


def bookings_between(first, last, resource=None):
    """Confirmed bookings that overlap the days ``first``..``last`` (Bangkok time)."""
    bookings = Booking.objects.filter(
        status=Booking.Status.CONFIRMED,
        starts_at__lt=_start_of(last + dt.timedelta(days=1)),
        ends_at__gt=_start_of(first),
    ).select_related("resource", "ticket")
    if resource is not None:
        bookings = bookings.filter(resource=resource)
    return bookings.order_by("starts_at", "resource__name")


def calendar(view, day, resource=None):
    """Weeks (lists of seven ``Day``) covering the period, each day with its bookings."""
    first, last, previous, following = period(view, day)
    grid_first = _monday(first)
    grid_last = _monday(last) + dt.timedelta(days=6)
    days = {}
    cursor = grid_first
    while cursor <= grid_last:
        days[cursor] = Day(cursor, first <= cursor <= last)
        cursor += dt.timedelta(days=1)
    for booking in bookings_between(grid_first, grid_last, resource):
        start = timezone.localtime(booking.starts_at, BANGKOK).date()
        end = timezone.localtime(booking.ends_at - dt.timedelta(microseconds=1), BANGKOK).date()
        cursor = max(start, grid_first)
        while cursor <= min(end, grid_last):
            days[cursor].bookings.append(booking)
            cursor += dt.timedelta(days=1)
    ordered = list(days.values())
    weeks = [ordered[index : index + 7] for index in range(0, len(ordered), 7)]
    return {
        "view": view,
        "first": first,
        "last": last,
        "previous": previous,
        "following": following,
        "weeks": weeks,
    }


def busy_slots(resource, first, last):
    """[(day, [(start, end), ...]), ...]: when ``resource`` is taken, times only."""
    slots = {first + dt.timedelta(days=n): [] for n in range((last - first).days + 1)}
    for booking in bookings_between(first, last, resource):
        start = timezone.localtime(booking.starts_at, BANGKOK)
        end = timezone.localtime(booking.ends_at, BANGKOK)
        if start.date() in slots:
            slots[start.date()].append((start, end))
    return list(slots.items())


def active_resources():
    return Resource.objects.filter(active=True)


def parse_day(text, today=None):
    try:
        return dt.date.fromisoformat(str(text or ""))
    except ValueError:
        return today or timezone.localdate()
