"""A data subject's document number as the portal keeps it: normalised for matching rows, keyed
(HMAC) for logs and look-ups, masked for display.

Subjects are named by ``(document_type, number)`` pairs. The number itself is kept only where a
datastore row has to be matched (a verified subject, a grant's row filter); the audit trail and
every page keep the key and the masked form. The key is an HMAC with the portal's secret
(``ckanext.govdata.subjects.key_secret``, else CKAN's ``SECRET_KEY``): document numbers are too
few to hide behind a plain hash.
"""
from __future__ import annotations

import hashlib
import hmac

import ckan.plugins.toolkit as tk

from ckanext.govdata import settings
from ckanext.govdata.validators import rules

MAINLAND_ID = "mainland_id"
CREDIT_CODE = "credit_code"
# Document type → (subject kind, format check). Other identity documents join this table.
DOCUMENT_TYPES = {
    MAINLAND_ID: ("person", rules.is_id_number),
    CREDIT_CODE: ("enterprise", rules.is_credit_code),
}
# What the refusal of each type names (an English msgid; Chinese in the catalogue).
DOCUMENT_LABELS = {
    MAINLAND_ID: "Mainland resident ID card (GB 11643)",
    CREDIT_CODE: "Unified social credit code (GB 32100)",
}
# The refusal of a number that fails its type's rule, naming the type (English msgids).
DOCUMENT_REFUSALS = {
    MAINLAND_ID: "{field} is not a valid mainland resident ID card number (GB 11643 check digit)",
    CREDIT_CODE: "{field} is not a valid unified social credit code (GB 32100 check character)",
}


def normalise(number: str) -> str:
    """Upper case without spaces: ``x`` and ``X`` are the same check character."""
    return "".join(str(number).split()).upper()


def kind_of(document_type: str) -> str | None:
    entry = DOCUMENT_TYPES.get(document_type)
    return entry[0] if entry else None


def is_valid(document_type: str, number: str) -> bool:
    entry = DOCUMENT_TYPES.get(document_type)
    return entry is not None and entry[1](normalise(number))


def _secret() -> bytes:
    secret = settings.current().subjects.key_secret or tk.config.get("SECRET_KEY") or ""
    return str(secret).encode("utf-8")


def key(number: str) -> str:
    """The subject's key: the same number gives the same key whatever document type names it."""
    return hmac.new(_secret(), normalise(number).encode("utf-8"), hashlib.sha256).hexdigest()


def mask(number: str) -> str:
    """The first four and last four characters (3301**********1234); short numbers keep less."""
    value = normalise(number)
    if len(value) <= 4:
        return "*" * len(value)
    shown = 4 if len(value) >= 12 else 2
    return value[:shown] + "*" * (len(value) - 2 * shown) + value[-shown:]
