"""Every link in every e-mail starts with the site's configured address, never
``localhost`` (the Wagtail Site row of a fresh install says localhost)."""

import datetime as dt
import re
from pathlib import Path

from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from publishing.preview import preview_url
from services.bookings.models import Booking, Loan, Resource
from services.catalogue.models import ServicePage
from services.core.links import absolute_url, page_url
from services.core.outbox import render_email
from services.surveys.surveys import survey_url
from services.tickets.creation import open_ticket
from services.tickets.models import TicketMessage
from services.tickets.notify import ticket_context

BASE = "https://ict.example.go.th"
URL = re.compile(r"https?://[^\s\"'<>)]+")
TEMPLATES = sorted(
    {
        path.name.rsplit("_", 1)[0]
        for path in (Path(settings.BASE_DIR) / "templates" / "emails").glob("*_body.txt")
    }
)


@override_settings(WAGTAILADMIN_BASE_URL=BASE)
def test_every_url_in_every_email_uses_the_configured_address(catalogue):
    Site.objects.update(hostname="localhost", port=80)
    service = ServicePage.objects.get(slug="zoom-meeting-room")
    ticket = open_ticket(
        service,
        {"requester_name": "สมหญิง", "requester_email": "somying@example.com"},
        {"title": "ประชุม"},
    )
    start = timezone.now() + dt.timedelta(days=2)
    booking = Booking.objects.create(
        ticket=ticket,
        resource=Resource.objects.create(name="Zoom A", kind="zoom"),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        meeting_id="123",
    )
    loan = Loan.objects.create(
        ticket=ticket, item="โปรเจกเตอร์", due_at=timezone.now() + dt.timedelta(days=1)
    )
    message = TicketMessage.objects.create(ticket=ticket, body="สวัสดี", is_public=True)
    context = ticket_context(
        ticket,
        booking=booking,
        loan=loan,
        message=message,
        change="rescheduled",
        survey_url=survey_url(ticket),
        page_title=service.title,
        page_url=page_url(service),
        preview_url=preview_url(service),
        edit_url=absolute_url(reverse("wagtailadmin_pages:edit", args=[service.pk])),
        dashboard_url=absolute_url(reverse("wagtailadmin_home")),
        report_url=absolute_url(reverse("services_reports_stored_detail", args=[1])),
        live=True,
        period_label="ตุลาคม 2569",
        totals={},
        satisfaction={},
    )
    assert len(TEMPLATES) >= 20
    seen = 0
    for template in TEMPLATES:
        for language in ("th", "en"):
            subject, body, html = render_email(template, context, language)
            urls = URL.findall(subject + "\n" + body + "\n" + html)
            seen += len(urls)
            for url in urls:
                assert url.startswith(BASE + "/"), (template, url)
            assert "localhost" not in body + html, template
    assert seen >= 20


@override_settings(WAGTAILADMIN_BASE_URL=BASE)
def test_the_published_page_link_ignores_the_site_hostname(catalogue):
    Site.objects.update(hostname="localhost", port=80)
    service = ServicePage.objects.get(slug="zoom-meeting-room")
    assert "localhost" in service.full_url
    assert page_url(service) == BASE + service.get_url_parts()[2]
