"""Field encryption (Fernet, keys from the environment) and keyed hashes for exact-match lookups."""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    keys = settings.FIELD_ENCRYPTION_KEYS
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is not set.")
    # The first key encrypts; all keys decrypt, so a new key can be rolled in before the old goes.
    return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])


@lru_cache(maxsize=1)
def _hash_key() -> bytes:
    primary = settings.FIELD_ENCRYPTION_KEYS[0]
    return hashlib.sha256(b"tobira-lookup-hash:" + primary.encode()).digest()


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured("An encrypted value cannot be read with the configured keys.") from exc


def lookup_hash(normalised: str) -> str:
    """A keyed hash: equal inputs give equal hashes, but the hash reveals nothing without the key."""
    if not normalised:
        return ""
    return hmac.new(_hash_key(), normalised.encode(), hashlib.sha256).hexdigest()


def derive_development_key(secret: str) -> str:
    """A Fernet key derived from SECRET_KEY, for the local default only (production sets its own)."""
    return base64.urlsafe_b64encode(hashlib.sha256(b"tobira-dev-fernet:" + secret.encode()).digest()).decode()
