"""Tables of feedback on published data: error reports (纠错), ratings (好差评) and the
rectification items (整改) bad ratings open, their history, and in-app notices.

Created by the alembic migrations in ``migration/govdata_feedback``; everything else reaches
them through the actions in ``logic/``.
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
from ckanext.govdata.workflow_model import StepColumns


class Correction(BaseModel):
    """An error report on a published dataset or one of its resources."""

    __tablename__ = "govdata_correction"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, sa.ForeignKey("user.id"), index=True)
    package_id: Mapped[str] = mapped_column(sa.UnicodeText, sa.ForeignKey("package.id"), index=True)
    resource_id: Mapped[str | None] = mapped_column(sa.UnicodeText)
    # The department when the report arrived: queues and figures filter on it.
    organization_id: Mapped[str | None] = mapped_column(sa.UnicodeText, index=True)
    # Where the error is: a row, a field, a cell, as the reporter words it.
    location: Mapped[str | None] = mapped_column(sa.UnicodeText)
    description: Mapped[str] = mapped_column(sa.UnicodeText)
    attachment: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    state: Mapped[str] = mapped_column(sa.UnicodeText, index=True)
    limit_days: Mapped[int] = mapped_column(sa.Integer)
    submitted_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
    due_date: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)
    resolution_note: Mapped[str | None] = mapped_column(sa.UnicodeText)
    # The new version of the data a fix points to: a resource, or the dataset's activity.
    fixed_resource_id: Mapped[str | None] = mapped_column(sa.UnicodeText)
    fixed_activity_id: Mapped[str | None] = mapped_column(sa.UnicodeText)
    created: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
    modified: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow, onupdate=utcnow)


class CorrectionEvent(StepColumns, BaseModel):
    """One step of a report (its ledger)."""

    __tablename__ = "govdata_correction_event"

    correction_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("govdata_correction.id", ondelete="CASCADE"), index=True
    )


class Rating(BaseModel):
    """A user's rating of a dataset or API interface: one per user and dataset, changeable."""

    __tablename__ = "govdata_rating"
    __table_args__ = (sa.UniqueConstraint("user_id", "package_id", name="govdata_rating_user_package_key"),)

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, sa.ForeignKey("user.id"))
    package_id: Mapped[str] = mapped_column(sa.UnicodeText, sa.ForeignKey("package.id"), index=True)
    organization_id: Mapped[str | None] = mapped_column(sa.UnicodeText)
    value: Mapped[str] = mapped_column(sa.UnicodeText)
    reason: Mapped[str | None] = mapped_column(sa.UnicodeText)
    created: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
    modified: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)


class Rectification(BaseModel):
    """What a bad rating asks of the department: rectify by the due date, with a note."""

    __tablename__ = "govdata_rectification"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    rating_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("govdata_rating.id", ondelete="CASCADE"), index=True
    )
    package_id: Mapped[str] = mapped_column(sa.UnicodeText, sa.ForeignKey("package.id"), index=True)
    organization_id: Mapped[str | None] = mapped_column(sa.UnicodeText, index=True)
    # The bad rating's reason when the item was opened (the rater may change it later).
    reason: Mapped[str] = mapped_column(sa.UnicodeText)
    state: Mapped[str] = mapped_column(sa.UnicodeText, index=True)
    limit_days: Mapped[int] = mapped_column(sa.Integer)
    opened_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
    due_date: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)
    closed_by: Mapped[str | None] = mapped_column(sa.UnicodeText)
    note: Mapped[str | None] = mapped_column(sa.UnicodeText)


class FeedbackNotice(BaseModel):
    """An in-app notice (站内通知) about a report or a rectification, shown until read."""

    __tablename__ = "govdata_feedback_notice"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, index=True)
    correction_id: Mapped[str | None] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("govdata_correction.id", ondelete="CASCADE")
    )
    rectification_id: Mapped[str | None] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("govdata_rectification.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(sa.UnicodeText)
    created: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
    read_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)
