"""HTTP hardening CKAN 2.12 core has no option for: a Content-Security-Policy and companion
headers on every response, and a limit on the size of a request body.

Core declares Flask's ``MAX_CONTENT_LENGTH`` as internal, so a value in the ini never reaches
Flask; ``ckanext.govdata.max_request_size`` sets it instead, checked at start-up against the
upload limits it must leave room for.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.exceptions import CkanConfigurationException
from flask import Flask, Response

from ckanext.govdata import settings

MEGABYTE = 1024 * 1024
# Headers that do not depend on configuration; a view that set its own keeps it.
FIXED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "SAMEORIGIN",
}
UPLOAD_LIMITS = ("ckan.max_resource_size", "ckan.max_image_size")


def add_security_headers(response: Response) -> Response:
    """after_request: the configured Content-Security-Policy and the fixed headers."""
    policy = settings.current().content_security_policy
    if policy:
        response.headers.setdefault("Content-Security-Policy", policy)
    for name, value in FIXED_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def max_request_bytes() -> int | None:
    """The largest request body accepted, in bytes (None: no limit), validated against the
    upload limits: a body must be able to carry the largest allowed upload."""
    megabytes = settings.current().max_request_size
    if not megabytes:
        return None
    for option in UPLOAD_LIMITS:
        if megabytes < tk.config.get(option):
            raise CkanConfigurationException(
                f"ckanext.govdata.max_request_size ({megabytes} MB) is smaller than {option} "
                f"({tk.config.get(option)} MB): such uploads would be refused"
            )
    return megabytes * MEGABYTE


def install(app: Flask) -> Flask:
    app.config["MAX_CONTENT_LENGTH"] = max_request_bytes()
    app.after_request(add_security_headers)
    return app
