"""WSGI entry point: stored public pages are handed out before Django's request
handling (home.pagecache.CachedPagesApplication); everything else is Django."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
django_application = get_wsgi_application()

from home.pagecache import CachedPagesApplication  # noqa: E402  (needs settings loaded)

application = CachedPagesApplication(django_application)
