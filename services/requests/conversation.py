"""The requester's side of a ticket's conversation, on the tracking page.

Behind the same token as the page; the files go through the one upload
validator with the same type, size and count limits as the request form, and
the same per-client rate limit as submitting a request.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from services.core import ratelimit
from services.core.sanitise import clean_text
from services.core.uploads import REQUIRED, MultipleFileField
from services.requests import tracking
from services.tickets import moves


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


@require_POST
def track_reply(request, reference, token):
    from services.requests.cancel import tracking_context

    ticket = tracking.ticket_for_token(reference, token)
    if ticket is None:
        raise Http404
    form = RequesterReplyForm(request.POST, request.FILES)
    if not ratelimit.hit(request, "submit"):
        # The message comes back with what was typed, and when to try again.
        response = TemplateResponse(
            request,
            "services/track_detail.html",
            tracking_context(ticket, reply_form=form, **ratelimit.limited_context()),
            status=429,
        )
        return ratelimit.limited(response)
    if form.is_valid():
        try:
            moves.requester_reply(ticket, form.cleaned_data["body"], form.cleaned_data["files"])
        except moves.MoveNotAllowed as refused:
            return TemplateResponse(
                request,
                "services/track_detail.html",
                tracking_context(ticket, reply_form=form, reply_error=refused.message),
                status=409,
            )
        messages.success(request, _("ส่งข้อความถึงเจ้าหน้าที่แล้ว"))
        return redirect(ticket.get_tracking_url() + "#conversation")
    return TemplateResponse(
        request,
        "services/track_detail.html",
        tracking_context(ticket, reply_form=form),
        status=400,
    )
