"""Bench settings: production, plus what plain HTTP on localhost needs, plus the floor's URLs.

Everything else (DEBUG off, Argon2, CSP, the middleware, manifest static files, connection reuse) is
production's own, so a figure measured here is a figure of production. The three changes are the ones
a browser over https would make unnecessary: 2FA (bench users have no authenticator), the redirect to
https and the Secure / __Host- cookies (the load generator speaks plain HTTP to 127.0.0.1).
"""

import os

from casework.crypto import derive_development_key

# Production refuses to start without these; the bench database is throwaway data, so fixed values.
os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 60)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", derive_development_key("tobira-bench"))
# Production needs a real e-mail configuration; the bench's e-mails go to files under var/mail.
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")

from config.settings.production import *  # noqa: E402, F403

REQUIRE_2FA = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"

# The floor: served only here (tests/test_settings.py proves production does not route it).
ROOT_URLCONF = "bench.urls"
