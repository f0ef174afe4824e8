"""Linking a requester's LINE account to a ticket, and the LINE webhook.

From the tracking page (reachable only with the ticket's secret link) the
requester asks for a one-time code and sends it to the office's LINE
Official Account. LINE posts that message to ``webhook``; once its
X-Line-Signature is checked, the code names the ticket and the sender's
user id is kept on it, so status updates go to LINE as well as e-mail.
A bad signature gets 400 and changes nothing.
"""

import datetime as dt
import json
import re
import secrets

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from services.core import line, ratelimit
from services.requests import tracking
from services.tickets.models import Ticket

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 8
CODE = re.compile(rf"\b([A-Z2-9]{{{CODE_LENGTH}}})\b")


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


@require_POST
def track_line_link(request, reference, token):
    if not line.enabled():
        raise Http404
    ticket = tracking.ticket_for_token(reference, token)
    if ticket is None or ticket.anonymised_at:
        raise Http404
    if not ratelimit.hit(request, "line-link", settings.SERVICE_LOOKUP_RATE_LIMIT):
        return HttpResponse(gettext("ขอรหัสบ่อยเกินไป กรุณารอสักครู่"), status=429)
    expires = timezone.now() + dt.timedelta(minutes=settings.LINE_LINK_MINUTES)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                Ticket.objects.filter(pk=ticket.pk).update(
                    line_link_code=new_code(), line_link_expires_at=expires
                )
            break
        except IntegrityError:  # the same code on another ticket: draw again
            continue
    messages.success(request, gettext("ส่งรหัสนี้ไปที่ LINE Official Account ของสำนักงาน"))
    return redirect(ticket.get_tracking_url() + "#line")


def _link(code, user_id, now):
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update()
            .filter(line_link_code=code, line_link_expires_at__gt=now, anonymised_at__isnull=True)
            .first()
        )
        if ticket is None:
            return None
        ticket.line_user_id = user_id
        ticket.line_link_code = None
        ticket.line_link_expires_at = None
        ticket.save(update_fields=["line_user_id", "line_link_code", "line_link_expires_at"])
        with translation.override(ticket.language):
            text = gettext("เชื่อมคำขอ %(reference)s กับ LINE แล้ว จะแจ้งความคืบหน้าทาง LINE นี้") % {
                "reference": ticket.reference
            }
        line.queue_line(f"ticket:{ticket.pk}:line:linked:{user_id}", user_id, text)
        return ticket


@csrf_exempt
@require_POST
def webhook(request):
    body = request.body
    if not line.valid_signature(body, request.headers.get("X-Line-Signature", "")):
        return HttpResponseBadRequest("bad signature")
    try:
        events = json.loads(body.decode("utf-8")).get("events", [])
    except (ValueError, AttributeError):
        return HttpResponseBadRequest("bad body")
    now = timezone.now()
    linked = 0
    for event in events if isinstance(events, list) else []:
        if not isinstance(event, dict) or event.get("type") != "message":
            continue
        source = event.get("source") or {}
        message = event.get("message") or {}
        if source.get("type") != "user" or message.get("type") != "text":
            continue
        user_id = str(source.get("userId", ""))[:64]
        match = CODE.search(str(message.get("text", "")).upper())
        if user_id and match and _link(match.group(1), user_id, now):
            linked += 1
    return HttpResponse(f"ok {linked}", content_type="text/plain")
