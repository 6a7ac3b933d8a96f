"""OpenAPI 3.1 documents of the data APIs, generated from their metadata and tables: one per API
(``/api/data/<name>/openapi.json``) and one for the whole portal (``/api/openapi.json``).

``security_schemes`` lists every way of identifying a caller; each API's ``security`` names
the ones that open it (any, or none at all for unconditional APIs).
"""
from __future__ import annotations

import re
import threading
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.govdata import open_condition, settings
from ckanext.govdata.dataapi import interface, query
from ckanext.govdata.dataapi.interface import DataApi, Parameter

OPENAPI_VERSION = "3.1.0"
DOCUMENT_VERSION = "1.0.0"
KIND_SCHEMAS: dict[str, dict[str, Any]] = {
    "text": {"type": "string"},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "boolean": {"type": "boolean"},
    "other": {},
}
ERRORS = {
    "400": "Bad parameter: unknown, repeated, of the wrong type, a limit beyond the maximum, a bad cursor",
    "401": "Conditionally open data: the caller did not identify itself",
    "403": "Conditionally open data: the caller holds no valid grant on the served dataset",
    "404": "No published data API of this name, or no data behind it",
}
# With application keys (govdata_devkeys): the quota, and a key refused whatever the data.
KEY_ERRORS = {
    "401": "Application key unknown, wrong secret, revoked or expired; or conditionally open data and no caller",
    "403": "The API is not in the key's scope; or no valid grant on the served dataset",
    "429": "Over the quota (per second or per day): wait Retry-After seconds",
    "503": "Conditionally open data while the call limits cannot be checked: try again later",
}
RATE_HEADERS = {
    "X-RateLimit-Limit": {"schema": {"type": "integer"}, "description": "Calls allowed per day (else per second)"},
    "X-RateLimit-Remaining": {"schema": {"type": "integer"}, "description": "Calls left"},
    "X-RateLimit-Reset": {"schema": {"type": "integer"}, "description": "Seconds until the day's count starts again"},
}


def _with_keys() -> bool:
    return "govdata_devkeys" in tk.aslist(tk.config.get("ckan.plugins"))


def security_schemes() -> dict[str, dict[str, Any]]:
    """Every way a caller may identify itself to a data API."""
    return {
        "ckanApiToken": {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A CKAN API token of the portal user (用户中心 → API 令牌 / User → API tokens).",
        },
        **({
            "appKey": {"type": "apiKey", "in": "header", "name": "X-App-Key",
                       "description": "An application key (我的应用 / My applications), with appSecret; or "
                                      "Authorization: AppKey <key>:<secret>."},
            "appSecret": {"type": "apiKey", "in": "header", "name": "X-App-Secret",
                          "description": "The application's secret, shown once when issued or rotated."},
        } if _with_keys() else {}),
    }


def security(api: DataApi) -> list[dict[str, list[str]]]:
    """Which schemes open ``api``: any of them; for unconditional data, none is needed either."""
    schemes = security_schemes()
    required: list[dict[str, list[str]]] = [{name: []} for name in schemes if name not in ("appKey", "appSecret")]
    if "appKey" in schemes:
        # Key and secret together.
        required.append({"appKey": [], "appSecret": []})
    return [{}, *required] if api.condition == open_condition.UNCONDITIONAL else required


def _component_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)


def _value_schema(kind: str, nullable: bool = False) -> dict[str, Any]:
    schema = dict(KIND_SCHEMAS.get(kind, {}))
    if nullable and "type" in schema:
        schema["type"] = [schema["type"], "null"]
    return schema


def _parameter_objects(parameter: Parameter) -> list[dict[str, Any]]:
    description = parameter.description or parameter.name
    if parameter.role in (interface.START_DATE, interface.END_DATE):
        bound = "≥" if parameter.role == interface.START_DATE else "≤"
        description = f"{description} ({parameter.column} {bound})"
        schema = _value_schema("date")
    elif parameter.role in (interface.PAGE_NO, interface.PAGE_SIZE):
        schema = {"type": "integer", "minimum": 1}
        if parameter.role == interface.PAGE_SIZE:
            schema["maximum"] = settings.current().dataapi.max_limit
    else:
        schema = _value_schema(parameter.kind)
    objects = [{"name": parameter.name, "in": "query", "required": parameter.required,
                "description": description, "schema": schema}]
    if parameter.ranged:
        for operator, symbol in query.RANGE_OPERATORS.items():
            objects.append({"name": f"{parameter.name}__{operator}", "in": "query", "required": False,
                            "description": f"{parameter.name} {symbol}", "schema": _value_schema(parameter.kind)})
    return objects


def _control_parameters(api: DataApi) -> list[dict[str, Any]]:
    config = settings.current().dataapi
    names = [field.name for field in api.fields]
    return [
        {"name": query.FIELDS, "in": "query", "required": False, "schema": {"type": "string"},
         "description": "Fields to return, separated by commas (default: all). 返回字段，逗号分隔: " + ", ".join(names)},
        {"name": query.SORT, "in": "query", "required": False, "schema": {"type": "string"},
         "description": "Fields to sort by, separated by commas; a leading '-' sorts descending. 排序字段"},
        {"name": query.LIMIT, "in": "query", "required": False,
         "schema": {"type": "integer", "minimum": 1, "maximum": config.max_limit, "default": config.default_limit},
         "description": "Rows per page. 每页条数"},
        {"name": query.OFFSET, "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0},
         "description": "Rows to skip. 跳过条数"},
        {"name": query.CURSOR, "in": "query", "required": False, "schema": {"type": "string"},
         "description": "The next_cursor of the previous page (default order only). 游标翻页"},
        {"name": query.FORMAT, "in": "query", "required": False, "schema": {"type": "string", "enum": list(query.FORMATS)},
         "description": "json (default) or csv; Accept: text/csv works too. 输出格式"},
    ]


def _record_schema(api: DataApi) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            field.name: {**_value_schema(field.kind, nullable=True), "title": field.title,
                         **({"description": field.description} if field.description else {})}
            for field in api.fields
        },
        "additionalProperties": False,
    }


def error_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string", "description": "中文 / English"},
                    "field": {"type": ["string", "null"]},
                },
            },
        },
    }


def _page_schema(record_ref: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["api", "total", "limit", "offset", "records"],
        "properties": {
            "api": {"type": "string"},
            "fields": {"type": "array", "items": {"type": "string"}},
            "total": {"type": "integer", "minimum": 0},
            "limit": {"type": "integer"},
            "offset": {"type": "integer"},
            "next_cursor": {"type": ["string", "null"]},
            "next": {"type": ["string", "null"], "format": "uri"},
            "records": {"type": "array", "items": {"$ref": record_ref}},
        },
    }


def path_of(api: DataApi) -> str:
    return f"/api/data/{api.name}"


def _operation(api: DataApi, record_ref: str, error_ref: str) -> dict[str, Any]:
    parameters = [item for parameter in api.parameters for item in _parameter_objects(parameter)]
    parameters += _control_parameters(api)
    responses: dict[str, Any] = {
        "200": {
            "description": "A page of rows 数据分页",
            "headers": {"X-Total-Count": {"schema": {"type": "integer"}}, **(RATE_HEADERS if _with_keys() else {})},
            "content": {
                "application/json": {"schema": _page_schema(record_ref)},
                "text/csv": {"schema": {"type": "string"}},
            },
        },
    }
    errors = {**ERRORS, **KEY_ERRORS} if _with_keys() else ERRORS
    for status, description in errors.items():
        if status in ("401", "403", "503") and api.condition == open_condition.UNCONDITIONAL and not _with_keys():
            continue
        if status == "503" and api.condition == open_condition.UNCONDITIONAL:
            continue
        responses[status] = {"description": description, "content": {"application/json": {"schema": {"$ref": error_ref}}}}
    return {
        "operationId": f"get_{_component_name(api.name)}",
        "summary": api.title,
        "description": api.notes,
        "tags": [api.condition],
        "parameters": parameters,
        "responses": responses,
        "security": security(api),
    }


def _server() -> list[dict[str, str]]:
    return [{"url": (tk.config.get("ckan.site_url") or "http://127.0.0.1:5000").rstrip("/")}]


def _document(title: str, description: str, apis: list[DataApi]) -> dict[str, Any]:
    schemas: dict[str, Any] = {"Error": error_schema()}
    paths: dict[str, Any] = {}
    for api in apis:
        record = f"Record_{_component_name(api.name)}"
        schemas[record] = _record_schema(api)
        paths[path_of(api)] = {"get": _operation(api, f"#/components/schemas/{record}", "#/components/schemas/Error")}
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title, "version": DOCUMENT_VERSION, "description": description},
        "servers": _server(),
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": security_schemes()},
    }


def api_document(api: DataApi) -> dict[str, Any]:
    return _document(api.title, api.notes, [api])


def portal_document(apis: list[DataApi]) -> dict[str, Any]:
    city = settings.current().city_name
    return _document(
        f"{city}公共数据开放平台 数据接口 / {city} open data portal: data APIs",
        "Every data API the portal serves. 平台提供的全部数据接口。",
        apis,
    )


def published_apis() -> list[DataApi]:
    """Every published data API with a table behind it, in name order (one query for the tables)."""
    found: list[dict[str, Any]] = []
    start = 0
    while True:
        page = tk.get_action("package_search")(
            {"ignore_auth": True},
            {"q": "*:*", "fq": f"+dataset_type:{interface.API_TYPE}", "rows": 1000, "start": start, "sort": "name asc"},
        )
        found += [api for api in page["results"] if interface.published(api)]
        start += 1000
        if start >= page["count"]:
            break
    tables = interface.table_columns(
        resource.id for api in found for resource in interface.candidate_tables(api)
    )
    described = [interface.describe(api, tables) for api in found]
    return [api for api in described if api.table is not None and api.condition != open_condition.NOT_OPEN]


_portal_cache: dict[str, Any] = {}
_portal_lock = threading.Lock()


def _catalogue_version() -> tuple[Any, ...]:
    """Changes whenever a package (an API or a dataset it serves, its resources included) does."""
    row = model.Session.execute(sa.text("SELECT max(metadata_modified), count(*) FROM package")).one()
    return (tuple(row), tk.config.get("ckan.site_url"), settings.current().dataapi)


def cached_portal_document() -> dict[str, Any]:
    """The portal's document, built again only after the catalogue changed (it takes seconds
    for the demo's 386 served APIs)."""
    version = _catalogue_version()
    with _portal_lock:
        if _portal_cache.get("version") != version:
            _portal_cache.update(version=version, document=portal_document(published_apis()))
        return _portal_cache["document"]
