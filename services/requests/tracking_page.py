"""The tracking page the token holder sees, and the two forms it carries
(reply to the desk, cancel the request). The views that take those forms'
POSTs live in ``conversation`` and ``cancel``; both render this page.
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from services.core.sanitise import clean_text
from services.core.uploads import REQUIRED, MultipleFileField
from services.requests.forms import answer_items
from services.tickets import moves


class RequesterCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("เหตุผลที่ยกเลิก (ถ้ามี)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=_("ข้าพเจ้ายืนยันว่าต้องการยกเลิกคำขอนี้ (ยกเลิกแล้วนำกลับมาไม่ได้)"),
        error_messages={"required": _("กรุณาทำเครื่องหมายยืนยันก่อนยกเลิกคำขอ")},
    )


class RequesterReplyForm(forms.Form):
    body = forms.CharField(
        label=_("ข้อความถึงเจ้าหน้าที่"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REQUIRED},
    )
    files = MultipleFileField(label=_("แนบไฟล์ (ถ้ามี)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _(
            "PDF, DOCX, XLSX, JPG หรือ PNG ไม่เกิน %(size)s MB ต่อไฟล์ สูงสุด %(count)s ไฟล์"
        ) % {
            "size": settings.SERVICE_ATTACHMENT_MAX_BYTES // (1024 * 1024),
            "count": settings.SERVICE_ATTACHMENT_MAX_FILES,
        }

    def clean_body(self):
        body = clean_text(self.cleaned_data["body"]).strip()
        if not body:
            raise forms.ValidationError(REQUIRED)
        return body


def may_reply(ticket):
    return "requester_reply" in moves.allowed_moves(ticket, None, requester=True)


def tracking_context(ticket, **extra):
    """What the token holder sees: steps, answers, the conversation with its
    files, the request's own files and the meeting details of confirmed bookings."""
    context = {
        "ticket": ticket,
        "steps": ticket.steps.all(),
        "current": ticket.current_step,
        "answers": answer_items(ticket),
        "messages_public": ticket.public_messages(),
        "attachments": ticket.public_attachments().filter(message__isnull=True),
        "bookings": ticket.bookings.filter(status="confirmed").select_related("resource"),
        "may_reply": may_reply(ticket),
        "reply_form": RequesterReplyForm(),
        "cancel_form": RequesterCancelForm(),
    }
    context.update(line_context(ticket))
    context.update(extra)
    return context


def line_context(ticket):
    """What the tracking page shows about LINE (nothing when LINE is off)."""
    from django.utils import timezone

    from services.core import line

    if not line.enabled():
        return {}
    code = ticket.line_link_code
    if code and (
        ticket.line_link_expires_at is None or ticket.line_link_expires_at < timezone.now()
    ):
        code = None
    return {
        "line_enabled": True,
        "line_code": code,
        "line_oa_id": settings.LINE_OA_ID,
        "line_minutes": settings.LINE_LINK_MINUTES,
    }
