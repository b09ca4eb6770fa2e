"""Liaison settings: one module, every value read from the environment.

`.env.example` documents each variable. With nothing set the portal runs on a SQLite file and a
filesystem Celery broker inside the project, so a new machine needs no server to try it out.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# A key is required in production; only a DEBUG run may fall back to a throwaway one.
SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-change-me" if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "liaison.errors.csrf_failure"

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
    "django_filters",
    "axes",
    "simple_history",
    "import_export",
    "core",
    "accounts",
    "notifications",
    "exports",
    "enterprises",
    "visits",
    "problems",
    "forums",
    "reviews",
    "cases",
    "door",
    "surveys",
    "assessment",
    "portal",
]

MIDDLEWARE = [
    # First: every response carries its X-Request-ID, and every line of the security log names it.
    "core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view says otherwise with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # An address holding a NUL character answers 400 before any view reads it (core/query.py).
    "core.query.RefuseNullCharactersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A reader idle for SESSION_IDLE_MINUTES is signed out, and the login page says why (after auth and messages).
    "accounts.sessions.IdleTimeoutMiddleware",
    # The Content-Security-Policy of each HTML page (after auth: the public showcase's depends on the reader).
    "liaison.csp.ContentSecurityPolicyMiddleware",
    # Records who made each change in the history tables (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Lists, exports and dashboards may read from the replica; a user who just wrote reads the primary.
    "liaison.db_router.ReplicaReadsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A body over MAX_REQUEST_BYTES answers 413 before anything reads it (late, so that the page has its reader,
    # language and headers; nothing above reads the body).
    "core.limits.RequestSizeLimitMiddleware",
    # Every file handed out is private to its reader unless its view says otherwise.
    "core.downloads.PrivateDownloadsMiddleware",
    # Axes last, as its documentation asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "liaison.urls"
WSGI_APPLICATION = "liaison.wsgi.application"

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
                "notifications.context_processors.unread_notifications",
                "portal.navigation.navigation",
            ],
        },
    },
]

# Database: a SQLite file unless DATABASE_URL names another (PostgreSQL in production and CI).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# An optional read replica (a PostgreSQL streaming standby of the primary). liaison/db_router.py sends it the
# reads of the pages below, except for REPLICA_PIN_SECONDS after the user's own write; everything else,
# and every write, goes to the primary. Tests mirror it onto the primary's test database.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"].update(
        CONN_MAX_AGE=DATABASES["default"]["CONN_MAX_AGE"], CONN_HEALTH_CHECKS=True, TEST={"MIRROR": "default"}
    )
DATABASE_ROUTERS = ["liaison.db_router.ReplicaRouter"]
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=10)
# The lists, exports and dashboards (URL names) whose GET may read from the replica.
REPLICA_READ_VIEWS = [
    # lists
    "enterprises:list",
    "enterprises:mine",
    "enterprises:roster",
    "visits:list",
    "visits:mine",
    "visits:due",
    "visits:plan",
    "visits:calendar",
    "visits:policy_list",
    "problems:list",
    "problems:escalated",
    "problems:common",
    "forums:list",
    "forums:compliance",
    "cases:list",
    "showcase:list",
    "reviews:list",
    "reviews:practice_list",
    "notifications:list",
    "accounts:official_list",
    "accounts:department_list",
    "assessment:scheme_list",
    "assessment:bulletin_list",
    "assessment:cadre_list",
    # exports
    "enterprises:export",
    "enterprises:roster_export",
    "visits:export",
    "problems:ledger",
    "forums:export",
    "forums:opinion_export",
    "assessment:table_export",
    "assessment:bulletin_workbook",
    "assessment:cadre_list_export",
    "assessment:cadre_scorecard_export",
    # dashboards
    "home",
    "assessment:dashboard",
    "assessment:dashboard_period",
    "assessment:dashboard_region",
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.OfficialBackend",
]
# Argon2 first (Django's recommended hasher, at Django's defaults for it): its lanes run on every core, so with
# a core free a login checks its password in half the time of PBKDF2 at Django's 1,000,000 iterations (0.1 s
# against 0.21 s on 2 cores), for a little less CPU. The others stay so that older hashes still verify; each is
# stored anew with Argon2 at its next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's own, with a message its zh_Hans catalogue translates (accounts/passwords.py).
    {"NAME": "accounts.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions live in the database, so logins keep working while Redis is down.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# A session ends SESSION_COOKIE_AGE seconds after sign-in, or after SESSION_IDLE_MINUTES without a request
# (accounts/sessions.py), whichever comes first.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
# HTTPS. In production a proxy terminates it (BEHIND_HTTPS_PROXY): plain HTTP is then redirected to HTTPS, except
# /healthz/, which load balancers ask over HTTP, and browsers are told to use HTTPS only (HSTS) for a year.
# Off under DEBUG and when not behind the proxy (make run, the test suite).
BEHIND_HTTPS_PROXY = env.bool("BEHIND_HTTPS_PROXY", default=False)
_HTTPS = BEHIND_HTTPS_PROXY and not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_HTTPS_PROXY else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=_HTTPS)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=_HTTPS)
# Content-Security-Policy (liaison/csp.py): CSP_REPORT_ONLY sends it as report-only, to try a change of policy;
# CSP_REPORT_URI, when set, is where browsers report what it blocks (or would block).
CSP_REPORT_ONLY = env.bool("CSP_REPORT_ONLY", default=False)
CSP_REPORT_URI = env("CSP_REPORT_URI", default="")

# Repeated wrong passwords lock the username from that address for a while (django-axes).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=None)
# One reading of the client's address for the lockout, the audit trail and the security log (core.http).
AXES_CLIENT_IP_CALLABLE = "core.http.client_address"
# The login records an audit reads: every login (AccessLog, on by default) and every failed one (AccessFailureLog),
# which outlive the lockout counters axes resets. Axes deletes a username's failures past the limit at once (before
# their retention ends): the limit is far above a half-year's failures of anyone but a flood against one username.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = env.int("AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT", default=100_000)
# Login records are kept this many days, at least 180 (accounts.tasks.MINIMUM_RETENTION_DAYS), then pruned
# nightly (accounts.tasks.prune_login_records); nobody deletes them by hand (their admin is read-only).
LOGIN_RECORDS_RETENTION_DAYS = env.int("LOGIN_RECORDS_RETENTION_DAYS", default=180)
if LOGIN_RECORDS_RETENTION_DAYS < 180:
    raise ImproperlyConfigured(
        f"LOGIN_RECORDS_RETENTION_DAYS is {LOGIN_RECORDS_RETENTION_DAYS}: login records are kept at least 180 days."
    )

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "staticfiles")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")

# Uploads. A request body over MAX_REQUEST_BYTES is refused (413) before it is read (core/limits.py), and the
# proxy's client_max_body_size says the same (README, Production). The default is what the largest form may
# legitimately send: a model case's 12 photos of at most 10 MB each (cases.services.MAX_PHOTOS,
# core.attachments.MAX_BYTES; visits, problems and forums take 9 files), and 1 MB for its other fields.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=121 * 1024 * 1024)
# An uploaded file up to this size is held in memory, a larger one goes to a temporary file in
# FILE_UPLOAD_TEMP_DIR (the system's by default): a phone's photo (2-5 MB) is not held in a worker's memory,
# and a form's files take at most 12 MB of it.
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)
FILE_UPLOAD_TEMP_DIR = env("FILE_UPLOAD_TEMP_DIR", default="") or None
# The fields of a form other than its files: the longest text typed (a case's story, a visit's notes) is a few
# thousand characters, 9 bytes each once URL-encoded; a body of more than this is refused (400) as it is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024)
# Where `manage.py backup` writes a folder per run (database dump, media archive, manifest); core/backups.py.
BACKUP_DIR = env.path("BACKUP_DIR", default=VAR_DIR / "backups")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: printed to the console unless EMAIL_URL names an SMTP server.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="liaison@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The portal's address in links read outside it (e-mails, SMS, the enterprise's verdict link). Unset, links
# take the address of the request (notifications.channels.site_url), or the development server's in a worker.
SITE_URL = env("SITE_URL", default="")

# Celery. Without REDIS_URL or CELERY_BROKER_URL the broker is kombu's filesystem transport under var/.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Whether a task runs again when its worker dies under it is each task's decision, made in its decorator with
# the reason (acks_late: acknowledged when done, so a worker lost outright leaves it to run again;
# reject_on_worker_lost: a pool process killed under it, by the OOM killer say, puts it back at once). Only a task
# safe to run twice says yes; liaison/tests/test_celery_worker.py lists every task's choice. Unmarked: at most once.
CELERY_TASK_ACKS_LATE = False
CELERY_TASK_REJECT_ON_WORKER_LOST = False
# One task at a time per pool process: a late-acknowledged task waits in no worker's buffer.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# When the broker is down a page must not hang: give up publishing quickly. The periodic sweep
# delivers what could not be queued once the broker is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue = VAR_DIR / "celery" / "queue"
    _control = VAR_DIR / "celery" / "control"
    _processed = VAR_DIR / "celery" / "processed"
    for _folder in (_queue, _control, _processed):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "processed_folder": str(_processed),
        "control_folder": str(_control),
        "store_processed": False,
    }
else:
    # Redis gives a task taken but not yet acknowledged to another worker after visibility_timeout. It must be
    # longer than the longest task, or that task would run twice at once: an export of a province's visits
    # (minutes), the nightly refresh (37 s on the province), the sweep of 1,000 notifications through a slow mail
    # server (15 min at 1 s each). It is also how long the task of a worker lost outright (its machine gone) waits
    # before another runs it; a killed pool process is requeued at once (reject_on_worker_lost).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
# Heavy work apart from light work: reminders and notices, imports and exports, and assessment refreshes
# each have their own queue, so a long import or refresh never delays a reminder. A worker started without
# -Q consumes every queue (the development setup); production runs one pool per queue (README).
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = [Queue(name) for name in ("default", "reminders", "io", "assessment")]
CELERY_TASK_ROUTES = {
    "notifications.tasks.*": {"queue": "reminders"},
    "problems.tasks.*": {"queue": "reminders"},
    "forums.tasks.*": {"queue": "reminders"},
    "reviews.tasks.*": {"queue": "reminders"},
    "visits.tasks.*": {"queue": "reminders"},
    "surveys.tasks.*": {"queue": "reminders"},
    "enterprises.tasks.*": {"queue": "io"},
    "exports.tasks.*": {"queue": "io"},
    "assessment.tasks.*": {"queue": "assessment"},
    "accounts.tasks.*": {"queue": "io"},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Exactly one beat: its scheduler takes a lock (Redis's, or a file's beside the schedule without Redis) and a
# second beat refuses to start (liaison/beat_lock.py).
CELERY_BEAT_SCHEDULER = "liaison.beat_lock:LockedScheduler"
CELERY_BEAT_SCHEDULE = {
    "deliver-pending-notifications": {
        "task": "notifications.tasks.deliver_pending_notifications",
        "schedule": timedelta(minutes=5),
    },
    # Monday 08:00 in CELERY_TIMEZONE (Asia/Shanghai): each cadre's due and overdue visits.
    "weekly-visit-digests": {
        "task": "visits.tasks.send_weekly_visit_digests",
        "schedule": crontab(minute=0, hour=8, day_of_week="monday"),
    },
    # Every day 08:30 in CELERY_TIMEZONE (Asia/Shanghai): problems due soon and overdue.
    "daily-problem-deadline-reminders": {
        "task": "problems.tasks.send_problem_deadline_reminders",
        "schedule": crontab(minute=30, hour=8),
    },
    # Every day 08:10 in CELERY_TIMEZONE (Asia/Shanghai): administrators hear once of a near year whose
    # holidays the working-day calendar does not know (problems.holidays).
    "daily-holiday-calendar-check": {
        "task": "problems.tasks.warn_unknown_holidays",
        "schedule": crontab(minute=10, hour=8),
    },
    # Every day 07:30 in CELERY_TIMEZONE (Asia/Shanghai): forums due, missed, tomorrow, minutes missing.
    "daily-forum-reminders": {
        "task": "forums.tasks.send_forum_reminders",
        "schedule": crontab(minute=30, hour=7),
    },
    # Every day 07:45 in CELERY_TIMEZONE (Asia/Shanghai): mechanism reviews due soon or overdue.
    "daily-review-reminders": {
        "task": "reviews.tasks.send_review_reminders",
        "schedule": crontab(minute=45, hour=7),
    },
    # Every day 08:20 in CELERY_TIMEZONE (Asia/Shanghai): from SURVEY_REMINDER_DAYS before the confidence survey's
    # period ends, each liaison cadre hears once of their enterprises that have not answered.
    "daily-survey-reminders": {
        "task": "surveys.tasks.send_survey_reminders",
        "schedule": crontab(minute=20, hour=8),
    },
    # Every night 02:00 in CELERY_TIMEZONE (Asia/Shanghai): the figures and scores of open assessment periods.
    "nightly-assessment-refresh": {
        "task": "assessment.tasks.refresh_open_periods",
        "schedule": crontab(minute=0, hour=2),
    },
    # Every night 03:30 in CELERY_TIMEZONE (Asia/Shanghai): exports past EXPORT_KEEP_DAYS, with their files.
    "nightly-export-cleanup": {
        "task": "exports.tasks.remove_old_exports",
        "schedule": crontab(minute=30, hour=3),
    },
    # Every night 03:45 in CELERY_TIMEZONE (Asia/Shanghai): login records past LOGIN_RECORDS_RETENTION_DAYS.
    "nightly-login-records-pruning": {
        "task": "accounts.tasks.prune_login_records",
        "schedule": crontab(minute=45, hour=3),
    },
    # ASSESSMENT_BULLETIN_DAY of every month, 06:00: progress bulletins of the province and each city.
    "monthly-assessment-bulletins": {
        "task": "assessment.tasks.write_bulletins",
        "schedule": crontab(minute=0, hour=6, day_of_month=env.int("ASSESSMENT_BULLETIN_DAY", default=1)),
    },
}

# Exports (exports/): a list of at most EXPORT_INLINE_ROWS rows is answered at once; a larger one is written by
# a worker (queue "io") and kept for its owner EXPORT_KEEP_DAYS days.
EXPORT_INLINE_ROWS = env.int("EXPORT_INLINE_ROWS", default=2000)
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=7)

# Channels through which notifications leave the portal, besides the in-app notification centre.
NOTIFICATION_CHANNELS = env.list("NOTIFICATION_CHANNELS", default=["notifications.channels.EmailChannel"])

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The enterprise's door (door/): access links good DOOR_LINK_DAYS days; a door session ends DOOR_SESSION_HOURS after
# it opened. DOOR_FAILURE_LIMIT failures (bad links, wrong codes) from one address or for one number within
# DOOR_FAILURE_WINDOW seconds refuse it until the window ends; a link opened from more than DOOR_MAX_ADDRESSES
# addresses within an hour is suspended. Sign-in codes (where an SMS channel is configured) are good
# DOOR_CODE_MINUTES for DOOR_CODE_ATTEMPTS tries, and a new one is sent DOOR_CODE_RESEND_SECONDS after the last.
DOOR_LINK_DAYS = env.int("DOOR_LINK_DAYS", default=180)
DOOR_SESSION_HOURS = env.int("DOOR_SESSION_HOURS", default=12)
# The confidence survey (surveys/): results shown only for groups of at least this many answering enterprises.
SURVEY_MIN_GROUP = env.int("SURVEY_MIN_GROUP", default=5)
# The daily reminder to the liaison cadres of enterprises that have not answered starts this many days before the end.
SURVEY_REMINDER_DAYS = env.int("SURVEY_REMINDER_DAYS", default=14)
DOOR_FAILURE_LIMIT = env.int("DOOR_FAILURE_LIMIT", default=10)
DOOR_FAILURE_WINDOW = env.int("DOOR_FAILURE_WINDOW", default=15 * 60)
DOOR_MAX_ADDRESSES = env.int("DOOR_MAX_ADDRESSES", default=5)
DOOR_CODE_MINUTES = env.int("DOOR_CODE_MINUTES", default=10)
DOOR_CODE_ATTEMPTS = env.int("DOOR_CODE_ATTEMPTS", default=5)
DOOR_CODE_RESEND_SECONDS = env.int("DOOR_CODE_RESEND_SECONDS", default=60)
# The door's failure counts (door/throttle.py) are shared by every process of the portal: in Redis when REDIS_URL is set.
DOOR_CACHE = "door"
CACHES[DOOR_CACHE] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "liaison"}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "door"}
)

# The security log (core.security_log): one JSON object per line, to standard output, or appended to this file.
SECURITY_LOG_FILE = env("SECURITY_LOG_FILE", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"security_json": {"()": "core.security_log.JsonLineFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "security": {"()": "core.security_log.security_log_handler", "path": SECURITY_LOG_FILE, "formatter": "security_json"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # django-axes logs every successful login at INFO; keep its warnings (lockouts) only. Who failed to log
        # in, from where, is in the security log.
        "axes": {"level": "WARNING"},
        "liaison.security": {"handlers": ["security"], "level": "INFO", "propagate": False},
    },
}
