"""Public tracking URLs, officers' attachment downloads and the satisfaction survey."""

from django.urls import path

from services.bookings import calendar
from services.requests import (
    availability_views,
    conversation,
    line_link,
    open_data,
    privacy_page,
    survey_views,
    views,
)
from services.requests import cancel as desk_public

app_name = "services"

urlpatterns = [
    path("privacy/", privacy_page.privacy_notice, name="privacy"),
    path("ita/statistics/", open_data.statistics, name="ita_statistics"),
    path("ita/complaints/", open_data.complaints, name="ita_complaints"),
    path("ita/manuals/", open_data.manuals, name="ita_manuals"),
    path("track/", views.track_lookup, name="track_lookup"),
    path("track/<str:reference>/<str:token>/", views.track_detail, name="track"),
    path(
        "track/<str:reference>/<str:token>/files/<int:pk>/",
        views.tracking_attachment,
        name="track_attachment",
    ),
    path(
        "track/<str:reference>/<str:token>/cancel/", desk_public.track_cancel, name="track_cancel"
    ),
    path("track/<str:reference>/<str:token>/reply/", conversation.track_reply, name="track_reply"),
    path("availability/", availability_views.availability_page, name="availability"),
    path("track/<str:reference>/<str:token>/line/", line_link.track_line_link, name="track_line"),
    path("line/webhook/", line_link.webhook, name="line_webhook"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("desk/attachments/<int:pk>/", views.officer_attachment, name="officer_attachment"),
    path("survey/t/<str:token>/", survey_views.survey, name="survey"),
    path("survey/service/<slug:slug>/", survey_views.survey_walk_in, name="survey_walk_in"),
    path("survey/service/<slug:slug>/qr.<str:fmt>", survey_views.survey_qr, name="survey_qr"),
    path("survey/service/<slug:slug>/poster/", survey_views.survey_poster, name="survey_poster"),
]
