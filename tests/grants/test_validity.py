"""One answer to "is this grant valid now?": the dates and the revocation decide."""
from __future__ import annotations

import datetime as dt

import pytest

from ckanext.govdata import grants

D = dt.date
TODAY = D(2026, 10, 8)


def _grant(starts_on: dt.date, expires_on: dt.date, revoked: bool = False) -> grants.AccessGrant:
    return grants.AccessGrant(
        starts_on=starts_on, expires_on=expires_on, revoked_at=dt.datetime(2026, 10, 1) if revoked else None
    )


@pytest.mark.parametrize(
    ("starts_on", "expires_on", "revoked", "status"),
    [
        (D(2026, 10, 1), D(2026, 10, 31), False, grants.ACTIVE),
        (TODAY, TODAY, False, grants.ACTIVE),  # both ends count
        (D(2026, 10, 9), D(2026, 10, 31), False, grants.PENDING),
        (D(2026, 9, 1), D(2026, 10, 7), False, grants.EXPIRED),
        (D(2026, 10, 1), D(2026, 10, 31), True, grants.REVOKED),
        (D(2026, 9, 1), D(2026, 10, 7), True, grants.REVOKED),  # revocation is what people see
    ],
)
def test_status_on_a_day(starts_on, expires_on, revoked, status):
    grant = _grant(starts_on, expires_on, revoked)

    assert grants.status(grant, TODAY) == status
    assert grants.is_valid(grant, TODAY) is (status == grants.ACTIVE)
    assert grants.in_force(grant, TODAY) is (status in (grants.ACTIVE, grants.PENDING))
