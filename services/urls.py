"""Public tracking URLs and officers' attachment downloads."""

from django.urls import path

from . import views

app_name = "services"

urlpatterns = [
    path("track/", views.track_lookup, name="track_lookup"),
    path("track/<str:reference>/<str:token>/", views.track_detail, name="track"),
    path("track/<str:reference>/<str:token>/files/<int:pk>/", views.tracking_attachment,
         name="track_attachment"),
    path("desk/attachments/<int:pk>/", views.officer_attachment, name="officer_attachment"),
]
