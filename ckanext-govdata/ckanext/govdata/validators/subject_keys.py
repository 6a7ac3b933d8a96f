"""A data subject's document number as the portal keeps it: checked and normalised by its type
(``identity``), keyed (HMAC) for logs and look-ups, shown masked.

Subjects are named by ``(document_type, number)`` pairs. The number itself is kept only where a
datastore row has to be matched (a verified subject, a grant's row filter); the audit trail and
every page keep the key and the shown form. The key is an HMAC with the portal's secret
(``ckanext.govdata.subjects.key_secret``, else CKAN's ``SECRET_KEY``): document numbers are too
few to hide behind a plain hash.
"""
from __future__ import annotations

import hashlib
import hmac

import ckan.plugins.toolkit as tk

from ckanext.govdata import settings
from ckanext.govdata.validators import identity

DOCUMENT_TYPES = identity.BY_VALUE


def kind_of(document_type: str) -> str | None:
    """``person`` or ``enterprise``; None for an unknown type."""
    document = DOCUMENT_TYPES.get(document_type)
    return document.subject_type if document else None


def check(document_type: str, number: str) -> str:
    """The normalised number; ``rules.RuleError`` naming the document type when it is not one."""
    return identity.check_document(document_type, number)


def _secret() -> bytes:
    secret = settings.current().subjects.key_secret or tk.config.get("SECRET_KEY") or ""
    return str(secret).encode("utf-8")


def key(number: str) -> str:
    """The subject's key: the same number gives the same key whatever document type names it."""
    return hmac.new(_secret(), identity.normalise(number).encode("utf-8"), hashlib.sha256).hexdigest()


def mask(number: str, document_type: str | None = None) -> str:
    """The number as every page, export and API answer shows it (``identity.shown``: a person's
    document masked, an enterprise's public credit code in full)."""
    return identity.shown(identity.normalise(number), document_type)
