"""The public privacy notice, written from what the code does.

Every period, field and duty on the page is read from the settings and the
code that act on it (retention years, traffic-log days, LINE on or off), so
the page cannot drift from the product. The office's own additions are the
``summary`` of the current ``PrivacyNotice`` version.
"""

from django.conf import settings
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from home import traffic
from services.core.models import PrivacyNotice
from services.privacy import anonymise, retention


def line_enabled():
    return bool(getattr(settings, "LINE_CHANNEL_ACCESS_TOKEN", ""))


@require_http_methods(["GET", "HEAD"])
def privacy_notice(request):
    return TemplateResponse(
        request,
        "services/privacy.html",
        {
            "notice": PrivacyNotice.current(),
            "retention_years": retention.retention_years(),
            "traffic_days": traffic.keep_days(),
            "line_enabled": line_enabled(),
            "removed_marker": anonymise.REMOVED,
        },
    )
