"""The one place that decides and performs the moves of a ticket.

A move is allowed by three things: the ticket's status, the kind of its
current step, and the role of the person (from their Django groups; a
superuser may do everything). ``check`` answers with a ``MoveNotAllowed``
carrying a Thai sentence the desk shows as it is. Each move runs in one
transaction with the ticket row locked, writes an entry in Wagtail's audit
log, and queues its e-mails in the outbox in that same transaction.

=====================  ==========================  ===================  =================
move                   who                         ticket status        current step kind
=====================  ==========================  ===================  =================
take                   officer                     open                 any
assign                 officer, approver, director open                 any
finish                 officer                     open                 intake/work/report
choose_alternative     officer                     open                 any but approval
approve, reject        the role the step names     open                 approval
                       (group head, director,
                       executive), its deputies
schedule               officer                     open                 schedule
reschedule             officer                     open                 any (bookings'
                                                                        guard: a booking
                                                                        not yet ended)
resolve                officer                     open                 not approval, none
                                                                        pending later
close                  officer                     resolved             -
cancel                 officer; the requester      open                 any; requester:
                       from the tracking page                           intake only
reply, note            officer, approver, director open, resolved       -
                                                   (note: any)
requester_reply        the requester only, from    open, resolved       -
                       the tracking page
=====================  ==========================  ===================  =================

Reply, note and requester_reply may carry files (checked by the one upload
validator); a note's files are internal like the note. A package above this
one may add a guard to a move with ``guard`` (bookings: a booking ticket is
not resolved before its booking ends).

Executives see the desk and move nothing but the approvals their role is
named on (``roles.may_approve``). A ticket's status follows from its
steps: when the last step is done it is resolved; reject and cancel end it.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from services.core.roles import (
    APPROVAL_ROLES,
    APPROVER,
    DIRECTOR,
    OFFICER,
    OFFICERS,
    ROLE_LABELS,
    approval_roles,
    approving_role,
    may_approve,
    user_roles,
)
from services.core.targets import KIND_CHOICES, describe_target
from services.tickets import notify
from services.tickets.creation import save_attachments
from services.tickets.models import Ticket, TicketMessage, TicketStep

OPEN, RESOLVED = Ticket.Status.OPEN, Ticket.Status.RESOLVED
ANY = None
FINISHED = (TicketStep.Status.DONE, TicketStep.Status.SKIPPED)


#: Sent when a ticket is closed, rejected or cancelled, inside the move's transaction.
ticket_ended = Signal()


class MoveNotAllowed(Exception):
    """A move the rules refuse; ``message`` is a Thai sentence for people."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


@dataclass(frozen=True)
class Rule:
    label: str
    roles: tuple
    statuses: tuple = (OPEN,)
    kinds: tuple | None = ANY
    requester_only: bool = False


RULES = {
    "take": Rule(_("รับงาน"), (OFFICER,)),
    "assign": Rule(_("มอบหมายงาน"), (OFFICER, APPROVER, DIRECTOR)),
    "finish": Rule(_("บันทึกขั้นตอนเสร็จ"), (OFFICER,), kinds=("intake", "work", "report")),
    "choose_alternative": Rule(
        _("เลือกกรณีระยะเวลา"), (OFFICER,), kinds=("intake", "work", "report", "schedule")
    ),
    "approve": Rule(_("อนุมัติ"), APPROVAL_ROLES, kinds=("approval",)),
    "reject": Rule(_("ไม่อนุมัติ"), APPROVAL_ROLES, kinds=("approval",)),
    "schedule": Rule(_("จองและแจ้งรายละเอียด"), (OFFICER,), kinds=("schedule",)),
    "resolve": Rule(
        _("ดำเนินการเสร็จสิ้น"), (OFFICER,), kinds=("intake", "work", "report", "schedule")
    ),
    "close": Rule(_("ปิดงาน"), (OFFICER,), statuses=(RESOLVED,)),
    "cancel": Rule(_("ยกเลิกคำขอ"), (OFFICER,)),
    "reply": Rule(_("ตอบผู้ขอ"), (OFFICER, APPROVER, DIRECTOR), statuses=(OPEN, RESOLVED)),
    "note": Rule(
        _("บันทึกภายใน"), (OFFICER, APPROVER, DIRECTOR), statuses=tuple(Ticket.Status.values)
    ),
    "reschedule": Rule(_("เลื่อน / แก้ไขการจอง"), (OFFICER,)),
    "requester_reply": Rule(
        _("ส่งข้อความถึงเจ้าหน้าที่"), (), statuses=(OPEN, RESOLVED), requester_only=True
    ),
}
REQUESTER_MOVES = ("cancel", "requester_reply")

#: move -> [function(ticket, step)], each raising MoveNotAllowed to refuse.
GUARDS = {}


def guard(move):
    """Add a check to ``move`` (a package above this one knows more about the ticket)."""

    def decorator(func):
        GUARDS.setdefault(move, []).append(func)
        return func

    return decorator


MOVES = tuple(RULES)
#: Moves decided by the role the approval step names (``roles.may_approve``).
APPROVAL_MOVES = ("approve", "reject")


# --- the rules -------------------------------------------------------------------
def check(ticket, user, move, requester=False, step=None):
    """Raise MoveNotAllowed unless ``user`` (or the requester) may make ``move`` now."""
    rule = RULES.get(move)
    if rule is None:
        raise MoveNotAllowed(_("ไม่รู้จักการดำเนินการนี้"))
    if ticket.status not in rule.statuses:
        raise MoveNotAllowed(
            gettext("%(move)sไม่ได้ เพราะคำขออยู่ในสถานะ “%(status)s”")
            % {"move": rule.label, "status": ticket.get_status_display()}
        )
    if requester:
        if move not in REQUESTER_MOVES:
            raise MoveNotAllowed(_("ผู้ขอรับบริการทำรายการนี้ไม่ได้"))
    elif rule.requester_only:
        raise MoveNotAllowed(_("การดำเนินการนี้ทำได้เฉพาะผู้ขอรับบริการ"))
    elif not (user is not None and user.is_active and user.is_superuser):
        # Approvals: who approves this step is decided below by ``may_approve``
        # (the role the step names, or a deputy); here, only "no approval role at all".
        roles = approval_roles(user) if move in APPROVAL_MOVES else user_roles(user)
        if not roles.intersection(rule.roles):
            raise MoveNotAllowed(
                gettext("ท่านไม่มีสิทธิ์%(move)s (เฉพาะ%(who)s)")
                % {
                    "move": rule.label,
                    "who": ", ".join(str(ROLE_LABELS[role]) for role in rule.roles),
                }
            )
    if rule.kinds is ANY and not (requester and move == "cancel"):
        for check_more in GUARDS.get(move, ()):
            check_more(ticket, step)
        return
    step = step if step is not None else ticket.current_step
    if step is None:
        raise MoveNotAllowed(gettext("%(move)sไม่ได้ เพราะไม่มีขั้นตอนที่ค้างอยู่") % {"move": rule.label})
    kinds = ("intake",) if requester else rule.kinds
    if step.kind not in kinds:
        if requester:
            raise MoveNotAllowed(_("ยกเลิกคำขอได้เฉพาะก่อนเจ้าหน้าที่เริ่มดำเนินการ โปรดติดต่อเจ้าหน้าที่"))
        raise MoveNotAllowed(
            gettext("%(move)sไม่ได้ในขั้นตอน “%(step)s” (ขั้นตอนประเภท%(kind)s)")
            % {"move": rule.label, "step": step.title, "kind": dict(KIND_CHOICES)[step.kind]}
        )
    if move in APPROVAL_MOVES and not requester and not may_approve(user, step):
        raise MoveNotAllowed(
            gettext("ท่านไม่มีสิทธิ์%(move)sขั้นตอน “%(step)s” (เฉพาะ%(who)s หรือผู้รักษาราชการแทน)")
            % {
                "move": rule.label,
                "step": step.title,
                "who": ROLE_LABELS[approving_role(step)],
            }
        )
    if move == "choose_alternative" and not step.alternatives:
        raise MoveNotAllowed(_("ขั้นตอนนี้ไม่มีกรณีระยะเวลาอื่นให้เลือก"))
    if (
        move == "resolve"
        and ticket.steps.exclude(status__in=FINISHED).filter(kind="approval").exists()
    ):
        raise MoveNotAllowed(_("ยังมีขั้นตอนอนุมัติที่ยังไม่เสร็จ จึงข้ามไปปิดงานไม่ได้"))
    for check_more in GUARDS.get(move, ()):
        check_more(ticket, step)


def resolves(ticket, move, step):
    """Would ``move`` on ``step`` leave no step to do (and so resolve the ticket)?"""
    if move == "resolve":
        return True
    if move in ("finish", "approve", "schedule") and step is not None:
        return not ticket.steps.exclude(status__in=FINISHED).exclude(pk=step.pk).exists()
    return False


def allowed_moves(ticket, user, requester=False):
    """Names of the moves ``user`` may make on ``ticket`` now, in display order."""
    step = ticket.current_step
    allowed = []
    for move in MOVES:
        if ticket.follows_workflow and ticket.status == OPEN and move in WORKFLOW_REFUSED:
            continue
        try:
            check(ticket, user, move, requester=requester, step=step)
        except MoveNotAllowed:
            continue
        allowed.append(move)
    return allowed


def requester_may_cancel(ticket):
    return "cancel" in allowed_moves(ticket, None, requester=True)


# --- doing them ------------------------------------------------------------------
@contextmanager
def moving(ticket, user, move, requester=False):
    """Lock the ticket, check the move on fresh rows, and hand them to the caller."""
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        step = locked.current_step
        check(locked, user, move, requester=requester, step=step)
        yield locked, step
    ticket.refresh_from_db()


def log_move(ticket, action, user, **data):
    log(ticket, f"services.ticket.{action}", user=user, data=data)


def _require(text, message):
    text = (text or "").strip()
    if not text:
        raise MoveNotAllowed(message)
    return text


def complete_step(step, user, note, now):
    step.status = TicketStep.Status.DONE
    step.done_at = now
    step.done_by = user
    step.record_working_minutes()
    if note:
        step.note = f"{step.note}\n{note}".strip() if step.note else note
    step.breached = bool(step.breached or (step.due_at and now > step.due_at))
    step.save(update_fields=["status", "done_at", "done_by", "working_minutes", "note", "breached"])


def _skip_rest(ticket, now, note=""):
    ticket.steps.exclude(status__in=FINISHED).update(
        status=TicketStep.Status.SKIPPED, done_at=now, note=note
    )


def advance(ticket, now):
    """Start the next step, or resolve the ticket when none is left."""
    following = ticket.steps.exclude(status__in=FINISHED).order_by("position").first()
    if following is not None:
        following.start(now)
        notify.step_started(ticket, following)
        if following.kind == "approval":
            notify.notify_line_group("approval", ticket, step=following)
        return following
    ticket.status = Ticket.Status.RESOLVED
    ticket.resolved_at = now
    ticket.active_step = None
    ticket.save(update_fields=["status", "resolved_at", "active_step", "updated_at"])
    log_move(ticket, "resolve", None, automatic=True)
    notify.resolved(ticket)
    return None


def end_ticket(ticket, status, now):
    """Close, reject or cancel; ``ticket_ended`` lets other packages follow (in the
    same transaction: bookings cancel their confirmed bookings)."""
    ticket.status = status
    ticket.active_step = None
    fields = ["status", "active_step", "updated_at"]
    if status == Ticket.Status.CLOSED:
        ticket.closed_at = now
        fields.append("closed_at")
    ticket.save(update_fields=fields)
    ticket_ended.send(sender=Ticket, ticket=ticket, status=status, now=now)


def record_done_elsewhere(ticket, position, user, note="", now=None):
    """A step finished outside the desk, e.g. a review in the publication workflow.

    It counts only while that step is the ticket's current one, so a repeated
    signal changes nothing. Returns the step, or None when nothing changed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        step = locked.current_step
        if locked.status != Ticket.Status.OPEN or step is None or step.position != position:
            return None
        complete_step(step, user, note, now)
        log_move(locked, "finish", user, step=step.position, title=step.title, via="workflow")
        advance(locked, now)
    ticket.refresh_from_db()
    return step


def no_answer(ticket, step_pk, now=None):
    """The requester did not answer a step they act on, even after the reminder:
    do what the standard says (``TicketStep.on_no_answer``). Idempotent: it acts
    only while that step is still the ticket's current one. Returns True if it acted."""
    from services.core.targets import CANCEL, TO_OFFICER

    now = now or timezone.now()
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        step = locked.current_step
        if locked.status != OPEN or step is None or step.pk != step_pk:
            return False
        reason = gettext("ผู้ขอไม่ตอบกลับภายในเวลาที่มาตรฐานการให้บริการกำหนด")
        if step.on_no_answer == CANCEL:
            _skip_rest(locked, now, note=reason)
            end_ticket(locked, Ticket.Status.CANCELLED, now)
            log_move(locked, "cancel", None, automatic=True, reason=reason)
            notify.cancelled(locked, reason, False)
        elif step.on_no_answer == TO_OFFICER:
            step.status = TicketStep.Status.SKIPPED
            step.done_at = now
            step.note = reason
            step.save(update_fields=["status", "done_at", "note"])
            log_move(locked, "finish", None, step=step.position, title=step.title, note=reason)
            advance(locked, now)
        else:
            return False
    ticket.refresh_from_db()
    return True


def restart(ticket, user, note="", now=None):
    """Send an open ticket back to its first step with fresh clocks (a resubmission)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if locked.status != Ticket.Status.OPEN:
            return None
        locked.steps.update(
            status=TicketStep.Status.PENDING,
            started_at=None,
            due_at=None,
            warn_at=None,
            done_at=None,
            done_by=None,
            working_minutes=None,
            breached=False,
            escalated_at=None,
            due_soon_notified_at=None,
            remind_at=None,
            reminded_at=None,
            chosen_alternative="",
        )
        first = locked.steps.order_by("position").first()
        if first is not None:
            first.start(now)
            notify.step_started(locked, first)
        log_move(locked, "restart", user, note=note)
    ticket.refresh_from_db()
    return ticket


def take(ticket, user, now=None):
    with moving(ticket, user, "take") as (locked, _step):
        if locked.assignee_id == user.pk:
            raise MoveNotAllowed(_("ท่านรับผิดชอบคำขอนี้อยู่แล้ว"))
        previous = locked.assignee
        locked.assignee = user
        locked.save(update_fields=["assignee", "updated_at"])
        log_move(locked, "take", user, previous=str(previous) if previous else "")


def assign(ticket, user, assignee, now=None):
    if assignee is None or not (assignee.is_superuser or OFFICER in user_roles(assignee)):
        raise MoveNotAllowed(_("มอบหมายได้เฉพาะเจ้าหน้าที่ ICT"))
    with moving(ticket, user, "assign") as (locked, _step):
        locked.assignee = assignee
        locked.save(update_fields=["assignee", "updated_at"])
        log_move(
            locked,
            "assign",
            user,
            assignee=assignee.get_username(),
            assignee_name=assignee.get_full_name() or assignee.get_username(),
        )
        notify.assigned(locked, assignee, user, now or timezone.now())


def finish(ticket, user, note="", now=None):
    now = now or timezone.now()
    with moving(ticket, user, "finish") as (locked, step):
        complete_step(step, user, (note or "").strip(), now)
        log_move(
            locked,
            "finish",
            user,
            step=step.position,
            title=step.title,
            met=not step.breached,
            note=(note or "").strip(),
        )
        advance(locked, now)


def choose_alternative(ticket, user, label, reason, now=None):
    """Re-time the current step by one of its alternative targets, from its start."""
    now = now or timezone.now()
    reason = _require(reason, _("กรุณาระบุเหตุผลที่เลือกกรณีนี้"))
    with moving(ticket, user, "choose_alternative") as (locked, step):
        alternative = next((alt for alt in step.alternatives if alt["label"] == label), None)
        if alternative is None:
            raise MoveNotAllowed(_("กรุณาเลือกกรณีจากรายการของขั้นตอนนี้"))
        old_due = step.due_at
        step.target_amount = alternative["amount"]
        step.target_unit = alternative["unit"]
        step.target_mode = alternative["mode"]
        step.chosen_alternative = label
        # From the step's start; a requester's step gets a new reminder, no clock.
        step.time_from(step.started_at or now)
        # Still flagged only if the sweep flagged it and it is still late; an
        # unflagged late step is the sweep's to flag and escalate.
        step.breached = bool(step.breached and step.due_at and now > step.due_at)
        target = describe_target(step.target_amount, step.target_unit, step.target_mode)
        line = gettext("เลือกกรณี “%(label)s” (%(target)s): %(reason)s") % {
            "label": label,
            "target": target,
            "reason": reason,
        }
        step.note = f"{step.note}\n{line}".strip() if step.note else line
        step.save(
            update_fields=[
                "target_amount",
                "target_unit",
                "target_mode",
                "chosen_alternative",
                "due_at",
                "warn_at",
                "remind_at",
                "breached",
                "note",
            ]
        )
        log_move(
            locked,
            "choose_alternative",
            user,
            step=step.position,
            title=step.title,
            alternative=label,
            reason=reason,
            old_due=old_due.isoformat() if old_due else None,
            new_due=step.due_at.isoformat() if step.due_at else None,
        )


def approve(ticket, user, reason="", now=None):
    now = now or timezone.now()
    reason = (reason or "").strip()
    with moving(ticket, user, "approve") as (locked, step):
        note = gettext("อนุมัติ") + (f": {reason}" if reason else "")
        complete_step(step, user, note, now)
        log_move(locked, "approve", user, step=step.position, title=step.title, reason=reason)
        advance(locked, now)


def reject(ticket, user, reason, now=None):
    now = now or timezone.now()
    reason = _require(reason, _("กรุณาระบุเหตุผลที่ไม่อนุมัติ ผู้ขอจะได้รับเหตุผลนี้ทางอีเมล"))
    with moving(ticket, user, "reject") as (locked, step):
        complete_step(step, user, gettext("ไม่อนุมัติ: %(reason)s") % {"reason": reason}, now)
        _skip_rest(locked, now)
        end_ticket(locked, Ticket.Status.REJECTED, now)
        log_move(locked, "reject", user, step=step.position, title=step.title, reason=reason)
        notify.rejected(locked, reason)


def resolve(ticket, user, note="", now=None):
    """Finish the current step and skip the rest (never past an approval)."""
    now = now or timezone.now()
    with moving(ticket, user, "resolve") as (locked, step):
        complete_step(step, user, (note or "").strip(), now)
        _skip_rest(locked, now, note=gettext("ข้ามเมื่อดำเนินการเสร็จสิ้น"))
        locked.status = Ticket.Status.RESOLVED
        locked.resolved_at = now
        locked.active_step = None
        locked.save(update_fields=["status", "resolved_at", "active_step", "updated_at"])
        log_move(locked, "resolve", user, step=step.position, note=(note or "").strip())
        notify.resolved(locked)


def close(ticket, user, note="", now=None):
    now = now or timezone.now()
    with moving(ticket, user, "close") as (locked, _step):
        end_ticket(locked, Ticket.Status.CLOSED, now)
        log_move(locked, "close", user, note=(note or "").strip())


def cancel(ticket, user, reason="", requester=False, now=None):
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not requester:
        reason = _require(reason, _("กรุณาระบุเหตุผลที่ยกเลิก"))
    with moving(ticket, user, "cancel", requester=requester) as (locked, _step):
        _skip_rest(locked, now, note=gettext("ยกเลิกคำขอ"))
        end_ticket(locked, Ticket.Status.CANCELLED, now)
        log_move(
            locked, "cancel", None if requester else user, by_requester=requester, reason=reason
        )
        notify.cancelled(locked, reason, requester)


def _message(ticket, user, body, files, public, from_requester=False, now=None):
    message = TicketMessage.objects.create(
        ticket=ticket,
        author=user,
        body=body,
        is_public=public,
        from_requester=from_requester,
        created_at=now or timezone.now(),
    )
    try:
        saved = save_attachments(ticket, files or (), message=message, is_public=public)
    except ValidationError as invalid:
        raise MoveNotAllowed(" ".join(invalid.messages)) from invalid
    return message, saved


def reply(ticket, user, body, files=(), now=None):
    body = _require(body, _("กรุณาพิมพ์ข้อความถึงผู้ขอ"))
    with moving(ticket, user, "reply") as (locked, _step):
        message, saved = _message(locked, user, body, files, True, now=now)
        log_move(locked, "reply", user, message=message.pk, files=len(saved))
        notify.public_reply(locked, message)
    return message


def note(ticket, user, body, files=(), now=None):
    body = _require(body, _("กรุณาพิมพ์บันทึก"))
    with moving(ticket, user, "note") as (locked, _step):
        message, saved = _message(locked, user, body, files, False, now=now)
        log_move(locked, "note", user, message=message.pk, files=len(saved))
    return message


def requester_reply(ticket, body, files=(), now=None):
    """The requester writes to the desk from the tracking page (behind its token)."""
    body = _require(body, _("กรุณาพิมพ์ข้อความถึงเจ้าหน้าที่"))
    with moving(ticket, None, "requester_reply", requester=True) as (locked, _step):
        message, saved = _message(locked, None, body, files, True, from_requester=True, now=now)
        log_move(
            locked,
            "requester_reply",
            None,
            by_requester=True,
            message=message.pk,
            files=len(saved),
        )
        notify.requester_replied(locked, message)
    return message


PERFORM = {
    "take": take,
    "assign": assign,
    "finish": finish,
    "choose_alternative": choose_alternative,
    "approve": approve,
    "reject": reject,
    "resolve": resolve,
    "close": close,
    "cancel": cancel,
    "reply": reply,
    "note": note,
}


def register(move):
    """Add the function that performs ``move`` (a domain package above this one,
    such as bookings, brings its own moves)."""

    def decorator(func):
        PERFORM[move] = func
        return func

    return decorator


#: A ticket that follows a Wagtail workflow (a publication request) has one state:
#: the workflow's. Its step moves act through the workflow (the package that owns
#: the workflow registers them here) and the workflow's signals move the ticket;
#: moves that would end or re-time it apart from the workflow are refused.
WORKFLOW_MOVES = {}
WORKFLOW_REFUSED = ("resolve", "cancel", "choose_alternative", "schedule")


def perform(move, ticket, user, **data):
    if move not in PERFORM:
        raise MoveNotAllowed(_("ไม่รู้จักการดำเนินการนี้"))
    if ticket.follows_workflow and ticket.status == OPEN:
        if move in WORKFLOW_REFUSED or (
            move in ("approve", "reject", "finish") and move not in WORKFLOW_MOVES
        ):
            raise MoveNotAllowed(_("คำขอนี้ดำเนินการตามเวิร์กโฟลว์การเผยแพร่ โปรดดำเนินการที่หน้าเนื้อหา"))
        if move in WORKFLOW_MOVES:
            check(ticket, user, move)
            return WORKFLOW_MOVES[move](ticket, user, **data)
    return PERFORM[move](ticket, user, **data)


def desk_users():
    """Officers who can be given a ticket."""
    return get_user_model().objects.filter(is_active=True, groups__name=OFFICERS).distinct()
