"""Tables of the developer side of the data APIs: applications with their key (应用与密钥) and
the ledger of calls (调用记录).

Created by the alembic migration in ``migration/govdata_devkeys``. A secret is never stored:
only its keyed hash (``secrets.hash_secret``).
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from ckan.model.base import BaseModel
from ckan.model.types import make_uuid
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from ckanext.govdata.calendar import utcnow


class App(BaseModel):
    """A registered user's application: one key (public) and one secret (shown once)."""

    __tablename__ = "govdata_app"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, sa.ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(sa.UnicodeText)
    description: Mapped[str | None] = mapped_column(sa.UnicodeText)
    homepage: Mapped[str | None] = mapped_column(sa.UnicodeText)
    key: Mapped[str] = mapped_column(sa.UnicodeText, unique=True)
    secret_hash: Mapped[str] = mapped_column(sa.UnicodeText)
    # The data APIs (dataservice names) the key may call: empty calls nothing (default-deny).
    scope: Mapped[list[str]] = mapped_column(ARRAY(sa.UnicodeText), default=list)
    plan: Mapped[str] = mapped_column(sa.UnicodeText)
    expires_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)
    rotated_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)
    created: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
    modified: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)


class ApiCall(BaseModel):
    """One data API call, written in batches from the Redis ledger (``ledger.flush``)."""

    __tablename__ = "govdata_api_call"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True, autoincrement=True)
    app_id: Mapped[str | None] = mapped_column(sa.UnicodeText, index=True)
    user_id: Mapped[str | None] = mapped_column(sa.UnicodeText, index=True)
    api: Mapped[str] = mapped_column(sa.UnicodeText, index=True)
    package_id: Mapped[str | None] = mapped_column(sa.UnicodeText, index=True)
    called_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, index=True)
    status: Mapped[int] = mapped_column(sa.Integer)
    rows: Mapped[int] = mapped_column(sa.Integer)
    latency_ms: Mapped[float] = mapped_column(sa.Float)
    client: Mapped[str | None] = mapped_column(sa.UnicodeText)
