"""Local development and `make demo`: SQLite by default, debug pages on."""

from kith.config.env import env_bool, env_str
from kith.config.settings.base import *  # noqa: F403
from kith.config.settings.base import BASE_DIR

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
(BASE_DIR / "var" / "staticfiles").mkdir(parents=True, exist_ok=True)
