"""The data API's refusals: an HTTP status, a stable code, a message in Chinese and English and
the parameter at fault, answered as ``{"error": {"code": …, "message": …, "field": …}}``."""
from __future__ import annotations

from typing import Any

from ckanext.govdata.messages import bilingual


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers: dict[str, str] = {}

    def with_headers(self, headers: dict[str, str]) -> ApiError:
        """Headers the refusal carries (``Retry-After`` …)."""
        self.headers = dict(headers)
        return self

    def as_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "field": self.field}}


def not_found(name: str) -> ApiError:
    """Unknown, private, withdrawn and not-open APIs answer alike: nothing tells them apart."""
    return ApiError(404, "not_found", bilingual("No data API is published under this name: {name}", name=name))


def bad_parameter(parameter: str, msgid: str, **params: Any) -> ApiError:
    return ApiError(400, "bad_parameter", bilingual(msgid, name=parameter, **params), parameter)


def unknown_parameter(field: str) -> ApiError:
    return ApiError(400, "unknown_parameter", bilingual("This API takes no parameter {name}", name=field), field)


def repeated_parameter(field: str) -> ApiError:
    return ApiError(400, "repeated_parameter", bilingual("Parameter {name} is given more than once", name=field), field)


def missing_parameter(field: str) -> ApiError:
    return ApiError(400, "missing_parameter", bilingual("Parameter {name} is required", name=field), field)


def limit_too_large(field: str, maximum: int) -> ApiError:
    return ApiError(
        400, "limit_too_large",
        bilingual("Parameter {name} must be at most {maximum}: read further pages with the cursor",
                  name=field, maximum=maximum),
        field,
    )


def authentication_required() -> ApiError:
    return ApiError(
        401, "authentication_required",
        bilingual("This API serves conditionally open data: identify yourself with an API token"),
    )


def grant_required() -> ApiError:
    return ApiError(
        403, "grant_required",
        bilingual("This API serves conditionally open data: apply for its data and call it once the request is approved"),
    )


def no_data(name: str) -> ApiError:
    return ApiError(404, "no_data", bilingual("This API has no data table to serve yet: {name}", name=name))


def limits_unavailable() -> ApiError:
    return ApiError(
        503, "limits_unavailable", bilingual("Call limits cannot be checked right now: try again shortly"),
    ).with_headers({"Retry-After": "30"})
