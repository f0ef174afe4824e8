"""Small builders for desk tests: users in each group and tickets with given steps."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from services.core.clock import BANGKOK
from services.core.models import OutboxMessage
from services.core.roles import DIRECTORS, EXECUTIVES, GROUP_HEADS, OFFICERS, STAFF, ensure_groups
from services.tickets.models import Ticket, TicketSequence, TicketStep


def bkk(*args):
    return dt.datetime(*args, tzinfo=BANGKOK)


def make_user(username, group=None, superuser=False, email=None):
    ensure_groups()
    user = get_user_model().objects.create_user(
        username=username,
        password="x",
        email=email or f"{username}@example.go.th",
        first_name=username.title(),
        is_superuser=superuser,
        is_staff=superuser,
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def failed_message(key="t:failed", **fields):
    """An outbox message the outbox gave up sending."""
    return OutboxMessage.objects.create(
        key=key,
        kind="test",
        to=["x@example.com"],
        subject="ส่งไม่ได้",
        body="…",
        status=OutboxMessage.Status.FAILED,
        attempts=12,
        **fields,
    )


def desk_users():
    return {
        "officer": make_user("officer1", OFFICERS),
        "approver": make_user("approver1", GROUP_HEADS),
        "director": make_user("director1", DIRECTORS),
        "executive": make_user("executive1", EXECUTIVES),
        "staff": make_user("staff1", STAFF),
        "admin": make_user("admin1", superuser=True),
    }


def step(kind, role="officer", amount=1, unit="hours", mode="working", alternatives=()):
    return {
        "kind": kind,
        "role": role,
        "target_amount": amount,
        "target_unit": unit,
        "target_mode": mode,
        "alternatives": list(alternatives),
    }


def make_ticket(steps, now, language="th", email="requester@example.com", title="บริการทดสอบ"):
    sequence = TicketSequence.next_value(2569)
    ticket = Ticket.objects.create(
        reference=Ticket.format_reference(2569, sequence),
        fiscal_year=2569,
        sequence=sequence,
        service_title=title,
        form_kind="general",
        requester_name="นางสาวทดสอบ ระบบ",
        requester_email=email,
        language=language,
        created_at=now,
    )
    for position, spec in enumerate(steps, start=1):
        TicketStep.objects.create(
            ticket=ticket, position=position, title=f"ขั้นตอนที่ {position} ({spec['kind']})", **spec
        )
    ticket.steps.get(position=1).start(now)
    ticket.refresh_from_db()
    return ticket


def advance_to(ticket, position, now):
    """Mark the steps before ``position`` done and start it (test set-up only)."""
    ticket.steps.filter(position__lt=position).update(status=TicketStep.Status.DONE, done_at=now)
    ticket.steps.get(position=position).start(now)
    ticket.refresh_from_db()
    return ticket
