"""Access grants and the log of their use.

The tables ``govdata_access_grant`` and ``govdata_access_log`` are created by the
``govdata_access`` migrations; a grant made by deciding a request points to it.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from ckan.model.base import BaseModel
from ckan.model.types import make_uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ckanext.govdata.calendar import utcnow


class AccessGrant(BaseModel):
    """Permission for one user (or one of their applications) to get the data of (some resources of)
    one dataset."""

    __tablename__ = "govdata_access_grant"
    __table_args__ = (
        sa.Index("govdata_access_grant_user_package_idx", "user_id", "package_id"),
        sa.Index("govdata_access_grant_source_idx", "source"),
        sa.Index("govdata_access_grant_app_idx", "app_id"),
    )

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    request_id: Mapped[str | None] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("govdata_access_request.id"), unique=True
    )
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, sa.ForeignKey("user.id"))
    package_id: Mapped[str] = mapped_column(sa.UnicodeText, sa.ForeignKey("package.id"))
    # Empty means every resource of the dataset.
    resource_ids: Mapped[list[str]] = mapped_column(JSONB, default=list)
    # {"column": ..., "value": ...}: only the data subject's rows (数据主体授权使用).
    row_filter: Mapped[dict[str, str] | None] = mapped_column(JSONB)
    starts_on: Mapped[dt.date] = mapped_column(sa.Date)
    expires_on: Mapped[dt.date] = mapped_column(sa.Date)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)
    revoked_by: Mapped[str | None] = mapped_column(sa.UnicodeText)
    revoke_reason: Mapped[str | None] = mapped_column(sa.UnicodeText)
    # Grants not made by deciding a request say who issued them for what: ``source`` is a key
    # the issuer finds them by (``contest-team:<id>``), ``note`` what people are shown.
    source: Mapped[str | None] = mapped_column(sa.UnicodeText)
    note: Mapped[str | None] = mapped_column(sa.UnicodeText)
    # Set: the grant is for this one application (a govdata_devkeys app id) and opens data only
    # to calls made with its key through the data API, never to its owner (``user_id``) by any
    # other path, nor to the owner's other applications.
    app_id: Mapped[str | None] = mapped_column(sa.UnicodeText)
    created: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)


class AccessLog(BaseModel):
    """One read of conditional or data-subject data (the audit trail): who, what, when, how much,
    through which path, on which basis (under which grant), about which subject (keyed and masked,
    never the number). Staff and the bureau reading such data are recorded as grantees are.

    Append-only: a trigger of the migration refuses UPDATE and DELETE.
    """

    __tablename__ = "govdata_access_log"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, index=True)
    grant_id: Mapped[str | None] = mapped_column(sa.UnicodeText, index=True)
    package_id: Mapped[str] = mapped_column(sa.UnicodeText, index=True)
    resource_id: Mapped[str | None] = mapped_column(sa.UnicodeText)
    channel: Mapped[str] = mapped_column(sa.UnicodeText)
    amount: Mapped[int | None] = mapped_column(sa.BigInteger)
    unit: Mapped[str] = mapped_column(sa.UnicodeText)
    # The dataset's department at the time of the read: the trail is filtered by it.
    organization_id: Mapped[str | None] = mapped_column(sa.UnicodeText, index=True)
    subject_key: Mapped[str | None] = mapped_column(sa.UnicodeText, index=True)
    subject_masked: Mapped[str | None] = mapped_column(sa.UnicodeText)
    # The application whose key made the read (data API calls with an app key).
    app_id: Mapped[str | None] = mapped_column(sa.UnicodeText)
    # Why the read was allowed: grant | department (its own staff) | sysadmin (the data bureau) |
    # subject (我的数据); None on entries written before it was recorded (grant or subject).
    basis: Mapped[str | None] = mapped_column(sa.UnicodeText)
    created: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow, index=True)
