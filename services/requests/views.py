"""Public views of the service desk: request forms, confirmation, tracking, QR codes.

Views stay thin: forms validate, ``submission.submit_form`` creates tickets,
``tracking`` decides who may see what.
"""

from django import forms
from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from home import pagecache
from services.core import qr, ratelimit, roles
from services.requests import quick_intake, tracking
from services.requests.forms import build_form
from services.requests.submission import request_language, submit_form
from services.tickets.models import TicketAttachment


# --- the service page and its form -----------------------------------------
def service_page(request, page):
    status = 200
    if request.method == "POST":
        form = build_form(page, request.POST, request.FILES)
        if not ratelimit.hit(request, "submit"):
            # The same form again, with what the person typed, and when to retry.
            response = page.render(
                request,
                context_overrides={
                    "form": form,
                    "privacy_page": privacy_page(request),
                    **ratelimit.limited_context(),
                },
            )
            return ratelimit.limited(response)
        if form.is_valid():
            ticket = submit_form(page, form)
            return redirect(
                page.url
                + page.reverse_subpage(
                    "confirmation", args=[ticket.reference, ticket.tracking_token]
                )
            )
        status = 400
    elif request.method in ("GET", "HEAD"):
        form = build_form(page)
        pagecache.offer_post(request, quick_intake.offer_for(page, request_language()))
    else:
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    response = page.render(
        request, context_overrides={"form": form, "privacy_page": privacy_page(request)}
    )
    response.status_code = status
    return response


def privacy_page(_request=None):
    """The privacy notice the consent line links to (``privacy_page.privacy_notice``)."""
    return {"url": reverse("services:privacy")}


def confirmation(request, page, reference, token):
    ticket = tracking.ticket_for_token(reference, token)
    if ticket is None:
        waiting = tracking.waiting_for_token(reference, token)
        if waiting is not None and waiting.service_id == page.pk:
            return being_recorded(request, waiting)
    if ticket is None or ticket.service_id != page.pk:
        return not_found(request)
    return TemplateResponse(
        request,
        "services/confirmation.html",
        {
            "page": page,
            "ticket": ticket,
            "schedule": ticket.expected_schedule(),
            "tracking_url": ticket.get_absolute_tracking_url(),
        },
    )


def being_recorded(request, waiting):
    """A request accepted by the quick path whose ticket the cluster has not made
    yet (seconds, as a rule): its reference now, and the page again shortly."""
    response = TemplateResponse(
        request,
        "services/being_recorded.html",
        {"waiting": waiting, "page": waiting.service, "refresh_seconds": 3},
    )
    response["Cache-Control"] = "no-store"
    response["Refresh"] = "3"
    return response


def qr_code(request, page, fmt):
    url = qr.form_url(page)
    if fmt == "svg":
        response = HttpResponse(qr.qr_svg(url), content_type="image/svg+xml")
    else:
        response = HttpResponse(qr.qr_png(url), content_type="image/png")
    filename = f"qr-{page.slug}.{fmt}"
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


def poster(request, page):
    return TemplateResponse(
        request,
        "services/poster.html",
        {
            "page": page,
            "steps": page.step_values(),
            "form_url": qr.form_url(page),
            "qr_svg_url": page.url + page.reverse_subpage("qr_svg"),
            "track_url": settings.WAGTAILADMIN_BASE_URL + reverse("services:track_lookup"),
        },
    )


# --- tracking ----------------------------------------------------------------
class LookupForm(forms.Form):
    reference = forms.CharField(
        label=_("เลขที่คำขอ"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"placeholder": "ICT-2569-000123", "autocapitalize": "characters"}
        ),
    )
    email = forms.EmailField(
        label=_("อีเมลที่ใช้ยื่นคำขอ"),
        max_length=254,
        error_messages={"invalid": _("กรุณากรอกอีเมลให้ถูกต้อง")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = _("กรุณากรอกข้อมูลช่องนี้")


def not_found(request, form=None):
    """The one answer for a wrong token, a wrong e-mail and a missing reference."""
    return TemplateResponse(
        request,
        "services/track_lookup.html",
        {"form": form or LookupForm(), "not_found": True},
        status=404,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def track_lookup(request):
    if request.method != "POST":
        return TemplateResponse(request, "services/track_lookup.html", {"form": LookupForm()})
    form = LookupForm(request.POST)
    if not ratelimit.hit(request, "lookup", settings.SERVICE_LOOKUP_RATE_LIMIT):
        response = TemplateResponse(
            request,
            "services/track_lookup.html",
            {"form": form, **ratelimit.limited_context(settings.SERVICE_LOOKUP_RATE_LIMIT)},
        )
        return ratelimit.limited(response, settings.SERVICE_LOOKUP_RATE_LIMIT)
    if not form.is_valid():
        return TemplateResponse(request, "services/track_lookup.html", {"form": form}, status=400)
    ticket = tracking.ticket_for_email(form.cleaned_data["reference"], form.cleaned_data["email"])
    if ticket is None:
        return not_found(request, form)
    return redirect(ticket.get_tracking_url())


@require_http_methods(["GET", "HEAD"])
def track_detail(request, reference, token):
    from services.requests.tracking_page import tracking_context

    ticket = tracking.ticket_for_token(reference, token)
    if ticket is None:
        waiting = tracking.waiting_for_token(reference, token)
        return not_found(request) if waiting is None else being_recorded(request, waiting)
    return TemplateResponse(request, "services/track_detail.html", tracking_context(ticket))


def _serve_attachment(attachment):
    inline = attachment.content_type.startswith("image/") or (
        attachment.content_type == "application/pdf"
    )
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not inline,
        filename=attachment.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_http_methods(["GET", "HEAD"])
def tracking_attachment(request, reference, token, pk):
    ticket = tracking.ticket_for_token(reference, token)
    if ticket is None:
        raise Http404
    # Files of internal notes are never served here.
    attachment = ticket.public_attachments().filter(pk=pk).first()
    if attachment is None:
        raise Http404
    return _serve_attachment(attachment)


@require_http_methods(["GET", "HEAD"])
def officer_attachment(request, pk):
    if not roles.may_download_attachments(request.user):
        raise Http404
    attachment = TicketAttachment.objects.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    return _serve_attachment(attachment)
