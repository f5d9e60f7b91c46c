"""Production: every secret from the environment, HTTPS only, 2FA required for staff."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_required

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in env_required("ALLOWED_HOSTS").split(",") if host.strip()]
REQUIRE_2FA = env_bool("REQUIRE_2FA", True)
# A real e-mail configuration (issue 19): without one the console backend wrote every e-mail — password
# reset links included — to the server log, where anyone who reads the log could take over an account.
EMAIL_BACKEND = env_required("EMAIL_BACKEND")
if EMAIL_BACKEND.rsplit(".", 2)[-2:-1] in (["console"], ["locmem"], ["dummy"]):
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND={EMAIL_BACKEND} writes every e-mail (password-reset links included) to the log or "
        "memory, or drops it: configure a real one, e.g. django.core.mail.backends.smtp.EmailBackend."
    )
if EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
    EMAIL_HOST = env_required("EMAIL_HOST")
# /healthz tells anonymous callers only "ok" or "down" (issue 19); staff signed in get the details.
HEALTH_DETAILS_PUBLIC = env_bool("HEALTH_DETAILS_PUBLIC", False)
# Fernet keys (comma-separated, newest first) for residence card numbers; generate one with
# Fernet.generate_key() from the cryptography package (a 44-character URL-safe base64 string).
FIELD_ENCRYPTION_KEYS = [
    key.strip() for key in env_required("FIELD_ENCRYPTION_KEYS").split(",") if key.strip()
]

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
