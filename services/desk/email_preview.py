"""Officers preview every e-mail template, in Thai and in English, as text and HTML.

Each template is rendered by the outbox's own ``render_email`` with a sample
context made of unsaved objects (nothing is written), so what is shown is what
a requester or an executive would receive.
"""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from services.bookings.models import Booking, Resource
from services.core.outbox import render_email
from services.core.roles import is_officer
from services.reports.kpi import FORMULA
from services.tickets.models import Ticket, TicketMessage, TicketStep

LANGUAGES = ("th", "en")


def template_names():
    folder = Path(settings.BASE_DIR) / "templates" / "emails"
    return sorted(p.name[: -len("_subject.txt")] for p in folder.glob("*_subject.txt"))


def sample_context():
    from django.contrib.auth import get_user_model

    User = get_user_model()
    now = timezone.now().replace(microsecond=0)
    ticket = Ticket(
        pk=123,
        reference="ICT-2569-000123",
        fiscal_year=2569,
        sequence=123,
        service_title=_("ซ่อมระบบคอมพิวเตอร์และเครือข่ายอินเทอร์เน็ต"),
        service_code="ICT 02",
        requester_name="สมหญิง ตัวอย่าง",
        requester_org="โรงเรียนบ้านหนองตัวอย่าง",
        requester_email="somying@example.com",
        tracking_token="sample-token",
        created_at=now,
    )
    step = TicketStep(
        ticket=ticket,
        position=1,
        title=_("รับเรื่องและตรวจสอบ"),
        kind="intake",
        role="officer",
        target_amount=1,
        target_unit="hours",
        target_mode="working",
        due_at=now + dt.timedelta(hours=1),
    )
    booking = Booking(
        ticket=ticket,
        resource=Resource(name="Zoom 300", kind="zoom", capacity=300),
        starts_at=now + dt.timedelta(days=2),
        ends_at=now + dt.timedelta(days=2, hours=3),
        participants=45,
        meeting_id="123 456 7890",
        join_url="https://zoom.us/j/1234567890",
        passcode="654321",
    )
    base = settings.WAGTAILADMIN_BASE_URL
    totals = {"received": 42, "completed": 38, "rejected": 1, "open": 3}
    return {
        "ticket": ticket,
        "reference": ticket.reference,
        "tracking_url": ticket.get_absolute_tracking_url(),
        "admin_url": base + "/admin/",
        "schedule": [(step, now + dt.timedelta(hours=1))],
        "reason": _("ช่วงเวลาดังกล่าวมีภารกิจของสำนักงาน"),
        "by_requester": False,
        # pk 0 is never a real row: the message lists no files.
        "message": TicketMessage(pk=0, ticket=ticket, body=_("เจ้าหน้าที่จะเข้าไปตรวจสอบพรุ่งนี้ 9.00 น.")),
        "booking": booking,
        "steps": [step],
        "group": "Group heads",
        "now": now,
        "admin_base": base,
        "survey_url": base + "/survey/t/sample/",
        "period_label": _("เดือนมกราคม 2569"),
        "totals": totals,
        "satisfaction": {"percent": 86.4, "count": 25, "target": 70.0},
        "formula": FORMULA,
        "report_url": base + "/admin/reports/stored/",
        "page_title": _("ประกาศรับสมัครครูอัตราจ้าง"),
        "workflow_name": _("เผยแพร่เนื้อหาบนเว็บไซต์"),
        "task_name": _("ตรวจสอบเนื้อหา"),
        "preview_url": base + "/publishing/preview/sample/",
        "edit_url": base + "/admin/pages/",
        "dashboard_url": base + "/admin/",
        "requested_by": User(username="somsri", first_name="สมศรี", last_name="ผู้เขียน"),
        "due_at": now + dt.timedelta(days=1),
        "comment": _("โปรดแก้ไขวันที่ในย่อหน้าที่สอง"),
        "reviewer": User(username="somchai", first_name="สมชาย", last_name="ผู้ตรวจ"),
        "live": True,
        "page_url": base + "/news/sample/",
        "overdue_hours": 5,
        "reviewers": [],
        "ref": "ICT-2569-000123",
    }


def render(template, language):
    """(subject, text, html, error) of one template in one language."""
    try:
        subject, text, html = render_email(template, sample_context(), language)
    except Exception as exc:  # a template that needs data the sample lacks
        return "", "", "", f"{type(exc).__name__}: {exc}"
    return subject, text, html, ""


def _check(request, template=None, language="th"):
    if not is_officer(request.user):
        raise PermissionDenied
    if template is not None and (template not in template_names() or language not in LANGUAGES):
        raise Http404


def preview_list(request):
    _check(request)
    language = request.GET.get("lang", "th")
    if language not in LANGUAGES:
        language = "th"
    previews = []
    for name in template_names():
        subject, text, _html, error = render(name, language)
        previews.append(
            {
                "name": name,
                "subject": subject,
                "text": text,
                "error": error,
                "html_url": reverse("email_preview_html", args=[name, language]),
            }
        )
    return TemplateResponse(
        request,
        "services/admin/email_preview.html",
        {
            "previews": previews,
            "language": language,
            "header_title": _("ตัวอย่างอีเมล"),
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("หน้าแรก")},
                {"url": "", "label": _("ตัวอย่างอีเมล")},
            ],
        },
    )


@xframe_options_sameorigin
def preview_html(request, template, language):
    _check(request, template, language)
    _subject, _text, html, error = render(template, language)
    if error:
        raise Http404
    response = HttpResponse(html)
    # Shown in a sandboxed frame: its own styles, no scripts, nothing loaded.
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
    )
    return response
