"""Test settings: tasks run inline, fast password hashing, files in a temp folder."""

import os
import tempfile

from .base import *  # noqa: F403
from .base import Q_CLUSTER

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
Q_CLUSTER["sync"] = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="ict-test-media-")
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# A file, not memory, so that a real qcluster process started by the delivery
# tests can open the same test database.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"ict-test-{os.getpid()}.sqlite3")
    }
# The page cache is off for the suite; tests of it turn it on (tests/test_page_cache.py).
PAGE_CACHE_SECONDS = 0
CACHES["pages"]["BACKEND"] = "django.core.cache.backends.filebased.FileBasedCache"  # noqa: F405
CACHES["pages"]["LOCATION"] = tempfile.mkdtemp(prefix="ict-test-pages-")  # noqa: F405
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="ict-test-private-")
STORAGES["attachments"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT  # noqa: F405

# A chosen name for the test database (e.g. one per checkout on a shared server).
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}  # noqa: F405
TRAFFIC_LOG_DIR = tempfile.mkdtemp(prefix="ict-test-traffic-")
RATE_LIMIT_FILE = os.path.join(tempfile.mkdtemp(prefix="ict-test-ratelimit-"), "counts.sqlite3")
