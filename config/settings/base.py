"""Settings shared by every environment; each value comes from the environment or a safe default."""

import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("TOBIRA_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Our apps first, so their templates (registration/*) win over the admin's.
    "casework",
    "learning",
    "jobs",
    "reports",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "django_countries",  # its catalogues: country names in Japanese
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "config.health.HealthCheckMiddleware",
    "casework.audit.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "casework.browser_sessions.SessionTimeoutMiddleware",
    "casework.middleware.RequireTwoFactorMiddleware",
    "casework.middleware.PrivateNoStoreMiddleware",
    "casework.middleware.RefuseNulMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "casework.context_processors.navigation",
                "casework.context_processors.session_expiry",
            ],
        },
    },
]

# --- Database: SQLite under var/ unless DATABASE_URL is set -------------------------------------
# Web, worker and beat all write to SQLite: WAL lets readers go on during a write, IMMEDIATE takes
# the write lock at BEGIN so two writers queue instead of deadlocking, and the busy timeout makes the
# second writer wait rather than fail. Also applied to a sqlite:/// DATABASE_URL.
SQLITE_OPTIONS: dict[str, object] = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
}
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    DATABASES["default"].setdefault("OPTIONS", {})
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5))
        # No JIT: Tobira's queries are short, and a count over a large filtered list crosses
        # jit_above_cost, where compiling took 0.5-5 s to save a few ms (issue 14). DB_JIT=on restores it.
        if not env_bool("DB_JIT", False):
            options = str(DATABASES["default"]["OPTIONS"].get("options", ""))
            DATABASES["default"]["OPTIONS"]["options"] = f"{options} -c jit=off".strip()
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"]["OPTIONS"]}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "tobira.sqlite3"),
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and broker: Redis when REDIS_URL is set, otherwise embedded ---------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"visibility_timeout": 3600}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    BROKER_DIR = Path(env_str("CELERY_BROKER_DIR", str(VAR_DIR / "broker")))
    # The transport does not create its folders: without them every task queued failed (production
    # without Redis on a fresh machine; only the local settings made them).
    for _folder in ("queue", "processed", "control"):
        try:
            (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
        except OSError:  # a read-only build step (collectstatic): the transport names the folder later
            break
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # Broadcast (remote control) tables: under the broker folder, not ./control where started.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        # The filesystem transport reads one message per poll: poll often so a burst drains quickly.
        "polling_interval": 0.1,
    }

# --- Celery ----------------------------------------------------------------------------------------
CELERY_TIMEZONE = "Asia/Tokyo"
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# django-celery-beat's DatabaseScheduler, made to outlive a dropped database connection (config/beat.py).
CELERY_BEAT_SCHEDULER = "config.beat:Scheduler"
BEAT_HEARTBEAT_SECONDS = env_int("BEAT_HEARTBEAT_SECONDS", 60)
CELERY_BEAT_SCHEDULE = {
    "beat-heartbeat": {
        "task": "casework.tasks.record_beat_heartbeat",
        "schedule": float(BEAT_HEARTBEAT_SECONDS),
        # Expire before the next run so a stopped worker does not find a pile of stale beats.
        "options": {"expires": max(BEAT_HEARTBEAT_SECONDS - 1, 1)},
    },
}
CELERY_BEAT_SCHEDULE.update(
    {
        "reminder-sweep": {
            "task": "casework.tasks.sweep_reminders",
            # Daily at 08:00 Asia/Tokyo (CELERY_TIMEZONE); an interval instead when set (integration tests).
            "schedule": float(env_int("REMINDER_SWEEP_EVERY_SECONDS", 0)) or crontab(hour=8, minute=0),
            "options": {"expires": 60 * 60 * 23},  # a missed run expires before the next one
        },
        "reminder-redelivery": {
            "task": "casework.tasks.redeliver",
            "schedule": float(env_int("REDELIVERY_SECONDS", 300)),
            "options": {"expires": 240},
        },
        "reminder-escalation": {
            "task": "casework.tasks.escalate_deadlines",
            "schedule": crontab(minute=15),
            "options": {"expires": 60 * 50},
        },
        # Jobs: placements whose wage a new minimum wage has overtaken are flagged to their caseworker.
        "minimum-wage-check": {
            "task": "jobs.tasks.flag_placements_below_minimum_wage",
            "schedule": crontab(hour=7, minute=30),
            "options": {"expires": 60 * 60 * 23},
        },
        # Jobs: the portal's message threads, one digest e-mail per recipient of what is unread (issue 16).
        "message-digest": {
            "task": "jobs.tasks.send_message_digests",
            "schedule": crontab(minute=5),
            "options": {"expires": 60 * 50},
        },
        # Jobs: the partner portal's notifications of placed workers (issue 16), with their e-mails.
        "portal-notifications": {
            "task": "jobs.tasks.notify_portal_employers",
            "schedule": crontab(hour=7, minute=45),
            "options": {"expires": 60 * 60 * 23},
        },
        # Imports: an import whose worker stopped renewing its lease is failed and rolled back (issue 18).
        "expired-import-leases": {
            "task": "casework.tasks.expire_imports",
            "schedule": 300.0,
            "options": {"expires": 240},
        },
        # Reports: a running export whose worker stopped renewing its lease is failed (issue 19).
        "expired-export-leases": {
            "task": "reports.tasks.expire_exports",
            "schedule": 300.0,
            "options": {"expires": 240},
        },
        # Reports: the files of exports past their 24 hours are deleted (issue 17).
        "expired-exports": {
            "task": "reports.tasks.delete_expired_exports",
            "schedule": crontab(minute=35),
            "options": {"expires": 60 * 50},
        },
    }
)
# Exports: up to this many rows are written while the user waits, more by a Celery task (issue 17).
EXPORT_SYNC_MAX_ROWS = env_int("EXPORT_SYNC_MAX_ROWS", 5_000)
# A background export's lease (renewed by its progress), and where its worker keeps the spreadsheet
# writer's temporary files (one folder an export, removed when it ends or is failed; issue 19).
EXPORT_LEASE_SECONDS = env_int("EXPORT_LEASE_SECONDS", 300)
# A queued export that no worker took for this long (its message lost) is failed, so it can be asked again.
EXPORT_QUEUE_SECONDS = env_int("EXPORT_QUEUE_SECONDS", 3600)
EXPORT_SCRATCH_DIR = env_str("EXPORT_SCRATCH_DIR", str(Path(tempfile.gettempdir()) / "tobira-exports"))
# Imports (issue 18): the largest file taken, its largest uncompressed size (an XLSX is a zip: a zip bomb
# is refused), the most rows, and how long a running import's lease lasts without being renewed.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 10 * 1024 * 1024)
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("IMPORT_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 100_000)
IMPORT_LEASE_SECONDS = env_int("IMPORT_LEASE_SECONDS", 300)
# /healthz reports beat as down when its heartbeat is older than this.
# /healthz details (database vendor, broker, beat timing) for anyone; production: signed-in staff only.
HEALTH_DETAILS_PUBLIC = env_bool("HEALTH_DETAILS_PUBLIC", True)
BEAT_STALE_AFTER_SECONDS = env_int("BEAT_STALE_AFTER_SECONDS", max(5 * BEAT_HEARTBEAT_SECONDS, 300))

# --- Reminders (DESIGN.md, Reminders: the semantics) -----------------------------------------------
# A deadline further in the past than this is no longer live (one overdue reminder, then silence).
REMINDER_GRACE_DAYS = env_int("REMINDER_GRACE_DAYS", 60)
# The anonymised research export: the smallest k of k-anonymity an export may be made with (the form may ask
# for more, never less).
RESEARCH_EXPORT_K = env_int("RESEARCH_EXPORT_K", 5)
# Learning: absences in a row (one learner, one course) that remind the learner's caseworker, once per streak.
LEARNING_ABSENCE_STREAK = env_int("LEARNING_ABSENCE_STREAK", 3)
EMAIL_LEASE_MINUTES = env_int("EMAIL_LEASE_MINUTES", 10)
# The same lease in seconds, when whole minutes are too coarse (the fault tests use a few seconds). It must
# outlast one send (EMAIL_TIMEOUT per SMTP step), or a slow send's message is taken by a second sender.
EMAIL_LEASE_SECONDS = env_int("EMAIL_LEASE_SECONDS", 60 * EMAIL_LEASE_MINUTES)
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 5)
# The wait after a failed attempt doubles from this: 1, 2, 4, 8 … minutes by default.
EMAIL_RETRY_SECONDS = env_int("EMAIL_RETRY_SECONDS", 60)

# --- Authentication ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "casework.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Two-factor: staff roles must use TOTP when this is on (production default: on).
REQUIRE_2FA = env_bool("REQUIRE_2FA", False)

# A demo install (make run) lists its demo sign-ins on the sign-in page: the users the seed commands
# made, recognised by their address at DEMO_ACCOUNT_DOMAIN. Never on in production.
SHOW_DEMO_ACCOUNTS = env_bool("SHOW_DEMO_ACCOUNTS", False)
DEMO_ACCOUNT_DOMAIN = "tobira.example"
DEMO_PASSWORD = "tobira-demo-2026"  # noqa: S105 (the demo data's, printed in the README)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Tobira")
RECOVERY_CODE_COUNT = 10

# django-axes: lock the account *and* address after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The sign-in page itself, with status 429 and a message saying for how long sign-in is locked.
AXES_LOCKOUT_CALLABLE = "casework.views.accounts.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0) or None
AXES_VERBOSE = False

# --- Internationalisation ---------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ja", _("Japanese"))]
# Tobira's catalogue first; then Japanese for third-party apps that ship none (django-otp, django-axes,
# django-celery-beat in the admin), kept by hand in locale/third_party.
LOCALE_PATHS = [
    Path(env_str("TOBIRA_LOCALE_DIR", str(BASE_DIR / "locale"))),
    BASE_DIR / "locale" / "third_party",
]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# Every widget gets the design system's class (casework/forms/renderer.py).
FORM_RENDERER = "casework.forms.renderer.FormRenderer"

# --- Static and uploaded files ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Documents live in their own storage with no public URL: they are served only by a view that
# checks access and writes the access log. Production may point it at an S3-compatible store.
DOCUMENTS_ROOT = Path(env_str("DOCUMENTS_ROOT", str(VAR_DIR / "documents")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "documents": {
        "BACKEND": "casework.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": str(DOCUMENTS_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- E-mail -------------------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# The file backend (EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend) writes here.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Tobira <tobira@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- API ------------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: DRF answers a missing or wrong token with the first class's challenge, so an
    # integration whose token was rotated gets 401 + "WWW-Authenticate: Token", not a bare 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["casework.api.permissions.IsAuthenticatedMember"],
    "DEFAULT_FILTER_BACKENDS": ["casework.api.filtering.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "casework.api.openapi.TobiraAutoSchema",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tobira API",
    "DESCRIPTION": "Case management for refugee-status applicants in Japan: casework, learning and jobs.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Request and response bodies as their own components, so an upload is `format: binary` in the
    # multipart request while the response shows what was stored.
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Several models have a field called "kind" with their own choices: name each set once.
    "ENUM_NAME_OVERRIDES": {
        "StatusKindEnum": "casework.rules.STATUS_KIND_CHOICES",
        "AliasKindEnum": "casework.models.applicants.Alias.Kind",
        "ReportingObligationKindEnum": "casework.models.legal.ReportingObligation.Kind",
        "ProcedureEventKindEnum": "casework.models.legal.ProcedureEvent.Kind",
        "FieldGroupEnum": "casework.models.consent.FieldGroup",
        "WorkPermissionScopeEnum": "casework.models.legal.WorkPermission.Scope",
        "DocumentKindEnum": "casework.models.records.Document.Kind",
        "ConsentPurposeEnum": "casework.models.consent.ConsentPurpose",
        "NotificationPurposeEnum": "casework.models.reminders.Notification.Purpose",
        "OutgoingEmailPurposeEnum": "casework.models.reminders.OutgoingEmail.Purpose",
        "CourseKindEnum": "learning.models.courses.CourseKind",
        "ExportFormatEnum": "reports.models.exports.Export.Format",
        # The course format keeps its name beside the export's format (issue 17).
        "FormatEnum": "learning.models.courses.CourseFormat",
        "ExportStatusEnum": "reports.models.exports.Export.Status",
        "EnrollmentStatusEnum": "learning.models.enrolments.EnrollmentStatus",
        "AttendanceStatusEnum": "learning.models.attendance.AttendanceStatus",
        "CefrLevelEnum": "learning.rules.CEFR_CHOICES",
        "OpeningStatusEnum": "jobs.models.openings.OpeningStatus",
        "ReferralStageEnum": "jobs.models.referrals.Stage",
        "InterviewOutcomeEnum": "jobs.models.referrals.InterviewOutcome",
        "FollowUpOutcomeEnum": "jobs.models.placements.FollowUpOutcome",
        "InterviewProposalStatusEnum": "jobs.models.proposals.ProposalStatus",
        "EmploymentTermsKindEnum": "jobs.models.proposals.TermsKind",
        "ProcedureOutcomeEnum": "casework.models.legal.ProcedureOutcome",
    },
}

# --- Security headers (tightened further in production) -----------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
# A signed-in browser session ends after this many seconds without activity, and this long after signing
# in whatever happens (issue 19); the page warns SESSION_EXPIRY_WARNING seconds before. API tokens
# (service accounts) are not sessions and are not limited by these.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 60 * 60 * 12)
SESSION_EXPIRY_WARNING = env_int("SESSION_EXPIRY_WARNING", 2 * 60)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

TOBIRA_SITE_URL = env_str("TOBIRA_SITE_URL", "http://127.0.0.1:8000")
