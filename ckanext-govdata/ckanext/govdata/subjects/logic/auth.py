"""Auth functions of the data-subject actions; everything not explicitly allowed is refused.

A subject's rows, grants, flags and trail are theirs alone: the user who verified the subject,
not even a sysadmin acting for them (``auth_sysadmins_check``).
The audit trail is for a department's staff (their datasets) and the bureau (all).
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.govdata.grants import AccessGrant
from ckanext.govdata.messages import bilingual
from ckanext.govdata.open_condition import Viewer
from ckanext.govdata.subjects import queries
from ckanext.govdata.subjects.model import Subject

ALLOWED: AuthResult = {"success": True}


def _refuse(message: str) -> AuthResult:
    return {"success": False, "msg": message}


def _signed_in(context: Context) -> AuthResult:
    if Viewer.from_context(context).user is None:
        return _refuse(bilingual("Sign in to see the data about you"))
    return ALLOWED


def _own_subject(context: Context, data_dict: DataDict, required: bool = True) -> AuthResult:
    """The caller is signed in and ``subject_id`` (when given, or ``required``) is one of theirs."""
    viewer = Viewer.from_context(context)
    if viewer.user is None:
        return _refuse(bilingual("Sign in to see the data about you"))
    subject_id = (data_dict or {}).get("subject_id")
    if subject_id is None and not required:
        return ALLOWED
    subject = model.Session.get(Subject, subject_id) if isinstance(subject_id, str) else None
    if subject is None or subject.user_id != viewer.user.id:
        return _refuse(bilingual("Only the verified data subject may do this"))
    return ALLOWED


def govdata_subject_verify_start(context: Context, data_dict: DataDict) -> AuthResult:
    """Any registered user may prove who they are."""
    return _signed_in(context)


@tk.auth_sysadmins_check
def govdata_subject_verify_confirm(context: Context, data_dict: DataDict) -> AuthResult:
    """Only the user who started the verification may answer it."""
    viewer = Viewer.from_context(context)
    challenge = queries.challenge((data_dict or {}).get("challenge_id"))
    if viewer.user is None or challenge is None or challenge.user_id != viewer.user.id:
        return _refuse(bilingual("Only the user who started this verification may complete it"))
    return ALLOWED


def govdata_subject_list(context: Context, data_dict: DataDict) -> AuthResult:
    """A signed-in user's own verified subjects."""
    return _signed_in(context)


@tk.auth_sysadmins_check
def govdata_subject_rows(context: Context, data_dict: DataDict) -> AuthResult:
    """The rows about a subject: only its verified user."""
    return _own_subject(context, data_dict, required=False)


@tk.auth_sysadmins_check
def govdata_subject_row_flag(context: Context, data_dict: DataDict) -> AuthResult:
    return _own_subject(context, data_dict)


@tk.auth_sysadmins_check
def govdata_subject_grant_create(context: Context, data_dict: DataDict) -> AuthResult:
    return _own_subject(context, data_dict)


@tk.auth_sysadmins_check
def govdata_subject_grant_list(context: Context, data_dict: DataDict) -> AuthResult:
    return _own_subject(context, data_dict, required=False)


@tk.auth_sysadmins_check
def govdata_subject_grant_revoke(context: Context, data_dict: DataDict) -> AuthResult:
    """Only the subject who issued the grant may revoke it here (the department still may through
    ``govdata_access_grant_revoke``)."""
    viewer = Viewer.from_context(context)
    grant_id = (data_dict or {}).get("id")
    grant = model.Session.get(AccessGrant, grant_id) if isinstance(grant_id, str) else None
    subject = queries.subject_of_grant(grant) if grant is not None else None
    if viewer.user is None or subject is None or subject.user_id != viewer.user.id:
        return _refuse(bilingual("Only the verified data subject may do this"))
    return ALLOWED


@tk.auth_sysadmins_check
def govdata_subject_audit_list(context: Context, data_dict: DataDict) -> AuthResult:
    """The trail of reads of a subject's rows: for the subject."""
    return _own_subject(context, data_dict, required=False)


def _staff(context: Context) -> AuthResult:
    viewer = Viewer.from_context(context)
    if viewer.sysadmin or viewer.staff_orgs():
        return ALLOWED
    return _refuse(bilingual("Only a department's staff and the data bureau may see the audit trail"))


def govdata_audit_list(context: Context, data_dict: DataDict) -> AuthResult:
    """A department's staff (their datasets' reads) and the bureau (all)."""
    return _staff(context)


def govdata_audit_export(context: Context, data_dict: DataDict) -> AuthResult:
    return _staff(context)


