"""Request-level defences in front of CKAN core, for faults of the core that reach users.

* CSRF: CKAN exempts a view from CSRF checks for good once any request to it carries an API
  token (``csrf.exempt`` mutates Flask-WTF's global set). Here the exemption holds only for the
  token-authenticated request itself; cookie sessions are always checked.
* Input the core does not expect becomes a 4xx before it runs: a NUL byte anywhere in the
  request, an identifier (``id``, ``*_id``) that is not a string in an action API call, and a
  ``came_from``/``next`` that leads off the site.
* Logic exceptions that escape a view (NotAuthorized, ObjectNotFound, ValidationError) are
  answered 403/404/400 with CKAN's error page instead of 500.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote, urlsplit

import ckan.plugins.toolkit as tk
from flask import Flask, Response, g, has_request_context, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest, Forbidden, NotFound

from ckanext.govdata.messages import bilingual

REDIRECT_PARAMETERS = ("came_from", "next")
# Control characters and backslashes have no place in a local path; browsers read "\" as "/".
UNSAFE_IN_PATH = re.compile(r"[\x00-\x1f\x7f\\]")


class RequestScopedExemptions(set[str]):
    """Flask-WTF's exempt views: those exempted at start-up, plus, for a request authenticated
    by an API token, the view it calls (a cross-site page cannot send that header)."""

    def add(self, dest: str) -> None:
        if has_request_context():
            return  # CKAN's per-request exemption: ``__contains__`` decides it for this request only
        super().add(dest)

    def __contains__(self, dest: object) -> bool:
        if super().__contains__(dest):
            return True
        return has_request_context() and bool(g.get("login_via_auth_header"))


def scope_csrf_exemptions() -> None:
    from ckan.config.middleware.flask_app import csrf

    if not isinstance(csrf._exempt_views, RequestScopedExemptions):
        csrf._exempt_views = RequestScopedExemptions(csrf._exempt_views)


class RejectNulBytes:
    """WSGI middleware: a NUL byte in the path or query string is a 400, before any view or guard."""

    def __init__(self, wsgi_app: Callable[..., Any]) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        query = unquote(environ.get("QUERY_STRING", ""))
        if "\x00" in path or "\x00" in query:
            return BadRequest(bilingual("The address contains a NUL character"))(environ, start_response)
        return self.wsgi_app(environ, start_response)


def is_local_path(target: str) -> bool:
    """A redirect target on this site: one absolute path, no scheme, host or backslash."""
    if not target.startswith("/") or target.startswith("//") or UNSAFE_IN_PATH.search(target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def drop_offsite_redirects() -> None:
    """``came_from``/``next`` that would leave the site are dropped; the page then goes home."""
    if not any(name in request.args for name in REDIRECT_PARAMETERS):
        return
    kept = [
        (name, value)
        for name, value in request.args.items(multi=True)
        if name not in REDIRECT_PARAMETERS or is_local_path(value)
    ]
    if len(kept) != len(list(request.args.items(multi=True))):
        request.args = ImmutableMultiDict(kept)


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _is_identifier(name: str) -> bool:
    return name == "id" or name.endswith("_id")


def action_input_errors(data: dict[str, Any]) -> dict[str, list[str]]:
    """Top-level parameters the action API would hand the core in a shape it cannot take."""
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        if name.startswith("__"):
            errors[name] = [bilingual("Unknown parameter")]
        elif _is_identifier(name) and value is not None and not isinstance(value, str):
            errors[name] = [bilingual("Must be a text identifier")]
        elif any("\x00" in text for text in _strings(value)):
            errors[name] = [bilingual("Must not contain a NUL character")]
    return errors


def _action_data() -> dict[str, Any] | None:
    from ckan.views.api import _get_request_data

    try:
        data = _get_request_data(try_url_params=True)
    except (ValueError, BadRequest):
        return None  # the API view answers malformed bodies itself
    return data if isinstance(data, dict) else None


def check_request_input() -> Response | None:
    """before_request: refuse input the core would fail on, naming the field."""
    drop_offsite_redirects()
    if request.endpoint == "api.action":
        data = _action_data()
        errors = action_input_errors(data) if data else {}
        if errors:
            body = {
                "help": request.url,
                "success": False,
                "error": {"__type": "Validation Error", "message": bilingual("Invalid input"), **errors},
            }
            return Response(json.dumps(body, ensure_ascii=False), status=409, content_type="application/json")
        return None
    if any("\x00" in value for value in request.form.values()):
        raise BadRequest(bilingual("The form contains a NUL character"))
    return None


def _render(app: Flask, error: Exception) -> Any:
    return app.handle_http_exception(error)  # type: ignore[arg-type]


def register_error_handlers(app: Flask) -> None:
    """Logic exceptions escaping a view are the caller's fault or right, never a server error."""

    def not_authorized(error: tk.NotAuthorized) -> Any:
        return _render(app, Forbidden(str(error) or tk._("Not authorized to see this page")))

    def not_found(error: tk.ObjectNotFound) -> Any:
        return _render(app, NotFound(str(error) or tk._("Not found")))

    def invalid(error: tk.ValidationError) -> Any:
        messages = [
            f"{field}: {message}"
            for field, values in (error.error_dict or {}).items()
            for message in (values if isinstance(values, list) else [values])
        ]
        return _render(app, BadRequest("; ".join(messages) or tk._("Invalid input")))

    app.register_error_handler(tk.NotAuthorized, not_authorized)
    app.register_error_handler(tk.ObjectNotFound, not_found)
    app.register_error_handler(tk.ValidationError, invalid)


def install(app: Flask) -> Flask:
    scope_csrf_exemptions()
    app.wsgi_app = RejectNulBytes(app.wsgi_app)  # type: ignore[method-assign]
    app.before_request(check_request_input)
    register_error_handlers(app)
    return app
