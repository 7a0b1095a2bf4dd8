"""Django settings, read from the environment.

DATABASE_URL               any URL dj-database-url understands; default an SQLite file
                           ``klachtenregister.sqlite3`` in the var directory
KLACHTENREGISTER_VAR_DIR   the var directory; default ``var/`` in the repository root
KLACHTENREGISTER_MEDIA_DIR uploaded documents; default ``media/`` in the var directory
DJANGO_SECRET_KEY          required outside development; the default is insecure on purpose
DJANGO_DEBUG               ``true``/``false``; default true (the demo)
DJANGO_ALLOWED_HOSTS       comma-separated; default 127.0.0.1, localhost and [::1]
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
import os
from pathlib import Path

import dj_database_url

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

INSECURE_DEV_SECRET_KEY = "django-insecure-dev-only-klachtenregister-do-not-use-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or INSECURE_DEV_SECRET_KEY
DEBUG = _flag("DJANGO_DEBUG", default=True)
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Its lookups (trigram similarity) serve the complaint search on PostgreSQL.
    "django.contrib.postgres",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "klachtenregister.register",
    "klachtenregister.correspondence",
    "klachtenregister.watch",
    "klachtenregister.reports",
    "klachtenregister.backoffice",
    "klachtenregister.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
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


def _default_database_url() -> str:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{VAR_DIR / 'klachtenregister.sqlite3'}"


DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or _default_database_url(), conn_max_age=60
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
STATIC_ROOT = VAR_DIR / "static"

# Uploaded documents (complaint letters, hearing reports, attachments).
MEDIA_ROOT = Path(os.environ.get("KLACHTENREGISTER_MEDIA_DIR") or VAR_DIR / "media")
MEDIA_URL = "media/"  # never served directly: documents are sent by a view that checks access
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

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
# Behind a reverse proxy the client's address is in a header, not REMOTE_ADDR: set django-axes'
# AXES_IPWARE_META_PRECEDENCE_ORDER and AXES_IPWARE_PROXY_COUNT, or every failure counts
# against the proxy (docs/accounts.md).
INSTALLED_APPS += ["axes", "klachtenregister.accounts"]
AUTHENTICATION_BACKENDS = [
    # First: a locked-out login is refused before the password is even checked.
    "klachtenregister.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
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
