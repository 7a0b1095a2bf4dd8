"""Django settings, read from the environment.

DATABASE_URL               any URL dj-database-url understands; default an SQLite file
                           ``klachtenregister.sqlite3`` in the var directory
KLACHTENREGISTER_VAR_DIR   the var directory; default ``var/`` in the repository root
KLACHTENREGISTER_MEDIA_DIR uploaded documents; default ``media/`` in the var directory
KLACHTENREGISTER_ENV       ``production`` (the default) or ``development`` (``make run``, the
                           tests): development allows the insecure defaults below
DJANGO_SECRET_KEY          required in production; in development an insecure fallback
DJANGO_DEBUG               ``true``/``false``; default false, true in development
DJANGO_ALLOWED_HOSTS       comma-separated; required in production; in development 127.0.0.1,
                           localhost and [::1]
The HTTPS settings (``DJANGO_SECURE_*``, ``DJANGO_*_COOKIE_SECURE``, ...), the session length,
the upload limits and the worker's health: see the blocks below and docs/operations.md.
KLACHTENREGISTER_SMTP_HOST the SMTP server the worker delivers e-mail to; default 127.0.0.1
KLACHTENREGISTER_SMTP_PORT its port; default 8025 (the demo mailbox ``make run`` starts)
KLACHTENREGISTER_SMTP_USER, KLACHTENREGISTER_SMTP_PASSWORD   login, when the server wants one
KLACHTENREGISTER_SMTP_TLS  ``true`` for STARTTLS; default false
KLACHTENREGISTER_MAIL_FROM the sender when an organisation has no e-mail address of its own
KLACHTENREGISTER_MAIL_DOMAIN  the domain part of Message-IDs; default klachtenregister.local
KLACHTENREGISTER_SITE_URL  the address the register is reached at, for links in e-mails;
                           default http://127.0.0.1:8000 (``make run``)
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/klachtenregister


def _repository_root() -> Path:
    # Installed editable, the package lives in <repository>/src/klachtenregister.
    source_dir = PACKAGE_DIR.parent
    return source_dir.parent if source_dir.name == "src" else Path.cwd()


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


REPOSITORY_ROOT = _repository_root()
VAR_DIR = Path(os.environ.get("KLACHTENREGISTER_VAR_DIR") or REPOSITORY_ROOT / "var")

# --- Production or development (issue 16 §1) -------------------------------------------------
# Production is the default: a deployment that forgets a variable must not start with a public
# key or debug pages. Only the developer's own commands (`make run`, `make test`, the tests'
# pytest configuration) ask for development, by KLACHTENREGISTER_ENV=development.
ENVIRONMENT = (os.environ.get("KLACHTENREGISTER_ENV") or "production").strip().lower()
if ENVIRONMENT not in {"production", "development"}:
    raise ImproperlyConfigured(
        f"KLACHTENREGISTER_ENV is {ENVIRONMENT!r}: it must be 'production' or 'development'"
    )
DEVELOPMENT = ENVIRONMENT == "development"


def _required(name: str, development_default: str) -> str:
    value = (os.environ.get(name) or "").strip()
    if value:
        return value
    if DEVELOPMENT:
        return development_default
    raise ImproperlyConfigured(
        f"{name} is not set. It is required in production (KLACHTENREGISTER_ENV is not "
        "'development'); see docs/operations.md."
    )


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


INSECURE_DEV_SECRET_KEY = "django-insecure-dev-only-klachtenregister-do-not-use-in-production"
SECRET_KEY = _required("DJANGO_SECRET_KEY", INSECURE_DEV_SECRET_KEY)
DEBUG = _flag("DJANGO_DEBUG", default=DEVELOPMENT)
ALLOWED_HOSTS = [
    host.strip()
    for host in _required("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if host.strip()
]
CSRF_TRUSTED_ORIGINS = _list("DJANGO_CSRF_TRUSTED_ORIGINS")

# HTTPS: on by default in production, off in development (runserver speaks plain HTTP). Behind
# a proxy that ends TLS, DJANGO_SECURE_PROXY_SSL_HEADER names its header and value, e.g.
# "HTTP_X_FORWARDED_PROTO,https" (only when the proxy always sets or strips that header).
SECURE_SSL_REDIRECT = _flag("DJANGO_SECURE_SSL_REDIRECT", default=not DEVELOPMENT)
# A load balancer probes /health over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health$"]
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_SECURE_HSTS_SECONDS") or (0 if DEVELOPMENT else 31_536_000)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = _flag("DJANGO_SECURE_HSTS_PRELOAD", default=False)
_proxy_header = _list("DJANGO_SECURE_PROXY_SSL_HEADER")
if _proxy_header and len(_proxy_header) != 2:
    raise ImproperlyConfigured(
        "DJANGO_SECURE_PROXY_SSL_HEADER must be a header and a value, e.g. "
        "'HTTP_X_FORWARDED_PROTO,https'"
    )
SECURE_PROXY_SSL_HEADER = (_proxy_header[0], _proxy_header[1]) if _proxy_header else None
SESSION_COOKIE_SECURE = _flag("DJANGO_SESSION_COOKIE_SECURE", default=not DEVELOPMENT)
CSRF_COOKIE_SECURE = _flag("DJANGO_CSRF_COOKIE_SECURE", default=not DEVELOPMENT)
SESSION_COOKIE_HTTPONLY = True
# A session ends after this many hours, also while in use (issue 16 §5: sessions expire).
SESSION_COOKIE_AGE = int(float(os.environ.get("KLACHTENREGISTER_SESSION_HOURS") or 8) * 3600)
# The dashboard lists open to-dos (duties without a term, issue 14 §2) older than this many days.
TODO_OPEN_DAYS = int(os.environ.get("KLACHTENREGISTER_TODO_OPEN_DAYS") or 5)
CSRF_FAILURE_VIEW = "klachtenregister.backoffice.views.errors.csrf_failure"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Silencing a deploy check, e.g. "security.W005,security.W021" when HSTS must not cover
# subdomains: a decision to write down, not a default.
SILENCED_SYSTEM_CHECKS = _list("DJANGO_SILENCED_SYSTEM_CHECKS")
# --- end of production or development -------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Its lookups (trigram similarity) serve the complaint search on PostgreSQL.
    "django.contrib.postgres",
    "csp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "klachtenregister.register",
    "klachtenregister.correspondence",
    "klachtenregister.privacy",
    "klachtenregister.watch",
    "klachtenregister.reports",
    "klachtenregister.backoffice",
    "klachtenregister.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files before anything that reads the session or the database.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "klachtenregister.backoffice.middleware.NoStoreMiddleware",
    # Around everything that asks who the user is in an organisation (the second factor too).
    "klachtenregister.backoffice.middleware.RememberPerRequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body (CSRF reads the form).
    "klachtenregister.backoffice.middleware.RequestSizeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "klachtenregister.backoffice.middleware.RegisterErrorMiddleware",
]

ROOT_URLCONF = "klachtenregister.config.urls"
WSGI_APPLICATION = "klachtenregister.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
# Form fields and widgets through Django's own Jinja2 templates (django/forms/jinja2/, escaped
# like the Django ones): the same HTML at half the CPU. A complaint page offers up to 15 action
# forms, and their widgets were 60% of its time (docs/performance.md). The admin's widgets have
# no Jinja2 templates: those are rendered by the Django templates.
FORM_RENDERER = "klachtenregister.config.form_renderer.FormRenderer"


def _default_database_url() -> str:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{VAR_DIR / 'klachtenregister.sqlite3'}"


DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or _default_database_url(),
        conn_max_age=60,
        # A kept connection is tested before a request uses it: after a database restart the
        # first request reconnects instead of failing on the dead connection.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker share the file: write-ahead logging lets them read while
    # the other writes, IMMEDIATE takes the write lock when a transaction starts (no deadlock
    # on upgrade), and a writer waits up to 20 s for the other instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface is Dutch; English is a translation (locale/en/LC_MESSAGES/django.po).
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("KLACHTENREGISTER_STATIC_DIR") or VAR_DIR / "static")
# --- Static files and headers (issue 16 §1) ---------------------------------------------------
# WhiteNoise serves the static files from the web process. In production they are collected
# (`collectstatic`, which `make serve` runs) with hashed names, so they can be cached for good;
# in development they are read from the apps' folders as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEVELOPMENT
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEVELOPMENT
if DEVELOPMENT and VAR_DIR.is_dir():
    STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing one
# Content-Security-Policy (django-csp): only this site's own scripts and styles, no inline code,
# no frames. The pages keep their script and style in static files for this.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# --- end of static files and headers ---------------------------------------------------------

# Uploaded documents (complaint letters, hearing reports, attachments).
MEDIA_ROOT = Path(os.environ.get("KLACHTENREGISTER_MEDIA_DIR") or VAR_DIR / "media")
MEDIA_URL = "media/"  # never served directly: documents are sent by a view that checks access
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
# --- Upload limits (issue 16 §3) ---------------------------------------------------------------
# One file, and all files of one request together, at most this many megabytes (default 20);
# the forms say so. A request much larger than that is refused before it is read
# (backoffice.middleware.RequestSizeMiddleware).
UPLOAD_MAX_FILE_SIZE = int(float(os.environ.get("KLACHTENREGISTER_UPLOAD_MAX_MB") or 20) * 2**20)
UPLOAD_MAX_REQUEST_SIZE = int(
    float(os.environ.get("KLACHTENREGISTER_UPLOAD_MAX_REQUEST_MB") or 20) * 2**20
)
# Uploaded files are written with these permissions: readable by the app's user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# --- end of upload limits ----------------------------------------------------------------------

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Background work (letters by e-mail, the deadline watch): Django's tasks API through the
# django-tasks backport, with its database backend; docs/architecture.md says why.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Outgoing e-mail: the worker delivers the outbox to this SMTP server.
SMTP_HOST = os.environ.get("KLACHTENREGISTER_SMTP_HOST", "127.0.0.1")
SMTP_PORT = int(os.environ.get("KLACHTENREGISTER_SMTP_PORT", "8025"))
SMTP_USER = os.environ.get("KLACHTENREGISTER_SMTP_USER", "")
SMTP_PASSWORD = os.environ.get("KLACHTENREGISTER_SMTP_PASSWORD", "")
SMTP_STARTTLS = _flag("KLACHTENREGISTER_SMTP_TLS", default=False)
SMTP_TIMEOUT = 30
# Links in e-mails are absolute: a mail client has no page to resolve a path against.
SITE_URL = os.environ.get("KLACHTENREGISTER_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
MAIL_FROM = os.environ.get("KLACHTENREGISTER_MAIL_FROM", "klachten@klachtenregister.local")
MAIL_DOMAIN = os.environ.get("KLACHTENREGISTER_MAIL_DOMAIN", "klachtenregister.local")
# --- The worker's health (issue 16 §4) ---------------------------------------------------------
# /health answers 503 when no worker has written its heartbeat for this many seconds (a worker
# beats every 15 s); 0 switches the check off.
WORKER_SILENT_AFTER = float(os.environ.get("KLACHTENREGISTER_WORKER_SILENT_AFTER") or 120)
# After losing the database the worker tries again after 1, 2, 4 ... seconds, at most this many.
WORKER_RECONNECT_MAX_DELAY = float(os.environ.get("KLACHTENREGISTER_WORKER_RECONNECT_MAX") or 60)
# --- end of the worker's health ----------------------------------------------------------------
# --- AVG: retention and pruning (issue 16 §5, docs/privacy.md) -------------------------------
# A complaint's personal data is erased this many days after it was closed, withdrawn or voided
# (default 730: two years; AVG art. 5 lid 1 sub e, storage limitation, docs/privacy.md says why).
RETENTION_DAYS = int(os.environ.get("KLACHTENREGISTER_RETENTION_DAYS") or 730)
# Per organisation, e.g. "iskander=1095,loket3=365": an organisation's own bewaartermijn.
RETENTION_DAYS_BY_ORGANISATION: dict[str, int] = {}
for _item in _list("KLACHTENREGISTER_RETENTION_BY_ORGANISATION"):
    _slug, _sep, _days = _item.partition("=")
    if not (_slug.strip() and _days.strip().isdigit()):
        raise ImproperlyConfigured(
            "KLACHTENREGISTER_RETENTION_BY_ORGANISATION is slug=days, comma-separated, e.g. "
            f"'iskander=1095,loket3=365'; not {_item!r}"
        )
    RETENTION_DAYS_BY_ORGANISATION[_slug.strip()] = int(_days)
# Bodies of mail delivered (or failed) and finished background tasks are removed after this.
OUTBOX_KEEP_DAYS = int(os.environ.get("KLACHTENREGISTER_OUTBOX_KEEP_DAYS") or 30)
# Failed and successful logins (django-axes) are kept this long for security.
LOGIN_RECORDS_KEEP_DAYS = int(os.environ.get("KLACHTENREGISTER_LOGIN_RECORDS_KEEP_DAYS") or 90)
# Who looked at which complaint is kept this long.
ACCESS_RECORDS_KEEP_DAYS = int(os.environ.get("KLACHTENREGISTER_ACCESS_RECORDS_KEEP_DAYS") or 730)
# --- end of AVG ----------------------------------------------------------------------------------
# The demo mailbox (``run_demo_mailbox``) keeps what it receives here.
DEMO_MAILBOX_DIR = VAR_DIR / "mailbox"

# Accounts ----------------------------------------------------------------------------------
# klachtenregister.accounts: login throttling and lockout (django-axes), password change and
# reset (the reset mail goes through the outbox), two-factor authentication (django-otp).
#
# KLACHTENREGISTER_LOGIN_FAILURE_LIMIT     failed logins before a lockout; default 5
# KLACHTENREGISTER_LOGIN_COOLOFF_MINUTES   how long a lockout lasts; default 15
# KLACHTENREGISTER_LOGIN_LOCKOUT_BY        what is locked out, comma-separated; default
#                                          ``username,ip_address``: the account after the limit
#                                          of failures from anywhere (no slow guessing from many
#                                          clients), and a client after the limit of failures on
#                                          any accounts (no trying one password on many);
#                                          ``username+ip_address`` is the account from that client
# KLACHTENREGISTER_TRUSTED_PROXIES         behind a reverse proxy: its addresses or networks,
#                                          comma-separated (``10.0.0.1,10.1.0.0/16``); the
#                                          client is then read from X-Forwarded-For
# KLACHTENREGISTER_PROXY_COUNT             or: how many proxies stand in front (each appends
#                                          to X-Forwarded-For); default 0, REMOTE_ADDR
# Without either, behind a proxy every failure counts against the proxy's address and one
# lockout stops the whole organisation (docs/accounts.md, accounts/client_ip.py).
INSTALLED_APPS += ["axes", "klachtenregister.accounts"]
AUTHENTICATION_BACKENDS = [
    # First: a locked-out login is refused before the password is even checked.
    "klachtenregister.accounts.backends.LockoutBackend",
    # Django's ModelBackend, its session user read with whether they have a second factor.
    "klachtenregister.accounts.backends.SessionUserBackend",
]
# Last: it turns the lockout that the backend signals into the lockout page.
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]

AXES_FAILURE_LIMIT = int(os.environ.get("KLACHTENREGISTER_LOGIN_FAILURE_LIMIT") or 5)
AXES_COOLOFF_TIME = dt.timedelta(
    minutes=int(os.environ.get("KLACHTENREGISTER_LOGIN_COOLOFF_MINUTES") or 15)
)
AXES_LOCKOUT_PARAMETERS = [
    part.strip().split("+") if "+" in part else part.strip()
    for part in (
        os.environ.get("KLACHTENREGISTER_LOGIN_LOCKOUT_BY") or "username,ip_address"
    ).split(",")
    if part.strip()
]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # one AccessFailureLog row per failed attempt
AXES_LOCKOUT_CALLABLE = "klachtenregister.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "klachtenregister.accounts.client_ip.client_ip"


def _networks(name: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    networks = []
    for item in _list(name):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not an IP address or network (e.g. 10.0.0.1 or 10.0.0.0/8)"
            ) from None
    return tuple(networks)


def _count(name: str) -> int:
    value = (os.environ.get(name) or "0").strip()
    if not (value.isascii() and value.isdigit()):
        raise ImproperlyConfigured(f"{name} is {value!r}: it must be a whole number (0 or more)")
    return int(value)


TRUSTED_PROXIES = _networks("KLACHTENREGISTER_TRUSTED_PROXIES")
PROXY_COUNT = _count("KLACHTENREGISTER_PROXY_COUNT")
# A password-reset link works once, and only this long (Django's default is three days).
PASSWORD_RESET_TIMEOUT = 2 * 60 * 60

# Two-factor authentication (django-otp): an authenticator app (TOTP) and recovery codes.
# KLACHTENREGISTER_REQUIRE_2FA  ``true``: superusers and the roles below cannot work without a
#                               second factor (they set it up at their first login); default on,
#                               off when DEBUG is (the demo users of ``make run``)
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
# After the authentication middleware: OTPMiddleware tells whether the session entered a code,
# then ours sends a user who has not to the page that asks for it.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1,
    "klachtenregister.accounts.middleware.TwoFactorMiddleware",
)
REQUIRE_TWO_FACTOR = _flag("KLACHTENREGISTER_REQUIRE_2FA", default=not DEBUG)
# Membership kinds (RoleKind values) for whom the second factor is required.
TWO_FACTOR_ROLES = ["coordinator", "director"]
OTP_TOTP_ISSUER = "Klachtenregister"
