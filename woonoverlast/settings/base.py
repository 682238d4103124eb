"""Settings shared by every environment. Everything comes from the environment.

`dev.py` and `test.py` only add defaults for a developer machine; `prod.py` adds the
hardening and refuses to start without the secrets. `.env.example` lists every variable.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from woonoverlast.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",  # Django's own form templates for the Utrecht renderer to fall back on
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "two_factor",
    "axes",
    "guardian",
    "simple_history",
    "partners",
    "audit",
    "privacy",
    "cases",
    "deadlines",
    "notifications",
    "meetings",
    "early_signals",
    "figures",
]

MIDDLEWARE = [
    # Request id in and out, one log line per request (docs/operations.md).
    "woonoverlast.logs.RequestLogMiddleware",
    # /health/live and /health/ready, answered before host checks, HTTPS redirect, sessions
    # and sign-in (woonoverlast/health.py).
    "woonoverlast.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Dutch unless chosen otherwise with the language switch; ignores Accept-Language.
    "woonoverlast.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # 405 with Allow for a method the view does not define; before CSRF and access checks.
    "woonoverlast.middleware.AllowedMethodsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: no-store on every response to a signed-in user.
    "woonoverlast.middleware.NoStoreWhenSignedInMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After MessageMiddleware: both add messages (session expired, enrol first).
    "partners.middleware.SessionExpiryMiddleware",
    "partners.middleware.RequireSecondFactorMiddleware",
    # After SessionMiddleware (its response step runs first): renews the idle timeout.
    "partners.middleware.SessionRenewalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "woonoverlast.urls"
WSGI_APPLICATION = "woonoverlast.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "woonoverlast.navigation.navigation",
            ],
        },
    },
]

# Every form renders as NL Design System Utrecht form fields (templates/django/forms/).
FORM_RENDERER = "woonoverlast.form_renderer.UtrechtFormRenderer"

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Seconds to wait for a connection: a database that is away fails fast (friendly error page,
# /health/ready says "database": "fail") instead of hanging the worker.
DATABASES["default"].setdefault("OPTIONS", {})
DATABASES["default"]["OPTIONS"].setdefault(
    "connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=5)
)
# The planner's price of reading a page out of order. PostgreSQL's default (4) assumes
# spinning disks; on SSDs (1.1, the usual setting) it probes a few thousand rows by key
# instead of scanning every case: a name search's matches, a representative's 5,000 cases
# (docs/scale.md). Set for the application's connections, so it holds on any server.
# (Added to any options the DATABASE_URL carries, e.g. `?options=-c%20statement_timeout=…`.)
DATABASES["default"]["OPTIONS"]["options"] = " ".join(
    part
    for part in (
        DATABASES["default"]["OPTIONS"].get("options", ""),
        f"-c random_page_cost={env.float('DB_RANDOM_PAGE_COST', default=1.1)}",
    )
    if part
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "partners.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the user's organisation with the user.
    "partners.auth.UserBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "two_factor:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "two_factor:login"

# Sessions end after this many seconds without a request (DOMAIN: default 30 minutes).
# SESSION_IDLE_TIMEOUT is in seconds.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
# An idle timeout: partners.middleware.SessionRenewalMiddleware renews a session in use once
# SESSION_RENEW_AFTER seconds have passed since its last renewal (not on every request).
SESSION_RENEW_AFTER = env.int("SESSION_RENEW_AFTER", default=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Two-factor sign-in. Demo accounts may skip it only when DEBUG is on as well.
TWO_FACTOR_SKIP_FOR_DEMO = env.bool("TWO_FACTOR_SKIP_FOR_DEMO", default=False)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Woonoverlast")
TWO_FACTOR_PATCH_ADMIN = False
TWO_FACTOR_QR_FACTORY = "qrcode.image.svg.SvgPathFillImage"  # white background, any theme
# Password reset links work this many seconds (and only once).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=2 * 60 * 60)

# Lockout after repeated failures (django-axes).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "auth-username"
# One key for failures and lockout checks, whatever form reported them (partners/auth.py).
AXES_USERNAME_CALLABLE = "partners.auth.axes_username"
AXES_LOCKOUT_CALLABLE = "partners.auth.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# django-guardian: no anonymous user object, we never grant anything to anonymous.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# British date and time formats in English (woonoverlast/formats/en/formats.py).
FORMAT_MODULE_PATH = ["woonoverlast.formats"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "var" / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files served at the site root by WhiteNoise (/favicon.ico, which browsers ask for on
# every page whatever the <link rel="icon"> says).
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # Uploaded documents live outside the web root and are served only through views
        # that check permission.
        "OPTIONS": {"location": env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Django 6.1 mailers. Messages hold no personal data beyond a case number and a link.
MAILERS = {
    "default": {
        "BACKEND": env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {},
    }
}
if MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env("EMAIL_HOST", default="localhost"),
        "port": env.int("EMAIL_PORT", default=25),
        "username": env("EMAIL_HOST_USER", default=""),
        "password": env("EMAIL_HOST_PASSWORD", default=""),
        "use_tls": env.bool("EMAIL_USE_TLS", default=False),
        "timeout": env.int("EMAIL_TIMEOUT", default=20),
    }
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="woonoverlast@localhost")

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default=""))
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {}
# The daily notification digest: 08:00 in CELERY_TIMEZONE (Europe/Amsterdam, also across
# DST); the task itself skips days that are no working day (notifications/tasks.py).
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE["notifications-daily-digest"] = {
    "task": "notifications.send_daily_digests",
    "schedule": crontab(hour=8, minute=0),
}
# Immediate notification e-mails whose task was lost (broker away) are queued again.
CELERY_BEAT_SCHEDULE["notifications-requeue-stuck"] = {
    "task": "notifications.requeue_stuck_emails",
    "schedule": 15 * 60,
    "options": {"expires": 15 * 60},
}
# Meeting PDFs and access exports whose task was lost (broker away, message lost) are queued
# again; each runs only while its row is still pending, so a requeue never does it twice.
CELERY_BEAT_SCHEDULE["meetings-requeue-stuck-documents"] = {
    "task": "meetings.requeue_stuck_documents",
    "schedule": 5 * 60,
    "options": {"expires": 5 * 60},
}
CELERY_BEAT_SCHEDULE["privacy-requeue-stuck-exports"] = {
    "task": "privacy.requeue_stuck_exports",
    "schedule": 5 * 60,
    "options": {"expires": 5 * 60},
}
# The deadline scan (deadlines/tasks.py) every DEADLINE_SCAN_MINUTES minutes. A run that
# waited longer than one interval in the queue expires: the next one catches up anyway.
DEADLINE_SCAN_MINUTES = env.int("DEADLINE_SCAN_MINUTES", default=5)
DEADLINE_SCAN_BATCH_SIZE = env.int("DEADLINE_SCAN_BATCH_SIZE", default=500)
CELERY_BEAT_SCHEDULE["deadlines-scan"] = {
    "task": "deadlines.scan",
    "schedule": DEADLINE_SCAN_MINUTES * 60,
    "options": {"expires": DEADLINE_SCAN_MINUTES * 60},
}

# Content-Security-Policy (Django 6 built-in): no inline scripts, nonces where needed.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# The municipality running this installation. Everything Utrecht-specific is data.
# Absolute address of this installation, for links in e-mails.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
MUNICIPALITY_NAME = env("MUNICIPALITY_NAME", default="Gemeente Utrecht")
# The look: a CSS file of NL Design System design tokens (a static path) and the class on
# <html> that switches it on. Default: the NL Design System example theme. docs/frontend.md.
THEME_CSS = env(
    "THEME_CSS", default="vendor/@nl-design-system-unstable/voorbeeld-design-tokens@7.4.1/theme.css"
)
THEME_CLASS = env("THEME_CLASS", default="voorbeeld-theme")
# Case rules of the covenant (settings, so another municipality can change them).
CASE_NUMBER_PREFIX = env("CASE_NUMBER_PREFIX", default="WO")
INTAKE_WORKING_DAYS = env.int("INTAKE_WORKING_DAYS", default=5)
CONSENT_WORKING_DAYS = env.int("CONSENT_WORKING_DAYS", default=3)
# Largest document upload on a case, in bytes (default 20 MB).
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)
RECIDIVISM_YEARS = env.int("RECIDIVISM_YEARS", default=3)
# Secret for the keyed hashes of the recidivism/duplicate check. Never change it once set:
# earlier cases would no longer match.
RECIDIVISM_KEY_SECRET = env("RECIDIVISM_KEY_SECRET")
# Extra closing days (ISO dates) on top of the Dutch statutory calendar.
EXTRA_CLOSING_DAYS = env.list("EXTRA_CLOSING_DAYS", default=[])

# Meetings (DOMAIN.md §9). The agenda of a case meeting is due this many working days before
# it; printed agendas and minutes carry the executing organisation's name and logo.
MEETING_AGENDA_WORKING_DAYS = env.int("MEETING_AGENDA_WORKING_DAYS", default=5)
PDF_ORGANISATION_NAME = env("PDF_ORGANISATION_NAME", default="U Centraal")
PDF_LOGO_PATH = env("PDF_LOGO_PATH", default="")
# Who sits at the covenant's other meetings, by organisation kind (partners.choices): the
# steering group and the director meeting (Utrecht's covenant §5); the advisory group is open
# to every party. Another municipality's covenant sets its own.
MEETING_MEMBER_ORGANISATION_KINDS = {
    "steering": env.list(
        "STEERING_GROUP_ORGANISATION_KINDS", default=["municipality", "corporation", "executing"]
    ),
    "director": env.list(
        "DIRECTOR_MEETING_ORGANISATION_KINDS", default=["municipality", "executing"]
    ),
}

# Privacy (AVG). The mayor is the controller, the executing organisation (data: kind
# "executing") the processor (DOMAIN.md §7). Personal data of a closed case is removed this
# many years after closing; never shorter than RECIDIVISM_YEARS (a system check refuses it).
PRIVACY_CONTROLLER = env("PRIVACY_CONTROLLER", default=f"Burgemeester van {MUNICIPALITY_NAME}")
PRIVACY_OFFICER_CONTACT = env("PRIVACY_OFFICER_CONTACT", default="")
RETENTION_YEARS_AFTER_CLOSING = env.int("RETENTION_YEARS_AFTER_CLOSING", default=5)
# Referrals redirected at intake (to another part of the approach): their personal data is
# removed this many days after the redirection, sooner than a case's (default one year).
RETENTION_REDIRECTED_DAYS = env.int("RETENTION_REDIRECTED_DAYS", default=365)
# Draft referrals never submitted are deleted this many days after their last change; the
# referrer is told DRAFT_PURGE_NOTICE_DAYS before.
DRAFT_RETENTION_DAYS = env.int("DRAFT_RETENTION_DAYS", default=90)
DRAFT_PURGE_NOTICE_DAYS = env.int("DRAFT_PURGE_NOTICE_DAYS", default=7)
# Early signals (early_signals/) that did not become part of a case are deleted this many
# months after their last change: closed ones and those nobody followed up (docs/signals.md).
EARLY_SIGNAL_RETENTION_MONTHS = env.int("EARLY_SIGNAL_RETENTION_MONTHS", default=6)
# The retention job runs daily at this hour (Europe/Amsterdam).
RETENTION_RUN_HOUR = env.int("RETENTION_RUN_HOUR", default=3)
from celery.schedules import crontab as _crontab  # noqa: E402

CELERY_BEAT_SCHEDULE["privacy-retention"] = {
    "task": "privacy.retention_run",
    "schedule": _crontab(hour=RETENTION_RUN_HOUR, minute=30),
}
# Involvement follows the need (DOMAIN.md §7): an organisation's involvement in a closed case
# ends this many days after closing (a handover period), unless it carries out aftercare; the
# daily job (cases/tasks.py) ends the involvements that are due, at RETENTION_RUN_HOUR:15.
INVOLVEMENT_HANDOVER_DAYS = env.int("INVOLVEMENT_HANDOVER_DAYS", default=30)
CELERY_BEAT_SCHEDULE["cases-end-due-involvements"] = {
    "task": "cases.end_due_involvements",
    "schedule": _crontab(hour=RETENTION_RUN_HOUR, minute=15),
}
# Read log (privacy/readlog.py). Reverse proxies in front of the app whose X-Forwarded-For
# is trusted (0: the client address is REMOTE_ADDR; behind one TLS proxy: 1).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# "Unusual access" for the privacy officer: a user who opens more than this many cases
# outside their own case team within this many minutes.
UNUSUAL_ACCESS_CASES = env.int("UNUSUAL_ACCESS_CASES", default=5)
UNUSUAL_ACCESS_MINUTES = env.int("UNUSUAL_ACCESS_MINUTES", default=60)
# true: a read-log row's commit waits for the disk like every other write (slower pages);
# default false: only the read-log INSERT commits asynchronously (docs/adr/0005-read-log-and-history.md).
READLOG_SYNCHRONOUS_COMMIT = env.bool("READLOG_SYNCHRONOUS_COMMIT", default=False)
# "Break the glass": a casemanager or partner representative outside a case may open it
# with a written motivation (logged, shown to the privacy officer). Off unless the
# municipality as controller decides otherwise; a grant lasts EMERGENCY_ACCESS_HOURS.
EMERGENCY_ACCESS_ENABLED = env.bool("EMERGENCY_ACCESS_ENABLED", default=False)
EMERGENCY_ACCESS_HOURS = env.int("EMERGENCY_ACCESS_HOURS", default=8)

# Logs (woonoverlast/logs.py): every record carries the request id. LOG_JSON: one JSON object
# per line (production's default, prod.py); LOG_REQUESTS: one line per request (always on in
# production; off here so runserver's own line is not doubled).
LOGGING = logging_config(
    json_lines=env.bool("LOG_JSON", default=False),
    level=env("LOG_LEVEL", default="INFO"),
    requests=env.bool("LOG_REQUESTS", default=False),
)

# Health (woonoverlast/health.py): /health/ready fails when the disk holding MEDIA_ROOT has
# less than this many MB free; each check (database, broker) waits at most this many seconds.
HEALTH_MIN_FREE_MB = env.int("HEALTH_MIN_FREE_MB", default=500)
HEALTH_CHECK_TIMEOUT = env.float("HEALTH_CHECK_TIMEOUT", default=2.0)

# Erasure ledger (privacy/ledger.py, docs/operations.md): every erasure appends one line of
# internal ids here, so that a restore from a backup replays the erasures done since. Keep it
# on a disk apart from the database and the backups, and never restore it from a backup.
ERASURE_LEDGER_PATH = Path(
    env("ERASURE_LEDGER_PATH", default=str(BASE_DIR / "var" / "erasure-ledger.jsonl"))
)
# Folder of pg_dump and pg_restore for `manage.py backup` / `restore`; empty: from PATH. They
# must be of the database server's major version (the image: postgresql-client 17; the dev
# stack sets the embedded server's own).
PG_BIN_DIR = env("PG_BIN_DIR", default="")
