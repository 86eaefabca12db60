"""Settings for bporeg, read from the environment (see README, "Configuration").

Development defaults need no server: a SQLite database and an embedded SQLite broker for Celery.
With DEBUG off, SECRET_KEY must be set and the secure-cookie/HSTS settings switch on.
"""

import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy

from bporeg.env import env_bool, env_choice, env_float, env_int, env_list, env_mapping, env_str
from bporeg.file_storage import upload_storage

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("BPOREG_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-do-not-use" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "django_celery_beat",
    "simple_history",
    "axes",
    "csp",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "accounts",
    "vendors",
    "kpis",
    "reviews",
    "sourcing",
    "costs",
    "relationship",
    # After the domain apps: its demo raises what their demo data makes due (seed_demo runs in this order).
    "alerts",
    # Last: the dashboard reads every domain app, and none of them depends on it.
    "portfolio",
]

MIDDLEWARE = [
    # First: every request is counted and timed, and has its id in the log, whoever answers it.
    "bporeg.prometheus.RequestMetricsMiddleware",
    "bporeg.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that a locked-out login is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bporeg.urls"
WSGI_APPLICATION = "bporeg.wsgi.application"

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
                "bporeg.access.role_context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'bporeg.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded development database cannot enforce the alert log's NULLS NOT DISTINCT key; the
    # production database (PostgreSQL), where exactly-once delivery matters, does.
    SILENCED_SYSTEM_CHECKS = ["models.W047"]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed logins are counted per (account, address) pair: an attacker guessing one account is stopped,
# while the same person's other accounts, and other people behind the same address, are not locked out.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client address is REMOTE_ADDR unless PROXY_COUNT trusted proxies sit in front (see access.py),
# so a spoofed X-Forwarded-For can neither dodge the counter nor lock out somebody else.
AXES_CLIENT_IP_CALLABLE = "bporeg.access.client_ip"
PROXY_COUNT = env_int("PROXY_COUNT", 0)
# An SSO login refused by bporeg (no role) is the identity provider's answer, not a password guess:
# it must not count towards locking out everybody behind the same address.
AXES_WHITELIST_CALLABLE = "bporeg.access.not_a_password_attempt"

# Single sign-on with OpenID Connect for internal people (see README, "Single sign-on"): on when a
# client id is set. Off, mozilla-django-oidc is never imported and only passwords log in.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
OIDC_ENABLED = env_bool("OIDC_ENABLED", bool(OIDC_RP_CLIENT_ID))
# Internal people may also use a password while SSO is on only if this is set; a superuser always
# may (the break-glass account for when the identity provider is down).
OIDC_PASSWORD_LOGIN_FOR_INTERNAL = env_bool("OIDC_PASSWORD_LOGIN_FOR_INTERNAL", False)
# Claim (a dotted path reaches into nested claims) and group=role pairs, first match wins; the
# roles are checked against accounts.models.Role when the app starts (accounts/apps.py).
OIDC_ROLE_CLAIM = env_str("OIDC_ROLE_CLAIM", "groups")
OIDC_ROLE_MAP = env_mapping("OIDC_ROLE_MAP")
if OIDC_ENABLED:
    if not OIDC_RP_CLIENT_ID:
        raise ImproperlyConfigured("OIDC_ENABLED is on: set OIDC_RP_CLIENT_ID too.")
    OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "") or None
    if OIDC_RP_SIGN_ALGO[:2] in ("RS", "ES") and not OIDC_OP_JWKS_ENDPOINT:
        raise ImproperlyConfigured(f"OIDC_RP_SIGN_ALGO={OIDC_RP_SIGN_ALGO}: set OIDC_OP_JWKS_ENDPOINT too.")
    OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
    OIDC_USE_PKCE = True
    LOGIN_REDIRECT_URL_FAILURE = reverse_lazy("login")
    AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "accounts.sso.SingleSignOnBackend",
        "accounts.sso.PasswordBackend",
    ]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads: on the local disk under MEDIA_ROOT, or in a private S3 bucket when AWS_STORAGE_BUCKET_NAME is set
# (see bporeg/file_storage.py). No URL serves them either way: a view checks access first, then streams.
STORAGES = {
    "default": upload_storage(
        env_str("AWS_STORAGE_BUCKET_NAME", ""),
        endpoint_url=env_str("AWS_S3_ENDPOINT_URL", ""),
        access_key=env_str("AWS_ACCESS_KEY_ID", ""),
        secret_key=env_str("AWS_SECRET_ACCESS_KEY", ""),
        region=env_str("AWS_S3_REGION_NAME", "us-east-1"),
        location=env_str("AWS_LOCATION", ""),
    ),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Local uploads live outside static/ and are never served by a URL of their own.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "uploads")))
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 10) * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: SMTP when EMAIL_HOST is set, otherwise printed to the console (development).
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "bporeg <bporeg@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis in production; with no broker configured, kombu's SQLAlchemy transport on a SQLite file.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "bporeg.beat:DatabaseScheduler"

# Alerts: "due soon" starts this many days before a due date; an alert missed while beat or the
# workers were down is still sent this many days after it; a KPI breached this many periods in a row
# puts the vendor on watch; an onboarding task or action item more than this many days overdue is
# escalated to the vendor's owner; a period's review is due on this day of the following month (1-28),
# with a second reminder this many days before.
ALERT_DUE_SOON_DAYS = env_int("ALERT_DUE_SOON_DAYS", 14)
ALERT_CATCH_UP_DAYS = env_int("ALERT_CATCH_UP_DAYS", 7)
ALERT_ON_WATCH_STREAK = env_int("ALERT_ON_WATCH_STREAK", 3)
ALERT_ESCALATE_AFTER_DAYS = env_int("ALERT_ESCALATE_AFTER_DAYS", 7)
ALERT_REVIEW_DUE_DAY = env_int("ALERT_REVIEW_DUE_DAY", 10)
ALERT_REVIEW_REMINDER_DAYS = env_int("ALERT_REVIEW_REMINDER_DAYS", 3)
# The sweeper sends this many alerts per transaction (one mail server connection, a fixed number of
# queries): a worker killed mid-batch sends at most this many emails a second time (see alerts/services.py).
ALERT_SEND_BATCH = env_int("ALERT_SEND_BATCH", 20)
if ALERT_SEND_BATCH < 1:
    raise ImproperlyConfigured("ALERT_SEND_BATCH must be at least 1.")
if not 1 <= ALERT_REVIEW_DUE_DAY <= 28:
    raise ImproperlyConfigured("ALERT_REVIEW_DUE_DAY must be a day that every month has, 1 to 28.")

# Portfolio red flags (see portfolio/flags.py and the README): overdue tasks and action items that flag
# missed deadlines; QA score falls in a row; months and coefficient of variation (%) for inconsistent
# performance; spend above the monthly fee by more than this %; days after a review period ends before
# a missing signature is flagged; live risk score (likelihood × impact) that is critical; health colours.
PORTFOLIO_OVERDUE_ITEMS_MIN = env_int("PORTFOLIO_OVERDUE_ITEMS_MIN", 1)
PORTFOLIO_QA_FALLING_PERIODS = env_int("PORTFOLIO_QA_FALLING_PERIODS", 3)
PORTFOLIO_VARIATION_PERIODS = env_int("PORTFOLIO_VARIATION_PERIODS", 6)
PORTFOLIO_VARIATION_MAX_PERCENT = env_int("PORTFOLIO_VARIATION_MAX_PERCENT", 40)
PORTFOLIO_SPEND_TOLERANCE_PERCENT = env_int("PORTFOLIO_SPEND_TOLERANCE_PERCENT", 5)
# The currency budgets, baselines and portfolio totals are kept in; contracts may be priced in others.
COMPANY_CURRENCY = env_str("COMPANY_CURRENCY", "EUR")
if not re.fullmatch(r"[A-Z]{3}", COMPANY_CURRENCY):
    raise ImproperlyConfigured(
        f"COMPANY_CURRENCY must be an ISO currency code such as EUR, not {COMPANY_CURRENCY!r}."
    )
PORTFOLIO_REVIEW_GRACE_DAYS = env_int("PORTFOLIO_REVIEW_GRACE_DAYS", 10)
PORTFOLIO_RISK_SCORE_FLAG = env_int("PORTFOLIO_RISK_SCORE_FLAG", 15)
PORTFOLIO_GREEN_FROM = env_int("PORTFOLIO_GREEN_FROM", 85)
PORTFOLIO_AMBER_FROM = env_int("PORTFOLIO_AMBER_FROM", 50)

REST_FRAMEWORK = {
    # DRF's token authentication, except for people who may sign in only through SSO while it is on.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {"TITLE": "bporeg API", "VERSION": "1", "SERVE_INCLUDE_SCHEMA": False}

# A strict policy: nothing inline, nothing from another origin. Scripts read their data from
# <script type="application/json"> blocks, which are data and never run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PROXY_COUNT else None
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Operations (see README, "Running in production"). /metrics answers only a bearer of METRICS_TOKEN;
# workers serve their task counters on CELERY_METRICS_PORT. Both need PROMETHEUS_MULTIPROC_DIR when
# several processes share the counting (gunicorn workers, the prefork pool).
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
CELERY_METRICS_PORT = env_int("CELERY_METRICS_PORT", 0)
CELERY_METRICS_ADDRESS = env_str("CELERY_METRICS_ADDRESS", "127.0.0.1")
PROMETHEUS_MULTIPROC_DIR = env_str("PROMETHEUS_MULTIPROC_DIR", "")
if PROMETHEUS_MULTIPROC_DIR and not Path(PROMETHEUS_MULTIPROC_DIR).is_dir():
    raise ImproperlyConfigured(f"PROMETHEUS_MULTIPROC_DIR={PROMETHEUS_MULTIPROC_DIR!r} is not a directory.")
if CELERY_METRICS_PORT and not PROMETHEUS_MULTIPROC_DIR:
    raise ImproperlyConfigured(
        "CELERY_METRICS_PORT needs PROMETHEUS_MULTIPROC_DIR: tasks run in the pool's child processes."
    )
# /readyz answers from its last check for this long (each check writes a probe to the storage).
READINESS_CACHE_SECONDS = env_int("READINESS_CACHE_SECONDS", 5)
# Probes from a load balancer or an orchestrator speak plain HTTP to the process itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

LOG_FORMAT = env_choice("LOG_FORMAT", "plain", ("plain", "json"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "bporeg.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

SENTRY_DSN = env_str("SENTRY_DSN", "")
if SENTRY_DSN:
    traces_sample_rate = env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0)
    if not 0 <= traces_sample_rate <= 1:
        raise ImproperlyConfigured("SENTRY_TRACES_SAMPLE_RATE must be between 0 and 1.")
    from bporeg import sentry

    sentry.start(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "development" if DEBUG else "production"),
        traces_sample_rate=traces_sample_rate,
    )
