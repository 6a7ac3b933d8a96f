"""Template helpers of the data APIs: what an API's page shows about its served endpoint."""
from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.govdata import open_condition
from ckanext.govdata.dataapi import interface, openapi


def _examples(url: str, secured: bool, parameter: str | None, value: str) -> dict[str, str]:
    query = f"?{parameter}={value}&limit=10" if parameter else "?limit=10"
    header = ' -H "Authorization: $CKAN_API_TOKEN"' if secured else ""
    python_headers = ', headers={"Authorization": os.environ["CKAN_API_TOKEN"]}' if secured else ""
    params = {parameter: value, "limit": 10} if parameter else {"limit": 10}
    python = "\n".join([
        *(["import os", ""] if secured else []),
        "import requests",
        "",
        f"response = requests.get({json.dumps(url)}, params={json.dumps(params, ensure_ascii=False)}{python_headers}, timeout=30)",
        "response.raise_for_status()",
        "page = response.json()",
        'print(page["total"], page["records"][:3])',
    ])
    return {"curl": f'curl{header} "{url}{query}"', "python": python}


def govdata_dataapi_page(package: dict[str, Any]) -> dict[str, Any] | None:
    """The served endpoint of a dataservice's page: URL, parameters, fields, examples; None when
    the portal does not serve it (not open, or no table behind it)."""
    if package.get("type") != interface.API_TYPE or not interface.published(package):
        return None
    api = interface.describe(package)
    if api.table is None or api.condition == open_condition.NOT_OPEN:
        return None
    path = openapi.path_of(api)
    url = tk.config.get("ckan.site_url", "").rstrip("/") + path
    operation = openapi.api_document(api)["paths"][path]["get"]
    filters = [parameter for parameter in api.parameters if parameter.role == "filter"]
    example = filters[0].name if filters else None
    return {
        "path": path,
        "url": url,
        "openapi": f"{path}/openapi.json",
        "condition": api.condition,
        "parameters": operation["parameters"],
        "fields": api.fields,
        "examples": _examples(url, api.condition != open_condition.UNCONDITIONAL, example, "…"),
    }


def all_helpers() -> dict[str, Any]:
    return {"govdata_dataapi_page": govdata_dataapi_page}
