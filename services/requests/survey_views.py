"""Public survey pages: the signed link from the e-mail, and each service's walk-in page
with its QR code and A4 poster."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from services.catalogue.models import ServicePage
from services.core import qr, ratelimit
from services.requests.submission import request_language
from services.surveys import surveys


def _rate():
    return settings.SURVEY_RATE_LIMIT


def _language_from_link(request):
    """``?lang=en`` in an e-mailed link: remember it in the cookie and drop it from the URL,
    so the header's language switch still works afterwards."""
    language = request.GET.get("lang")
    if request.method != "GET" or language not in dict(settings.LANGUAGES):
        return None
    response = HttpResponseRedirect(request.path)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response


def _closed(request, reason, status, page=None):
    return TemplateResponse(
        request, "services/survey_closed.html", {"reason": reason, "page": page}, status=status
    )


def _form_page(request, form, *, page, ticket=None, status=200, extra=None):
    return TemplateResponse(
        request,
        "services/survey_response.html",
        {
            "form": form,
            "page": page,
            "ticket": ticket,
            "scale_help": surveys.SCALE_HELP,
            **(extra or {}),
        },
        status=status,
    )


def _limited(request, *, page, ticket=None):
    """The survey again with the answers given so far, as a 429 with Retry-After."""
    response = _form_page(
        request,
        surveys.SurveyForm(request.POST),
        page=page,
        ticket=ticket,
        extra=ratelimit.limited_context(_rate()),
    )
    return ratelimit.limited(response, _rate())


@require_http_methods(["GET", "HEAD", "POST"])
def survey(request, token):
    redirect = _language_from_link(request)
    if redirect:
        return redirect
    ticket = surveys.ticket_for_token(token)
    if ticket is None:
        return _closed(request, "invalid", 404)
    page = ticket.service
    if surveys.has_answer(ticket):
        return _closed(request, "answered", 409, page)
    if request.method != "POST":
        return _form_page(request, surveys.SurveyForm(), page=page, ticket=ticket)
    if not ratelimit.hit(request, "survey", _rate()):
        return _limited(request, page=page, ticket=ticket)
    form = surveys.SurveyForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, page=page, ticket=ticket, status=400)
    try:
        surveys.record_answer(form.cleaned_data, ticket=ticket, language=request_language())
    except surveys.AlreadyAnswered:
        return _closed(request, "answered", 409, page)
    return TemplateResponse(request, "services/survey_thanks.html", {"page": page})


def _walk_in_page(slug):
    return ServicePage.objects.live().public().filter(slug=slug).first()


@require_http_methods(["GET", "HEAD", "POST"])
def survey_walk_in(request, slug):
    page = _walk_in_page(slug)
    if page is None:
        return _closed(request, "invalid", 404)
    if request.method != "POST":
        return _form_page(request, surveys.SurveyForm(), page=page)
    if not ratelimit.hit(request, "survey", _rate()):
        return _limited(request, page=page)
    # One browser (one address) answers a walk-in survey a few times a day at most.
    daily = f"{settings.WALK_IN_SURVEY_DAILY_LIMIT}/86400"
    if not ratelimit.hit(request, f"walk-in:{page.pk}", daily):
        response = _form_page(
            request,
            surveys.SurveyForm(request.POST),
            page=page,
            extra={"rate_limited": True, "retry_minutes": -(-ratelimit.retry_after(daily) // 60)},
        )
        return ratelimit.limited(response, daily)
    form = surveys.SurveyForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, page=page, status=400)
    surveys.record_answer(form.cleaned_data, service=page, language=request_language())
    return TemplateResponse(request, "services/survey_thanks.html", {"page": page})


@require_http_methods(["GET", "HEAD"])
def survey_qr(request, slug, fmt):
    page = _walk_in_page(slug)
    if page is None or fmt not in ("png", "svg"):
        return _closed(request, "invalid", 404)
    url = surveys.walk_in_url(page)
    if fmt == "svg":
        response = HttpResponse(qr.qr_svg(url), content_type="image/svg+xml")
    else:
        response = HttpResponse(qr.qr_png(url), content_type="image/png")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="survey-qr-{page.slug}.{fmt}"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_http_methods(["GET", "HEAD"])
def survey_poster(request, slug):
    page = _walk_in_page(slug)
    if page is None:
        return _closed(request, "invalid", 404)
    return TemplateResponse(
        request,
        "services/survey_poster.html",
        {
            "page": page,
            "survey_url": surveys.walk_in_url(page),
        },
    )
