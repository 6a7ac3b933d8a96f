"""Tables of the showcase plugin (created by migration/govdata_showcase)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from ckan.model import types as ckan_types
from ckan.model.base import BaseModel
from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, UnicodeText, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class ShowcaseReview(BaseModel):
    """One moderation decision on a showcase, with the moderator's comment to its author."""

    __tablename__ = "govdata_showcase_review"
    __table_args__ = (Index("govdata_showcase_review_package_id_idx", "package_id"),)

    id: Mapped[str] = mapped_column(UnicodeText, primary_key=True, default=ckan_types.make_uuid)
    package_id: Mapped[str] = mapped_column(
        UnicodeText, ForeignKey("package.id", ondelete="CASCADE"), nullable=False
    )
    decision: Mapped[str] = mapped_column(UnicodeText, nullable=False)
    comment: Mapped[str] = mapped_column(UnicodeText, nullable=False, default="")
    reviewer_id: Mapped[str] = mapped_column(UnicodeText, ForeignKey("user.id"), nullable=False)
    created: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=_now)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "package_id": self.package_id,
            "decision": self.decision,
            "comment": self.comment,
            "reviewer_id": self.reviewer_id,
            "created": self.created.isoformat(),
        }


class Scenario(BaseModel):
    """An open scenario (开放场景): datasets and APIs curated around one use, e.g. 综合交通."""

    __tablename__ = "govdata_scenario"

    id: Mapped[str] = mapped_column(UnicodeText, primary_key=True, default=ckan_types.make_uuid)
    name: Mapped[str] = mapped_column(UnicodeText, nullable=False, unique=True)
    title: Mapped[str] = mapped_column(UnicodeText, nullable=False)
    description: Mapped[str] = mapped_column(UnicodeText, nullable=False, default="")
    # The stored picture (images.StoredImage as a dict), if any.
    image: Mapped[dict[str, Any] | None] = mapped_column(JSONB, nullable=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=_now)
    modified: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=_now, onupdate=_now)


class ScenarioPackage(BaseModel):
    """A dataset or API of a scenario, at its place in the scenario's order."""

    __tablename__ = "govdata_scenario_package"

    scenario_id: Mapped[str] = mapped_column(
        UnicodeText, ForeignKey("govdata_scenario.id", ondelete="CASCADE"), primary_key=True
    )
    package_id: Mapped[str] = mapped_column(UnicodeText, ForeignKey("package.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)


class Contest(BaseModel):
    """A data contest (开放大赛): tracks, phases with dates, criteria and the data offered."""

    __tablename__ = "govdata_contest"

    id: Mapped[str] = mapped_column(UnicodeText, primary_key=True, default=ckan_types.make_uuid)
    name: Mapped[str] = mapped_column(UnicodeText, nullable=False, unique=True)
    title: Mapped[str] = mapped_column(UnicodeText, nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    description: Mapped[str] = mapped_column(UnicodeText, nullable=False, default="")
    rules_url: Mapped[str] = mapped_column(UnicodeText, nullable=False, default="")
    # The uploaded rules document ({"id", "name", "size", "mimetype", "extension"}), if any.
    rules_document: Mapped[dict[str, Any] | None] = mapped_column(JSONB, nullable=True)
    registration_opens: Mapped[dt.date] = mapped_column(Date, nullable=False)
    registration_closes: Mapped[dt.date] = mapped_column(Date, nullable=False)
    submission_opens: Mapped[dt.date] = mapped_column(Date, nullable=False)
    submission_closes: Mapped[dt.date] = mapped_column(Date, nullable=False)
    review_opens: Mapped[dt.date] = mapped_column(Date, nullable=False)
    review_closes: Mapped[dt.date] = mapped_column(Date, nullable=False)
    results_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    # [{"name": "innovation", "title": "创新性", "max": 30}, …]: what judges score, and out of how much.
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    # Ids of the datasets and APIs offered to contestants, in display order.
    packages: Mapped[list[str]] = mapped_column(JSONB, nullable=False, default=list)
    results_published: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=_now)
    modified: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=_now, onupdate=_now)


class ContestTrack(BaseModel):
    """A track (赛道) of a contest; teams register for one."""

    __tablename__ = "govdata_contest_track"
    __table_args__ = (UniqueConstraint("contest_id", "name", name="govdata_contest_track_name_key"),)

    id: Mapped[str] = mapped_column(UnicodeText, primary_key=True, default=ckan_types.make_uuid)
    contest_id: Mapped[str] = mapped_column(UnicodeText, ForeignKey("govdata_contest.id", ondelete="CASCADE"), nullable=False)
    name: Mapped[str] = mapped_column(UnicodeText, nullable=False)
    title: Mapped[str] = mapped_column(UnicodeText, nullable=False)
    description: Mapped[str] = mapped_column(UnicodeText, nullable=False, default="")
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class ContestTeam(BaseModel):
    """A registered team: who is in it (names) and which accounts act for it."""

    __tablename__ = "govdata_contest_team"
    __table_args__ = (UniqueConstraint("contest_id", "name", name="govdata_contest_team_name_key"),)

    id: Mapped[str] = mapped_column(UnicodeText, primary_key=True, default=ckan_types.make_uuid)
    contest_id: Mapped[str] = mapped_column(UnicodeText, ForeignKey("govdata_contest.id", ondelete="CASCADE"), nullable=False)
    track_id: Mapped[str] = mapped_column(UnicodeText, ForeignKey("govdata_contest_track.id"), nullable=False)
    name: Mapped[str] = mapped_column(UnicodeText, nullable=False)
    organisation: Mapped[str] = mapped_column(UnicodeText, nullable=False, default="")
    # Names of the people in the team, as they want them shown.
    members: Mapped[list[str]] = mapped_column(JSONB, nullable=False, default=list)
    leader_id: Mapped[str] = mapped_column(UnicodeText, ForeignKey("user.id"), nullable=False)
    created: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=_now)


class ContestTeamAccount(BaseModel):
    """A user account that may submit and edit the team's entries."""

    __tablename__ = "govdata_contest_team_account"
    __table_args__ = (Index("govdata_contest_team_account_user_id_idx", "user_id"),)

    team_id: Mapped[str] = mapped_column(UnicodeText, ForeignKey("govdata_contest_team.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(UnicodeText, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)


class ContestEntry(BaseModel):
    """A team's entry: one showcase, in the team's track; its award once results are out."""

    __tablename__ = "govdata_contest_entry"

    id: Mapped[str] = mapped_column(UnicodeText, primary_key=True, default=ckan_types.make_uuid)
    contest_id: Mapped[str] = mapped_column(UnicodeText, ForeignKey("govdata_contest.id", ondelete="CASCADE"), nullable=False)
    team_id: Mapped[str] = mapped_column(UnicodeText, ForeignKey("govdata_contest_team.id", ondelete="CASCADE"), nullable=False)
    track_id: Mapped[str] = mapped_column(UnicodeText, ForeignKey("govdata_contest_track.id"), nullable=False)
    package_id: Mapped[str] = mapped_column(
        UnicodeText, ForeignKey("package.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    submitted: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=_now)
    award: Mapped[str | None] = mapped_column(UnicodeText, nullable=True)
    rank: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ContestAssignment(BaseModel):
    """A judge assigned to score an entry."""

    __tablename__ = "govdata_contest_assignment"
    __table_args__ = (Index("govdata_contest_assignment_judge_id_idx", "judge_id"),)

    entry_id: Mapped[str] = mapped_column(UnicodeText, ForeignKey("govdata_contest_entry.id", ondelete="CASCADE"), primary_key=True)
    judge_id: Mapped[str] = mapped_column(UnicodeText, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)


class ContestScore(BaseModel):
    """One judge's score of one entry on one criterion."""

    __tablename__ = "govdata_contest_score"

    entry_id: Mapped[str] = mapped_column(UnicodeText, ForeignKey("govdata_contest_entry.id", ondelete="CASCADE"), primary_key=True)
    judge_id: Mapped[str] = mapped_column(UnicodeText, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    criterion: Mapped[str] = mapped_column(UnicodeText, primary_key=True)
    score: Mapped[int] = mapped_column(Integer, nullable=False)
    comment: Mapped[str] = mapped_column(UnicodeText, nullable=False, default="")
    updated: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=_now, onupdate=_now)
