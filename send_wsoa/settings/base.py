"""Settings shared by every environment; each value that differs between machines comes
from the environment so the same code runs on a laptop, in CI and on many app servers."""

import datetime as dt
import hashlib
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_month(name: str) -> dt.date | None:
    """A month given as 2027-06, as the first day of it; None when not set."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(f"{value}-01")
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a month such as 2027-06, not "
                                   f"{value!r}.") from None


DEBUG = env_bool("DEBUG", False)

# Keys that ship with the code, for a laptop and the tests: never a production key.
DEVELOPMENT_SECRET_KEY = "insecure-local-development-key-never-use-in-production"  # noqa: S105
TEST_SECRET_KEY = "test-only-secret-key-" + "x" * 40  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "axes",
    "csp",
    "simple_history",
    "govuk",
    "accounts",
    "plans",
    "workstreams",
    "actions",
    "measures",
    "audit",
    "dashboard",
    "monitoring",
    "reminders",
    "imports",
    "pagecache",
    "public",
    "area_statistics",
    # Last, so the GOV.UK form templates win; Django admin's widgets include Django's own.
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads a body: an oversized one is refused unread.
    "send_wsoa.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, so static files keep their long cache lifetimes.
    "send_wsoa.middleware.PrivateByDefaultMiddleware",
    # First to read the database, so a cached page is never older than its key says.
    "pagecache.middleware.RevisionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Sign-in is the default; a view opts out with @login_not_required (Django 5.1+).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "send_wsoa.urls"
WSGI_APPLICATION = "send_wsoa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "plans.context_processors.navigation",
                "govuk.context_processors.csp_nonce",
            ],
        },
    },
]
FORM_RENDERER = "govuk.renderers.GovUkFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two people saving at once on a laptop's SQLite: each transaction takes the write lock
    # as it begins, and the second waits up to 20 seconds for it, where by default both
    # would read, then one fail "database is locked" on its write.
    DATABASES["default"]["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}),
                                       "transaction_mode": "IMMEDIATE", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "plans"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling: five failures lock that username from that address for an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # Evidence files live outside the web root and are served only through a view
        # that checks the user is signed in.
        "OPTIONS": {"location": os.environ.get("EVIDENCE_ROOT", str(BASE_DIR / "media"))},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# The audit trail's checkpoints (audit.checkpoints): signed with a key the database does not
# hold and written, one file each, where the database's role cannot rewrite them. A laptop
# and the tests derive a key from SECRET_KEY; production refuses to start without its own.
AUDIT_CHECKPOINT_KEY = os.environ.get("AUDIT_CHECKPOINT_KEY", "") or hashlib.sha256(
    f"audit-checkpoint:{SECRET_KEY}".encode()).hexdigest()
AUDIT_CHECKPOINT_DIR = Path(os.environ.get("AUDIT_CHECKPOINT_DIR",
                                           BASE_DIR / "audit-checkpoints"))

# The largest request any page takes; an evidence upload's page takes a file of
# EVIDENCE_MAX_BYTES and the form around it (send_wsoa.middleware.RequestSizeLimitMiddleware).
REQUEST_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
# A multipart form's own bytes around a file: its other fields, boundaries and headers.
FILE_FORM_OVERHEAD_BYTES = 64 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Pages are cached in the database too (pagecache): shared by every app server, and
# PAGE_CACHE=0 draws every page afresh.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "pagecache_entries",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
PAGE_CACHE = env_bool("PAGE_CACHE", True)

# Who answers accessibility questions and requests for another format, as this
# installation's accessibility statement gives them.
ACCESSIBILITY_CONTACT = {
    "organisation": os.environ.get("ACCESSIBILITY_CONTACT_ORGANISATION", ""),
    "email": os.environ.get("ACCESSIBILITY_CONTACT_EMAIL", ""),
    "phone": os.environ.get("ACCESSIBILITY_CONTACT_PHONE", ""),
}
# The months by which this installation plans to fix what its accessibility statement
# lists as not yet accessible. The council that runs it sets and confirms them, as it
# commits to the work; unset, the statement says no date has been set.
ACCESSIBILITY_TARGETS = {
    "admin_pages_tested": env_month("ACCESSIBILITY_ADMIN_PAGES_TESTED_BY"),
    "specialist_audit": env_month("ACCESSIBILITY_SPECIALIST_AUDIT_BY"),
}

# Addresses from before each page named its plan (/actions/JC10/) redirect to this plan.
PLAN_OF_OLD_ADDRESSES = os.environ.get("PLAN_OF_OLD_ADDRESSES", "essex")

# Sessions live in the database so any app server can answer any request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # NONCE, not the string "nonce": django-csp 4 puts each response's nonce in its place.
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

DJANGO_TABLES2_TEMPLATE = "govuk/tables/table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Reminders to leads (reminders.services), sent by `manage.py send_reminders`. Mail goes
# through SMTP when EMAIL_HOST is set, and is printed to the console otherwise.
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SEND improvement <noreply@localhost>")
# The address links in emails start with: the service as its users reach it.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Reminders go this many working days before each deadline.
REMINDER_WORKING_DAYS = int(os.environ.get("REMINDER_WORKING_DAYS", "5"))
