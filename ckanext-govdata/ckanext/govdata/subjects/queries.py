"""Reading subjects, verifications and the datasets that hold rows about a subject; subjects and
their grants as dicts (masked: a document number never leaves through them)."""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from ckan import model

from ckanext.govdata import calendar, grants, open_condition
from ckanext.govdata.grants import AccessGrant
from ckanext.govdata.subjects import applications
from ckanext.govdata.subjects.model import Subject, SubjectChallenge

# The ``source`` of the grants a subject issues: ``subject:<subject id>``.
GRANT_SOURCE = "subject:"


def challenge(challenge_id: Any, lock: bool = False) -> SubjectChallenge | None:
    if not isinstance(challenge_id, str):
        return None
    query = model.Session.query(SubjectChallenge).filter(SubjectChallenge.id == challenge_id)
    return (query.with_for_update() if lock else query).one_or_none()


def subjects_of(user_id: str) -> list[Subject]:
    return model.Session.query(Subject).filter(Subject.user_id == user_id).order_by(Subject.verified_at).all()


def grant_source(subject: Subject) -> str:
    return GRANT_SOURCE + subject.id


def subject_of_grant(grant: AccessGrant) -> Subject | None:
    if not grant.source or not grant.source.startswith(GRANT_SOURCE):
        return None
    return model.Session.get(Subject, grant.source.removeprefix(GRANT_SOURCE))


def subject_dict(subject: Subject) -> dict[str, Any]:
    return {
        "id": subject.id,
        "kind": subject.kind,
        "document_type": subject.document_type,
        "masked": subject.masked,
        "agent_name": subject.agent_name,
        "provider": subject.provider,
        "verified_at": subject.verified_at.isoformat(),
    }


def subject_grant_dict(grant: AccessGrant, today: dt.date | None = None) -> dict[str, Any]:
    """A grant as the subject sees it: the grantee (and the application, for a grant to one),
    dataset, purpose and period, the row filter's column only."""
    shown = grants.grant_dict(grant, today)
    shown["row_filter"] = {"column": (grant.row_filter or {}).get("column")}
    shown["purpose"] = grant.note
    shown["app"] = applications.shown(grant.app_id)
    return shown


def subject_datasets(kind: str) -> list[model.Package]:
    """Published datasets about subjects of ``kind`` that name their subject column, whose data
    may be opened at all (not ``not-open``), by title."""
    extras = model.Package.extras
    packages = (
        model.Session.query(model.Package)
        .filter(extras["data_subject_type"].astext == kind)
        .filter(sa.func.coalesce(extras["subject_id_column"].astext, "") != "")
        .filter(model.Package.state == "active", model.Package.private.is_(False))
        .order_by(model.Package.title)
        .all()
    )
    return [package for package in packages if open_condition.condition_of(package) != open_condition.NOT_OPEN]


def datastore_resources(package: model.Package) -> list[model.Resource]:
    return [
        resource for resource in package.resources
        if resource.state == "active" and str((resource.extras or {}).get("datastore_active")).lower() == "true"
    ]


def today() -> dt.date:
    return calendar.today()
