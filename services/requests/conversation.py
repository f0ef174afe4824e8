"""The requester's side of a ticket's conversation, on the tracking page.

Behind the same token as the page; the files go through the one upload
validator with the same type, size and count limits as the request form, and
the same per-client rate limit as submitting a request.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from services.core import ratelimit
from services.requests import tracking
from services.requests.tracking_page import RequesterReplyForm, tracking_context
from services.tickets import moves


@require_POST
def track_reply(request, reference, token):
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
