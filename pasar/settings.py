"""Django settings for Pasar Daring.

Everything that differs between the demo, tests and production comes from the
environment, so one module serves all three:

- ``PASAR_DATA_DIR``: folder for the SQLite database and uploaded media (demo default ``./var``).
- ``DATABASE_URL``: e.g. ``postgres://pasar:pasar@127.0.0.1:5432/pasar`` selects PostgreSQL.
- ``PASAR_DEBUG``, ``PASAR_SECRET_KEY``, ``PASAR_ALLOWED_HOSTS`` (comma separated).
- ``PASAR_HTTPS=1`` behind a TLS proxy: Secure cookies, HSTS, redirect to HTTPS, the proxy's
  ``X-Forwarded-Proto`` trusted (``PASAR_HSTS_SECONDS``, ``PASAR_HSTS_PRELOAD``).

Without ``PASAR_SECRET_KEY`` the built-in development key is used, and the web server and worker refuse
to start unless ``PASAR_DEBUG=1`` (``pasar.core.deploy.require_secret_key``). ``pasar check --deploy
--fail-level WARNING`` passes with the environment in ``docs/deploy.md``.
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("PASAR_DATA_DIR", Path.cwd() / "var")).resolve()

DEBUG = os.environ.get("PASAR_DEBUG", "") == "1"
# Development only: `pasar serve`, the WSGI application and the worker refuse it unless DEBUG is on.
PASAR_DEV_SECRET_KEY = "insecure-dev-key-change-me-in-production"  # noqa: S105 - a known placeholder
SECRET_KEY = os.environ.get("PASAR_SECRET_KEY") or PASAR_DEV_SECRET_KEY
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
    "pasar.standing",
    "pasar.business",
    "pasar.dashboards",
    "pasar.onboarding",
    "pasar.privacy",
    "pasar.demo",
    "axes",  # failed logins (pasar/accounts/lockout.py)
]

MIDDLEWARE = [
    "pasar.runtime.middleware.ProbeMiddleware",  # /healthz, /readyz: before host checks and the HTTPS redirect
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "pasar.core.middleware.PermissionsPolicyMiddleware",
    "pasar.core.middleware.StaticFilesMiddleware",  # whitenoise
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pasar.core.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "pasar.core.middleware.NulCharacterMiddleware",  # after the locale: its 400 page speaks the visitor's language
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pasar.core.middleware.VaryHtmxMiddleware",
    "pasar.accounts.middleware.OwnPinMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the page with the time to wait
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
                "django.template.context_processors.csp",  # csp_nonce: django-htmx's script tag uses it
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
# axes' backend goes first: it refuses a locked-out phone or address before the password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "pasar.accounts.backends.PhoneBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "my-page"
LOGOUT_REDIRECT_URL = "markets:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 6}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "pasar.accounts.validators.CommonPinValidator"},
]

# Login throttling (django-axes, pasar/accounts/lockout.py): a phone number is locked after this many wrong
# PINs or passwords within the cool-off, even for the right one; so is a client address, at a higher count
# (mobile networks put many phones behind one address). Operators unlock their traders, admins anyone.
PASAR_LOGIN_FAILURES_PER_PHONE = int(os.environ.get("PASAR_LOGIN_FAILURES_PER_PHONE", "10"))
PASAR_LOGIN_FAILURES_PER_IP = int(os.environ.get("PASAR_LOGIN_FAILURES_PER_IP", "50"))
PASAR_LOGIN_COOLOFF_MINUTES = int(os.environ.get("PASAR_LOGIN_COOLOFF_MINUTES", "15"))
# Reverse proxies in front of the app that append to X-Forwarded-For (0: the client's address is REMOTE_ADDR).
PASAR_PROXY_COUNT = int(os.environ.get("PASAR_PROXY_COUNT", "0"))
AXES_FAILURE_LIMIT = PASAR_LOGIN_FAILURES_PER_PHONE
AXES_COOLOFF_TIME = timedelta(minutes=PASAR_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks; the handler gives each its own limit
AXES_HANDLER = "pasar.accounts.lockout.Handler"
AXES_USERNAME_CALLABLE = "pasar.accounts.lockout.username"
AXES_CLIENT_IP_CALLABLE = "pasar.accounts.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "pasar.accounts.lockout.locked_out_response"
AXES_RESET_ON_SUCCESS = False  # or one's own login every 9 tries would clear the address's count
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the time to wait shown stays true
AXES_DISABLE_ACCESS_LOG = True  # no log of every successful login: personal data we do not need
AXES_VERBOSE = False
# Masked in the stored attempt (the PIN page posts three PINs; the login form's password is masked anyway).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "old_password", "new_password1", "new_password2"]

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
# Files holding personal data (exports): outside MEDIA_ROOT, never served by the web server, only through
# views that check who asks (pasar/core/storage.py).
PASAR_PRIVATE_ROOT = Path(os.environ.get("PASAR_PRIVATE_ROOT", DATA_DIR / "private")).resolve()
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

# Messages reach phones through providers (pasar/notifications/providers/): "" = the in-app inbox only;
# "fake" (the demo and tests: recorded in the database, read in "Kotak keluar"); "cloud" (WhatsApp Business
# Cloud API) / "zenziva" (SMS); or the dotted path of a class.
PASAR_WHATSAPP_PROVIDER = os.environ.get("PASAR_WHATSAPP_PROVIDER", "")
PASAR_WHATSAPP_API_URL = os.environ.get("PASAR_WHATSAPP_API_URL", "https://graph.facebook.com/v21.0")
PASAR_WHATSAPP_TOKEN = os.environ.get("PASAR_WHATSAPP_TOKEN", "")
# The app secret signs every webhook (X-Hub-Signature-256); empty = every webhook POST is refused.
PASAR_WHATSAPP_APP_SECRET = os.environ.get("PASAR_WHATSAPP_APP_SECRET", "")
PASAR_WHATSAPP_VERIFY_TOKEN = os.environ.get("PASAR_WHATSAPP_VERIFY_TOKEN", "")
# The platform's own number (phone_number_id) for notifications of markets without a number of their own.
PASAR_WHATSAPP_PHONE_NUMBER_ID = os.environ.get("PASAR_WHATSAPP_PHONE_NUMBER_ID", "")
PASAR_SMS_PROVIDER = os.environ.get("PASAR_SMS_PROVIDER", "")
PASAR_ZENZIVA_URL = os.environ.get("PASAR_ZENZIVA_URL", "https://console.zenziva.net/reguler/api/sendsms/")
PASAR_ZENZIVA_USERKEY = os.environ.get("PASAR_ZENZIVA_USERKEY", "")
PASAR_ZENZIVA_PASSKEY = os.environ.get("PASAR_ZENZIVA_PASSKEY", "")
# Estimated rupiah per message by category (Meta's Indonesian rates, late 2026; they change: configure).
PASAR_MESSAGE_COSTS = json.loads(
    os.environ.get(
        "PASAR_MESSAGE_COSTS", '{"marketing": 680, "utility": 330, "authentication": 500, "service": 0, "sms": 350}'
    )
)
PASAR_MESSAGE_MAX_ATTEMPTS = int(os.environ.get("PASAR_MESSAGE_MAX_ATTEMPTS", "5"))
# Absolute links in messages (a phone cannot follow /pesanan/...).
PASAR_SITE_URL = os.environ.get("PASAR_SITE_URL", "http://127.0.0.1:8000")
# Ordering by chat: how long the signed link to the pre-filled list page stays valid.
PASAR_CHAT_LINK_HOURS = int(os.environ.get("PASAR_CHAT_LINK_HOURS", "4"))
# One-time login codes: minutes valid, wrong tries before lock-out, codes per number per hour.
PASAR_OTP_MINUTES = int(os.environ.get("PASAR_OTP_MINUTES", "5"))
PASAR_OTP_MAX_TRIES = int(os.environ.get("PASAR_OTP_MAX_TRIES", "5"))
PASAR_OTP_PER_HOUR = int(os.environ.get("PASAR_OTP_PER_HOUR", "3"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30  # traders stay logged in on their own phone
# Platform staff, market operators and government officers see other people's data: their sessions end
# this long after their last change (markets/apps.py sets it at login).
PASAR_STAFF_SESSION_SECONDS = int(os.environ.get("PASAR_STAFF_SESSION_SECONDS", str(60 * 60 * 8)))
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# HTTPS behind a TLS-terminating proxy (nginx, Caddy) that sets X-Forwarded-Proto.
PASAR_HTTPS = os.environ.get("PASAR_HTTPS", "") == "1"
if PASAR_HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # the load balancer's probes over plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # A year, the usual value; lower it (e.g. 3600) for the first days of a new domain.
    SECURE_HSTS_SECONDS = int(os.environ.get("PASAR_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("PASAR_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
    SECURE_HSTS_PRELOAD = os.environ.get("PASAR_HSTS_PRELOAD", "") == "1"
# Preloading is a separate, hard-to-undo submission to browsers' lists: a choice for the domain's owner,
# so its check is silenced unless PASAR_HSTS_PRELOAD=1 asks for the header.
SILENCED_SYSTEM_CHECKS = [] if os.environ.get("PASAR_HSTS_PRELOAD", "") == "1" else ["security.W021"]

# Content-Security-Policy (Django's own middleware): scripts only from this site or with the request's
# nonce (htmx's tag carries it), no plugins, no framing, forms post only here. Styles allow inline `style`
# attributes and <style> blocks (a nonce would disable 'unsafe-inline'); photos may be data:/blob: previews.
# PASAR_CSP_REPORT_ONLY=1 sends it as Content-Security-Policy-Report-Only instead, to try a change first.
_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if os.environ.get("PASAR_CSP_REPORT_ONLY", "") == "1":
    SECURE_CSP_REPORT_ONLY = _CSP
else:
    SECURE_CSP = _CSP
# Permissions-Policy (pasar.core.middleware): location only for this site (the market finder), nothing else.
PASAR_PERMISSIONS_POLICY = "geolocation=(self), camera=(), microphone=(), payment=(), usb=()"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PASAR_LOG_LEVEL", "WARNING")},
}
