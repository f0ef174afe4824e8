"""Settings shared by every environment, read from environment variables.

No variable set gives a working single-machine site: SQLite in WAL mode,
Django-Q2's ORM broker, a local-memory cache and e-mail to the console.
``DATABASE_URL`` switches to PostgreSQL, ``REDIS_URL`` to Redis for the
cache and the task broker, ``EMAIL_URL`` to an SMTP server.
"""

import datetime as dt
import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
# Files the site writes at run time (page cache, logs); git-ignored.
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

DEFAULT_SECRET_KEY = "dev-only-insecure-key-change-me"


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", DEFAULT_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "home",
    "services",
    "publishing",
    "wagtail_modeladmin",
    "wagtail.contrib.settings",
    "wagtail.contrib.forms",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_q",
    "axes",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # Outermost, so it logs the status every other layer ended with.
    "home.traffic.TrafficLogMiddleware",
    # First, so that a cached page skips everything else (see home/pagecache.py).
    "home.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "services.core.headers.AdminScriptPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "home.middleware.ThaiFirstLocaleMiddleware",
    "services.core.inputs.InputGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: answers a locked-out login with its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
            "builtins": ["home.templatetags.thai_dates", "home.templatetags.phones"],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"


# --- Database -----------------------------------------------------------
def sqlite_options():
    """The one set of SQLite options, for the default file and for sqlite:/// URLs.

    WAL lets readers and the task cluster work beside a writer; IMMEDIATE
    transactions take the write lock up front so two writers queue on the
    busy timeout instead of failing with "database is locked".
    """
    return {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA foreign_keys=ON;"
        ),
    }


DATABASE_URL = env("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 600), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        }
    }
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        **sqlite_options(),
    }
    # Kept between requests, as on PostgreSQL: opening one runs the pragmas, and
    # closing the last one checkpoints the WAL, which cost several ms for every
    # task Django-Q2's ORM broker queued (it closes obsolete connections each time).
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 600)
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if IS_POSTGRES:
    # Trigram lookups for the search's misspelling matcher (pg_trgm).
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and task queue -----------------------------------------------
REDIS_URL = env("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_PREFIX", "ict"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Full pages for anonymous readers (home/pagecache.py): Redis when there is
# one, otherwise a folder every worker process reads. 0 seconds turns it off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3600)
if REDIS_URL:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_PREFIX", "ict") + "-pages",
    }
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env("PAGE_CACHE_DIR", str(VAR_DIR / "page-cache")),
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }

Q_CLUSTER = {
    "name": env("Q_CLUSTER_NAME", "ict-desk"),
    "workers": env_int("Q_WORKERS", 2),
    "timeout": env_int("Q_TIMEOUT", 120),
    # retry must exceed timeout, or a slow task is handed out a second time.
    "retry": env_int("Q_RETRY", 180),
    "max_attempts": env_int("Q_MAX_ATTEMPTS", 5),
    "queue_limit": 50,
    "bulk": 10,
    "catch_up": False,
    "save_limit": 1000,
    "label": "Django Q2",
    "poll": 0.5,
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# --- Content-Security-Policy (django-csp 4) -------------------------------
# No inline script or style on the site (see static/js/ and static/css/); the
# admin alone gets 'unsafe-inline' for both, which Wagtail's admin still needs
# (services.core.headers). tests/e2e/test_csp.py loads every page in a browser.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": [
            "'self'",
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
    }
}
# Avatars from a third party would need another img-src origin and leak who logs in.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Passwords and auth --------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords in a
# row for one user name, or from one address, further tries are refused with
# a Thai page for AXES_COOLOFF_TIME. Officers unlock in the admin (Settings →
# locked logins).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10) + 1  # the 11th try is refused
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "services.core.ratelimit.client_ip"
AXES_VERBOSE = False

# --- Language and time ---------------------------------------------------
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("ไทย")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Thai for everyone whatever the browser asks (home.middleware); English is a
# choice made with the language switch and remembered for a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and media ----------------------------------------------------
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "static_collected"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Requesters' attachments live outside MEDIA_ROOT: they are personal data and
# are only served through a view that checks who is asking.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
STORAGES["attachments"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": "/private-not-served/"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_PERMISSIONS = 0o640

# --- E-mail --------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "ICT Service Desk <ict-desk@example.go.th>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_URL = env("EMAIL_URL", "")
if EMAIL_URL:
    _email = urlparse(EMAIL_URL)
    _email_opts = parse_qs(_email.query)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or 25
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_TLS = _email.scheme == "smtp+tls" or "tls" in _email_opts
    EMAIL_USE_SSL = _email.scheme == "smtps"
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
else:
    EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# The domain mail Message-IDs and calendar UIDs are minted at: this
# installation's own, so ids never collide with another office's.
SITE_DOMAIN = env("SITE_DOMAIN", "") or (
    urlparse(env("BASE_URL", "http://127.0.0.1:8000")).hostname or "localhost"
)
# Where replies to automatic e-mails go; empty: the office e-mail in the site settings.
REPLY_TO_EMAIL = env("REPLY_TO_EMAIL", "")

# Outbox retry back-off unit: waits grow 1, 2, 4 … 60 units after failures.
OUTBOX_BACKOFF_SECONDS = env_int("OUTBOX_BACKOFF_SECONDS", 60)
# How long a message stays claimed by the worker sending it; 0 means "a little
# longer than one send" (three EMAIL_TIMEOUTs and five seconds).
OUTBOX_CLAIM_SECONDS = env_int("OUTBOX_CLAIM_SECONDS", 0)

# --- Wagtail -------------------------------------------------------------
WAGTAIL_SITE_NAME = env("SITE_NAME", "กลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร")
WAGTAILADMIN_BASE_URL = env("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "csv", "txt", "zip"]
# Every download passes through Wagtail's view and the before_serve_document
# hook, which keeps staff attachments private until publication; the web
# server must not serve MEDIA_ROOT/documents/ directly.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp"]
# One date format per language for display and parsing: the admin widgets
# write day/month/year, and cms/formats/en reads English input the same way
# (Django's Thai formats already do).
FORMAT_MODULE_PATH = ["cms.formats"]
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"

# --- Service requests ----------------------------------------------------
SERVICE_ATTACHMENT_MAX_BYTES = env_int("SERVICE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
SERVICE_ATTACHMENT_MAX_FILES = env_int("SERVICE_ATTACHMENT_MAX_FILES", 5)
# "<submissions>/<seconds>" per client address.
SERVICE_RATE_LIMIT = env("SERVICE_RATE_LIMIT", "10/600")
SURVEY_RATE_LIMIT = env("SURVEY_RATE_LIMIT", "20/600")
# Walk-in survey answers per client address, per service, per day.
WALK_IN_SURVEY_DAILY_LIMIT = env_int("WALK_IN_SURVEY_DAILY_LIMIT", 3)
# Reverse proxies in front of the site whose X-Forwarded-For entries are believed.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
SERVICE_LOOKUP_RATE_LIMIT = env("SERVICE_LOOKUP_RATE_LIMIT", "30/600")
# Without Redis, the rate limits' counts are kept in this file, shared by every
# web process on the host (services.core.ratelimit).
RATE_LIMIT_FILE = env("RATE_LIMIT_FILE", str(VAR_DIR / "ratelimit.sqlite3"))

# --- Business calendar ---------------------------------------------------
OFFICE_HOURS_START = env("OFFICE_HOURS_START", "08:30")
OFFICE_HOURS_END = env("OFFICE_HOURS_END", "16:30")
OFFICE_WORKDAYS = [int(d) for d in env_list("OFFICE_WORKDAYS", "0,1,2,3,4")]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Officers' desk --------------------------------------------------------
# A step is "due soon" when what is left of it is at most this many minutes or
# at most this share of its whole target, whichever window is larger.
DESK_DUE_SOON_MINUTES = env_int("DESK_DUE_SOON_MINUTES", 120)
DESK_DUE_SOON_SHARE = float(env("DESK_DUE_SOON_SHARE", "0.25"))
# Told the date and time of every confirmed booking so they can watch the network.
NETWORK_TEAM_EMAILS = env_list("NETWORK_TEAM_EMAILS", "network-team@example.go.th")

# --- Personal data (PDPA) ----------------------------------------------------
# Years after a ticket is finished before its personal data is anonymised.
PDPA_RETENTION_YEARS = env_int("PDPA_RETENTION_YEARS", 5)

# --- LINE Messaging API -----------------------------------------------------
# No access token: LINE is off and nothing is queued for it.
LINE_CHANNEL_ACCESS_TOKEN = env("LINE_CHANNEL_ACCESS_TOKEN", "")
LINE_CHANNEL_SECRET = env("LINE_CHANNEL_SECRET", "")
LINE_OFFICERS_GROUP_ID = env("LINE_OFFICERS_GROUP_ID", "")
LINE_API_BASE = env("LINE_API_BASE", "https://api.line.me").rstrip("/")
# The LINE Official Account's id, shown to requesters who link their ticket.
LINE_OA_ID = env("LINE_OA_ID", "")
LINE_LINK_MINUTES = env_int("LINE_LINK_MINUTES", 30)

# --- ITA open data ----------------------------------------------------------
# The catalogue service whose figures the complaint statistics page shows.
ITA_COMPLAINT_SERVICE_CODE = env("ITA_COMPLAINT_SERVICE_CODE", "ICT 10")

# --- Traffic logs (Computer-related Crime Act: kept at least 90 days) ------
# One JSON-lines file per day; the purge never keeps fewer than 90 days.
TRAFFIC_LOG_DIR = Path(env("TRAFFIC_LOG_DIR", VAR_DIR / "traffic"))
TRAFFIC_LOG_DAYS = max(90, env_int("TRAFFIC_LOG_DAYS", 90))
