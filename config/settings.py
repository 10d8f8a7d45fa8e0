"""zhifa settings: one module, driven by ZHIFA_* environment variables.

Defaults give the embedded configuration (SQLite in ./var, files on local disk,
debug off unless ZHIFA_DEBUG=1). Production sets ZHIFA_DATABASE_URL to PostgreSQL,
ZHIFA_SECRET_KEY and ZHIFA_ALLOWED_HOSTS.
"""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ZHIFA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("ZHIFA_DEBUG")
SECRET_KEY = os.environ.get("ZHIFA_SECRET_KEY", "zhifa-dev-only-secret-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = os.environ.get("ZHIFA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("ZHIFA_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "axes",
    # zhifa capabilities, bottom layer first (apps depend downwards only)
    "zhifa.common",
    "zhifa.ledger",
    "zhifa.accounts",
    "zhifa.rulesets",
    "zhifa.subjects",
    "zhifa.evidence",
    "zhifa.clues",
    "zhifa.documents",
    "zhifa.notifications",
    "zhifa.payments",
    "zhifa.cases",
    "zhifa.publicity",
    "huey.contrib.djhuey",
    "zhifa.access",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # axes must be last: it turns repeated failures into a lockout response
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "zhifa.common.context_processors.zhifa",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# Embedded default: SQLite with WAL and synchronous=FULL (ARCHITECTURE "Scale").
DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'zhifa.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("ZHIFA_DATABASE_URL", DEFAULT_SQLITE))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("ZHIFA_TEST_SQLITE_NAME") or None}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    # JIT compilation pays off for long analytic scans, not for the short, correlated index probes this
    # application runs (detection rules, pages): measured on the clue benchmark it cost up to 0.7 s per
    # query for 0.5 s of execution. ZHIFA_PG_OPTIONS overrides the connection options.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.environ.get("ZHIFA_PG_OPTIONS", "-c jit=off")
    # One test database per test process, so concurrent runs on one server never clobber each other.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Memory for the detection run's hash joins on PostgreSQL (zhifa.clues.engine._batch_session).
ZHIFA_DETECTION_WORK_MEM = os.environ.get("ZHIFA_DETECTION_WORK_MEM", "128MB")

# --- Authentication ---------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failures (django-axes), per username and address.
AXES_FAILURE_LIMIT = int(os.environ.get("ZHIFA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("ZHIFA_AXES_ENABLED", True)

# Sessions expire after 2 hours of inactivity and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("ZHIFA_SESSION_SECONDS", str(2 * 60 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("ZHIFA_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"  # CAL-01
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
ZHIFA_IMPORT_MAX_BYTES = int(os.environ.get("ZHIFA_IMPORT_MAX_BYTES", str(40 * 1024 * 1024)))

# --- API ---------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "zhifa.common.pagination.ZhifaPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "zhifa.common.openapi.ZhifaAutoSchema",
    "EXCEPTION_HANDLER": "zhifa.common.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "zhifa API",
    "DESCRIPTION": "zhifa 非现场执法平台 REST API (v1)",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # One schema name per choice set (several models share field names such as status/kind).
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "zhifa.accounts.choices.Role",
        "OrgKindEnum": "zhifa.accounts.choices.OrgKind",
        "EnforcementLevelEnum": "zhifa.accounts.choices.EnforcementLevel",
        "IndustryEnum": "zhifa.subjects.choices.Industry",
        "ScaleEnum": "zhifa.subjects.choices.Scale",
        "AffiliationEnum": "zhifa.subjects.choices.Affiliation",
        "EnterpriseStatusEnum": "zhifa.subjects.choices.EnterpriseStatus",
        "LicenceTypeEnum": "zhifa.subjects.choices.LicenceType",
        "LicenceStatusEnum": "zhifa.subjects.choices.LicenceStatus",
        "ApplicationKindEnum": "zhifa.subjects.choices.ApplicationKind",
        "ApplicationStatusEnum": "zhifa.subjects.choices.ApplicationStatus",
        "ChangeFieldEnum": "zhifa.subjects.choices.ChangeField",
        "ReportKindEnum": "zhifa.subjects.choices.ReportKind",
        "ActivityKindEnum": "zhifa.subjects.choices.ActivityKind",
        "EvidenceKindEnum": "zhifa.evidence.choices.EvidenceKind",
        "ClueStatusEnum": "zhifa.clues.choices.ClueStatus",
        "ClueCategoryEnum": "zhifa.clues.choices.Category",
        "ReminderStatusEnum": "zhifa.clues.choices.ReminderStatus",
        "TriggerKindEnum": "zhifa.clues.choices.TriggerKind",
        "TransferKindEnum": "zhifa.clues.choices.TransferKind",
        "ClueEventKindEnum": "zhifa.clues.choices.EventKind",
        "AccessObjectTypeEnum": "zhifa.access.choices.ObjectType",
        "AccessRequestStatusEnum": "zhifa.access.choices.RequestStatus",
        "AccessDecisionOutcomeEnum": "zhifa.access.choices.DecisionOutcome",
    },
}

# --- Ledger -------------------------------------------------------------------
ZHIFA_LEDGER_ORIGIN = os.environ.get("ZHIFA_LEDGER_ORIGIN", "zhifa.local/ledger")
ZHIFA_LEDGER_KEY_FILE = Path(os.environ.get("ZHIFA_LEDGER_KEY_FILE", VAR_DIR / "ledger-ed25519.key"))

# --- Access requests (调阅申请, REC-17, SEC-01) ----------------------------------------
# The kinds of object an access request can name: the owning app's per-object scope selector,
# the URL name of the object's page and of the view that opens its protected content.
# zhifa.access reaches objects only through this map, so it imports no app above it
# (docs/access.md). A kind not listed cannot be requested.
ZHIFA_ACCESS_OBJECT_KINDS = {
    "evidence_item": {"visible": "zhifa.evidence.selectors.evidence_visible_to", "url": "evidence:detail", "open": "evidence:download"},
    "person_personal_data": {"visible": "zhifa.subjects.selectors.persons_visible_to"},
}

# --- Logging ------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZHIFA_LOG_LEVEL", "WARNING")},
}


# Background and scheduled work (ADR 0004): Huey with its queue in a SQLite file next to the data on
# the embedded default; `manage.py run_huey` is the consumer (started by `make run`). Production
# points ZHIFA_HUEY_REDIS_URL at Redis and runs consumers on as many machines as needed.
HUEY = {
    "name": "zhifa",
    "immediate": False,
    "utc": False,  # crontab times below are Asia/Shanghai (TIME_ZONE)
    "consumer": {"workers": 1, "worker_type": "thread", "periodic": True},
}
if os.environ.get("ZHIFA_HUEY_REDIS_URL"):
    HUEY.update({"huey_class": "huey.RedisHuey", "connection": {"url": os.environ["ZHIFA_HUEY_REDIS_URL"]}})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")})
# Daily detection run (issue 4 item 2), HH:MM in Asia/Shanghai.
ZHIFA_DETECTION_AT = os.environ.get("ZHIFA_DETECTION_AT", "01:30")

# --- Payments (zhifa.payments, issue 5; owned by the payments app) ----------------------------------
# The non-tax payment platform behind one interface (docs/payments.md, ADR 0007): a dotted class path.
# The default is the local simulator (development and tests); production names its adapter here.
ZHIFA_PAYMENT_PLATFORM = os.environ.get("ZHIFA_PAYMENT_PLATFORM", "zhifa.payments.simulator.LocalPlatformSimulator")
# Shared secret of the platform's HMAC-SHA256 callback signature. Production sets its own; an empty
# value refuses every callback.
ZHIFA_PAYMENT_CALLBACK_SECRET = os.environ.get("ZHIFA_PAYMENT_CALLBACK_SECRET", "zhifa-dev-only-payment-callback-secret")
# --- end of payments settings ------------------------------------------------------------------------

# --- Notifications and electronic service (zhifa.notifications; docs/notifications.md) -------------
# E-mail goes over SMTP to ZHIFA_SMTP_HOST:ZHIFA_SMTP_PORT (development: `manage.py smtp_sink`
# on 127.0.0.1:8025). The receiving server's 250 reply to DATA is recorded as the arrival (SRV-03)
# unless ZHIFA_SMTP_ACCEPT_IS_ARRIVAL=0 (the host is only a relay; arrival then comes from its
# delivery status notification through the delivery-report endpoint).
ZHIFA_SMTP_HOST = os.environ.get("ZHIFA_SMTP_HOST", "127.0.0.1")
ZHIFA_SMTP_PORT = int(os.environ.get("ZHIFA_SMTP_PORT", "8025"))
ZHIFA_SMTP_TIMEOUT = float(os.environ.get("ZHIFA_SMTP_TIMEOUT", "30"))
ZHIFA_SMTP_STARTTLS = env_bool("ZHIFA_SMTP_STARTTLS")
ZHIFA_SMTP_USER = os.environ.get("ZHIFA_SMTP_USER", "")
ZHIFA_SMTP_PASSWORD = os.environ.get("ZHIFA_SMTP_PASSWORD", "")
ZHIFA_SMTP_ACCEPT_IS_ARRIVAL = env_bool("ZHIFA_SMTP_ACCEPT_IS_ARRIVAL", True)
ZHIFA_MAIL_FROM = os.environ.get("ZHIFA_MAIL_FROM", "zhifa@localhost")
ZHIFA_MAIL_SINK_DIR = Path(os.environ.get("ZHIFA_MAIL_SINK_DIR", VAR_DIR / "mail"))
# SMS: the local gateway adapter writes one JSON file per message here; the gateway's delivery
# reports are POSTed to /api/v1/notifications/delivery-reports/ signed with this shared secret.
ZHIFA_SMS_OUTBOX_DIR = Path(os.environ.get("ZHIFA_SMS_OUTBOX_DIR", VAR_DIR / "sms-outbox"))
ZHIFA_SMS_REPORT_SECRET = os.environ.get("ZHIFA_SMS_REPORT_SECRET", "zhifa-dev-only-sms-report-secret-change-me")
# Public base URL of the portal, for links in e-mails and SMS.
ZHIFA_PORTAL_URL = os.environ.get("ZHIFA_PORTAL_URL", "http://127.0.0.1:8000")
# Channel implementations (dotted paths); production swaps the SMS adapter with ZHIFA_SMS_CHANNEL.
ZHIFA_NOTIFICATION_CHANNELS = {
    "IN_APP": "zhifa.notifications.channels.InAppChannel",
    "EMAIL": os.environ.get("ZHIFA_EMAIL_CHANNEL", "zhifa.notifications.channels.SmtpEmailChannel"),
    "SMS": os.environ.get("ZHIFA_SMS_CHANNEL", "zhifa.notifications.channels.SmsOutboxChannel"),
}
# OpenAPI enum names of the notification choices (distinct from the clue app's `channel`).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update({
    "NotificationChannelEnum": "zhifa.notifications.choices.ChannelKind",
    "DeliveryKindEnum": "zhifa.notifications.choices.DeliveryKind",
    "DeliveryReportStatusEnum": "zhifa.notifications.choices.ReportStatus",
    "DeliverySourceEnum": "zhifa.notifications.choices.DeliverySource",
})
# --- end notifications -------------------------------------------------------------------------------
