"""Django settings for Pasar Daring.

Everything that differs between the demo, tests and production comes from the
environment, so one module serves all three:

- ``PASAR_DATA_DIR``: folder for the SQLite database and uploaded media (demo default ``./var``).
- ``DATABASE_URL``: e.g. ``postgres://pasar:pasar@127.0.0.1:5432/pasar`` selects PostgreSQL.
- ``PASAR_DEBUG``, ``PASAR_SECRET_KEY``, ``PASAR_ALLOWED_HOSTS`` (comma separated).
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("PASAR_DATA_DIR", Path.cwd() / "var")).resolve()

DEBUG = os.environ.get("PASAR_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("PASAR_SECRET_KEY", "insecure-dev-key-change-me-in-production")
ALLOWED_HOSTS = os.environ.get("PASAR_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("PASAR_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "pasar.runtime",  # before django_tasks_db: its `db_worker` command is ours (heartbeats, retries)
    "django_tasks_db",
    "ninja",
    "pasar.core",
    "pasar.accounts",
    "pasar.notifications",
    "pasar.regions",
    "pasar.markets",
    "pasar.traders",
    "pasar.training",
    "pasar.catalog",
    "pasar.pricing",
    "pasar.orders",
    "pasar.payments",
    "pasar.delivery",
    "pasar.complaints",
    "pasar.dashboards",
    "pasar.onboarding",
    "pasar.demo",
]

MIDDLEWARE = [
    "pasar.runtime.middleware.ProbeMiddleware",  # /healthz, /readyz: before host checks and the HTTPS redirect
    "django.middleware.security.SecurityMiddleware",
    "pasar.core.middleware.StaticFilesMiddleware",  # whitenoise
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pasar.core.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "pasar.urls"
WSGI_APPLICATION = "pasar.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
            "builtins": ["pasar.core.templatetags.pasar"],
        },
    }
]


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL")
    if url:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
        config["CONN_HEALTH_CHECKS"] = True
        return config
    # The embedded default: a SQLite file in the data folder, created on first use.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "pasar.sqlite3",
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of
            # one failing with "database is locked" when it upgrades a read lock.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASES = {"default": _database()}
if os.environ.get("PASAR_TEST_DB_NAME"):  # two test runs on one PostgreSQL server need two test databases
    DATABASES["default"]["TEST"] = {"NAME": os.environ["PASAR_TEST_DB_NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["pasar.accounts.backends.PhoneBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "my-page"
LOGOUT_REDIRECT_URL = "markets:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 6}},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get("PASAR_STATICFILES_STORAGE", "pasar.core.staticfiles.StaticFilesStorage")
    },
}
# `pasar serve` and `pasar demo` collect static files into the data folder at start: hashed names,
# gzip and brotli copies, served by whitenoise with a year's Cache-Control. PASAR_STATIC_FINDERS=1 (with
# PASAR_STATICFILES_STORAGE=django.contrib.staticfiles.storage.StaticFilesStorage) serves them straight
# from the apps instead, for `runserver` while developing.
WHITENOISE_USE_FINDERS = os.environ.get("PASAR_STATIC_FINDERS", "") == "1"
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
# Source maps are for developers' tools, never sent to phones: not worth compressing (3 MB of ninja's).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
# Uploaded photos: served by Django only for the demo; production puts a web server or bucket in front.
SERVE_MEDIA = os.environ.get("PASAR_SERVE_MEDIA", "") == "1"

DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# Background tasks are rows in the database, run by the worker of `pasar serve` (the demo's too). Tests run
# them in the request (ImmediateBackend); PASAR_TASKS_BACKEND sets the same for a runserver session.
TASKS = {"default": {"BACKEND": os.environ.get("PASAR_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# The runtime (pasar/runtime): how long a worker or scheduler may stay silent before /readyz reports it
# and its running tasks are put back; default retry limits of background tasks (a task may set its own).
PASAR_HEARTBEAT_SECONDS = float(os.environ.get("PASAR_HEARTBEAT_SECONDS", "10"))
PASAR_HEARTBEAT_STALE_SECONDS = int(os.environ.get("PASAR_HEARTBEAT_STALE_SECONDS", "60"))
PASAR_TASK_MAX_ATTEMPTS = int(os.environ.get("PASAR_TASK_MAX_ATTEMPTS", "5"))
PASAR_TASK_RETRY_DELAY_SECONDS = float(os.environ.get("PASAR_TASK_RETRY_DELAY_SECONDS", "10"))
# Backups (`pasar backup`, and nightly at 02:00 by the scheduler unless PASAR_BACKUP_NIGHTLY=0): where, how many
# kept, and which file folders go in beside the database.
PASAR_BACKUP_DIR = Path(os.environ.get("PASAR_BACKUP_DIR", DATA_DIR / "backups"))
PASAR_BACKUP_KEEP = int(os.environ.get("PASAR_BACKUP_KEEP", "7"))
PASAR_BACKUP_NIGHTLY = os.environ.get("PASAR_BACKUP_NIGHTLY", "1") == "1"
PASAR_BACKUP_FILE_DIRS = {"media": MEDIA_ROOT}

# Payments. The fake provider (in-memory charges, a public test secret) is for tests and the demo only;
# production sets PASAR_PAYMENT_PROVIDER=midtrans with its server key.
# No provider unless configured: the fake provider's secret is public, so only the demo (pasar.cli) and
# the tests enable it. Production sets "midtrans" with its keys.
PASAR_PAYMENT_PROVIDER = os.environ.get("PASAR_PAYMENT_PROVIDER", "")
PASAR_PAYMENT_FAKE_SECRET = os.environ.get("PASAR_PAYMENT_FAKE_SECRET", "fake-server-key")
PASAR_MIDTRANS_SERVER_KEY = os.environ.get("PASAR_MIDTRANS_SERVER_KEY", "")
PASAR_MIDTRANS_PRODUCTION = os.environ.get("PASAR_MIDTRANS_PRODUCTION", "") == "1"
PASAR_MIDTRANS_NOTIFICATION_URL = os.environ.get("PASAR_MIDTRANS_NOTIFICATION_URL", "")
# Where buyers send bank transfers (shown with the exact amount, unique code included).
PASAR_TRANSFER_ACCOUNT = {
    "bank": os.environ.get("PASAR_TRANSFER_BANK", "Bank Contoh"),
    "number": os.environ.get("PASAR_TRANSFER_NUMBER", "000-000-0000"),
    "holder": os.environ.get("PASAR_TRANSFER_HOLDER", "Pasar Daring"),
}
# The market operator's fee on traders' sales, in percent (0 = none); per market by slug overrides it.
PASAR_OPERATOR_FEE_PERCENT = os.environ.get("PASAR_OPERATOR_FEE_PERCENT", "0")
PASAR_OPERATOR_FEE_PERCENT_BY_MARKET: dict[str, str] = {}

# The courier queue (pasar/delivery): how long an offer stays open, orders per trip, when the operator may
# hand a job to an external courier, the promise to the buyer, the travel-time model and the router.
PASAR_DELIVERY_OFFER_SECONDS = int(os.environ.get("PASAR_DELIVERY_OFFER_SECONDS", "60"))
PASAR_DELIVERY_CAPACITY = int(os.environ.get("PASAR_DELIVERY_CAPACITY", "3"))
PASAR_DELIVERY_EXTERNAL_AFTER_MINUTES = int(os.environ.get("PASAR_DELIVERY_EXTERNAL_AFTER_MINUTES", "20"))
PASAR_DELIVERY_PROMISE_MINUTES = int(os.environ.get("PASAR_DELIVERY_PROMISE_MINUTES", "60"))
PASAR_DELIVERY_ROAD_FACTOR = float(os.environ.get("PASAR_DELIVERY_ROAD_FACTOR", "1.35"))
PASAR_DELIVERY_SPEED_KMH = float(os.environ.get("PASAR_DELIVERY_SPEED_KMH", "20"))
PASAR_DELIVERY_VROOM_EXPLORATION = int(os.environ.get("PASAR_DELIVERY_VROOM_EXPLORATION", "1"))
PASAR_DELIVERY_VROOM_TIMEOUT_MS = int(os.environ.get("PASAR_DELIVERY_VROOM_TIMEOUT_MS", "3000"))  # a safety net
PASAR_DELIVERY_ROUTER = os.environ.get("PASAR_DELIVERY_ROUTER", "")  # "" = haversine × road factor; "osrm"
PASAR_OSRM_URL = os.environ.get("PASAR_OSRM_URL", "")
# External couriers: "" = none; "fake" (tests and the demo only). Real adapters: see delivery/providers.
PASAR_DELIVERY_PROVIDER = os.environ.get("PASAR_DELIVERY_PROVIDER", "")
# The operator's share of each delivery fee, in percent (0 = the courier keeps the whole fee).
PASAR_DELIVERY_OPERATOR_SHARE_PERCENT = os.environ.get("PASAR_DELIVERY_OPERATOR_SHARE_PERCENT", "0")

# Notifications reach phones through a channel (pasar/notifications/channels.py): "" = the in-app inbox
# only; "log" (the demo); "memory" (tests); or the dotted path of a WhatsApp/SMS gateway adapter.
PASAR_NOTIFY_CHANNEL = os.environ.get("PASAR_NOTIFY_CHANNEL", "")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30  # traders stay logged in on their own phone
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PASAR_LOG_LEVEL", "WARNING")},
}
