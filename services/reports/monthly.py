"""The monthly report for executives: built on the 1st, stored, e-mailed once, kept 5 years.

Django-Q2 runs ``build_monthly_report`` on the 1st of each month (see
``services.schedules``). It is idempotent: the stored report is keyed by its
period and the e-mail by ``report:<period>`` in the outbox, so a task that
runs twice (a retry, two clusters) builds and sends last month's report once.
"""

import datetime as dt
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from services.core.links import absolute_url
from services.core.outbox import queue_email
from services.core.roles import EXECUTIVES, emails_of
from services.reports import output
from services.reports.build import build_report
from services.reports.kpi import FORMULA
from services.reports.models import KEEP_YEARS, StoredReport
from services.reports.period import Period

log = logging.getLogger(__name__)


def executive_emails():
    return emails_of(EXECUTIVES)


def first_run():
    """07:00 on the 1st of next month, office time: when the schedule first fires."""
    today = timezone.localdate()
    first = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return dt.datetime.combine(first, dt.time(7, 0), tzinfo=timezone.get_current_timezone())


def _send(stored, xlsx, pdf=None):
    data = stored.data
    return queue_email(
        f"report:{stored.period_key}",
        executive_emails(),
        "monthly_report",
        {
            "period_label": stored.period_label,
            "totals": data["totals"],
            "satisfaction": data["satisfaction"],
            "formula": FORMULA,
            "report_url": absolute_url(reverse("services_reports_stored_detail", args=[stored.pk])),
        },
        language="th",
        kind="monthly_report",
        attachment=(output.filename(data, "xlsx"), xlsx),
        extra_attachments=[(output.filename(data, "pdf"), pdf)] if pdf else (),
    )


def store_report(period, now=None):
    """(StoredReport, created): the period's report, built and sent only the first time."""
    existing = StoredReport.objects.filter(period_key=period.key).first()
    if existing is not None:
        return existing, False
    now = now or timezone.now()
    with translation.override("th"):
        data = build_report(period, now)
        office = output.office_name()
        xlsx = output.to_xlsx(data, office)
        try:
            pdf = output.to_pdf(data, office)
        except (ImportError, OSError):  # no Pango on this machine: send the XLSX alone
            log.exception("monthly report %s: the PDF could not be drawn", period.key)
            pdf = None
        label = str(period.label)
    try:
        with transaction.atomic():
            stored = StoredReport.objects.create(
                period_key=period.key,
                period_label=label,
                period_start=period.start,
                period_end=period.end,
                built_at=now,
                data=data,
            )
            stored.xlsx.save(output.filename(data, "xlsx"), ContentFile(xlsx), save=True)
            _send(stored, xlsx, pdf)
    except IntegrityError:  # another worker stored it first; it also sent it
        return StoredReport.objects.get(period_key=period.key), False
    return stored, True


def purge_old_reports(today=None):
    """Delete stored reports whose period ended more than five years ago."""
    today = today or timezone.localdate()
    try:
        limit = today.replace(year=today.year - KEEP_YEARS)
    except ValueError:  # 29 February
        limit = today.replace(year=today.year - KEEP_YEARS, day=28)
    old = StoredReport.objects.filter(period_end__lt=limit)
    count = 0
    for stored in old:
        if stored.xlsx:
            stored.xlsx.delete(save=False)
        stored.delete()
        count += 1
    return count


def build_monthly_report(today=None):
    """The scheduled task: last month's report, then the five-year clean-up."""
    stored, created = store_report(Period.previous_month(today))
    purged = purge_old_reports(today)
    log.info(
        "monthly report %s %s; %s old reports removed",
        stored.period_key,
        "built" if created else "already there",
        purged,
    )
    return {"period": stored.period_key, "created": created, "purged": purged}
