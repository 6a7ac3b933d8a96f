"""Tables of data quality: the rules staff attach to a dataset's data items, the runs of the
checks, and one result per rule and run.

Created by the alembic migration in ``migration/govdata_quality``; everything else reaches them
through the actions in ``logic/``. A result keeps the rule's kind, dimension and columns so that
figures of past runs stay as they were when a rule is changed or deleted.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from ckan.model.base import BaseModel
from ckan.model.types import make_uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ckanext.govdata.calendar import utcnow


class Rule(BaseModel):
    """A check on the values of one datastore table (a resource) of a dataset."""

    __tablename__ = "govdata_quality_rule"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    package_id: Mapped[str] = mapped_column(sa.UnicodeText, index=True)
    resource_id: Mapped[str] = mapped_column(sa.UnicodeText, index=True)
    kind: Mapped[str] = mapped_column(sa.UnicodeText)
    dimension: Mapped[str] = mapped_column(sa.UnicodeText)
    # The data items (columns) checked: one, several for a composite key, none for the row count.
    columns: Mapped[list[str]] = mapped_column(JSONB, default=list)
    params: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    creator_user_id: Mapped[str | None] = mapped_column(sa.UnicodeText)
    created: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
    modified: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow, onupdate=utcnow)


class Run(BaseModel):
    """One run of all the rules of a dataset, queued on demand or when its data changed."""

    __tablename__ = "govdata_quality_run"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    package_id: Mapped[str] = mapped_column(sa.UnicodeText, index=True)
    organization_id: Mapped[str | None] = mapped_column(sa.UnicodeText, index=True)
    state: Mapped[str] = mapped_column(sa.UnicodeText)
    trigger: Mapped[str] = mapped_column(sa.UnicodeText)
    requested_by: Mapped[str | None] = mapped_column(sa.UnicodeText)
    created: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
    finished: Mapped[dt.datetime | None] = mapped_column(sa.DateTime, index=True)
    error: Mapped[str | None] = mapped_column(sa.UnicodeText)


class Result(BaseModel):
    """What one rule found in one run: values checked and values failing."""

    __tablename__ = "govdata_quality_result"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    run_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("govdata_quality_run.id", ondelete="CASCADE"), index=True
    )
    rule_id: Mapped[str | None] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("govdata_quality_rule.id", ondelete="SET NULL"), index=True
    )
    package_id: Mapped[str] = mapped_column(sa.UnicodeText, index=True)
    organization_id: Mapped[str | None] = mapped_column(sa.UnicodeText)
    resource_id: Mapped[str] = mapped_column(sa.UnicodeText)
    kind: Mapped[str] = mapped_column(sa.UnicodeText)
    dimension: Mapped[str] = mapped_column(sa.UnicodeText)
    columns: Mapped[list[str]] = mapped_column(JSONB, default=list)
    checked: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    failed: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    # Why the rule could not be checked (its column or table is gone), else None.
    error: Mapped[str | None] = mapped_column(sa.UnicodeText)
