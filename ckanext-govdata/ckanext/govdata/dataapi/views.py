"""The served data APIs: ``/api/data/<name>`` (JSON or CSV), its OpenAPI document, and the
portal's. Who is calling is decided once, in ``callers.current_caller``."""
from __future__ import annotations

import csv
import io
import json
import time
from typing import Any
from urllib.parse import urlencode

import ckan.plugins as p
from flask import Blueprint, Response, g, request

from ckanext.govdata.dataapi import callers, calls, errors, openapi, query
from ckanext.govdata.dataapi.errors import ApiError
from ckanext.govdata.dataapi.interface import DataApi

dataapi = Blueprint("govdata_dataapi", __name__)

JSON_TYPE = "application/json; charset=utf-8"
# Identifying the caller again when what identified it changed meanwhile (callers.IdentityChanged).
ATTEMPTS = 3


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, content_type=JSON_TYPE)


def error_response(error: ApiError) -> Response:
    response = _json(error.as_dict(), error.status)
    response.headers.update(error.headers)
    return response


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _wants_csv() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/csv"])
    return best == "text/csv" and request.accept_mimetypes["text/csv"] > request.accept_mimetypes["application/json"]


def _next_link(args: dict[str, list[str]], cursor: str | None) -> str | None:
    if cursor is None:
        return None
    kept = {name: values for name, values in args.items() if name not in (query.CURSOR, query.OFFSET, "page_no")}
    kept[query.CURSOR] = [cursor]
    return f"{request.base_url}?{urlencode(kept, doseq=True)}"


def _page_response(api: DataApi, asked: query.Query, page: query.Page, args: dict[str, list[str]]) -> Response:
    headers = {"X-Total-Count": str(page.total)}
    if asked.format == "csv":
        stream = io.StringIO()
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(page.fields)
        for record in page.records:
            writer.writerow(_csv_value(record[field]) for field in page.fields)
        headers["Content-Disposition"] = f'attachment; filename="{api.name}.csv"'
        if page.next_cursor:
            headers["X-Next-Cursor"] = page.next_cursor
        return Response(stream.getvalue(), content_type="text/csv; charset=utf-8", headers=headers)
    body = {
        "api": api.name,
        "fields": list(page.fields),
        "total": page.total,
        "limit": page.limit,
        "offset": page.offset,
        "next_cursor": page.next_cursor,
        "next": _next_link(args, page.next_cursor),
        "records": page.records,
    }
    response = _json(body)
    response.headers.update(headers)
    return response


@dataapi.route("/api/data/<name>")
def data(name: str) -> Response:
    started = time.perf_counter()
    response = _data(name)
    if p.plugin_loaded("govdata_devkeys"):
        from ckanext.govdata.dataapi.keys import guard

        guard.finish(response, name, started)
    return response


def _data(name: str) -> Response:
    args = request.args.to_dict(flat=False)
    try:
        caller, (api, asked, page) = _answer(name, args)
    except ApiError as error:
        return error_response(error)
    # What the call ledger (govdata_devkeys) records.
    g.govdata_dataapi_call = {"api": api.name, "package_id": api.package_id, "rows": len(page.records),
                              "user_id": caller.user_id}
    return _page_response(api, asked, page, args)


def _answer(name: str, args: dict[str, list[str]]) -> tuple[callers.Caller, tuple[DataApi, query.Query, query.Page]]:
    for _attempt in range(ATTEMPTS):
        try:
            caller = callers.current_caller()
            return caller, calls.answer(name, caller, args, accept_csv=_wants_csv())
        except callers.IdentityChanged:
            continue
    raise errors.limits_unavailable()


@dataapi.route("/api/data/<name>/openapi.json")
def api_document(name: str) -> Response:
    try:
        api = calls.published_api(name)
    except ApiError as error:
        return error_response(error)
    return _json(openapi.api_document(api))


@dataapi.route("/api/openapi.json")
def portal_document() -> Response:
    return _json(openapi.cached_portal_document())
