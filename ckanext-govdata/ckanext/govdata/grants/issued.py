"""Grants issued without a request, by another part of the portal (a data contest for its teams).

The issuer names its grants by a ``source`` key and says, each time its people or data change,
which (user, dataset) pairs should hold a grant and until when; ``sync`` makes the grants match.
Everything else about them is as for any grant: ``open_condition`` checks them on every data
path, the department sees and revokes them (``govdata_access_grant_list`` / ``_revoke``), and
what the grantees read is logged.

A grant a person revoked stays revoked: ``sync`` does not issue it again for the same source,
user and dataset. Grants ``sync`` ends itself carry no ``revoked_by``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ckan import model

from ckanext.govdata import calendar, request_scope
from ckanext.govdata.grants.model import AccessGrant
from ckanext.govdata.grants.validity import in_force

Pair = tuple[str, str]  # (user id, package id)


def sync(source: str, wanted: Iterable[Pair], starts_on: dt.date, expires_on: dt.date, note: str,
         reason_ended: str) -> None:
    """Make the grants of ``source`` cover exactly ``wanted`` from ``starts_on`` to ``expires_on``.

    Pairs wanted and not covered get a grant while the period lasts (unless a person revoked
    theirs); grants in force of wanted pairs take the new end, which may end them (a shortened
    period); grants in force of pairs no longer wanted are revoked with ``reason_ended``.
    The caller commits.
    """
    today = calendar.today()
    wanted_pairs = set(wanted)
    period_lasts = expires_on >= max(today, starts_on)
    grants = model.Session.query(AccessGrant).filter(AccessGrant.source == source).with_for_update().all()
    by_pair: dict[Pair, list[AccessGrant]] = {}
    for grant in grants:
        by_pair.setdefault((grant.user_id, grant.package_id), []).append(grant)
    for pair in sorted(wanted_pairs):
        existing = by_pair.get(pair, [])
        active = [grant for grant in existing if in_force(grant, today)]
        if any(grant.revoked_at is not None and grant.revoked_by for grant in existing):
            continue
        if active:
            for grant in active:
                if grant.expires_on != expires_on or grant.note != note:
                    grant.expires_on, grant.note = expires_on, note
            continue
        if not period_lasts:
            continue
        user_id, package_id = pair
        model.Session.add(AccessGrant(
            user_id=user_id, package_id=package_id, resource_ids=[], row_filter=None,
            starts_on=max(today, starts_on), expires_on=expires_on, source=source, note=note,
            created=calendar.utcnow(),
        ))
    for pair, existing in by_pair.items():
        if pair in wanted_pairs:
            continue
        for grant in existing:
            if in_force(grant, today):
                grant.revoked_at, grant.revoke_reason = calendar.utcnow(), reason_ended
    request_scope.forget(request_scope.VIEWERS)


def current(source: str) -> list[AccessGrant]:
    """The grants of ``source`` in force (started or still to start), newest first."""
    today = calendar.today()
    query = model.Session.query(AccessGrant).filter(AccessGrant.source == source).order_by(AccessGrant.created.desc())
    return [grant for grant in query if in_force(grant, today)]
