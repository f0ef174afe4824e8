"""The requester's own move on the public tracking page: cancel before work starts."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from services.requests import tracking
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


def tracking_context(ticket, **extra):
    """What the token holder sees: steps, answers, the conversation with its
    files, the request's own files and the meeting details of confirmed bookings."""
    from services.requests.conversation import RequesterReplyForm, may_reply

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
    context.update(extra)
    return context


@require_POST
def track_cancel(request, reference, token):
    ticket = tracking.ticket_for_token(reference, token)
    if ticket is None:
        raise Http404
    form = RequesterCancelForm(request.POST)
    if form.is_valid():
        try:
            moves.cancel(ticket, None, form.cleaned_data["reason"], requester=True)
        except moves.MoveNotAllowed as refused:
            return TemplateResponse(
                request,
                "services/track_detail.html",
                tracking_context(ticket, cancel_form=form, cancel_error=refused.message),
                status=409,
            )
        messages.success(request, _("ยกเลิกคำขอเรียบร้อยแล้ว"))
        return redirect(ticket.get_tracking_url())
    return TemplateResponse(
        request,
        "services/track_detail.html",
        tracking_context(ticket, cancel_form=form),
        status=400,
    )
