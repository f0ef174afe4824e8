"""A minimal Django application returning a page of a given size (benchmark baseline)."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

SIZE = int(os.environ.get("BENCH_BODY_SIZE", "8000"))
BODY = ("<!DOCTYPE html><html lang=th><body>" + "ก" * SIZE)[: SIZE // 3].encode()
BODY = BODY + b"x" * (SIZE - len(BODY))


def page(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    SECRET_KEY="bench",
    MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
)
urlpatterns = [path("", page)]
application = get_wsgi_application()
