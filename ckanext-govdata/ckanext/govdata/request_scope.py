"""Values kept for the length of one web request (or CLI app context), in one place.

Auth functions and actions never read ``flask.g`` or ``flask.request`` themselves: what they
share beyond their context lives here.

A download asks several times who the user is (the guard, ``resource_show``, ``package_show``):
the viewer with its department roles and grants is looked up once and kept here, and forgotten
when grants change. Outside an app context nothing is kept.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import g, has_app_context, has_request_context, request

T = TypeVar("T")

# Viewers hold department roles and grants: forget them when a grant is made, changed or revoked.
VIEWERS = "govdata_viewers"
# The tables a SQL query reads, found by the auth function, logged by the action: CKAN hands
# auth functions a copy of the context, so the two meet here.
SQL_ACCESSES = "govdata_sql_accesses"


def in_request() -> bool:
    return has_request_context()


def endpoint() -> str | None:
    """The endpoint of the web request being served, if any."""
    return request.endpoint if has_request_context() else None


def remember(namespace: str, key: Hashable, make: Callable[[], T]) -> T:
    """The value kept under ``key`` for this request, made once."""
    if not has_app_context():
        return make()
    kept: dict[Hashable, Any] = g.setdefault(namespace, {})
    if key not in kept:
        kept[key] = make()
    return kept[key]


def forget(namespace: str) -> None:
    if has_app_context():
        g.pop(namespace, None)


def hand_over(namespace: str, value: Any) -> None:
    """Leave ``value`` for the next ``take`` of this request."""
    if has_app_context():
        setattr(g, namespace, value)


def take(namespace: str, default: T) -> T:
    """What ``hand_over`` left, once."""
    return g.pop(namespace, default) if has_app_context() else default
