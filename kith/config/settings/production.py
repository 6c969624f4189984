"""Production: every secret from the environment; HTTPS only; passes `kith check --deploy`."""

from django.core.exceptions import ImproperlyConfigured

from kith.config.env import env_bool, env_int, env_str
from kith.config.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters of random text.")

SECURE_SSL_REDIRECT = env_bool("KITH_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("KITH_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-kith_session"
CSRF_COOKIE_NAME = "__Host-kith_csrftoken"
