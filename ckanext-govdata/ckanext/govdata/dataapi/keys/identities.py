"""What an application key stands for (its ``App`` row and owner), kept in each web worker and
checked against Redis on every call, so a data API call reads no database row to identify it.

A cached identity carries the *stamp* it was read under: two counters in Redis, one for the
application and one for its owner, that ``bump_changed`` increments after every commit that
changes an ``App`` or a ``User`` row (rotation, revocation, expiry, scope, plan, the owner's
state or sysadmin flag …). ``guard.admit`` hands the stamp to the quota script, which spends
nothing when it no longer reads the same (``rate_limits.spend``): the guard forgets the entry
and the call is identified again from the database — one Redis round trip per call, and a
change is seen on the very next call in every worker.

The stamp is read *before* the rows, so an entry can be older than its stamp, never newer.
Without Redis nothing is cached: each call reads the rows, as the key check always did. An entry
is also read again once it is ``MAX_AGE`` seconds old: a change committed while Redis could not
be told (its bump lost) reaches every worker within that time at the latest.
"""
from __future__ import annotations

import dataclasses
import logging
import time
from collections import OrderedDict
from typing import Any

import redis
import sqlalchemy as sa
from ckan import model

from ckanext.govdata import rate_limits
from ckanext.govdata.dataapi.keys import limits
from ckanext.govdata.dataapi.keys.model import App

log = logging.getLogger(__name__)

# Keys remembered per worker; the least recently used is forgotten first.
CACHE_SIZE = 2048
# Seconds an entry is used before the rows are read again, whatever the stamps say.
MAX_AGE = 60.0
CHANGED = "govdata_devkeys_changed_stamps"


@dataclasses.dataclass(frozen=True)
class Identity:
    # Detached from any session: column attributes only (all loaded).
    app: App
    owner: model.User | None
    # The stamp it was read under; None when read without Redis (not cached, not checked).
    stamp: str | None
    # Read from the database for this call (else held from an earlier one).
    fresh: bool = True
    # When it was read (time.monotonic()).
    read_at: float = dataclasses.field(default_factory=time.monotonic)

    @property
    def stamps(self) -> tuple[str, ...]:
        return stamps_of(self.app.id, self.app.user_id)


def stamps_of(app_id: str, user_id: str) -> tuple[str, ...]:
    return (f"app:{app_id}", f"user:{user_id}")


_cache: OrderedDict[str, Identity] = OrderedDict()


def _from_database(key: str, stamp: str | None) -> Identity | None:
    # A session of its own: the rows leave it detached and loaded, and the request's session
    # (its current user, its pending changes) is left alone.
    with sa.orm.Session(model.meta.engine, expire_on_commit=False) as session:
        app = session.query(App).filter(App.key == key).one_or_none()
        owner = session.get(model.User, app.user_id) if app is not None else None
    return Identity(app, owner, stamp) if app is not None else None


def lookup(key: str) -> Identity | None:
    """The application of ``key`` and its owner (None for an unknown key)."""
    cached = _cache.get(key)
    if cached is not None and time.monotonic() - cached.read_at < MAX_AGE:
        _cache.move_to_end(key)
        return cached
    ids = model.Session.query(App.id, App.user_id).filter(App.key == key).one_or_none()
    if ids is None:
        return None
    try:
        stamp = rate_limits.read_stamp(limits.connection(), stamps_of(*ids))
    except redis.RedisError:
        return _from_database(key, None)
    found = _from_database(key, stamp)
    if found is not None:
        _cache[key] = dataclasses.replace(found, fresh=False)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return found


def forget(key: str | None = None) -> None:
    """Drop ``key``'s entry (every entry when None)."""
    if key is None:
        _cache.clear()
    else:
        _cache.pop(key, None)


def _note_changes(session: Any, flush_context: Any, instances: Any) -> None:
    changed = session.info.setdefault(CHANGED, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, App):
            changed.add(f"app:{obj.id}")
        elif isinstance(obj, model.User):
            changed.add(f"user:{obj.id}")


def _bump_after_commit(session: Any) -> None:
    changed = session.info.pop(CHANGED, None)
    if not changed:
        return
    try:
        rate_limits.bump_stamps(limits.connection(), sorted(changed))
    except redis.RedisError as error:
        # Workers that meet Redis down forget their entries; one that does not may answer a
        # changed key from its entry until it does (logged for the operators).
        log.error("Application key changes not announced to the web workers (Redis): %s", error)


def install_listeners() -> None:
    # Changes noted and then rolled back are bumped all the same with the next commit: a
    # needless bump costs one re-read, a missed one would keep a stale entry.
    for event, listener in (("before_flush", _note_changes), ("after_commit", _bump_after_commit)):
        if not sa.event.contains(model.Session, event, listener):
            sa.event.listen(model.Session, event, listener)
