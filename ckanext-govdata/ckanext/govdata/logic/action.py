"""govdata actions."""
from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search import SearchError
from ckan.types import Action, Context, DataDict

from ckanext.govdata.messages import bilingual

log = logging.getLogger(__name__)
PAGING = {"rows": ("返回条数", "Rows"), "start": ("起始位置", "Start")}


@tk.chained_action
@tk.side_effect_free
def package_search(original_action: Action, context: Context, data_dict: DataDict) -> dict[str, Any]:
    """CKAN's package_search, with a query Solr cannot parse answered as a 409 naming ``q``,
    and ``rows``/``start`` that are not numbers as a 409 naming them.

    Stock CKAN reports it as a generic search error quoting Solr's parser internals.
    """
    paging = {
        name: [bilingual("{field} must be a whole number: {value}", field=label, value=data_dict[name])]
        for name, label in PAGING.items()
        if isinstance(data_dict.get(name), (list, dict))  # core's int() fails on these with a 500
    }
    if paging:
        raise tk.ValidationError(paging)
    try:
        return original_action(context, data_dict)
    except SearchError as error:
        if "HTTP 400" not in str(error) and "SyntaxError" not in str(error):
            raise
        log.info("invalid search query %r: %s", data_dict.get("q"), error)
        raise tk.ValidationError(
            {"q": [bilingual("Search Query is invalid: check brackets, quotes and field names")]}
        ) from None


def all_actions() -> dict[str, Action]:
    return {"package_search": package_search}
