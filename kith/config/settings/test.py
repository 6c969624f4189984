"""The test suite: fast hashing, SQLite unless DATABASE_URL says otherwise."""

from kith.config.env import env_str
from kith.config.settings.base import *  # noqa: F403
from kith.config.settings.base import BASE_DIR

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY", "test-only-insecure-key-do-not-use-in-production")
# Lets flush (between transactional tests) empty append-only tables; never set elsewhere.
KITH_ALLOW_TEST_FLUSH = True
if DATABASES["default"]["ENGINE"] == "kith.core.db.sqlite3":  # noqa: F405
    # A file (pytest-xdist adds _gw0, _gw1… per worker), shared with the live server's thread.
    # KITH_TEST_DB_FILE lets two suites run side by side on one checkout.
    test_file = env_str("KITH_TEST_DB_FILE", "test-kith.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / test_file)}  # noqa: F405
elif env_str("KITH_TEST_DB_NAME", ""):
    # The PostgreSQL test database's name, so two suites can run side by side on one server.
    DATABASES["default"]["TEST"] = {"NAME": env_str("KITH_TEST_DB_NAME", "")}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(BASE_DIR / "var" / "test-documents")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
(BASE_DIR / "var" / "staticfiles").mkdir(parents=True, exist_ok=True)
