"""WSGI entry point: stored public pages are handed out, and valid public request
forms accepted, before Django's request handling (home.pagecache.CachedPagesApplication,
services.requests.quick_intake.QuickIntakeApplication); everything else is Django."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
django_application = get_wsgi_application()

from home.pagecache import CachedPagesApplication  # noqa: E402  (needs settings loaded)
from services.requests.quick_intake import QuickIntakeApplication  # noqa: E402

application = CachedPagesApplication(QuickIntakeApplication(django_application))
