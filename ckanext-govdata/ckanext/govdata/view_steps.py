"""What the feature pages do around their actions, written once: the signed-in user's context, an
action called with it, and the redirect of visitors who are not signed in."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.common import current_user
from flask import request


def context() -> dict[str, Any]:
    return {"user": current_user.name, "auth_user_obj": current_user}


def action(name: str, **data: Any) -> Any:
    return tk.get_action(name)(context(), data)


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Sends a visitor who is not signed in to the log-in page, and back here afterwards."""

    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return tk.redirect_to("user.login", came_from=request.full_path)
        return view(*args, **kwargs)

    return guarded
