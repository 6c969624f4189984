"""Settings shared by every environment. Everything that differs comes from the environment."""

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from kith.config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parents[3]
KITH_DIR = BASE_DIR / "kith"

SECRET_KEY = env_str("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "kith.core",
    "kith.accounts",
    "kith.audit",
    "kith.access",
    "kith.people",
    "kith.work",
    "kith.eforms",
    "kith.recording",
    "kith.children",
    "kith.returns",
    "kith.api",
    "kith.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kith.core.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "kith.audit.context.AuditContextMiddleware",
    "kith.core.memo.MemoMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kith.accounts.middleware.IdleTimeoutMiddleware",
    "kith.accounts.middleware.RequireSignInMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kith.config.urls"
WSGI_APPLICATION = "kith.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "kith.config.jinja2.environment"},
    },
    {
        # Kept only for third-party pages that ship Django templates; Kith's pages are Jinja2.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

# Database: SQLite is the embedded default; PostgreSQL in production (DATABASE_URL).
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'kith.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
# One transaction per request: an action and its audit entry commit together or not at all.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Kith's thin backends add only the append-only tables' test flush (kith/core/db).
KITH_DB_ENGINES = {
    "django.db.backends.sqlite3": "kith.core.db.sqlite3",
    "django.db.backends.postgresql": "kith.core.db.postgresql",
}
DATABASES["default"]["ENGINE"] = KITH_DB_ENGINES.get(
    DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"]
)
if DATABASES["default"]["ENGINE"] == "kith.core.db.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "kith.core.db.postgresql":
    # No JIT: Kith's queries are short, and compiling one costs more than it saves (25 ms of
    # a dashboard's 100 ms aggregate on a county).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home"

# Sessions: idle timeout (server-side, sliding) with a warning in the page before it.
KITH_IDLE_TIMEOUT_SECONDS = env_int("KITH_IDLE_TIMEOUT_MINUTES", 30) * 60
KITH_IDLE_WARNING_SECONDS = env_int("KITH_IDLE_WARNING_SECONDS", 120)
# The middleware ends idle sessions (and says why); the stored session outlives it a little.
SESSION_COOKIE_AGE = KITH_IDLE_TIMEOUT_SECONDS + 15 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "kith_session"
CSRF_COOKIE_NAME = "kith_csrftoken"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
CSRF_FAILURE_VIEW = "kith.core.views.csrf_failure"

# Lockout after repeated failures (passwords and second-factor codes both count).
AXES_FAILURE_LIMIT = env_int("KITH_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = env_int("KITH_LOCKOUT_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
# Not by IP address: a council's staff share a few NAT addresses, so an IP lockout would lock
# out a whole office. Usernames plus a required second factor stop guessing (docs/adr/0003).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kith.accounts.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# Second factor
OTP_TOTP_ISSUER = env_str("KITH_TOTP_ISSUER", "Kith")
OTP_TOTP_THROTTLE_FACTOR = 1

# Security headers (production tightens the transport ones)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "build" / "static"]
WHITENOISE_USE_FINDERS = True

# Documents: the filesystem by default, any S3-compatible store when KITH_STORAGE_URL is s3://.
KITH_STORAGE_URL = env_str("KITH_STORAGE_URL", f"file://{BASE_DIR / 'var' / 'documents'}")


def storages_from_url(url: str) -> dict[str, dict[str, object]]:
    """Turn KITH_STORAGE_URL into Django's STORAGES setting.

    file:///path                               documents on the local filesystem
    s3://bucket?endpoint_url=http://host:port&region=eu-west-2
                                               an S3-compatible store (keys from AWS_* env)
    """
    parsed = urlparse(url)
    static: dict[str, object] = {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}
    if parsed.scheme == "file":
        return {
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": parsed.path},
            },
            "staticfiles": static,
        }
    if parsed.scheme == "s3":
        if not parsed.netloc:
            raise ImproperlyConfigured("KITH_STORAGE_URL s3:// needs a bucket name: s3://bucket")
        query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        options: dict[str, object] = {"bucket_name": parsed.netloc, "default_acl": None}
        if "endpoint_url" in query:
            options["endpoint_url"] = query["endpoint_url"]
        if "region" in query:
            options["region_name"] = query["region"]
        return {
            "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
            "staticfiles": static,
        }
    raise ImproperlyConfigured(
        f"KITH_STORAGE_URL must start with file:// or s3://, not {parsed.scheme or url!r}."
    )


STORAGES = storages_from_url(KITH_STORAGE_URL)

# Background work runs as Django tasks on the database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Emergency (break-glass) access to a record lasts this long.
KITH_BREAK_GLASS_MINUTES = env_int("KITH_BREAK_GLASS_MINUTES", 60)
KITH_COUNCIL_NAME = env_str("KITH_COUNCIL_NAME", "Kith demonstration council")
KITH_CODELISTS_DIR = KITH_DIR / "core" / "data" / "codes"
# The DfE validators' own virtualenvs (made by `make setup`), and the council's ONS code, which
# the SSDA903 validator needs for placement distances and in or out of the council's area.
KITH_VALIDATORS_DIR = env_str("KITH_VALIDATORS_DIR", str(BASE_DIR / "var" / "validators"))
KITH_COUNCIL_ONS_CODE = env_str("KITH_COUNCIL_ONS_CODE", "E10000016")
# The CIN census header (kith.returns.cin_census): the council's 3-digit DfE LA code (LEA), the
# source level, the software's name and the submission's serial number.
KITH_COUNCIL_LA_CODE = env_str("KITH_COUNCIL_LA_CODE", "886")
KITH_CIN_SOURCE_LEVEL = env_str("KITH_CIN_SOURCE_LEVEL", "L")
KITH_RETURNS_SOFTWARE_CODE = env_str("KITH_RETURNS_SOFTWARE_CODE", "Kith")
KITH_CIN_SERIAL_NO = env_str("KITH_CIN_SERIAL_NO", "001")
# Files of the returns built from the Returns page, one folder per build.
KITH_RETURNS_DIR = env_str("KITH_RETURNS_DIR", str(BASE_DIR / "var" / "returns"))
# The DfE children's social care API feed (operator guide, "DfE CSC API"): the API's base URL,
# the council's 3-digit DfE LA code, OAuth2 client credentials and the supplier key.
KITH_DFE_API_URL = env_str("KITH_DFE_API_URL", "")
KITH_DFE_API_LA_CODE = env_str("KITH_DFE_API_LA_CODE", "")
KITH_DFE_API_TOKEN_URL = env_str("KITH_DFE_API_TOKEN_URL", "")
KITH_DFE_API_CLIENT_ID = env_str("KITH_DFE_API_CLIENT_ID", "")
KITH_DFE_API_CLIENT_SECRET = env_str("KITH_DFE_API_CLIENT_SECRET", "")
KITH_DFE_API_SCOPE = env_str("KITH_DFE_API_SCOPE", "")
KITH_DFE_API_SUPPLIER_KEY = env_str("KITH_DFE_API_SUPPLIER_KEY", "")
# Tries of one batch (401/403/429/5xx and network errors are tried again) and the first wait.
KITH_DFE_API_ATTEMPTS = env_int("KITH_DFE_API_ATTEMPTS", 5)
KITH_DFE_API_BACKOFF_SECONDS = float(env_str("KITH_DFE_API_BACKOFF_SECONDS", "2"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
