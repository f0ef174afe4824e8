from django.urls import path

from publishing import views

app_name = "publishing"

urlpatterns = [
    path("submit/", views.submit, name="submit"),
    path("submitted/<str:token>/", views.submitted, name="submitted"),
    path("preview/<str:token>/", views.preview, name="preview"),
]
