"""Keys and secrets of applications: a public key, a random secret shown once, and its HMAC.

Secrets are 256 random bits, so a keyed hash (HMAC-SHA256 with a server pepper) resists an
offline guess as well as a slow hash would, and costs microseconds on every data API call;
comparisons are constant-time.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

import ckan.plugins.toolkit as tk

KEY_PREFIX = "gk_"


def _pepper() -> bytes:
    pepper = tk.config.get("ckanext.govdata.dataapi.keys.secret_pepper") or tk.config.get("SECRET_KEY") or ""
    return str(pepper).encode()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_hex(12)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hmac.new(_pepper(), secret.encode(), hashlib.sha256).hexdigest()


def matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)
