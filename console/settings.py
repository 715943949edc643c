"""Settings, read from the environment (twelve-factor); a malformed value stops start-up."""

import os
import re
import warnings
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from kombu import Exchange, Queue

from console import catalog, host_names
from console.proxies import parse_trusted

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
# The checkout's local configuration: `make run` writes `.env` on its first start (DEBUG
# on, a development secret key, the fake AWS), so that `manage.py` started by hand in the
# same checkout sees what the running stack sees. Variables already set win over the
# file. ENV_FILE names another file; empty reads none (the test settings read none, so a
# developer's local set-up never changes a test's result).
ENV_FILE = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE:
    environ.Env.read_env(ENV_FILE)
# Local state of the embedded default: the SQLite file, the filesystem broker's queue,
# beat's schedule and the demo password. A test or a second stack points it elsewhere.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))


def _read(name: str, parse: Callable[..., Any], default: Any) -> Any:
    """Parse one variable, naming it in the error so a typo is found at once."""
    try:
        return parse(name, default=default)
    except (ValueError, ImproperlyConfigured, environ.ImproperlyConfigured) as exc:
        raise ImproperlyConfigured(f"Environment variable {name} is malformed: {exc}") from exc


def _bool(name: str, default: bool) -> bool:
    raw = env.str(name, default="").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"Environment variable {name} is malformed: {raw!r} is not one of true/false/1/0/yes/no"
    )


DEBUG = _bool("DEBUG", default=False)
TESTING = _bool("TESTING", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("Environment variable SECRET_KEY is required when DEBUG is off")
    SECRET_KEY = "insecure-development-key-never-use-in-production-0123456789abcdef"

# Keys that encrypt service users' passwords at rest (Fernet: 32 url-safe base64 bytes each),
# comma-separated, newest first: the first encrypts, every one decrypts, so a key is
# rotated by putting a new one in front, re-encrypting (`manage.py rotate_credentials_key`)
# and then dropping the old one.
CREDENTIALS_ENCRYPTION_KEYS: list[str] = _read("CREDENTIALS_ENCRYPTION_KEYS", env.list, [])
# Development and tests only: a public key protects nothing. Kept last (decrypting only)
# when keys are given, so a development database made without a key stays readable.
_DEVELOPMENT_CREDENTIALS_KEY = "xgcTi6fRCvIui1eeLvv3FBJPhXiKHmdWxmP_uHpXqdE="
if not CREDENTIALS_ENCRYPTION_KEYS and not (DEBUG or TESTING):
    raise ImproperlyConfigured(
        "Environment variable CREDENTIALS_ENCRYPTION_KEYS is required when DEBUG is off: "
        "service passwords are stored encrypted with it. Make one with: python -c "
        "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
    )
if (DEBUG or TESTING) and _DEVELOPMENT_CREDENTIALS_KEY not in CREDENTIALS_ENCRYPTION_KEYS:
    CREDENTIALS_ENCRYPTION_KEYS = [*CREDENTIALS_ENCRYPTION_KEYS, _DEVELOPMENT_CREDENTIALS_KEY]
for _key in CREDENTIALS_ENCRYPTION_KEYS:
    try:
        Fernet(_key)
    except ValueError as exc:
        raise ImproperlyConfigured(
            "Environment variable CREDENTIALS_ENCRYPTION_KEYS is malformed: each key must be "
            "32 url-safe base64-encoded bytes (Fernet.generate_key())"
        ) from exc

# How long a confirmed password lets a person reveal secrets (service passwords, client
# keys) without typing it again (console.reauth).
REAUTH_SECONDS: int = _read("REAUTH_SECONDS", env.int, 300)

ALLOWED_HOSTS = _read("ALLOWED_HOSTS", env.list, ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS: list[str] = _read("CSRF_TRUSTED_ORIGINS", env.list, [])
for origin in CSRF_TRUSTED_ORIGINS:
    if not origin.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"Environment variable CSRF_TRUSTED_ORIGINS is malformed: {origin!r} "
            "must start with http:// or https://"
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "console",
    "privatelink",
]

MIDDLEWARE = [
    # First: nothing after it may read a proxy-only header a client made up.
    "console.proxies.ProxyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "console.middleware.RequestIdMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "console.middleware.HtmxLoginRedirectMiddleware",
    # Last, as django-axes asks: turns a lockout noted during the request into its answer.
    "axes.middleware.AxesMiddleware",
]

if not (DEBUG or TESTING):
    # Serves the collected static files from gunicorn in the container (runserver does it
    # in development), so that no separate file server is needed.
    MIDDLEWARE.insert(2, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "console.urls"
WSGI_APPLICATION = "console.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "console.context_processors.deployment",
                "console.polling.poll_intervals",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
_SUPPORTED_DATABASES = ("django.db.backends.sqlite3", "django.db.backends.postgresql")


def _database(name: str, default: str) -> dict[str, Any]:
    # django-environ only warns about an unknown scheme and returns a half-empty dict;
    # a typo must stop start-up here, not surface as a KeyError or at the first query.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        config: dict[str, Any] = _read(name, env.db_url, default)
    if config.get("ENGINE") not in _SUPPORTED_DATABASES or not config.get("NAME"):
        raise ImproperlyConfigured(
            f"Environment variable {name} is malformed: use postgres://USER:PASSWORD@HOST:PORT/NAME"
            " or sqlite:////absolute/path.sqlite3"
        )
    return config


DATABASES = {"default": _database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'console.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Web, worker and beat share one SQLite file: WAL lets readers run beside a writer,
    # and IMMEDIATE transactions make concurrent writers wait instead of failing with
    # "database is locked" halfway through a transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    # Opening a PostgreSQL connection costs more than a status fragment's whole work:
    # keep each one for a minute (DATABASE_URL's ?conn_max_age= overrides), checked
    # before reuse so a restarted server costs one failed request, not many.
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions ---------------------------------------------------------------
# Sessions are read from the cache and written through to the database (`cached_db`), so a
# polled fragment pays no query for its session, and logging out or flushing a session
# still revokes it everywhere. That needs a cache every web process shares: Redis in
# production (CACHE_URL=redis://...), else files under VAR_DIR, which the processes of
# one machine share (a per-process memory cache would keep a revoked session alive).
CACHES = {"default": _read("CACHE_URL", env.cache_url, f"filecache://{VAR_DIR / 'cache'}")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same cache, without a new client object built for every call (console/redis_cache.py).
    CACHES["default"]["BACKEND"] = "console.redis_cache.SharedClientRedisCache"
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Accounts -------------------------------------------------------------------------
AUTH_USER_MODEL = "console.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "project-list"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password and token guessing (console.login_throttle), counted per account and client
# address together (tokens: per address): LOGIN_FAILURE_LIMIT failures are free, then
# each failure locks that pair out for LOGIN_LOCKOUT_MINUTES, doubled per further failure
# up to LOGIN_LOCKOUT_MAX_MINUTES. Failures are forgotten a day after the last one.
AXES_FAILURE_LIMIT = _read("LOGIN_FAILURE_LIMIT", env.int, 10)
LOGIN_LOCKOUT_FIRST = timedelta(minutes=_read("LOGIN_LOCKOUT_MINUTES", env.int, 1))
LOGIN_LOCKOUT_MAX = timedelta(minutes=_read("LOGIN_LOCKOUT_MAX_MINUTES", env.int, 60))
AXES_COOLOFF_TIME = timedelta(days=1)
for _name, _value in (
    ("LOGIN_FAILURE_LIMIT", AXES_FAILURE_LIMIT),
    ("LOGIN_LOCKOUT_MINUTES", LOGIN_LOCKOUT_FIRST.total_seconds()),
):
    if _value < 1:
        raise ImproperlyConfigured(f"Environment variable {_name} must be >= 1")
if not LOGIN_LOCKOUT_FIRST <= LOGIN_LOCKOUT_MAX <= AXES_COOLOFF_TIME:
    raise ImproperlyConfigured(
        "Environment variable LOGIN_LOCKOUT_MAX_MINUTES must be between LOGIN_LOCKOUT_MINUTES "
        "and 1440 (failures are forgotten after a day)"
    )
AXES_HANDLER = "console.login_throttle.ThrottleHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "console.login_throttle.account_of"
# A try refused while locked is not counted: it neither lengthens nor renews the lockout.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "console.login_throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "console.proxies.client_address"
# The email is the login name; AuthenticationForm still posts it as "username".
AXES_USERNAME_FORM_FIELD = "username"

# Password reset by e-mail, the way back in for a locked-out or forgetful person. SMTP in
# production (EMAIL_HOST, ...); with DEBUG on (`make run`) the web process prints the
# message instead; the tests keep it in memory.
_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
_EMAIL_BACKEND = _read(
    "EMAIL_BACKEND",
    env.str,
    "django.core.mail.backends.console.EmailBackend" if DEBUG else _SMTP_BACKEND,
)
_SMTP_OPTIONS = {
    "host": _read("EMAIL_HOST", env.str, "localhost"),
    "port": _read("EMAIL_PORT", env.int, 25),
    "username": _read("EMAIL_HOST_USER", env.str, ""),
    "password": _read("EMAIL_HOST_PASSWORD", env.str, ""),
    "use_tls": _bool("EMAIL_USE_TLS", default=False),
}
MAILERS: dict[str, dict[str, Any]] = {"default": {"BACKEND": _EMAIL_BACKEND}}
if _EMAIL_BACKEND == _SMTP_BACKEND:
    MAILERS["default"]["OPTIONS"] = _SMTP_OPTIONS
DEFAULT_FROM_EMAIL = _read("DEFAULT_FROM_EMAIL", env.str, "PrivateLink console <noreply@localhost>")
# The reset e-mail promises an hour.
PASSWORD_RESET_TIMEOUT = 3600
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

# --- Security -------------------------------------------------------------------------
# Strict CSP: scripts only from our origin with the per-request nonce, no inline style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads nothing from it: the token travels in hx-headers
# Behind TLS in production: secure cookies, HSTS and HTTPS redirects unless DEBUG.
SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", default=not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = not DEBUG and not TESTING
CSRF_COOKIE_SECURE = not DEBUG and not TESTING
SECURE_HSTS_SECONDS = _read("SECURE_HSTS_SECONDS", env.int, 0 if DEBUG or TESTING else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# The proxies whose X-Forwarded-* and X-Request-ID headers are believed
# (console.proxies); gunicorn reads the same variable, with the same default.
try:
    TRUSTED_PROXIES = parse_trusted(env.str("FORWARDED_ALLOW_IPS", default="127.0.0.1,::1"))
except ValueError as exc:
    raise ImproperlyConfigured(
        f"Environment variable FORWARDED_ALLOW_IPS is malformed: {exc}; "
        "give comma-separated addresses or networks such as 10.0.0.0/8"
    ) from exc
if _bool("BEHIND_TLS_PROXY", default=False):
    # Only ever read from a trusted proxy's request: console.proxies drops it from others.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Celery ---------------------------------------------------------------------------
# Default: kombu's filesystem transport under var/, a broker that needs no server.
CELERY_BROKER_URL = _read("CELERY_BROKER_URL", env.str, "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "broker"
    # kombu's filesystem transport expects its folder to exist; web, worker and beat
    # may start in any order, so whichever starts first makes it.
    _queue_dir.mkdir(parents=True, exist_ok=True)
    # kombu's transport, with each message written whole before a worker can see it.
    CELERY_BROKER_TRANSPORT = "console.filesystem_broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "broker-processed"),
        "store_processed": False,
        # Exchange tables; without this kombu writes them to ./control in the cwd.
        "control_folder": str(VAR_DIR / "broker-control"),
    }
# Deployments (or test runs) sharing one broker keep apart by the name of their queue;
# web, worker and beat publish to and consume from it.
CELERY_TASK_DEFAULT_QUEUE = _read("CELERY_QUEUE", env.str, "celery")
# A queue per cloud provider ("celery.aws", ...): the reconciles and the sweep of a cloud's
# PrivateLinks go to its queue, so that a worker started with `-Q celery,celery.aws` loads
# only that cloud's SDK (google-cloud-compute alone takes about 110 MiB once imported). A
# worker started without -Q consumes every queue below, as `make run`'s does.
CLOUD_QUEUES = {
    provider: f"{CELERY_TASK_DEFAULT_QUEUE}.{provider}" for provider in sorted(catalog.PROVIDERS)
}
# Each bound to an exchange and a key of its own name: nothing sent to one reaches another.
CELERY_TASK_QUEUES = [
    Queue(name, Exchange(name), routing_key=name)
    for name in (CELERY_TASK_DEFAULT_QUEUE, *CLOUD_QUEUES.values())
]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A reconcile spends most of its time waiting for AWS answers: threads overlap those waits
# in one process (Celery's threads pool) at a fraction of the memory of one process per
# slot. The lease, the per-account pacing and the retries hold across threads as across
# processes; each thread keeps its own botocore session and clients, on service models parsed
# once per process (privatelink/clouds/aws/gateway/clients.py).
CELERY_WORKER_POOL = _read("CELERY_WORKER_POOL", env.str, "threads")
CELERY_WORKER_CONCURRENCY = _read("CELERY_WORKER_CONCURRENCY", env.int, 16)
if CELERY_WORKER_CONCURRENCY < 1:
    raise ImproperlyConfigured("CELERY_WORKER_CONCURRENCY must be at least 1.")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A save must not hang when the broker is down: the sweep picks the work up later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_MAX_RETRIES = 0
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- AWS and PrivateLink ---------------------------------------------------------------
AWS_REGION = _read("AWS_REGION", env.str, "eu-west-1")
# Role to assume in the platform account on real AWS; empty: ambient credentials.
AWS_PLATFORM_ROLE_ARN = _read("AWS_PLATFORM_ROLE_ARN", env.str, "")
AWS_ENDPOINT_URL = _read("AWS_ENDPOINT_URL", env.str, "")


def _platform_accounts(name: str) -> dict[str, list[str]]:
    """`aws-eu-west-1=ROLE_ARN,ROLE_ARN;aws-us-east-1=ROLE_ARN`: the pool of platform accounts
    per cloud, each reached through a role. Empty: the one account of AWS_PLATFORM_ROLE_ARN."""
    pool: dict[str, list[str]] = {}
    for entry in re.split(r"[;\s]+", env.str(name, default="").strip()):
        if not entry:
            continue
        cloud, sep, roles = entry.partition("=")
        arns = [arn.strip() for arn in roles.split(",") if arn.strip()]
        if not sep or not re.fullmatch(r"aws-[a-z]{2}(-[a-z]+)+-\d", cloud) or not arns:
            raise ImproperlyConfigured(
                f"Environment variable {name} is malformed: {entry!r} should read "
                "aws-eu-west-1=arn:aws:iam::111111111111:role/NAME,arn:aws:iam::...:role/NAME"
            )
        for arn in arns:
            if not re.fullmatch(r"arn:aws(-cn|-us-gov)?:iam::\d{12}:role/[\w+=,.@/-]{1,64}", arn):
                raise ImproperlyConfigured(
                    f"Environment variable {name} is malformed: {arn!r} is not an IAM role ARN "
                    "(arn:aws:iam::<12 digits>:role/NAME)"
                )
        if len(set(arns)) != len(arns) or cloud in pool:
            raise ImproperlyConfigured(
                f"Environment variable {name} is malformed: {cloud} is listed twice or "
                "names a role twice"
            )
        pool[cloud] = arns
    return pool


AWS_PLATFORM_ACCOUNTS = _platform_accounts("AWS_PLATFORM_ACCOUNTS")
# Tags every resource we create, so that two deployments sharing an account never
# touch each other's resources.
DEPLOYMENT_ID = _read("DEPLOYMENT_ID", env.str, "local")
# Empty: the privatelink-N-... hosts share the dynamic hosts' domain, as on the platform.
PRIVATELINK_DOMAIN = _read("PRIVATELINK_DOMAIN", env.str, "")
PLATFORM_DOMAIN = _read("PLATFORM_DOMAIN", env.str, "example.test")
for _name, _domain in (
    ("PLATFORM_DOMAIN", PLATFORM_DOMAIN),
    ("PRIVATELINK_DOMAIN", PRIVATELINK_DOMAIN),
):
    if _domain and (_problem := host_names.domain_problem(_domain)):
        raise ImproperlyConfigured(f"Environment variable {_name} is malformed: {_problem}")
PRIVATELINK_MAX_CONNECTIONS = _read("PRIVATELINK_MAX_CONNECTIONS", env.int, 1)
PRIVATELINK_SWEEP_SECONDS = _read("PRIVATELINK_SWEEP_SECONDS", env.int, 30)
if PRIVATELINK_MAX_CONNECTIONS < 1:
    raise ImproperlyConfigured("Environment variable PRIVATELINK_MAX_CONNECTIONS must be >= 1")
# A project's fair share of a platform account: PrivateLinks per project and region (each
# takes one of the account's NLBs, 50 by default). Django admin overrides it per project.
PRIVATELINK_MAX_PER_PROJECT_REGION = _read("PRIVATELINK_MAX_PER_PROJECT_REGION", env.int, 20)
if PRIVATELINK_MAX_PER_PROJECT_REGION < 1:
    raise ImproperlyConfigured(
        "Environment variable PRIVATELINK_MAX_PER_PROJECT_REGION must be >= 1"
    )
# Route 53 zone for privatelink-N-... records; empty: the zone named PRIVATELINK_DOMAIN
# (created on fake AWS).
PRIVATELINK_HOSTED_ZONE_ID = _read("PRIVATELINK_HOSTED_ZONE_ID", env.str, "")
# Tagged resources without a row are deleted only after this long, so that a resource
# whose row is still being written is never taken for a leak.
PRIVATELINK_ORPHAN_GRACE_SECONDS = _read("PRIVATELINK_ORPHAN_GRACE_SECONDS", env.int, 600)
# AWS has no batched describe of an endpoint service's principals or an NLB's listeners:
# each sweep compares them for one in this many PrivateLinks, in turn, so that the sweep's
# AWS calls stay well under one per link (every link is checked every N sweeps).
PRIVATELINK_DEEP_CHECK_SWEEPS = _read("PRIVATELINK_DEEP_CHECK_SWEEPS", env.int, 60)
if PRIVATELINK_DEEP_CHECK_SWEEPS < 1:
    raise ImproperlyConfigured("Environment variable PRIVATELINK_DEEP_CHECK_SWEEPS must be >= 1")
# The leak scan (load balancers and target groups of this deployment without a row) runs in
# one sweep of this many; leaks wait PRIVATELINK_ORPHAN_GRACE_SECONDS anyway.
PRIVATELINK_LEAK_SCAN_SWEEPS = _read("PRIVATELINK_LEAK_SCAN_SWEEPS", env.int, 10)
if PRIVATELINK_LEAK_SCAN_SWEEPS < 1:
    raise ImproperlyConfigured("Environment variable PRIVATELINK_LEAK_SCAN_SWEEPS must be >= 1")
# botocore's own retries (standard mode) and timeouts for every AWS call.
AWS_MAX_ATTEMPTS = _read("AWS_MAX_ATTEMPTS", env.int, 4)
AWS_CONNECT_TIMEOUT = _read("AWS_CONNECT_TIMEOUT", env.int, 5)
AWS_READ_TIMEOUT = _read("AWS_READ_TIMEOUT", env.int, 20)

# --- Azure -----------------------------------------------------------------------------
# The platform subscription and resource group that hold the load balancers and private
# link services; empty endpoint: real Azure (DefaultAzureCredential), else the fake ARM
# there, trusted through its self-signed certificate.
AZURE_ENDPOINT_URL = _read("AZURE_ENDPOINT_URL", env.str, "")
AZURE_CERTIFICATE = _read("AZURE_CERTIFICATE", env.str, "")
AZURE_SUBSCRIPTION_ID = _read("AZURE_SUBSCRIPTION_ID", env.str, "")
AZURE_RESOURCE_GROUP = _read("AZURE_RESOURCE_GROUP", env.str, "privatelink-console")
AZURE_LOCATION = _read("AZURE_LOCATION", env.str, "westeurope")
# No worker waits for an ARM operation: a run that leaves one running is requeued, and
# reads the resource again this many seconds later (also the SDK's polling interval, for a
# caller that polls; its default is 30 s).
AZURE_POLLING_INTERVAL = _read("AZURE_POLLING_INTERVAL", env.float, 2.0)
# azure-core's own retries of throttling and 5xx, and timeouts for every ARM call.
AZURE_MAX_RETRIES = _read("AZURE_MAX_RETRIES", env.int, 3)
# A longer Retry-After is not waited out in a worker thread: the task comes back later.
AZURE_MAX_RETRY_WAIT_SECONDS = _read("AZURE_MAX_RETRY_WAIT_SECONDS", env.float, 5.0)
AZURE_CONNECT_TIMEOUT = _read("AZURE_CONNECT_TIMEOUT", env.int, 5)
AZURE_READ_TIMEOUT = _read("AZURE_READ_TIMEOUT", env.int, 20)

# --- Google Cloud --------------------------------------------------------------------------
# The platform project that holds the networks, load balancers and service attachments
# (Private Service Connect); empty endpoint: real Google (Application Default Credentials),
# else the fake Compute Engine there, called with anonymous credentials.
GOOGLE_ENDPOINT_URL = _read("GOOGLE_ENDPOINT_URL", env.str, "")
GOOGLE_PROJECT = _read("GOOGLE_PROJECT", env.str, "")
GOOGLE_REGION = _read("GOOGLE_REGION", env.str, "europe-west1")
# No worker waits for a Compute operation: a run that leaves one running is requeued, and
# looks at it again (regionOperations.get) this many seconds later.
GOOGLE_POLLING_INTERVAL = _read("GOOGLE_POLLING_INTERVAL", env.float, 2.0)
# Seconds one Compute request may take.
GOOGLE_TIMEOUT = _read("GOOGLE_TIMEOUT", env.float, 20.0)
# How long the SDK retries a read answered 503 before the call fails Retryable (its own
# default is ten minutes of a worker's thread).
GOOGLE_RETRY_SECONDS = _read("GOOGLE_RETRY_SECONDS", env.float, 10.0)
# Retries of a request Google throttled (429): waited out within the call when its
# Retry-After (1 s when it gives none) is at most GOOGLE_MAX_RETRY_WAIT_SECONDS; a longer
# one is not waited out in a worker thread: the task comes back later.
GOOGLE_MAX_RETRIES = _read("GOOGLE_MAX_RETRIES", env.int, 3)
GOOGLE_MAX_RETRY_WAIT_SECONDS = _read("GOOGLE_MAX_RETRY_WAIT_SECONDS", env.float, 5.0)
# The providers this deployment has a platform account in: AWS always (the platform's DNS
# zone is in Route 53), Azure and Google once their subscription or project is set. Only
# these are swept, so no queue fills with sweeps that no worker will ever take.
CONFIGURED_PROVIDERS = [
    provider
    for provider, configured in (
        ("aws", True),
        ("azure", bool(AZURE_SUBSCRIPTION_ID)),
        ("google", bool(GOOGLE_PROJECT)),
    )
    if configured
]
# One sweep per provider, on its cloud's queue; one not started within its interval is
# dropped, as the next one is already due.
CELERY_BEAT_SCHEDULE = {
    f"privatelink-sweep-{provider}": {
        "task": "privatelink.sweep",
        "schedule": float(PRIVATELINK_SWEEP_SECONDS),
        "args": (provider,),
        "options": {"queue": CLOUD_QUEUES[provider], "expires": PRIVATELINK_SWEEP_SECONDS},
    }
    for provider in CONFIGURED_PROVIDERS
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": _read("LOG_LEVEL", env.str, "INFO")},
    # azure-core logs every ARM request and answer, headers and all, at INFO.
    "loggers": {"azure": {"level": "WARNING"}},
}
