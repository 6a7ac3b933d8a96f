"""The rows an import handed back (a marked-up workbook), kept an hour for the importing user."""
from __future__ import annotations

import secrets

from ckan.lib.redis import connect_to_redis

KEEP_SECONDS = 3600


def _key(user: str, token: str) -> str:
    return f"govdata:curation:returned:{user}:{token}"


def store(user: str, content: bytes) -> str:
    token = secrets.token_urlsafe(16)
    connect_to_redis().set(_key(user, token), content, ex=KEEP_SECONDS)
    return token


def load(user: str, token: str) -> bytes | None:
    """The workbook stored for ``user`` under ``token``; None when unknown, expired or another's."""
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        return None
    found = connect_to_redis().get(_key(user, token))
    return bytes(found) if found is not None else None
