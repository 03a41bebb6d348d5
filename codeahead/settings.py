"""CodeAhead settings: one file, driven by environment variables.

Each variable is read through a small typed helper that refuses a bad value loudly.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envshare(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        share = float(value)
    except ValueError:
        share = -1.0
    if not 0 <= share <= 1:
        raise ImproperlyConfigured(f"{name} must be a share between 0 and 1 (0.02 for 2%), not {value!r}")
    return share


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envchoice(name: str, default: str, choices: set[str]) -> str:
    value = os.environ.get(name) or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {sorted(choices)}, not {value!r}")
    return value


DEBUG = envbool("DEBUG", False)
SECRET_KEY = envstr("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-" + "x" * 40

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
if not DEBUG and not envlist("ALLOWED_HOSTS"):
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must be set when DEBUG is off (the site's host names, comma separated)"
    )
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "codeahead.admin_site.CodeAheadAdminConfig",  # django.contrib.admin under our name
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "template_partials",
    "simple_history",
    "allauth",
    "allauth.account",
    "anymail",
    # Ours, in dependency order: the site app first, then lookup, then the features.
    "codeahead",
    "meter",
    "accounts",
    "lookup",
    "billing",
    "consultant",
    "casepilot",
    "jobs",
    "rules",
    "members",
    # Serves its Swagger UI from its own static files (no CDN) once it is an installed app.
    "ninja",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response, static files included.
    "codeahead.middleware.SecurityPolicyHeaders",
    # Static files are answered here, before sessions, auth or quotas see them.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A NUL or other control character in the path or query is a 400 before any view runs.
    "codeahead.middleware.ControlCharacterGuard",
    # Above sessions, so it sees the Vary: Cookie they add: a personal page is Cache-Control: private.
    "codeahead.middleware.PrivateWhenPersonal",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, given the user loaded with the session (accounts.sessions): one query for both.
    "accounts.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Only for the JSON API's views: CORS for the listed origins, and its errors in JSON.
    "api.middleware.ApiMiddleware",
    # Last: it only acts on views marked @meter.metered (meter.services decides).
    "meter.middleware.MeterMiddleware",
]

ROOT_URLCONF = "codeahead.urls"
WSGI_APPLICATION = "codeahead.wsgi.application"

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
                "codeahead.context_processors.site",
            ],
        },
    },
]

# A worker keeps its connection a minute. Not in development: runserver starts a thread per
# request, and kept connections would pile up to PostgreSQL's limit.
CONN_MAX_AGE = envint("CONN_MAX_AGE", 0 if DEBUG else 60)

# DATABASE_URL names a PostgreSQL server; unset, the project runs its own.
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.config(conn_max_age=CONN_MAX_AGE)}
else:
    from codeahead.embedded_db import database_settings

    DATABASES = {"default": database_settings(BASE_DIR / ".pgdata")}
    DATABASES["default"]["CONN_MAX_AGE"] = CONN_MAX_AGE
# Our backend waits up to DB_CONNECT_WAIT_SECONDS for a server that is restarting, rather than
# failing the request (codeahead/postgresql/base.py).
DATABASES["default"]["ENGINE"] = "codeahead.postgresql"
DB_CONNECT_WAIT_SECONDS = envint("DB_CONNECT_WAIT_SECONDS", 10)
# A kept connection is checked at its first use in each request (one round trip): after a
# database restart it is dead, and the request gets a fresh one instead of a 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = envbool("CONN_HEALTH_CHECKS", True)
# A web request's statement stops after this long (0: never); imports and other commands are not
# limited (codeahead/database.py, set up by wsgi.py and asgi.py only).
DB_STATEMENT_TIMEOUT_MS = envint("DB_STATEMENT_TIMEOUT_MS", 10_000)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = envstr("TIME_ZONE", "America/New_York")
USE_I18N = False
USE_TZ = True

# A CDN in front: STATIC_URL=https://cdn.example.org/static/ (WhiteNoise still answers /static/ to it).
STATIC_URL = envstr("STATIC_URL", "/static/")
# Where collectstatic writes (the Docker image collects at build time).
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# In development and tests, serve static files straight from the finders, uncollected.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# The site runs as several processes (gunicorn workers). What one process writes and another
# must see (allauth's rate limits) goes to the shared cache, a PostgreSQL table; rendered pieces
# that may be a minute old stay in each process's own memory ("local").
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "codeahead_cache"},
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
# Sessions live in PostgreSQL only: a copy kept in one process's memory would stay logged in
# there after the reader logged out through another. Django's database sessions, with the
# user read in the same query (accounts/sessions.py).
SESSION_ENGINE = "accounts.sessions"

# Security: strict by default; plain HTTP on 127.0.0.1 only in development.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer checks its web processes over plain HTTP, inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/db)?$"]
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_TLS_PROXY", False) else None
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Licences the operator holds for code text owned by others ("AMA", "ADA").
# Text owned by a licensor the operator lacks is never shown.
TEXT_LICENCES = {item.upper() for item in envlist("TEXT_LICENCES")}
# A release that would delete more than this share of what is loaded (a truncated file looks
# like one) stops unless `import_codes --allow-deletions` is given.
IMPORT_MAX_DELETION_SHARE = envshare("IMPORT_MAX_DELETION_SHARE", 0.02)

# Accounts (django-allauth): email is the login, verified before the account's views unlock.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.AuthenticationBackend",
    "accounts.backends.ModelBackend",
]
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = envchoice("ACCOUNT_EMAIL_VERIFICATION", "mandatory", {"mandatory", "optional"})
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[CodeAhead] "
# Readers know their account by its email; the username is made up from it and never shown.
ACCOUNT_USER_DISPLAY = lambda user: user.email or user.username  # noqa: E731
# allauth's default rate limits (failed logins, sign-ups, resets...) stay on, in the shared cache.
ACCOUNT_RATE_LIMITS = {}
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

# Email: printed to the console in development, SMTP from the environment in production.
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "CodeAhead <no-reply@codeahead.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the account pages' "email us" links go (a person reads it).
CONTACT_EMAIL = envstr("CONTACT_EMAIL", "help@codeahead.example")
EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
# The outbox (codeahead/outbox.py): every email is a row, sent by `manage.py send_emails`.
# A failure waits EMAIL_OUTBOX_RETRY_SECONDS, doubling each time up to the maximum wait; after
# EMAIL_OUTBOX_MAX_ATTEMPTS (about two days of retries by default) it is marked "gave up".
EMAIL_OUTBOX_MAX_ATTEMPTS = envint("EMAIL_OUTBOX_MAX_ATTEMPTS", 15)
EMAIL_OUTBOX_RETRY_SECONDS = envint("EMAIL_OUTBOX_RETRY_SECONDS", 60)
EMAIL_OUTBOX_MAX_RETRY_SECONDS = envint("EMAIL_OUTBOX_MAX_RETRY_SECONDS", 6 * 3600)
EMAIL_OUTBOX_POLL_SECONDS = envint("EMAIL_OUTBOX_POLL_SECONDS", 2)
EMAIL_OUTBOX_KEEP_DAYS = envint("EMAIL_OUTBOX_KEEP_DAYS", 90)  # sent emails are forgotten after this

# The meter (meter/services.py): uses of each resource per period, for each kind of reader
# (guest, account not verified yet, verified account); staff and unlimited plans are not
# counted. Code page views keep their QUOTA_* variables.
QUOTA_GUEST_VIEWS = envint("QUOTA_GUEST_VIEWS", 1)
QUOTA_ACCOUNT_EXTRA_VIEWS = envint("QUOTA_ACCOUNT_EXTRA_VIEWS", 5)  # on top of the guest's, once verified
QUOTA_PERIOD = envchoice("QUOTA_PERIOD", "month", {"month", "day", "never"})
QUOTA_GUEST_VIEWS_PER_ADDRESS_PER_DAY = envint("QUOTA_GUEST_VIEWS_PER_ADDRESS_PER_DAY", 3)
QUOTA_GUEST_COOKIE_AGE = envint("QUOTA_GUEST_COOKIE_AGE", 400 * 24 * 3600)
QUOTA_USAGE_KEEP_DAYS = envint("QUOTA_USAGE_KEEP_DAYS", 400)
METER_RULES = {
    "code_page": {
        "guest": QUOTA_GUEST_VIEWS,
        "unverified": QUOTA_GUEST_VIEWS,
        "verified": QUOTA_GUEST_VIEWS + QUOTA_ACCOUNT_EXTRA_VIEWS,
        "period": QUOTA_PERIOD,
        "guest_per_address_per_day": QUOTA_GUEST_VIEWS_PER_ADDRESS_PER_DAY,
    },
    "casepilot_question": {
        "guest": 0,
        "unverified": 0,
        "verified": envint("CASEPILOT_QUESTIONS_PER_DAY", 20),
        "period": "day",
    },
    "consultant_question": {
        "guest": 0,
        "unverified": 0,
        "verified": envint("CONSULTANT_QUESTIONS_PER_MONTH", 3),
        "period": "month",
    },
}
# The client address is REMOTE_ADDR unless a proxy we run says otherwise: name its header
# (e.g. X-Forwarded-For) and how many proxies of ours append to it.
TRUSTED_PROXY_HEADER = envstr("TRUSTED_PROXY_HEADER", "")
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)

# CaseConsultant (consultant/): the response-time target consultants work to, and how many
# questions and messages one person may post an hour (the monthly allowance is METER_RULES').
CONSULTANT_RESPONSE_BUSINESS_DAYS = envint("CONSULTANT_RESPONSE_BUSINESS_DAYS", 2)
CONSULTANT_POSTS_PER_HOUR = envint("CONSULTANT_POSTS_PER_HOUR", 20)
# Posts the patient-information guard refused, per account and per client address, before
# CaseConsultant pauses that account's or address's posts for the rest of the window (0: off).
CONSULTANT_GUARD_REFUSAL_LIMITS = [
    (limit, envint("CONSULTANT_GUARD_REFUSAL_WINDOW_SECONDS", 900))
    for limit in [envint("CONSULTANT_GUARD_REFUSALS", 5)]
    if limit > 0
]
# Replies by email (consultant/inbound.py, through django-anymail's inbound webhooks): the
# address members reply to; each email's Reply-To adds "+<tracking number>.<signed token>"
# before the "@". Empty: no Reply-To, and the emails ask members to reply on the page.
CONSULTANT_REPLY_ADDRESS = envstr("CONSULTANT_REPLY_ADDRESS", "")
# django-anymail: the "user:password" the provider's webhook URL carries (basic auth).
ANYMAIL = {"WEBHOOK_SECRET": envstr("ANYMAIL_WEBHOOK_SECRET", "")}
if CONSULTANT_REPLY_ADDRESS and "@" not in CONSULTANT_REPLY_ADDRESS:
    raise ImproperlyConfigured(
        f"CONSULTANT_REPLY_ADDRESS must be an email address, not {CONSULTANT_REPLY_ADDRESS!r}"
    )
if CONSULTANT_REPLY_ADDRESS and not ANYMAIL["WEBHOOK_SECRET"] and not DEBUG:
    raise ImproperlyConfigured(
        "ANYMAIL_WEBHOOK_SECRET (user:password) must be set with CONSULTANT_REPLY_ADDRESS"
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}

# Searches one client may make: SEARCH_RATE_PER_MINUTE and SEARCH_RATE_PER_HOUR (0 turns a
# window off). Search-as-you-type sends a request per pause in typing, hence the headroom.
SEARCH_RATE_LIMITS = [
    (limit, seconds)
    for limit, seconds in (
        (envint("SEARCH_RATE_PER_MINUTE", 120), 60),
        (envint("SEARCH_RATE_PER_HOUR", 1500), 3600),
    )
    if limit > 0
]

# CasePilot, the coding assistant (casepilot/). The questions a verified member may ask a
# day are the meter's rule "casepilot_question" above (CASEPILOT_QUESTIONS_PER_DAY).
# An optional OpenAI-compatible chat-completions endpoint (llama.cpp, vLLM, Ollama, hosted):
# its base URL (such as http://127.0.0.1:8080/v1), model and key. Unset: answers are offline.
CASEPILOT_LLM_URL = envstr("CASEPILOT_LLM_URL", "")
CASEPILOT_LLM_MODEL = envstr("CASEPILOT_LLM_MODEL", "")
CASEPILOT_LLM_KEY = envstr("CASEPILOT_LLM_KEY", "")
CASEPILOT_LLM_TIMEOUT = envint("CASEPILOT_LLM_TIMEOUT", 20)  # seconds per round
CASEPILOT_LLM_MAX_ROUNDS = envint("CASEPILOT_LLM_MAX_ROUNDS", 4)  # tool rounds before giving up
# CareerCenter job board (jobs/): days an approved job stays open (renewable), when its
# employer is reminded, how many jobs an account or a client address may post a day (0: no
# limit), and how many searches a job seeker may save.
JOBS_EXPIRE_DAYS = envint("JOBS_EXPIRE_DAYS", 30)
JOBS_EXPIRY_REMINDER_DAYS = envint("JOBS_EXPIRY_REMINDER_DAYS", 5)
JOBS_POSTS_PER_DAY_PER_ACCOUNT = envint("JOBS_POSTS_PER_DAY_PER_ACCOUNT", 10)
JOBS_POSTS_PER_DAY_PER_ADDRESS = envint("JOBS_POSTS_PER_DAY_PER_ADDRESS", 20)
JOBS_SAVED_SEARCHES_MAX = envint("JOBS_SAVED_SEARCHES_MAX", 10)
# Addresses told when a job waits for review (comma separated; none: nobody is emailed).
JOBS_MODERATION_EMAIL = envlist("JOBS_MODERATION_EMAIL")
# The JSON API (api/): requests per key, and per client address without a key, in each window
# of (requests, seconds); CORS answered only for the origins listed (none by default).
API_KEY_RATE_LIMITS = [
    (envint("API_KEY_REQUESTS_PER_MINUTE", 60), 60),
    (envint("API_KEY_REQUESTS_PER_DAY", 10_000), 86_400),
]
API_ANONYMOUS_RATE_LIMITS = [
    (envint("API_ANONYMOUS_REQUESTS_PER_MINUTE", 10), 60),
    (envint("API_ANONYMOUS_REQUESTS_PER_DAY", 200), 86_400),
]
API_KEYS_PER_ACCOUNT = envint("API_KEYS_PER_ACCOUNT", 10)
API_CORS_ORIGINS = envlist("API_CORS_ORIGINS")
