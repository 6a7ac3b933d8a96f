"""Is this grant valid now? The one answer every data path, list, page and issuer asks."""
from __future__ import annotations

import datetime as dt

from ckanext.govdata import calendar
from ckanext.govdata.grants.model import AccessGrant

ACTIVE = "active"
PENDING = "pending"  # approved, its period not started yet
EXPIRED = "expired"
REVOKED = "revoked"
STATUSES = (ACTIVE, PENDING, EXPIRED, REVOKED)


def status(grant: AccessGrant, on: dt.date | None = None) -> str:
    """Where ``grant`` stands on ``on`` (default today, local time)."""
    day = on or calendar.today()
    if grant.revoked_at is not None:
        return REVOKED
    if grant.expires_on < day:
        return EXPIRED
    if grant.starts_on > day:
        return PENDING
    return ACTIVE


def is_valid(grant: AccessGrant, on: dt.date | None = None) -> bool:
    """Does ``grant`` open data on ``on``?"""
    return status(grant, on) == ACTIVE


def in_force(grant: AccessGrant, on: dt.date | None = None) -> bool:
    """Valid now or later: neither revoked nor expired (it may still be revoked)."""
    return status(grant, on) in (ACTIVE, PENDING)
