"""What the showcase, scenario and contest pages share: the caller's context and the showcase form."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from werkzeug.datastructures import MultiDict

# Fields of the submission form, as the showcase schema names them.
FORM_FIELDS = ("title", "name", "notes", "category", "url", "author", "datasets", "release_date", "tag_string")


def context() -> dict[str, Any]:
    return {"user": tk.current_user.name, "auth_user_obj": tk.current_user}


def form_data(form: MultiDict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {field: form.get(field, "") for field in FORM_FIELDS if field in form}
    if "datasets" in form:
        data["datasets"] = [name for value in form.getlist("datasets") for name in value.replace("，", ",").split(",") if name.strip()]
    return data


def summary(errors: dict[str, Any]) -> dict[str, str]:
    return {key: "; ".join(map(str, value)) if isinstance(value, list) else str(value) for key, value in errors.items()}


def render_form(
    data: dict[str, Any], errors: dict[str, Any], showcase_dict: dict[str, Any] | None = None, **extra: Any
) -> str:
    return tk.render(
        "showcase/form.html",
        extra_vars={"data": data, "errors": errors, "error_summary": summary(errors), "showcase": showcase_dict, **extra},
    )
