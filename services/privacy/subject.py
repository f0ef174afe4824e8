"""One person's data (a data subject under the PDPA): find, export, erase.

A person is named by an e-mail address or a phone number. Their data is
every ticket they filed under that address or number, with its answers,
messages, step notes, files, survey and bookings, every request of theirs
still waiting in the journal to become a ticket, and every outbox message
addressed to them. Export gives all of it as JSON (files included, base64)
or XLSX (file names and sizes); erase anonymises each ticket in place
(``anonymise.anonymise_ticket``) so report counts do not change, and deletes
the waiting requests (no ticket of theirs is counted yet). Each export
and erasure is recorded as a ``PersonalDataRequest`` with an audit entry
holding a digest of the address, never the address itself.
"""

import base64
import hashlib
import json
import re

from django.conf import settings
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from services.core.models import OutboxMessage, PersonalDataRequest
from services.privacy.anonymise import anonymise_ticket, scrub_outbox
from services.reports.export import to_xlsx
from services.tickets.journal import REQUESTER_FIELDS
from services.tickets.models import PendingRequest, Ticket


class Subject:
    """An e-mail address or a phone number, normalised."""

    def __init__(self, value):
        value = (value or "").strip()
        self.raw = value
        if "@" in value:
            validate_email(value)
            self.kind, self.value = "email", value.lower()
        else:
            digits = re.sub(r"\D", "", value)
            if digits.startswith("66") and len(digits) == 11:
                digits = "0" + digits[2:]
            if len(digits) < 9 or len(digits) > 10:
                raise ValueError("not a phone number")
            self.kind, self.value = "phone", digits

    @property
    def digest(self):
        key = settings.SECRET_KEY.encode()
        return hashlib.sha256(key + b":" + self.value.encode()).hexdigest()

    def tickets(self):
        if self.kind == "email":
            return Ticket.objects.filter(requester_email__iexact=self.value).order_by("pk")
        candidates = Ticket.objects.filter(requester_phone__contains=self.value[-4:])
        ids = [t.pk for t in candidates if self.same_phone(t.requester_phone)]
        return Ticket.objects.filter(pk__in=ids).order_by("pk")

    def same_phone(self, phone):
        """Whether ``phone``, written any way, is this person's number (the
        database finds candidates by the last four digits; this decides)."""
        return re.sub(r"\D", "", str(phone)).endswith(self.value[1:])

    def waiting(self):
        """Their requests accepted from a public form and not yet made into
        tickets (``services.tickets.journal``), oldest first."""
        rows = PendingRequest.objects.select_related("service").order_by("pk")
        if self.kind == "email":
            return [
                row
                for row in rows.filter(requester__requester_email__icontains=self.value)
                if str(row.requester.get("requester_email", "")).lower() == self.value
            ]
        return [
            row
            for row in rows.filter(requester__requester_phone__icontains=self.value[-4:])
            if self.same_phone(row.requester.get("requester_phone", ""))
        ]

    def outbox(self, tickets):
        """Outbox rows addressed to the person or about their tickets."""
        from services.privacy.anonymise import outbox_about

        rows = {}
        if self.kind == "email":
            for row in OutboxMessage.objects.filter(to__icontains=self.value):
                if any(str(item).lower() == self.value for item in row.to):
                    rows[row.pk] = row
        for ticket in tickets:
            for row in outbox_about(ticket):
                rows[row.pk] = row
        return [rows[pk] for pk in sorted(rows)]


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def ticket_data(ticket, with_files=True):
    survey = getattr(ticket, "survey", None) if hasattr(ticket, "survey") else None
    data = {
        "reference": ticket.reference,
        "service": ticket.service_title,
        "status": ticket.status,
        "channel": ticket.channel,
        "created_at": _iso(ticket.created_at),
        "resolved_at": _iso(ticket.resolved_at),
        "closed_at": _iso(ticket.closed_at),
        "requester_name": ticket.requester_name,
        "requester_org": ticket.requester_org,
        "requester_email": ticket.requester_email,
        "requester_phone": ticket.requester_phone,
        "line_user_id": ticket.line_user_id,
        "language": ticket.language,
        "answers": ticket.answers,
        "consent": {
            "privacy_notice_version": ticket.privacy_notice.version
            if ticket.privacy_notice_id
            else None,
            "at": _iso(ticket.consent_at),
        },
        "steps": [
            {
                "position": s.position,
                "title": s.title,
                "status": s.status,
                "started_at": _iso(s.started_at),
                "done_at": _iso(s.done_at),
                "note": s.note,
            }
            for s in ticket.steps.all()
        ],
        "messages": [
            {"at": _iso(m.created_at), "public": m.is_public, "body": m.body}
            for m in ticket.messages.all()
        ],
        "attachments": [],
        "bookings": [
            {
                "resource": b.resource.name,
                "starts_at": _iso(b.starts_at),
                "ends_at": _iso(b.ends_at),
                "status": b.status,
            }
            for b in ticket.bookings.select_related("resource")
        ],
        "survey": None,
    }
    for attachment in ticket.attachments.all():
        item = {
            "name": attachment.original_name,
            "content_type": attachment.content_type,
            "size": attachment.size,
        }
        if with_files and attachment.file:
            with attachment.file.open("rb") as handle:
                item["content_base64"] = base64.b64encode(handle.read()).decode()
        data["attachments"].append(item)
    if survey is not None:
        data["survey"] = {
            "at": _iso(survey.created_at),
            "overall": survey.overall,
            "comment": survey.comment,
        }
    return data


def collect(subject):
    tickets = list(subject.tickets())
    return {
        "subject": {"kind": subject.kind, "value": subject.value},
        "exported_at": _iso(timezone.now()),
        "tickets": [ticket_data(t) for t in tickets],
        "waiting_requests": [
            {
                "reference": row.reference,
                "service": row.service.title,
                "received_at": _iso(row.received_at),
                **{name: row.requester.get(name, "") for name in REQUESTER_FIELDS},
                "answers": row.answers,
            }
            for row in subject.waiting()
        ],
        "messages_sent": [
            {
                "channel": row.channel,
                "to": row.to,
                "subject": row.subject,
                "body": row.body,
                "created_at": _iso(row.created_at),
                "sent_at": _iso(row.sent_at),
            }
            for row in subject.outbox(tickets)
        ],
    }


def _record(kind, subject, references, user):
    entry = PersonalDataRequest.objects.create(
        kind=kind, subject_digest=subject.digest, references=references, user=user
    )
    log(
        entry,
        f"services.privacy.{kind}",
        user=user,
        data={"subject_kind": subject.kind, "references": references},
    )
    return entry


def references(data):
    """The references an export holds: its tickets', then its waiting requests'."""
    return [t["reference"] for t in data["tickets"]] + [
        w["reference"] for w in data["waiting_requests"]
    ]


def export_json(subject, user):
    data = collect(subject)
    _record(PersonalDataRequest.Kind.EXPORT, subject, references(data), user)
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def export_xlsx(subject, user):
    data = collect(subject)
    tickets = data["tickets"]
    sheets = [
        (
            "tickets",
            [
                "reference",
                "service",
                "status",
                "created_at",
                "requester_name",
                "requester_org",
                "requester_email",
                "requester_phone",
                "line_user_id",
                "privacy_notice_version",
                "consent_at",
                "answers",
            ],
            [
                [
                    t["reference"],
                    t["service"],
                    t["status"],
                    t["created_at"],
                    t["requester_name"],
                    t["requester_org"],
                    t["requester_email"],
                    t["requester_phone"],
                    t["line_user_id"],
                    t["consent"]["privacy_notice_version"],
                    t["consent"]["at"],
                    json.dumps(t["answers"], ensure_ascii=False),
                ]
                for t in tickets
            ],
        ),
        (
            "messages",
            ["reference", "at", "public", "body"],
            [
                [t["reference"], m["at"], m["public"], m["body"]]
                for t in tickets
                for m in t["messages"]
            ],
        ),
        (
            "step_notes",
            ["reference", "position", "title", "note"],
            [
                [t["reference"], s["position"], s["title"], s["note"]]
                for t in tickets
                for s in t["steps"]
                if s["note"]
            ],
        ),
        (
            "attachments",
            ["reference", "name", "content_type", "size"],
            [
                [t["reference"], a["name"], a["content_type"], a["size"]]
                for t in tickets
                for a in t["attachments"]
            ],
        ),
        (
            "survey",
            ["reference", "at", "overall", "comment"],
            [
                [t["reference"], t["survey"]["at"], t["survey"]["overall"], t["survey"]["comment"]]
                for t in tickets
                if t["survey"]
            ],
        ),
        (
            "waiting_requests",
            ["reference", "service", "received_at", "requester", "answers"],
            [
                [
                    w["reference"],
                    w["service"],
                    w["received_at"],
                    json.dumps({name: w[name] for name in REQUESTER_FIELDS}, ensure_ascii=False),
                    json.dumps(w["answers"], ensure_ascii=False),
                ]
                for w in data["waiting_requests"]
            ],
        ),
        (
            "messages_sent",
            ["channel", "to", "subject", "created_at", "sent_at", "body"],
            [
                [
                    m["channel"],
                    ", ".join(m["to"]),
                    m["subject"],
                    m["created_at"],
                    m["sent_at"],
                    m["body"],
                ]
                for m in data["messages_sent"]
            ],
        ),
    ]
    _record(PersonalDataRequest.Kind.EXPORT, subject, references(data), user)
    return to_xlsx(sheets)


def erase(subject, user):
    """Delete the person's waiting requests, anonymise every ticket of theirs and
    scrub the messages sent to them.

    The waiting requests go first, each locked (on PostgreSQL a request the
    cluster is making into a ticket is waited for, and its ticket is then
    found among the tickets)."""
    with transaction.atomic():
        waiting = [row.pk for row in subject.waiting()]
        gone = list(
            PendingRequest.objects.select_for_update()
            .filter(pk__in=waiting)
            .values_list("pk", "reference")
        )
        PendingRequest.objects.filter(pk__in=[pk for pk, _reference in gone]).delete()
        tickets = list(subject.tickets())
        rows = subject.outbox(tickets)
        references = [t.reference for t in tickets] + [ref for _pk, ref in gone]
        for ticket in tickets:
            anonymise_ticket(ticket, user=user, reason="erasure")
        scrub_outbox(OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]))
        entry = _record(PersonalDataRequest.Kind.ERASE, subject, references, user)
    return entry
