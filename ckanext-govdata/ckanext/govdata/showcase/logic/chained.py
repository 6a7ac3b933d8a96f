"""Core actions and auth functions as showcases change them: they are not catalogue datasets."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.logic.auth import get_package_object
from ckan.types import Action, AuthFunction, AuthResult, Context, DataDict

from ckanext.govdata.showcase import roles
from ckanext.govdata.showcase.logic import auth


@tk.chained_action
@tk.side_effect_free
def package_search(original_action: Action, context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Showcases are not datasets: a search that names no dataset type leaves them out.

    So API clients, the home page figures and every count built on package_search see only the
    catalogue; ``fq=dataset_type:showcase`` (what the /showcase page sends) finds showcases.
    """
    filters = [data_dict.get("q"), data_dict.get("fq"), *(data_dict.get("fq_list") or [])]
    if not any("dataset_type" in str(text) for text in filters if text):
        data_dict = dict(data_dict, fq_list=[*(data_dict.get("fq_list") or []), f"-dataset_type:{roles.SHOWCASE_TYPE}"])
    return original_action(context, data_dict)


@tk.chained_action
def dcat_dataset_show(original_action: Action, context: Context, data_dict: DataDict) -> Any:
    """Showcases are not DCAT datasets: /dataset/<showcase>.rdf is not found, like any non-dataset."""
    if roles.is_showcase(model.Package.get(data_dict.get("id") or "")):
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    return original_action(context, data_dict)


@tk.chained_auth_function
def package_create(next_auth: AuthFunction, context: Context, data_dict: DataDict | None = None) -> AuthResult:
    """CKAN lets only department members create datasets; showcases come from any registered user."""
    if data_dict and data_dict.get("type") == roles.SHOWCASE_TYPE:
        return auth.govdata_showcase_create(context, data_dict)
    return next_auth(context, data_dict)


@tk.chained_auth_function
def package_update(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    """Showcases belong to no department: their author and the moderators edit them (also patch,
    delete and revise, which CKAN authorises as updates)."""
    if roles.is_showcase(get_package_object(context, data_dict)):
        return auth.govdata_showcase_update(context, data_dict)
    return next_auth(context, data_dict)


def chained_actions() -> dict[str, Action]:
    actions: dict[str, Action] = {"package_search": package_search}
    if p.plugin_loaded("dcat"):
        actions["dcat_dataset_show"] = dcat_dataset_show
    return actions


def chained_auth_functions() -> dict[str, AuthFunction]:
    return {"package_create": package_create, "package_update": package_update}
