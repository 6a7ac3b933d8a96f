"""Proving who a data subject is, once: start a verification with the configured identity
provider, answer it, and list the subjects the caller has proved."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps, settings
from ckanext.govdata.calendar import utcnow
from ckanext.govdata.open_condition import Viewer
from ckanext.govdata.subjects import providers, queries
from ckanext.govdata.subjects.logic.schema import _error, verify_confirm_schema, verify_start_schema
from ckanext.govdata.subjects.model import Subject, SubjectChallenge
from ckanext.govdata.validators import rules, subject_keys

VERIFIED = "verified"
FAILED = "failed"


def _claim(challenge: SubjectChallenge) -> providers.Claim:
    return providers.Claim(
        user_id=challenge.user_id, kind=challenge.kind, document_type=challenge.document_type,
        number=challenge.number or "", masked=challenge.masked, agent_name=challenge.agent_name,
    )


def _check_document(document_type: str, number: str) -> str:
    """The normalised number, or a ValidationError naming the document type."""
    try:
        return subject_keys.check(document_type, number)
    except rules.RuleError as refused:
        raise tk.ValidationError({"number": [_error("number", refused.msgid, **refused.params)]}) from None


@action_steps.atomic
def govdata_subject_verify_start(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Claim to be the person of an identity document, or to act for an enterprise, and start
    the identity provider's step.

    :param document_type: a person's identity document (``resident_id``,
        ``foreign_permanent_residence``, ``hk_macao_travel_permit``, ``taiwan_travel_permit``,
        ``hmt_residence_permit``, ``chinese_passport``, ``foreign_passport``) or an enterprise's
        ``credit_code`` (``validators.identity``)
    :param number: the document number (checked by its own format rule)
    :param agent_name: for an enterprise, the authorised agent's name (the signed-in user acts)
    :returns: ``challenge_id``, the provider's ``instructions``, ``masked`` and ``expires_at``
    """
    data = action_steps.validate(data_dict, verify_start_schema(), context)
    tk.check_access("govdata_subject_verify_start", context, data)
    user_id = Viewer.from_context(context).user_id
    assert user_id is not None
    number = _check_document(data["document_type"], data["number"])
    kind = subject_keys.kind_of(data["document_type"]) or ""
    if kind == "enterprise" and not data.get("agent_name"):
        raise tk.ValidationError({"agent_name": [_error("agent_name", "{field} is required")]})
    key = subject_keys.key(number)
    taken = model.Session.query(Subject).filter(Subject.number_key == key, Subject.kind == "person")
    if kind == "person" and taken.filter(Subject.user_id != user_id).first() is not None:
        raise tk.ValidationError({"number": [_error(
            "number", "{field}: this person has already been verified with another account"
        )]})
    provider = providers.current()
    challenge = SubjectChallenge(
        user_id=user_id, kind=kind, document_type=data["document_type"], number=number,
        masked=subject_keys.mask(number, data["document_type"]), agent_name=data.get("agent_name") if kind == "enterprise" else None,
        provider=provider.name, attempts=0, created=utcnow(),
        expires_at=utcnow() + dt.timedelta(seconds=settings.current().subjects.code_ttl),
    )
    started = provider.start(_claim(challenge))
    challenge.provider_state = started.state
    model.Session.add(challenge)
    action_steps.finish(context)
    return {
        "challenge_id": challenge.id,
        "provider": provider.name,
        "development_only": provider.development_only,
        "instructions": tk._(started.instructions).format(masked=challenge.masked),
        "masked": challenge.masked,
        "expires_at": challenge.expires_at.isoformat(),
    }


def _refused(context: Context, msgid: str) -> tk.ValidationError:
    """The answer is refused; the attempt it cost is kept."""
    action_steps.finish(context)
    return tk.ValidationError({"answer": [_error("answer", msgid)]})


@action_steps.atomic
def govdata_subject_verify_confirm(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Answer the identity provider's step; when it checks out the caller is the subject.

    :param challenge_id: from ``govdata_subject_verify_start``
    :param answer: what the step gave the claimant (the development provider's code)
    :returns: the verified subject (masked)
    """
    data = action_steps.validate(data_dict, verify_confirm_schema(), context)
    tk.check_access("govdata_subject_verify_confirm", context, data)
    challenge = queries.challenge(data["challenge_id"], lock=True)
    assert challenge is not None
    if challenge.outcome is not None or challenge.number is None:
        raise tk.ValidationError({"challenge_id": [_error(
            "challenge_id", "{field} is finished: start a new verification"
        )]})
    if challenge.expires_at < utcnow():
        raise _refused(context, "{field} has expired: start a new verification")
    provider = providers.current()
    if provider.name != challenge.provider:
        raise _refused(context, "{field}: the identity provider changed, start a new verification")
    challenge.attempts += 1
    if not provider.confirm(_claim(challenge), dict(challenge.provider_state or {}), data["answer"]):
        if challenge.attempts >= settings.current().subjects.code_attempts:
            challenge.outcome, challenge.number = FAILED, None
            raise _refused(context, "{field} was wrong too many times: start a new verification")
        raise _refused(context, "{field} is not correct")
    key = subject_keys.key(challenge.number)
    subject = (
        model.Session.query(Subject)
        .filter(Subject.user_id == challenge.user_id, Subject.number_key == key)
        .one_or_none()
    )
    if subject is None:
        subject = Subject(
            user_id=challenge.user_id, kind=challenge.kind, document_type=challenge.document_type,
            number=challenge.number, number_key=key, masked=challenge.masked,
        )
        model.Session.add(subject)
    subject.agent_name, subject.provider, subject.verified_at = challenge.agent_name, provider.name, utcnow()
    challenge.outcome, challenge.number, challenge.provider_state = VERIFIED, None, {}
    action_steps.finish(context)
    return queries.subject_dict(subject)


@tk.side_effect_free
def govdata_subject_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The subjects the caller has proved to be (or to act for), masked."""
    tk.check_access("govdata_subject_list", context, data_dict)
    user_id = Viewer.from_context(context).user_id
    return [queries.subject_dict(subject) for subject in queries.subjects_of(user_id or "")]
