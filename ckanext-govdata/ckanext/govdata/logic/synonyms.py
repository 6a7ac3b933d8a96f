"""Actions on the search synonyms (检索同义词): the bureau lists, saves and removes groups."""
from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz
from ckan.logic.schema import validator_args
from ckan.types import AuthResult, Context, DataDict, Schema

from ckanext.govdata import action_steps
from ckanext.govdata.messages import bilingual
from ckanext.govdata.search import synonyms
from ckanext.govdata.validators import Fields

FIELDS = Fields({"names": "Synonyms", "replacing": "Group to replace", "name": "Name"})
# Forms separate names with Chinese or Latin commas, 、 or new lines.
SEPARATORS = re.compile(r"[，,、;；\r\n]+")


def _names(value: Any) -> Any:
    return SEPARATORS.sub(",", value) if isinstance(value, str) else value


@validator_args
def save_schema(ignore_missing) -> Schema:
    return {
        "names": [FIELDS.required, FIELDS.string_list],
        "replacing": [ignore_missing, FIELDS.string_list],
    }


@validator_args
def delete_schema(unicode_safe) -> Schema:
    return {"name": [FIELDS.required, unicode_safe, FIELDS.max_length(synonyms.MAX_NAME_LENGTH)]}


def _solr_down(error: synonyms.SolrUnavailable) -> tk.ValidationError:
    return tk.ValidationError({"names": [bilingual("The search service did not answer; nothing was changed: {reason}",
                                                   reason=str(error)[:200])]})


@tk.side_effect_free
def govdata_search_synonym_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The synonym groups queries are expanded with, as Solr holds them now."""
    tk.check_access("govdata_search_synonym_list", context, data_dict)
    try:
        return {"groups": synonyms.list_groups()}
    except synonyms.SolrUnavailable as error:
        raise _solr_down(error) from None


def govdata_search_synonym_save(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Stores a group of names that mean the same, and applies it to the next search.

    :param names: the names (a list, or one string separated by commas, 、 or new lines)
    :param replacing: names of the group this one replaces (optional)
    """
    data_dict = {**data_dict, "names": _names(data_dict.get("names")),
                 "replacing": _names(data_dict.get("replacing"))}
    data = action_steps.validate(data_dict, save_schema(), context)
    tk.check_access("govdata_search_synonym_save", context, data)
    try:
        group = synonyms.save_group(data["names"], data.get("replacing") or ())
    except synonyms.SynonymError as error:
        raise tk.ValidationError({"names": [FIELDS.message("names", error.msgid, **error.params)]}) from None
    except synonyms.SolrUnavailable as error:
        raise _solr_down(error) from None
    return {"names": group}


def govdata_search_synonym_delete(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Removes the group holding ``name``."""
    data = action_steps.validate(data_dict, delete_schema(), context)
    tk.check_access("govdata_search_synonym_delete", context, data)
    try:
        removed = synonyms.delete_group(data["name"])
    except synonyms.SolrUnavailable as error:
        raise _solr_down(error) from None
    if not removed:
        raise tk.ObjectNotFound(bilingual("No synonym group holds {value}", value=data["name"]))
    return {"names": removed}


def _bureau_staff(context: Context, data_dict: DataDict) -> AuthResult:
    if authz.is_sysadmin(context.get("user")):
        return {"success": True}
    return {"success": False, "msg": bilingual("Only the data bureau's staff may edit the search synonyms")}


def actions() -> dict[str, Any]:
    return {
        "govdata_search_synonym_list": govdata_search_synonym_list,
        "govdata_search_synonym_save": govdata_search_synonym_save,
        "govdata_search_synonym_delete": govdata_search_synonym_delete,
    }


def auth_functions() -> dict[str, Any]:
    return dict.fromkeys(actions(), _bureau_staff)
