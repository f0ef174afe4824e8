"""Booking resources without double booking, and the reminders around a booking.

``confirm_booking`` is the only writer of confirmed bookings. It locks the
resource row (``select_for_update`` inside ``transaction.atomic``) and only
then looks for an overlapping booking, so two officers confirming overlapping
times of one resource at the same moment are served one after the other and
the second sees the first's booking. On SQLite the IMMEDIATE transaction mode
(see settings) serialises writers in the same way.

``send_reminders`` runs every minute in Django-Q2: it looks ahead and sends
the 30-minute reminder (requester and officer) and the preparation reminder
(officers, one working day before, by the business clock), each once: the
booking's ``*_sent_at`` is set in the same transaction as the outbox row.
"""

import datetime as dt

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from home import pagecache
from home.thai import thai_datetime
from services.bookings.models import Booking, Loan, Resource
from services.core.clock import get_clock
from services.core.roles import is_officer
from services.tickets import moves, notify
from services.tickets.models import Ticket
from services.tickets.moves import MoveNotAllowed

REMIND_BEFORE = dt.timedelta(minutes=30)
# Long enough to cover "one working day before" across the longest Thai
# holiday run (Songkran with a weekend).
PREPARE_LOOKAHEAD = dt.timedelta(days=14)


class BookingConflict(MoveNotAllowed):
    """No resource (or not the chosen one) is free for the whole time."""


def overlapping(resource, starts_at, ends_at):
    return Booking.objects.filter(
        resource=resource,
        status=Booking.Status.CONFIRMED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )


def _validate(starts_at, ends_at, participants, now):
    if starts_at is None or ends_at is None:
        raise MoveNotAllowed(_("กรุณาระบุวันเวลาเริ่มและสิ้นสุด"))
    if ends_at <= starts_at:
        raise MoveNotAllowed(_("เวลาสิ้นสุดต้องอยู่หลังเวลาเริ่ม"))
    if starts_at < now - dt.timedelta(minutes=5):
        raise MoveNotAllowed(_("เวลาเริ่มผ่านไปแล้ว กรุณาเลือกเวลาใหม่"))
    if not participants or participants < 1:
        raise MoveNotAllowed(_("จำนวนผู้เข้าร่วมต้องมีอย่างน้อย 1 คน"))


def too_small(resource):
    """The refusal when ``resource`` holds fewer people than asked for."""
    return BookingConflict(
        gettext("%(name)s รองรับผู้เข้าร่วมได้ %(capacity)s คน")
        % {"name": resource.name, "capacity": resource.capacity}
    )


def taken(resource, clash):
    """The refusal when ``clash`` already holds ``resource`` for part of the time."""
    return BookingConflict(
        gettext("%(name)s ถูกจองแล้วช่วง %(start)s ถึง %(end)s")
        % {
            "name": resource.name,
            "start": thai_datetime(clash.starts_at),
            "end": thai_datetime(clash.ends_at),
        }
    )


def confirm_booking(
    ticket,
    user,
    starts_at,
    ends_at,
    participants=1,
    resource=None,
    kind="",
    meeting_id="",
    join_url="",
    passcode="",
    now=None,
):
    """Book ``resource`` (or the smallest free one that fits) for the whole time."""
    now = now or timezone.now()
    _validate(starts_at, ends_at, participants, now)
    with transaction.atomic():
        if resource is not None:
            candidates = [resource.pk]
        else:
            candidates = Resource.objects.filter(active=True, capacity__gte=participants)
            if kind:
                candidates = candidates.filter(kind=kind)
            # One order for everyone, so two callers never lock in opposite orders.
            candidates = list(candidates.order_by("capacity", "pk").values_list("pk", flat=True))
        for pk in candidates:
            locked = Resource.objects.select_for_update().get(pk=pk)
            if resource is not None:
                if not locked.active:
                    raise BookingConflict(gettext("%(name)s ปิดการจองอยู่") % {"name": locked.name})
                if locked.capacity < participants:
                    raise too_small(locked)
            clash = overlapping(locked, starts_at, ends_at).order_by("starts_at").first()
            if clash is not None:
                if resource is not None:
                    raise taken(locked, clash)
                continue
            return Booking.objects.create(
                ticket=ticket,
                resource=locked,
                starts_at=starts_at,
                ends_at=ends_at,
                participants=participants,
                meeting_id=meeting_id.strip(),
                join_url=join_url.strip(),
                passcode=passcode.strip(),
                confirmed_by=user,
                created_at=now,
            )
    raise BookingConflict(_("ไม่มีทรัพยากรที่ว่างตลอดช่วงเวลานี้และรองรับจำนวนผู้เข้าร่วมได้"))


def change_booking(booking, user, now=None, log_action="booking_changed", **changes):
    """Move a confirmed booking in time, to another resource, or change its meeting
    details; subscribed calendars see a new SEQUENCE. Only officers may."""
    now = now or timezone.now()
    if not is_officer(user):
        raise MoveNotAllowed(_("เฉพาะเจ้าหน้าที่เท่านั้นที่แก้ไขการจองได้"))
    allowed = {
        "starts_at",
        "ends_at",
        "resource",
        "participants",
        "meeting_id",
        "join_url",
        "passcode",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"unknown booking fields: {sorted(unknown)}")
    with transaction.atomic():
        current = Booking.objects.select_for_update().get(pk=booking.pk)
        if current.status != Booking.Status.CONFIRMED:
            raise MoveNotAllowed(_("การจองนี้ถูกยกเลิกแล้ว"))
        values = {field: getattr(current, field) for field in allowed if field not in ("resource",)}
        values["resource"] = current.resource
        values.update({k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()})
        _validate(values["starts_at"], values["ends_at"], values["participants"], now)
        locked = Resource.objects.select_for_update().get(pk=values["resource"].pk)
        if locked.capacity < values["participants"]:
            raise too_small(locked)
        clash = (
            overlapping(locked, values["starts_at"], values["ends_at"])
            .exclude(pk=current.pk)
            .first()
        )
        if clash is not None:
            raise taken(locked, clash)
        values["resource"] = locked
        if all(getattr(current, k) == v for k, v in values.items()):
            return current  # nothing changed: calendars keep their version
        Booking.objects.filter(pk=current.pk).update(**values, **Booking.changed(now))
        if "starts_at" in changes:
            # A new time needs new reminders.
            Booking.objects.filter(pk=current.pk).update(
                reminder_sent_at=None, preparation_sent_at=None
            )
        moves.log_move(
            current.ticket,
            log_action,
            user,
            booking=current.pk,
            resource=locked.name,
            starts_at=values["starts_at"].isoformat(),
            ends_at=values["ends_at"].isoformat(),
        )
    current.refresh_from_db()
    return current


def send_reminders(now=None):
    """The 30-minute and the one-working-day reminders that are due now; each once."""
    now = now or timezone.now()
    upcoming = Booking.objects.filter(
        status=Booking.Status.CONFIRMED, starts_at__gt=now
    ).select_related("ticket", "resource", "confirmed_by", "ticket__assignee")
    reminded = prepared = 0
    for booking in upcoming.filter(
        reminder_sent_at__isnull=True, starts_at__lte=now + REMIND_BEFORE
    ):
        with transaction.atomic():
            if Booking.objects.filter(pk=booking.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            ):
                notify.booking_reminder(booking)
                reminded += 1
    clock = get_clock()
    for booking in upcoming.filter(
        preparation_sent_at__isnull=True, starts_at__lte=now + PREPARE_LOOKAHEAD
    ):
        if clock.working_day_before(booking.starts_at) > now:
            continue
        with transaction.atomic():
            if Booking.objects.filter(pk=booking.pk, preparation_sent_at__isnull=True).update(
                preparation_sent_at=now
            ):
                notify.booking_preparation(booking)
                prepared += 1
    return {"reminded": reminded, "prepared": prepared}


@moves.register("schedule")
def schedule(
    ticket,
    user,
    starts_at,
    ends_at,
    participants=1,
    resource=None,
    kind="",
    meeting_id="",
    join_url="",
    passcode="",
    note="",
    now=None,
):
    """Book a free resource for the whole time, finish the schedule step, send details."""
    now = now or timezone.now()
    with moves.moving(ticket, user, "schedule") as (locked, step):
        booking = confirm_booking(
            locked,
            user,
            starts_at,
            ends_at,
            participants=participants,
            resource=resource,
            kind=kind,
            meeting_id=meeting_id,
            join_url=join_url,
            passcode=passcode,
            now=now,
        )
        moves.complete_step(
            step,
            user,
            (note or "").strip()
            or gettext("จอง %(resource)s แล้ว") % {"resource": booking.resource.name},
            now,
        )
        moves.log_move(
            locked,
            "schedule",
            user,
            step=step.position,
            booking=booking.pk,
            resource=booking.resource.name,
            starts_at=booking.starts_at.isoformat(),
            ends_at=booking.ends_at.isoformat(),
        )
        notify.booking_confirmed(booking)
        moves.advance(locked, now)
    return booking


def open_bookings(ticket, now=None):
    """Confirmed bookings of ``ticket`` that have not ended yet."""
    return ticket.bookings.filter(
        status=Booking.Status.CONFIRMED, ends_at__gt=now or timezone.now()
    ).select_related("resource")


@moves.register("reschedule")
def reschedule(
    ticket,
    user,
    booking,
    starts_at,
    ends_at,
    participants=None,
    resource=None,
    meeting_id=None,
    join_url=None,
    passcode=None,
    note="",
    now=None,
):
    """Move or edit a confirmed booking from the desk: ``change_booking`` checks
    conflicts as at confirmation and raises the iCal SEQUENCE; the requester,
    the officers and the network team are told once each."""
    now = now or timezone.now()
    changes = {"starts_at": starts_at, "ends_at": ends_at}
    for name, value in (
        ("participants", participants),
        ("resource", resource),
        ("meeting_id", meeting_id),
        ("join_url", join_url),
        ("passcode", passcode),
    ):
        if value is not None:
            changes[name] = value
    with moves.moving(ticket, user, "reschedule") as (locked, _step):
        if not Booking.objects.filter(
            pk=booking.pk, ticket=locked, status=Booking.Status.CONFIRMED
        ).exists():
            raise MoveNotAllowed(_("แก้ไขได้เฉพาะการจองที่ยืนยันแล้วของคำขอนี้"))
        before = booking.sequence
        current = change_booking(booking, user, now=now, log_action="reschedule", **changes)
        if current.sequence != before:
            notify.booking_changed(current, "rescheduled")
    return current


@moves.guard("reschedule")
def _has_open_booking(ticket, step):
    if not open_bookings(ticket).exists():
        raise MoveNotAllowed(_("คำขอนี้ไม่มีการจองที่ยังไม่สิ้นสุด"))


def _not_before_booking_ends(move):
    def check(ticket, step):
        if not moves.resolves(ticket, move, step):
            return
        pending = open_bookings(ticket).order_by("-ends_at").first()
        if pending is not None:
            raise MoveNotAllowed(
                gettext("ปิดงานได้หลังการจองสิ้นสุด (%(end)s) เพื่อให้ส่งแบบประเมินหลังใช้บริการจริง")
                % {"end": thai_datetime(pending.ends_at)}
            )

    return check


for _move in ("resolve", "finish"):
    moves.guard(_move)(_not_before_booking_ends(_move))


def cancel_bookings(sender, ticket, status, **kwargs):
    """Receiver of ``moves.ticket_ended``: a cancelled or rejected ticket frees its
    resources; the officers and the network team are told, the iCal event is
    marked cancelled with a higher SEQUENCE."""
    if status not in (Ticket.Status.CANCELLED, Ticket.Status.REJECTED):
        return
    for booking in ticket.bookings.select_for_update().filter(status=Booking.Status.CONFIRMED):
        booking.status = Booking.Status.CANCELLED
        booking.sequence += 1
        booking.updated_at = timezone.now()
        booking.save(update_fields=["status", "sequence", "updated_at"])
        notify.booking_changed(booking, "cancelled", requester=False)


# --- equipment loans ----------------------------------------------------------------
LOAN_REMIND_BEFORE = dt.timedelta(days=1)


def send_loan_reminders(now=None):
    """Remind each borrower once, a day before the due date of an unreturned loan."""
    now = now or timezone.now()
    due = Loan.objects.filter(
        returned_at__isnull=True,
        reminder_sent_at__isnull=True,
        due_at__gt=now,
        due_at__lte=now + LOAN_REMIND_BEFORE,
    ).select_related("ticket")
    sent = 0
    for loan in due:
        with transaction.atomic():
            if Loan.objects.filter(pk=loan.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            ):
                notify.loan_reminder(loan)
                sent += 1
    return {"reminded": sent}


def _availability_changed(**kwargs):
    """The public free/busy page is in the page cache: a booking or resource change purges it."""
    pagecache.purge()


def connect():
    moves.ticket_ended.connect(cancel_bookings, dispatch_uid="bookings_cancel_with_ticket")
    for model in (Booking, Resource):
        for signal in (post_save, post_delete):
            signal.connect(
                _availability_changed,
                sender=model,
                dispatch_uid=f"availability_purge_{model.__name__}_{signal is post_save}",
            )
