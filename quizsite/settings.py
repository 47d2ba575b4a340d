"""Settings for DL Interview Prep, read from environment variables.

Defaults give the embedded setup (SQLite file in the project, local-memory cache,
demos in-process) so that a fresh checkout runs with no services. The grown setup
(PostgreSQL, Redis, demo runs on Celery workers) is chosen by DATABASE_URL,
CACHE_URL / REDIS_URL and SANDBOX_QUEUE alone. Every variable is listed in README.md.
"""

import os
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from quizsite.env import cache, database, envbool, envint, envlist, envproxies

BASE_DIR = Path(__file__).resolve().parent.parent

# The fallback key is prefixed "django-insecure-" on purpose: `check --deploy`
# flags it (security.W009), so it can never slip into production unnoticed.
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-dev-only-key-do-not-use-in-production"
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
# BEHIND_PROXY=N: N reverse proxies in front of the app append to X-Forwarded-For, so the
# client's address is the N-th from its right end. Unset (0), the header is the client's
# own to write and is ignored: rate limits and lockouts key on the socket's REMOTE_ADDR.
BEHIND_PROXY = envproxies("BEHIND_PROXY")

INSTALLED_APPS = [
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
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "django_htmx",
    "csp",
    "axes",
    "concepts",
    "study",
    "sandbox",
    "interview",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Text no column can store (NUL, lone surrogates) is a 400 naming the field, before any view runs.
    "quizsite.inputs.TextInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "concepts.middleware.QueryLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "quizsite.urls"
WSGI_APPLICATION = "quizsite.wsgi.application"

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
            ],
        },
    },
]

# The database (DATABASE_URL, else a SQLite file set up for concurrent writers) and the
# cache (CACHE_URL / REDIS_URL, else local memory): see quizsite/env.py.
DATABASES = {"default": database(BASE_DIR)}
CACHES = {"default": cache()}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]  # vendored htmx and KaTeX (scripts/vendor_assets.sh)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if envbool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# django-axes: after AXES_FAILURE_LIMIT failed log-ins for one username from one
# address (web log-in, admin and POST /api/auth/token/), that pair is refused for
# AXES_COOLOFF_MINUTES; a successful log-in resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = envbool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "quizsite.security.lockout_response"
# The same client address as the throttles (DRF's NUM_PROXIES, from BEHIND_PROXY).
AXES_CLIENT_IP_CALLABLE = "quizsite.throttling.client_ip"
AXES_USERNAME_CALLABLE = "quizsite.security.axes_username"  # cut to axes' column
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "concepts:home"
LOGOUT_REDIRECT_URL = "concepts:home"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Live demos (sandbox/runner.py). Demos run in killable worker processes started by a
# forkserver with torch preloaded; SANDBOX_IN_PROCESS=1 runs them in the web process.
SANDBOX_IN_PROCESS = envbool("SANDBOX_IN_PROCESS", False)
SANDBOX_TIMEOUT_S = envint("SANDBOX_TIMEOUT_S", 10)
SANDBOX_MAX_WORKERS = envint("SANDBOX_MAX_WORKERS", 2)
SANDBOX_MAX_RESULT_BYTES = envint("SANDBOX_MAX_RESULT_BYTES", 2_000_000)
SANDBOX_CACHE_TTL_S = envint("SANDBOX_CACHE_TTL_S", 7 * 24 * 3600)
SANDBOX_HTTP_MAX_AGE = envint("SANDBOX_HTTP_MAX_AGE", 3600)
SANDBOX_RUN_RATE = os.environ.get("SANDBOX_RUN_RATE", "120/min")
SANDBOX_COMPUTE_RATE = os.environ.get("SANDBOX_COMPUTE_RATE", "20/min")  # runs that start a computation
# Demo results live in the database (sandbox/store.py); content's are computed when it is
# loaded, with a budget per run that fits a slow, busy machine (not a learner's 10 s).
SANDBOX_BATCH_TIMEOUT_S = envint("SANDBOX_BATCH_TIMEOUT_S", 300)
SANDBOX_BATCH_WORKERS = envint("SANDBOX_BATCH_WORKERS", 2)
SANDBOX_PRERENDER_CHARTS = envbool("SANDBOX_PRERENDER_CHARTS", True)  # load_content draws charts in both languages
# The library page starts building the search index in the background, so that the first
# search in a process does not wait for it (concepts/search/service.py).
SEARCH_WARM_UP = envbool("SEARCH_WARM_UP", True)
# Kiwi (Korean morphology, ~300 MB) runs in one process per host that every worker asks
# ("process", concepts/search/analyser.py), started on first use and stopped after
# SEARCH_KIWI_IDLE_S idle seconds; "inline" loads it in each process instead.
SEARCH_KIWI = os.environ.get("SEARCH_KIWI", "process").strip().lower()
SEARCH_KIWI_SOCKET = os.environ.get("SEARCH_KIWI_SOCKET", "")  # default: a per-user, per-version path in /tmp
SEARCH_KIWI_IDLE_S = envint("SEARCH_KIWI_IDLE_S", 900)
# A learner's own-parameter run: the request waits this long, then answers "computing" and
# the run finishes in the background; at most SANDBOX_MAX_PENDING runs wait per process
# (then 503). A failed or timed-out run is remembered this long, so repeating it costs nothing.
SANDBOX_WAIT_MS = envint("SANDBOX_WAIT_MS", 300)
SANDBOX_MAX_PENDING = envint("SANDBOX_MAX_PENDING", 8)
SANDBOX_FAILURE_BACKOFF_S = envint("SANDBOX_FAILURE_BACKOFF_S", 300)

# SANDBOX_QUEUE=celery: a missed demo run is queued for a Celery worker (sandbox/jobs.py)
# and the request answers "computing" at once; unset, the web process runs it itself.
SANDBOX_QUEUE = os.environ.get("SANDBOX_QUEUE", "").strip().lower()
if SANDBOX_QUEUE not in ("", "celery"):
    raise ImproperlyConfigured(f"SANDBOX_QUEUE must be empty or 'celery', got {SANDBOX_QUEUE!r}")
# How long one queued run may take, waiting in the queue included, before its lock
# expires and the next request queues it again.
SANDBOX_JOB_TTL_S = envint("SANDBOX_JOB_TTL_S", SANDBOX_TIMEOUT_S + 50)
# A running job renews its lock this often (x 1/3); a dead worker's lock expires within it.
SANDBOX_JOB_HEARTBEAT_S = envint("SANDBOX_JOB_HEARTBEAT_S", 10)

# Celery (quizsite/celery.py), used only when SANDBOX_QUEUE=celery. A broker database
# apart from the cache's (see CACHE_URL).
CELERY_BROKER_URL = (os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or "").strip() or "memory://"
if SANDBOX_QUEUE == "celery" and CELERY_BROKER_URL == "memory://":
    raise ImproperlyConfigured("SANDBOX_QUEUE=celery needs CELERY_BROKER_URL (or REDIS_URL), e.g. redis://127.0.0.1:6379/2")
CELERY_TASK_IGNORE_RESULT = True  # results go to the Django cache, where every app server reads them
CELERY_TASK_ACKS_LATE = False  # a job that kills its worker is not redelivered to kill the next one
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long CPU jobs: a worker takes one at a time
CELERY_TASK_DEFAULT_QUEUE = "demos"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request must not hang on a broker that is down: fail fast and tell the learner.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Public Anki exports are built once per content state and kept here (concepts/stored_exports.py).
EXPORT_DIR = Path(os.environ.get("EXPORT_DIR") or BASE_DIR / "var" / "exports")

# Where the shipped content lives (see fixtures/README.md).
CONTENT_DIR = BASE_DIR / "fixtures" / "content"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "study.api.authentication.TokenAuthentication",  # DRF's, with the study profile in the same query
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "concepts.pagination.Pagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "quizsite.throttling.AnonRateThrottle",  # fail open when the cache is unreachable
        "quizsite.throttling.UserRateThrottle",
    ],
    "NUM_PROXIES": BEHIND_PROXY,  # 0: the socket's address; X-Forwarded-For is ignored
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("THROTTLE_ANON", "120/min"),
        "user": os.environ.get("THROTTLE_USER", "600/min"),
        "auth": os.environ.get("THROTTLE_AUTH", "20/min"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "DL Interview Prep API",
    "DESCRIPTION": "Concept cards, questions, flashcards, quizzes and live PyTorch demos. Text in any parameter "
                   "or body may not contain a NUL character or a lone surrogate: such a request is a 400 naming "
                   "the field.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the drf-spectacular-sidecar package: no CDN at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"QuestionKindEnum": "concepts.models.QuestionKind"},
    # Every operation documents the error codes the framework answers (400, 401, 403, 404, 415, 429).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "quizsite.openapi.document_error_responses"],
}

# Production hardening, switched on by environment (see README, "Running with
# PostgreSQL and Redis": `manage.py check --deploy` is clean with those variables).
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp). Every script is a same-origin file (vendored
# htmx and KaTeX, static/js/app.js): no inline script, no eval. Styles: same-origin
# files, plus inline style *attributes and elements*, allowed on purpose: progress
# bars get their computed width/height as `style="width: N%"`, and the matplotlib
# SVG charts drawn inline carry presentation styles (and a <style> element) on every
# shape, as does htmx's request indicator. CSS cannot run script, and data goes out
# only to 'self' (connect-src, form-action). The Swagger UI page (/api/docs/) loads
# its script from its own URL (SpectacularSwaggerSplitView) and needs data: images;
# it gets those through a per-view update in quizsite/urls.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
