"""The one settings module, read from the environment (django-environ).

Production defaults are safe: DEBUG is off and a missing DJANGO_SECRET_KEY is an error.
`make run` sets DJANGO_DEBUG=1 and the embedded defaults (SQLite and a private Redis).
"""

from __future__ import annotations

import os
from pathlib import Path

import environ
from kombu import Queue

from verification import embedded_redis

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-only-with-DJANGO_DEBUG"  # noqa: S105  (DEBUG only)
# Without DEBUG an empty key is refused loudly where it matters: the web and worker processes
# call require_secret_key() at start, and Django itself refuses to sign anything. Offline commands
# such as `extract_claims` need no key, so importing settings alone does not fail.
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials.apps.SimpleAppConfig",
    "axes",
    "csp",
    "django_ratelimit",
    "verification",
]

MIDDLEWARE = [
    "newsroom.health.HealthCheckMiddleware",
    "newsroom.limits.RequestSizeLimitMiddleware",
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
    # Last, as django-axes asks: it answers locked-out logins itself.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # Explicit loaders: template_partials wraps them so "page.html#partial" resolves.
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "verification.context_processors.role_flags",
                "verification.desk_context.desk",
            ],
            # Registered as a builtin so the move to Django 6's own partials is a settings change.
            "builtins": ["template_partials.templatetags.partials"],
        },
    },
    {
        # The rows of the busiest pages only, rendered from the pages above by the jinja_rows tag and
        # alone by their htmx endpoints: several times cheaper per row (docs/performance.md, issue 6).
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "verification.jinja2.environment"},
    },
]

# Embedded default: SQLite under var/, in WAL mode so the worker can write while the web reads,
# with a busy timeout instead of "database is locked" errors.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, for the test database, so a real worker process can share it; one per
    # test run, so two runs on one machine never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, with the permissions in one query (verification/auth.py).
    "verification.auth.RoleBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: five failures lock that username from that address for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production (collectstatic builds the manifest); plain files
        # on a laptop and in tests, where nothing is collected.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("DJANGO_STATIC_MANIFEST", default=not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# The largest body an editor may paste, in characters (documented in the README). The request
# limit sits a little above it so the form, not Django, explains what is wrong.
ARTICLE_MAX_CHARS = env.int("ARTICLE_MAX_CHARS", default=300_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = ARTICLE_MAX_CHARS * 4 + 1_000_000
# Submissions per editor (django-ratelimit syntax); past it the paste form answers 429.
ARTICLE_SUBMIT_RATE = env.str("ARTICLE_SUBMIT_RATE", default="60/h")
RATELIMIT_VIEW = "verification.views.articles.rate_limited"

# Redis: when REDIS_URL is set it is the Celery broker and the cache. Without it (tests of the
# plain web layer, management commands) a local-memory cache is used and tasks cannot be queued.
REDIS_URL = env.str("REDIS_URL", default="")
# django-ratelimit 4.1 predates Django's own RedisCache and warns about it (W001), but what it
# needs, an atomic add and incr, is what Redis gives.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, read as a miss while Redis cannot be reached (newsroom/cache.py):
            # an editor can still paste and a reviewer still work when Redis is down.
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that does not answer costs a page a second, not a hung worker.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Without Redis (offline commands, a bare migrate) the submission rate limit is per process;
    # every process that serves editors runs with REDIS_URL (make run, compose, CI).
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003"]
# While the cache cannot be reached, submissions are not rate-limited (logged by newsroom.cache)
# rather than all refused: a Redis outage must not stop the desk.
RATELIMIT_FAIL_OPEN = True
# Sessions live in the database alone. Read through the cache (cached_db) they saved a query per
# page, but a Redis that is down then failed every page, and one that came back after a partition
# could hand back a session logged out meanwhile.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Celery. Reliability settings, each with why:
# kombu spells a unix-socket Redis (the embedded default of `make run`) as redis+socket://.
CELERY_BROKER_URL = embedded_redis.broker_url(REDIS_URL) if REDIS_URL else "memory://"
CELERY_RESULT_BACKEND = None  # results live in the database (Extraction rows), not in Redis
CELERY_TASK_IGNORE_RESULT = True
# The task is idempotent, so it is acknowledged only after it ran: a worker that dies mid-task
# leaves the message to be delivered again (https://docs.celeryq.dev/en/stable/userguide/tasks.html#Task.acks_late).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Extraction takes seconds: one message at a time per process, so none wait behind a long one.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
# Redis redelivers an unacknowledged message after the visibility timeout: it must stay well above
# the task time limit, or a long task runs twice (https://docs.celeryq.dev/en/stable/getting-started/backends-and-brokers/redis.html#visibility-timeout).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # How often a worker looks for messages whose worker died (kombu's restore_visible): every
    # interval x throttle seconds, 100 s by default. The fault tests shorten both to recover in seconds.
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queuing must not hang a web request when Redis is down: the article is saved as queued and
# the sweep re-queues it later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False
# A pool process is replaced after this many articles, giving back what the allocator kept after
# a very long one (a 300,000-character article leaves about 290 MB instead of 230 MB). It does
# not grow otherwise: 230-243 MB from 50 to 2,000 PolNeAR articles. Each replacement reloads
# the model (about 2 s of CPU, 2-4 s during which that process extracts nothing): every 500
# articles that cost about 3 % of the process's time, every 2,000 a quarter of that.
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=2000)
# Celery's Django fixup closes the database connection before and after every task, so each
# article paid for a new PostgreSQL backend (about 20 ms of CPU, more than storing its claims).
# It closes only every this many tasks instead; newsroom/celery.py applies Django's own rule
# (CONN_MAX_AGE, and at once after an error) around every task.
CELERY_DB_REUSE_MAX = 1_000_000
# A pool process loads the spaCy model when it starts (verification/tasks.py), about 2 s of CPU;
# Celery kills one that has not reported up within 4 s by default, which a busy machine can
# exceed, and the replacement starts loading again.
CELERY_WORKER_PROC_ALIVE_TIMEOUT = 60.0
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Two queues, both consumed by every worker (a worker started without -Q takes every queue named
# here): `celery` for extraction runs, `periodic` for beat's tasks. On one queue, a sweep sent
# during a backlog of thousands of articles waited behind all of them and expired unrun; kombu
# takes from the two queues in turn, so it now runs as soon as a process is free.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue("celery", routing_key="celery"), Queue("periodic", routing_key="periodic"))
CELERY_TASK_ROUTES = {
    "verification.requeue_stuck_extractions": {"queue": "periodic"},
    "verification.notify_due": {"queue": "periodic"},
}
# How often beat runs the sweep that sends again the extraction runs whose message was lost.
EXTRACTION_SWEEP_SECONDS = env.float("EXTRACTION_SWEEP_SECONDS", default=120.0)
CELERY_BEAT_SCHEDULE = {
    # A sweep that no worker took within its interval is dropped, not piled up behind a stopped worker.
    "requeue-stuck-extractions": {
        "task": "verification.requeue_stuck_extractions",
        "schedule": EXTRACTION_SWEEP_SECONDS,
        "options": {"expires": EXTRACTION_SWEEP_SECONDS * 0.9},
    },
    # Due-soon and overdue notices; each assignment is notified once, so running often is harmless.
    "notify-due": {"task": "verification.notify_due", "schedule": 900.0},
}

# Content-Security-Policy: scripts and styles only from this site, no inline script anywhere (a
# pasted article, a title or a note can never run), no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Security. Production (DEBUG off) gets secure cookies and HSTS; a reverse proxy terminates TLS.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# For SMTP: EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and the host settings below.
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Verification desk <desk@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes logs every successful login at INFO; failures and lockouts are warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}

AXES_VERBOSE = False
