"""The public free/busy page: when each resource is taken, with no personal data."""

import datetime as dt

from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from home.pagecache import mark_cacheable
from services.bookings import availability


@require_http_methods(["GET", "HEAD"])
def availability_page(request):
    # Stored for anonymous readers like the Wagtail pages; any change to a
    # booking or a resource purges it (services.bookings.scheduling.connect).
    mark_cacheable(request)
    day = availability.parse_day(request.GET.get("day"))
    first, last, previous, following = availability.period(availability.WEEK, day)
    resources = [
        {"resource": resource, "days": availability.busy_slots(resource, first, last)}
        for resource in availability.active_resources()
    ]
    response = TemplateResponse(
        request,
        "services/availability.html",
        {
            "first": first,
            "last": last,
            "previous": previous,
            "following": following,
            "resources": resources,
            "today": dt.date.today(),
        },
    )
    response["Cache-Control"] = "public, max-age=60"
    return response
