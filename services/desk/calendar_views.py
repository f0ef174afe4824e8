"""The desk's week and month calendar of bookings, per resource or all."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from services.bookings import availability
from services.core import roles


def desk_calendar(request):
    if not roles.sees_desk(request.user):
        raise PermissionDenied
    view = request.GET.get("view")
    view = view if view in (availability.WEEK, availability.MONTH) else availability.WEEK
    day = availability.parse_day(request.GET.get("day"))
    resources = list(availability.active_resources())
    chosen = request.GET.get("resource", "")
    resource = next((r for r in resources if str(r.pk) == chosen), None)
    context = availability.calendar(view, day, resource)
    context.update(resources=resources, resource=resource, day=day)
    return TemplateResponse(request, "services/admin/desk_calendar.html", context)
