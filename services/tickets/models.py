"""Tickets: one request from the public, with its own copy of the service's steps.

Each ticket step carries the target it had when the request was submitted and
its own clock (started, due, done). References are "ICT-<B.E. fiscal
year>-<six-digit sequence>", drawn from ``TicketSequence``.
"""

import secrets

from django.conf import settings
from django.core.files.storage import storages
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.core.clock import WORKING, get_clock
from services.core.targets import (
    KIND_CHOICES,
    MODE_CHOICES,
    NO_ANSWER_CHOICES,
    ROLE_CHOICES,
    UNIT_CHOICES,
    WAIT,
    describe_target,
)
from services.tickets.deadlines import missed_q, remind_moment, runs_clock, warn_moment

REFERENCE_PREFIX = "ICT"


def working_minutes_taken(started_at, done_at, clock=None):
    """Office minutes from ``started_at`` to ``done_at`` on the business clock, or None."""
    if started_at is None or done_at is None:
        return None
    return (clock or get_clock()).working_minutes_between(started_at, done_at)


def fill_working_minutes(steps=None, batch=2000, clock=None):
    """Give done steps without ``working_minutes`` their office minutes, ``batch``
    steps at a time in primary-key order (for rows written without the desk: an
    import, a restore, a generated data set). Returns how many were filled."""
    clock = clock or get_clock()
    steps = (
        (TicketStep.objects.all() if steps is None else steps)
        .filter(
            status=TicketStep.Status.DONE,
            started_at__isnull=False,
            done_at__isnull=False,
            working_minutes__isnull=True,
        )
        .order_by("pk")
        .only("pk", "started_at", "done_at")
    )
    last, filled = 0, 0
    while chunk := list(steps.filter(pk__gt=last)[:batch]):
        for step in chunk:
            step.record_working_minutes(clock)
        TicketStep.objects.bulk_update(chunk, ["working_minutes"])
        last, filled = chunk[-1].pk, filled + len(chunk)
    return filled


def new_tracking_token():
    return secrets.token_urlsafe(32)


def attachment_storage():
    return storages["attachments"]


def attachment_path(instance, filename):
    """A random name: nothing of the requester's file name reaches the disk."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    now = timezone.localtime()
    return f"tickets/{now:%Y/%m}/{secrets.token_hex(16)}.{extension}"


class TicketSequence(models.Model):
    """The last sequence number given out in one B.E. fiscal year."""

    fiscal_year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("เลขลำดับคำขอ")

    @classmethod
    def next_value(cls, fiscal_year):
        """The next number of the year, unique under concurrent writers.

        One upsert statement increments the row and returns the new value; on
        PostgreSQL the row lock serialises concurrent callers, on SQLite the
        write lock does.
        """
        with connection.cursor() as cursor:
            cursor.execute(cls.next_value_sql(), [fiscal_year])
            return cursor.fetchone()[0]

    @classmethod
    def next_value_sql(cls, placeholder="%s"):
        """``next_value``'s upsert, for callers that send it in a statement of their
        own: one parameter, the fiscal year; it returns the column ``last``."""
        table = connection.ops.quote_name(cls._meta.db_table)
        return (
            f"INSERT INTO {table} (fiscal_year, last) VALUES ({placeholder}, 1) "
            f"ON CONFLICT (fiscal_year) DO UPDATE SET last = {table}.last + 1 "
            f"RETURNING last"
        )


def _digits(text):
    return "".join(ch for ch in text or "" if ch.isdigit())


def _flatten(value):
    """Every string inside a JSON value (answers), in order."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _flatten(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _flatten(item)
    elif value not in (None, True, False):
        yield str(value)


def search_text_for(ticket):
    """The text the desk search looks in: reference, requester, contact, answers.

    Lower-cased; phone numbers also appear as bare digits, so "081-234-5678",
    "0812345678" and "081 234 5678" all find the same ticket.
    """
    parts = [
        ticket.reference,
        ticket.requester_name,
        ticket.requester_email,
        ticket.requester_phone,
        _digits(ticket.requester_phone),
        ticket.requester_org,
        ticket.service_title,
        *_flatten(ticket.answers or {}),
    ]
    return " ".join(part for part in parts if part).lower()


class Ticket(models.Model):
    # Not in Wagtail's reference index: a request is not a "use" of its service
    # page, and a row per ticket there would grow with every request and move.
    wagtail_reference_index_ignore = True

    class Channel(models.TextChoices):
        WEB = "web", _("แบบฟอร์มออนไลน์")
        STAFF = "staff", _("แบบฟอร์มบุคลากร")
        WALK_IN = "walk_in", _("ติดต่อด้วยตนเอง")
        LETTER = "letter", _("หนังสือราชการ")
        PHONE = "phone", _("โทรศัพท์")
        LINE = "line", _("LINE")
        EMAIL = "email", _("อีเมล")

    class Status(models.TextChoices):
        OPEN = "open", _("กำลังดำเนินการ")
        RESOLVED = "resolved", _("ดำเนินการเสร็จแล้ว")
        REJECTED = "rejected", _("ไม่อนุมัติ")
        CANCELLED = "cancelled", _("ยกเลิก")
        CLOSED = "closed", _("ปิดงาน")

    reference = models.CharField(_("เลขที่คำขอ"), max_length=32, unique=True)
    fiscal_year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"), db_index=True)
    sequence = models.PositiveIntegerField(_("ลำดับ"))
    service = models.ForeignKey(
        "services.ServicePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
        verbose_name=_("บริการ"),
    )
    service_code = models.CharField(_("รหัสบริการ"), max_length=20, blank=True)
    service_title = models.CharField(_("ชื่อบริการ"), max_length=255)
    form_kind = models.CharField(_("แบบฟอร์ม"), max_length=20)
    tracking_token = models.CharField(
        max_length=64, unique=True, db_index=True, default=new_tracking_token, editable=False
    )
    requester_name = models.CharField(_("ชื่อผู้ขอ"), max_length=200)
    requester_org = models.CharField(_("หน่วยงาน / โรงเรียน"), max_length=255, blank=True)
    requester_phone = models.CharField(_("โทรศัพท์"), max_length=40, blank=True)
    # Blank only for requests an officer took by phone or at the counter
    # from someone without e-mail.
    requester_email = models.EmailField(_("อีเมล"), blank=True)
    channel = models.CharField(
        _("ช่องทาง"), max_length=16, choices=Channel.choices, default=Channel.WEB, db_index=True
    )
    # Kept by ``save``: see ``search_text_for``; PostgreSQL has a trigram index on it.
    search_text = models.TextField(editable=False, blank=True, default="")
    language = models.CharField(_("ภาษา"), max_length=8, default="th")
    answers = models.JSONField(_("ข้อมูลคำขอ"), default=dict, blank=True)
    status = models.CharField(
        _("สถานะ"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
        verbose_name=_("ผู้รับผิดชอบ"),
    )
    created_at = models.DateTimeField(_("ยื่นคำขอเมื่อ"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("ปรับปรุงเมื่อ"), auto_now=True)
    resolved_at = models.DateTimeField(_("เสร็จเมื่อ"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ปิดงานเมื่อ"), null=True, blank=True)
    consent_at = models.DateTimeField(_("ยินยอมเมื่อ"), null=True, blank=True)
    # PDPA: the version of the privacy notice the requester accepted (at consent_at).
    privacy_notice = models.ForeignKey(
        "services.PrivacyNotice",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("ประกาศความเป็นส่วนตัวที่ยอมรับ"),
    )
    # Set when the personal data was replaced (retention period over, or erased on request).
    anonymised_at = models.DateTimeField(_("ลบข้อมูลส่วนบุคคลเมื่อ"), null=True, blank=True)
    # LINE: the requester's LINE user id once linked from the tracking page.
    line_user_id = models.CharField(_("LINE user ID"), max_length=64, blank=True)
    line_link_code = models.CharField(max_length=16, null=True, blank=True, unique=True)
    line_link_expires_at = models.DateTimeField(null=True, blank=True)
    # Set for requests whose steps are moved by a Wagtail workflow (publication):
    # the workflow's own sweep reminds and escalates them, the ticket sweep does not.
    follows_workflow = models.BooleanField(_("ขั้นตอนตามเวิร์กโฟลว์การเผยแพร่"), default=False)
    # --- desk (issue 4): the active step, kept by TicketStep.start and the
    # moves, so the desk list shows step, due time and SLA with one join.
    active_step = models.ForeignKey(
        "TicketStep",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ขั้นตอนปัจจุบัน"),
    )

    class Meta:
        verbose_name = _("คำขอรับบริการ")
        verbose_name_plural = _("คำขอรับบริการ")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "sequence"], name="ticket_unique_sequence_per_year"
            ),
        ]
        # The desk lists newest first (by id); each filter walks its own index
        # in that order instead of sorting every matching row.
        indexes = [
            models.Index(fields=["status", "id"], name="ticket_status_id"),
            models.Index(fields=["service", "id"], name="ticket_service_id"),
            models.Index(fields=["assignee", "id"], name="ticket_assignee_id"),
            models.Index(fields=["fiscal_year", "id"], name="ticket_fiscal_year_id"),
        ]

    def __str__(self):
        return f"{self.reference} {self.service_title}"

    SEARCHED_FIELDS = frozenset(
        {
            "reference",
            "requester_name",
            "requester_email",
            "requester_phone",
            "requester_org",
            "service_title",
            "answers",
        }
    )

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self.search_text = search_text_for(self)
        elif self.SEARCHED_FIELDS.intersection(update_fields):
            self.search_text = search_text_for(self)
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    @staticmethod
    def format_reference(fiscal_year, sequence):
        return f"{REFERENCE_PREFIX}-{fiscal_year}-{sequence:06d}"

    @property
    def current_step(self):
        """The first step that is neither done nor skipped (None when all are)."""
        for step in self.steps.all():
            if step.status not in (TicketStep.Status.DONE, TicketStep.Status.SKIPPED):
                return step
        return None

    def get_tracking_url(self):
        return reverse("services:track", args=[self.reference, self.tracking_token])

    def get_absolute_tracking_url(self):
        return settings.WAGTAILADMIN_BASE_URL + self.get_tracking_url()

    def public_messages(self):
        return (
            self.messages.filter(is_public=True)
            .select_related("author")
            .prefetch_related("files")
            .order_by("created_at")
        )

    def public_attachments(self):
        return self.attachments.filter(is_public=True)

    def expected_schedule(self):
        """[(step, expected due), ...] if every step took its full target from now on.

        Done steps keep their times, the active step its due time; later timed
        steps are chained after it. Untimed steps have no expected time.
        """
        clock = get_clock()
        cursor = None
        plan = []
        for step in self.steps.all():
            if step.status in (TicketStep.Status.DONE, TicketStep.Status.SKIPPED):
                cursor = step.done_at or cursor
                plan.append((step, step.done_at))
            elif step.status == TicketStep.Status.ACTIVE:
                cursor = step.due_at or cursor
                plan.append((step, step.due_at))
            elif step.is_timed and cursor is not None:
                cursor = clock.add(cursor, step.target_amount, step.target_unit, step.target_mode)
                plan.append((step, cursor))
            else:
                plan.append((step, None))
        return plan


class TicketStep(models.Model):
    # Out of Wagtail's reference index, as its ticket is (see Ticket).
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        PENDING = "pending", _("รอดำเนินการ")
        ACTIVE = "active", _("กำลังดำเนินการ")
        DONE = "done", _("เสร็จแล้ว")
        SKIPPED = "skipped", _("ข้าม")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("ลำดับ"))
    title = models.CharField(_("ขั้นตอน"), max_length=255)
    description = models.TextField(_("รายละเอียด"), blank=True)
    kind = models.CharField(_("ประเภท"), max_length=16, choices=KIND_CHOICES)
    role = models.CharField(_("ผู้รับผิดชอบ"), max_length=16, choices=ROLE_CHOICES)
    target_amount = models.PositiveIntegerField(_("ระยะเวลา"), null=True, blank=True)
    target_unit = models.CharField(_("หน่วย"), max_length=10, choices=UNIT_CHOICES, blank=True)
    target_mode = models.CharField(
        _("การนับเวลา"), max_length=10, choices=MODE_CHOICES, default=WORKING
    )
    target_label = models.CharField(_("คำอธิบายเวลา"), max_length=120, blank=True)
    alternatives = models.JSONField(_("ระยะเวลากรณีอื่น"), default=list, blank=True)
    chosen_alternative = models.CharField(_("กรณีที่เลือก"), max_length=120, blank=True)
    status = models.CharField(
        _("สถานะ"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    started_at = models.DateTimeField(_("เริ่มเมื่อ"), null=True, blank=True)
    due_at = models.DateTimeField(_("กำหนดเสร็จ"), null=True, blank=True)
    done_at = models.DateTimeField(_("เสร็จเมื่อ"), null=True, blank=True)
    # Office minutes from start to done on the business clock, kept when the step
    # is done: the reports' medians count working time, as the targets do.
    working_minutes = models.PositiveIntegerField(_("เวลาทำการที่ใช้ (นาที)"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ดำเนินการโดย"),
    )
    note = models.TextField(_("บันทึก"), blank=True)
    breached = models.BooleanField(_("เกินกำหนด"), default=False)
    escalated_at = models.DateTimeField(_("แจ้งเตือนผู้บังคับบัญชาเมื่อ"), null=True, blank=True)
    # --- desk (issue 4): from this moment the step counts as "due soon".
    warn_at = models.DateTimeField(_("ใกล้ครบกำหนดตั้งแต่"), null=True, blank=True)
    # Claimed by the sweep with a conditional UPDATE: the assignee hears once.
    due_soon_notified_at = models.DateTimeField(
        _("แจ้งผู้รับผิดชอบว่าใกล้ครบกำหนดเมื่อ"), null=True, blank=True
    )
    # Steps the requester acts on run no clock; at ``remind_at`` (the step's
    # target) the requester is reminded once, and one more target later the
    # ticket does what the standard says (``on_no_answer``).
    on_no_answer = models.CharField(
        _("เมื่อผู้ขอไม่ตอบกลับ"), max_length=10, choices=NO_ANSWER_CHOICES, default=WAIT
    )
    remind_at = models.DateTimeField(_("เตือนผู้ขอเมื่อ"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("เตือนผู้ขอแล้วเมื่อ"), null=True, blank=True)

    class Meta:
        verbose_name = _("ขั้นตอนของคำขอ")
        ordering = ["ticket", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "position"], name="ticketstep_unique_position"
            ),
        ]
        indexes = [
            # the SLA sweep (active steps past due) and the desk's SLA filters
            # (active steps due later, by when they become due soon; untimed ones)
            models.Index(fields=["status", "due_at", "warn_at"], name="ticketstep_status_due_warn"),
            # the sweep's work: active steps it has not flagged yet (sla.newly_late_q)
            models.Index(
                fields=["due_at"],
                name="ticketstep_sweep_due",
                condition=models.Q(status="active", breached=False),
            ),
            # "has this ticket missed a target?" (sla.ticket_state_q): the settled
            # breaches, keyed by ticket
            models.Index(fields=["ticket"], name="ticketstep_missed", condition=missed_q()),
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"

    @property
    def is_timed(self):
        return bool(self.target_amount and self.target_unit)

    @property
    def target_text(self):
        return describe_target(
            self.target_amount, self.target_unit, self.target_mode, self.target_label
        )

    def record_working_minutes(self, clock=None):
        """Keep the office minutes this step took (None while not done)."""
        self.working_minutes = working_minutes_taken(self.started_at, self.done_at, clock)
        return self.working_minutes

    def time_from(self, started):
        """Set the due, "due soon" and reminder moments from the step's target,
        counted from ``started``. A step the requester acts on pauses the
        office's clock: no due time, only a reminder."""
        self.due_at = (
            get_clock().add(started, self.target_amount, self.target_unit, self.target_mode)
            if runs_clock(self)
            else None
        )
        self.warn_at = warn_moment(self)
        self.remind_at = remind_moment(self)

    def start(self, at=None):
        """Make this the active step and set its due time from its target."""
        at = at or timezone.now()
        self.status = self.Status.ACTIVE
        self.started_at = at
        self.time_from(at)
        self.due_soon_notified_at = None
        self.reminded_at = None
        if self.pk:
            self.save(
                update_fields=[
                    "status",
                    "started_at",
                    "due_at",
                    "warn_at",
                    "remind_at",
                    "due_soon_notified_at",
                    "reminded_at",
                ]
            )
            Ticket.objects.filter(pk=self.ticket_id).update(active_step=self)
        return self.due_at


class TicketAttachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("ไฟล์"), upload_to=attachment_path, storage=attachment_storage, max_length=255
    )
    original_name = models.CharField(_("ชื่อไฟล์เดิม"), max_length=255)
    content_type = models.CharField(_("ชนิดไฟล์"), max_length=100)
    size = models.PositiveIntegerField(_("ขนาด (ไบต์)"))
    created_at = models.DateTimeField(_("แนบเมื่อ"), auto_now_add=True)
    # The message it came with (none for files sent with the request itself).
    message = models.ForeignKey(
        "TicketMessage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="files",
        verbose_name=_("ข้อความ"),
    )
    # False for files of an internal note: never served on the tracking page.
    is_public = models.BooleanField(_("ผู้ขอเห็น"), default=True)

    class Meta:
        verbose_name = _("ไฟล์แนบ")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class TicketMessage(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ผู้เขียน"),
    )
    body = models.TextField(_("ข้อความ"))
    is_public = models.BooleanField(_("แสดงต่อผู้ขอ"), default=False)
    # Written by the requester from the tracking page (author is then empty).
    from_requester = models.BooleanField(_("จากผู้ขอ"), default=False)
    created_at = models.DateTimeField(_("เมื่อ"), default=timezone.now)

    class Meta:
        verbose_name = _("ข้อความในคำขอ")
        ordering = ["created_at"]

    def __str__(self):
        return self.body[:60]


class PendingRequest(models.Model):
    """A request accepted from a public form whose ticket is not made yet.

    The public form's quick path (``services.requests.quick_intake``) writes
    one row, with the reference and tracking token the requester is shown at
    once; the task cluster makes the ticket from it and deletes the row in the
    same transaction (``services.tickets.journal``). A row that cannot become a
    ticket stays, with the reason, until it can.
    """

    reference = models.CharField(_("เลขที่คำขอ"), max_length=32, unique=True)
    fiscal_year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"))
    sequence = models.PositiveIntegerField(_("ลำดับ"))
    tracking_token = models.CharField(max_length=64, unique=True, default=new_tracking_token)
    # PROTECT: a service page cannot be deleted while a request to it waits.
    service = models.ForeignKey(
        "services.ServicePage",
        on_delete=models.PROTECT,
        related_name="pending_requests",
        verbose_name=_("บริการ"),
    )
    requester = models.JSONField(_("ผู้ขอ"), default=dict)
    answers = models.JSONField(_("ข้อมูลคำขอ"), default=dict)
    language = models.CharField(_("ภาษา"), max_length=8, default="th")
    received_at = models.DateTimeField(_("รับคำขอเมื่อ"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("จำนวนครั้งที่พยายามบันทึก"), default=0)
    last_error = models.TextField(_("ข้อผิดพลาดล่าสุด"), blank=True)

    class Meta:
        verbose_name = _("คำขอที่รอบันทึก")
        verbose_name_plural = _("รายการคำขอที่รอบันทึก")
        ordering = ["pk"]

    def __str__(self):
        return self.reference
