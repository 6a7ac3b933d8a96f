"""Access grants: who may get which conditional data until when, and the log of their use.

A core layer beside ``open_condition``, which asks ``is_valid`` on every data path. Grants are
made by deciding a request (``access``) or issued by another feature (``grants.issued``).
"""
from __future__ import annotations

from ckanext.govdata.grants.model import AccessGrant, AccessLog
from ckanext.govdata.grants.queries import grant_dict, of_request, user_name, valid_by_package
from ckanext.govdata.grants.validity import ACTIVE, EXPIRED, PENDING, REVOKED, STATUSES, in_force, is_valid, status

__all__ = [
    "ACTIVE",
    "EXPIRED",
    "PENDING",
    "REVOKED",
    "STATUSES",
    "AccessGrant",
    "AccessLog",
    "grant_dict",
    "in_force",
    "is_valid",
    "of_request",
    "status",
    "user_name",
    "valid_by_package",
]
