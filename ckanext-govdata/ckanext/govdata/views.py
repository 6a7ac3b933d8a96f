"""govdata's own routes."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.helpers import unix_locale_to_bcp47
from ckan.lib.i18n import get_locales_from_config
from ckan.views.api import i18n_js_translations
from flask import Blueprint, request

from ckanext.govdata.messages import error_messages


def js_translations() -> Blueprint:
    """Serves CKAN's JavaScript translations under the names its client asks for.

    CKAN's client turns the page's BCP 47 language into a locale by replacing only the first
    hyphen, so ``zh-Hans-CN`` asks for ``/api/i18n/zh_Hans-CN``, which CKAN refuses with a 400
    and every JavaScript module of the page stays unstarted. These exact routes take precedence
    over CKAN's ``/api/i18n/<lang>``.
    """
    blueprint = Blueprint("govdata_i18n", __name__)
    for locale in sorted(get_locales_from_config()):
        requested = unix_locale_to_bcp47(locale).replace("-", "_", 1)
        if requested != locale:
            blueprint.add_url_rule(
                f"/api/i18n/{requested}",
                endpoint=f"js_translations_{locale}",
                view_func=_translations_of(locale),
            )
    return blueprint


def _translations_of(locale: str) -> Callable[[], Any]:
    def view() -> Any:
        return i18n_js_translations(locale)

    view.__name__ = f"js_translations_{locale}"
    return view


def search_staff() -> Blueprint:
    """The bureau's page for the search synonyms (/search/synonyms)."""
    blueprint = Blueprint("govdata_search", __name__)
    blueprint.add_url_rule("/search/synonyms", view_func=synonyms, methods=["GET", "POST"])
    return blueprint


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _flash_errors(error: tk.ValidationError) -> None:
    for message in error_messages(error):
        tk.h.flash_error(message)


def synonyms() -> Any:
    """Lists the synonym groups; saves (or replaces) one, or removes one."""
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=request.path)
    try:
        tk.check_access("govdata_search_synonym_list", _context(), {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the data bureau's staff may edit the search synonyms"))
    form: dict[str, str] = {}
    if request.method == "POST":
        operation = request.form.get("operation")
        try:
            if operation == "save":
                form = {"names": request.form.get("names", ""), "replacing": request.form.get("replacing", "")}
                saved = tk.get_action("govdata_search_synonym_save")(_context(), dict(form))
                tk.h.flash_success(tk._("Saved: {names}. Searches use it from now on.").format(names="、".join(saved["names"])))
                return tk.redirect_to("govdata_search.synonyms")
            if operation == "delete":
                removed = tk.get_action("govdata_search_synonym_delete")(_context(), {"name": request.form.get("name", "")})
                tk.h.flash_success(tk._("Removed: {names}").format(names="、".join(removed["names"])))
                return tk.redirect_to("govdata_search.synonyms")
            return tk.abort(400, tk._("Unknown operation"))
        except tk.ValidationError as error:
            _flash_errors(error)
        except tk.ObjectNotFound as error:
            tk.h.flash_error(str(error))
    groups: list[list[str]] = []
    try:
        groups = tk.get_action("govdata_search_synonym_list")(_context(), {})["groups"]
    except tk.ValidationError as error:
        _flash_errors(error)
    edit = request.args.get("edit", "")
    editing = next((group for group in groups if edit and edit in group), None)
    return tk.render("govdata/search_synonyms.html", {"groups": groups, "form": form, "editing": editing})
