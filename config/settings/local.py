"""The embedded default: SQLite and a broker on local disk, debug on, nothing to install."""

from casework.crypto import derive_development_key
from config.env import env_bool, env_list, env_str

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = env_bool("DEBUG", True)
# A development-only key; production settings refuse to start without SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")  # noqa: S105
# Field encryption (residence card numbers): a key derived from the dev SECRET_KEY unless set.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS") or [derive_development_key(SECRET_KEY)]
SHOW_DEMO_ACCOUNTS = env_bool("SHOW_DEMO_ACCOUNTS", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])

# The broker's folders (without REDIS_URL) are made where it is configured (base.py).
for sub in ("cache", "media", "static", "documents"):
    (VAR_DIR / sub).mkdir(parents=True, exist_ok=True)
