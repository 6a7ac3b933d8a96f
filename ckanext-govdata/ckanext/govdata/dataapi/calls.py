"""One call of a data API, from its name and query string to a page of rows, for a known caller."""
from __future__ import annotations

from collections.abc import Mapping

from ckanext.govdata import open_condition
from ckanext.govdata.dataapi import callers, errors, interface, query
from ckanext.govdata.dataapi.callers import Caller
from ckanext.govdata.dataapi.interface import DataApi
from ckanext.govdata.dataapi.query import Page, Query

CHANNEL = "dataapi"


def published_api(name: str) -> DataApi:
    api = interface.find(name)
    if api is None:
        raise errors.not_found(name[:100])
    return api


def answer(name: str, caller: Caller, args: Mapping[str, list[str]], accept_csv: bool = False) -> tuple[DataApi, Query, Page]:
    """The page ``caller`` asked for, or an ApiError saying why not (who first, then what)."""
    api = published_api(name)
    access = callers.authorise(api, caller)
    if api.table is None:
        raise errors.no_data(api.name)
    asked = query.parse(api, args, accept_csv)
    confined = query.row_filter_condition(api.table, access.row_filter)
    page = query.run(api.table, asked, [confined] if confined else [])
    open_condition.log_access(
        caller.viewer, access, api.table.package_id, api.table.resource_id, CHANNEL, len(page.records), "rows"
    )
    return api, asked, page
