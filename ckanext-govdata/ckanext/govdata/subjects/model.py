"""Tables of data subjects (我的数据): the people and enterprises who proved who they are, the
verifications under way, and the rows they flagged as wrong.

Created by the alembic migrations in ``migration/govdata_subjects``. A subject keeps its document
number normalised (the datastore rows and the grants' row filters are matched by it), its HMAC
key (look-ups, the audit trail) and its masked form (every page); nothing else about the person.
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


class Subject(BaseModel):
    """A user proved to be (or to act for) the subject of a document: person or enterprise."""

    __tablename__ = "govdata_subject"
    __table_args__ = (sa.UniqueConstraint("user_id", "number_key", name="govdata_subject_user_number_key"),)

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, sa.ForeignKey("user.id"), index=True)
    # person | enterprise
    kind: Mapped[str] = mapped_column(sa.UnicodeText)
    document_type: Mapped[str] = mapped_column(sa.UnicodeText)
    number: Mapped[str] = mapped_column(sa.UnicodeText)
    number_key: Mapped[str] = mapped_column(sa.UnicodeText, index=True)
    masked: Mapped[str] = mapped_column(sa.UnicodeText)
    # An enterprise's authorised agent, as they name themselves (the signed-in user acts).
    agent_name: Mapped[str | None] = mapped_column(sa.UnicodeText)
    provider: Mapped[str] = mapped_column(sa.UnicodeText)
    verified_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)


class SubjectChallenge(BaseModel):
    """A verification under way: the claim, and what the identity provider keeps to check the answer."""

    __tablename__ = "govdata_subject_challenge"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, sa.ForeignKey("user.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.UnicodeText)
    document_type: Mapped[str] = mapped_column(sa.UnicodeText)
    # Kept until the answer, then blanked: the subject row keeps it from there.
    number: Mapped[str | None] = mapped_column(sa.UnicodeText)
    masked: Mapped[str] = mapped_column(sa.UnicodeText)
    agent_name: Mapped[str | None] = mapped_column(sa.UnicodeText)
    provider: Mapped[str] = mapped_column(sa.UnicodeText)
    provider_state: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    expires_at: Mapped[dt.datetime] = mapped_column(sa.DateTime)
    # verified | failed (too many wrong answers) | None while open
    outcome: Mapped[str | None] = mapped_column(sa.UnicodeText)
    created: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)


class SubjectFlag(BaseModel):
    """A row the subject flagged as wrong, and the error report (纠错) it became."""

    __tablename__ = "govdata_subject_flag"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    subject_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("govdata_subject.id", ondelete="CASCADE"), index=True
    )
    correction_id: Mapped[str] = mapped_column(sa.UnicodeText, index=True)
    package_id: Mapped[str] = mapped_column(sa.UnicodeText)
    resource_id: Mapped[str] = mapped_column(sa.UnicodeText)
    row_id: Mapped[int] = mapped_column(sa.BigInteger)
    created: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
