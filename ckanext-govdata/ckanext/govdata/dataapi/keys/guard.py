"""The developer side of a data API call, around ``/api/data/<name>``:

1. ``identify`` — the application key, from ``X-App-Key`` and ``X-App-Secret`` or from
   ``Authorization: AppKey <key>:<secret>``: unknown key or wrong secret, revoked and expired
   keys answer 401 naming the problem; the key's owner is then the caller whose grants count.
   The key's row and owner come from the worker's entry (``identities``), checked in step 3.
2. ``within_scope`` — a key calls only the APIs its scope lists (403 otherwise; default-deny).
3. ``admit`` — the quota (``limits``), in one Redis call with the check of the key's entry:
   429 with ``Retry-After`` past it; ``X-RateLimit-*``
   headers on every answer. Redis down: unconditional APIs are answered without limits (fail
   open), conditional ones refused with 503 (fail closed); never a 500.
4. ``finish`` — the limit headers, and the call pushed to the ledger (``ledger.record``).
"""
from __future__ import annotations

import time
from typing import Any

from ckan import model
from flask import Response, g, request

from ckanext.govdata import open_condition, request_scope
from ckanext.govdata.calendar import utcnow
from ckanext.govdata.dataapi import errors
from ckanext.govdata.dataapi.callers import IdentityChanged
from ckanext.govdata.dataapi.errors import ApiError
from ckanext.govdata.dataapi.keys import identities, ledger, limits, secrets
from ckanext.govdata.dataapi.keys.model import App
from ckanext.govdata.messages import bilingual

KEY_HEADER, SECRET_HEADER = "X-App-Key", "X-App-Secret"
AUTH_SCHEME = "appkey"
MAX_KEY_LENGTH = 200


def _unauthorised(code: str, message: str) -> ApiError:
    return ApiError(401, code, message)


def presented() -> tuple[str, str] | None:
    """The key and secret the request carries, None when it carries no application key."""
    key, secret = request.headers.get(KEY_HEADER), request.headers.get(SECRET_HEADER)
    if key is None and secret is None:
        scheme, _, credentials = request.headers.get("Authorization", "").strip().partition(" ")
        if scheme.lower() != AUTH_SCHEME:
            return None
        key, _, secret = credentials.strip().partition(":")
    key, secret = (key or "").strip(), (secret or "").strip()
    if not key or not secret or len(key) > MAX_KEY_LENGTH or len(secret) > MAX_KEY_LENGTH:
        raise _unauthorised("app_key_malformed", bilingual(
            "Give the application key and secret as X-App-Key and X-App-Secret, or as Authorization: AppKey key:secret"
        ))
    return key, secret


def identify(key: str, secret: str) -> tuple[App, model.User]:
    """The application and its owner for a key and secret, or a 401 ApiError saying why not.

    Read from this worker's entry for the key (``identities``), checked against Redis when the
    quota is spent (``admit``); an entry that would refuse the call is read again first, so a
    new secret, a later expiry or a reactivated owner count at once.
    """
    identity = identities.lookup(key)
    try:
        return _admitted(identity, secret)
    except ApiError:
        if identity is None or identity.fresh:
            raise
        identities.forget(key)
        return _admitted(identities.lookup(key), secret)


def _admitted(identity: identities.Identity | None, secret: str) -> tuple[App, model.User]:
    app = identity.app if identity is not None else None
    # Unknown keys and wrong secrets answer alike; a hash is computed either way.
    if app is None or not secrets.matches(secret, app.secret_hash if app is not None else ""):
        raise _unauthorised("app_key_invalid", bilingual("Unknown application key or wrong secret"))
    if app.revoked_at is not None:
        raise _unauthorised("app_key_revoked", bilingual("This application key has been revoked"))
    if app.expires_at is not None and app.expires_at <= utcnow():
        raise _unauthorised("app_key_expired", bilingual("This application key has expired"))
    assert identity is not None
    owner = identity.owner
    if owner is None or owner.state != "active":
        raise _unauthorised("app_key_invalid", bilingual("Unknown application key or wrong secret"))
    g.govdata_app = app
    g.govdata_identity = identity
    return app, owner


def within_scope(app: App, api_name: str, package_id: str) -> None:
    if api_name not in app.scope and package_id not in app.scope:
        raise ApiError(
            403, "app_key_scope",
            bilingual("This application key may not call this API: add it to the key's scope ({name})", name=api_name),
        )


def confirm_refusal() -> None:
    """A refusal that rests on a held entry (scope, the owner's rights) is confirmed from the
    database: ``IdentityChanged`` when the call was identified from one."""
    identity: identities.Identity | None = getattr(g, "govdata_identity", None)
    if identity is not None and not identity.fresh:
        identities.forget(identity.app.key)
        request_scope.forget(request_scope.VIEWERS)
        raise IdentityChanged()


def client_address() -> str:
    return request.remote_addr or "unknown"


def admit(api_name: str, condition: str, app: App | None, user_id: str | None) -> None:
    """Spend one call of the caller's quota, or raise 429 (or 503 when limits cannot be kept).

    A key identified from this worker's entry is checked in the same Redis call: when the entry
    is out of date (or Redis cannot tell), nothing is spent and ``IdentityChanged`` asks for the
    caller to be identified again from the database.
    """
    identity: identities.Identity | None = getattr(g, "govdata_identity", None) if app is not None else None
    checked = identity is not None and identity.stamp is not None
    if app is not None:
        quota, key = limits.quota_for(app.plan, api_name), f"app:{app.key}:{api_name}"
    elif user_id is not None:
        quota, key = limits.quota_for(limits.DEFAULT_PLAN, api_name), f"user:{user_id}:{api_name}"
    else:
        quota, key = limits.anonymous_quota(api_name), f"addr:{client_address()}:{api_name}"
    if checked:
        assert identity is not None and identity.stamp is not None
        decision = limits.check(quota, key, identity.stamps, identity.stamp)
    else:
        decision = limits.check(quota, key)
    if checked and (decision is None or decision.stale):
        assert app is not None
        identities.forget(app.key if decision is not None else None)
        request_scope.forget(request_scope.VIEWERS)
        raise IdentityChanged()
    if decision is None:
        if condition == open_condition.UNCONDITIONAL:
            return
        raise errors.limits_unavailable()
    g.govdata_rate_headers = decision.headers()
    if not decision.allowed:
        raise ApiError(
            429, "rate_limited",
            bilingual("Too many calls: wait {seconds} seconds before calling again", seconds=decision.retry_after),
        ).with_headers(decision.headers())


def started() -> float:
    return time.perf_counter()


def finish(response: Response, name: str, started_at: float) -> Response:
    """Limit headers on the answer, and the call in the ledger (whatever its status)."""
    response.headers.update(getattr(g, "govdata_rate_headers", None) or {})
    call: dict[str, Any] = getattr(g, "govdata_dataapi_call", None) or {}
    app = getattr(g, "govdata_app", None)
    ledger.record({
        "app_id": app.id if app is not None else None,
        "user_id": call.get("user_id") or (app.user_id if app is not None else None),
        "api": call.get("api") or name[:100],
        "package_id": call.get("package_id"),
        "called_at": utcnow().isoformat(),
        "status": response.status_code,
        "rows": call.get("rows", 0),
        "latency_ms": round((time.perf_counter() - started_at) * 1000, 3),
        "client": client_address(),
    })
    return response
