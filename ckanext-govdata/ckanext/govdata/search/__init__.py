"""What govdata adds to CKAN's search: indexed fields, facets and facet labels."""
from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.govdata import vocabularies
from ckanext.govdata.search import suggest

# Facet field -> vocabulary section whose labels name its values.
LABELLED_FACETS = {
    "domain": "domains",
    "open_condition": "open_conditions",
    "update_frequency": "update_frequencies",
    "resource_library": "resource_libraries",
    "security_grade": "security_grades",
}


def dataset_facets(facets: OrderedDict[str, Any]) -> OrderedDict[str, Any]:
    ours: OrderedDict[str, Any] = OrderedDict()
    ours["domain"] = tk._("Domain")
    ours["organization"] = tk._("Department")
    ours["open_condition"] = tk._("Open condition")
    ours["res_format"] = tk._("Format")
    ours["update_frequency"] = tk._("Update frequency")
    ours["resource_library"] = tk._("Resource library")
    ours["tags"] = facets.get("tags", tk._("Tags"))
    return ours


def label_facets(search_results: dict[str, Any]) -> dict[str, Any]:
    """Give vocabulary facet items their label in the request's language."""
    for field, section in LABELLED_FACETS.items():
        facet = search_results.get("search_facets", {}).get(field)
        if not facet:
            continue
        names = vocabularies.labels(section)
        for item in facet.get("items", []):
            item["display_name"] = names.get(str(item["name"]), str(item["name"]))
    return search_results


def _department(organization_id: str | None) -> model.Group | None:
    # owner_org is an id: Session.get answers without a query for a department the session holds
    # (the bulk reindex loads each batch's departments at once).
    return model.Session.get(model.Group, organization_id) if organization_id else None


def as_list(value: Any) -> list[Any]:
    """A repeating or multiple-choice scheming field as a list: scheming keeps them as JSON text
    in the extras and in the unvalidated dataset CKAN indexes."""
    if isinstance(value, str):
        try:
            value = json.loads(value) if value else []
        except ValueError:
            return [value]
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def index_fields(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Flatten repeating subfields into searchable lists; add the department's title and code.

    The full dataset stays in ``validated_data_dict``; Solr only needs what is searched,
    faceted or sorted on.
    """
    for field in ("data_format", "served_datasets"):
        if field in pkg_dict:
            pkg_dict[field] = as_list(pkg_dict[field])
    for field in ("extras_data_items", "extras_api_parameters", "extras_data_format", "extras_served_datasets"):
        pkg_dict.pop(field, None)
    items = as_list(pkg_dict.pop("data_items", None))
    pkg_dict["data_item_count"] = len(items)
    pkg_dict["data_items_name"] = [item.get("name", "") for item in items]
    pkg_dict["data_items_name_zh"] = [item.get("name_zh", "") for item in items if item.get("name_zh")]
    parameters = as_list(pkg_dict.pop("api_parameters", None))
    pkg_dict["api_parameter_name"] = [parameter.get("name", "") for parameter in parameters]
    department = _department(pkg_dict.get("owner_org"))
    if department is not None:
        # Searchable by the name people read (CKAN indexes only the slug); short names reach
        # it through the synonyms.
        pkg_dict["organization_title"] = department.title
        code = department.extras.get("department_code")
        if code:
            pkg_dict["department_code"] = code
    return suggest.index_fields(pkg_dict)
