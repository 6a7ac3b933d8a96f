"""govdata actions."""
from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search import SearchError
from ckan.types import Action, Context, DataDict

from ckanext.govdata import request_scope
from ckanext.govdata.logic import suggest, synonyms
from ckanext.govdata.messages import bilingual
from ckanext.govdata.search import query as search_query

log = logging.getLogger(__name__)
# CKAN's own refusals of local parameters (ckan.lib.search.query), a SearchError each.
LOCAL_PARAMETER_REFUSALS = ("Local parameters", "Query parsers are not supported", "Magic fields",
                            "Could not parse incoming local parameters")
PAGING = {"rows": ("返回条数", "Rows"), "start": ("起始位置", "Start")}


def _search(original_action: Action, context: Context, data_dict: DataDict) -> dict[str, Any]:
    try:
        return original_action(context, data_dict)
    except SearchError as error:
        message = str(error)
        log.info("invalid search query %r: %s", data_dict.get("q"), message[:500])
        if any(refusal in message for refusal in LOCAL_PARAMETER_REFUSALS):
            raise tk.ValidationError(
                {"q": [bilingual("Search Query is invalid: local parameters such as {{!lucene}} are not allowed")]}
            ) from None
        if "too many clauses" in message.lower() or "maxClauseCount" in message:
            raise tk.ValidationError({"q": [bilingual("Search Query is too long: use fewer words")]}) from None
        if "HTTP 400" not in message and "SyntaxError" not in message:
            raise
        raise tk.ValidationError(
            {"q": [bilingual("Search Query is invalid: check brackets, quotes and field names")]}
        ) from None


@tk.chained_action
@tk.side_effect_free
def package_search(original_action: Action, context: Context, data_dict: DataDict) -> dict[str, Any]:
    """CKAN's package_search, with a query Solr cannot parse answered as a 409 naming ``q``,
    and ``rows``/``start`` that are not numbers as a 409 naming them.

    Stock CKAN reports it as a generic search error quoting Solr's parser internals.

    When typed text (search.query) finds nothing, the search runs again accepting datasets that
    hold any of its terms; the result then says ``"relaxed": true``, and the page says the
    results match only part of the query.
    """
    paging = {
        name: [bilingual("{field} must be a whole number: {value}", field=label, value=data_dict[name])]
        for name, label in PAGING.items()
        if isinstance(data_dict.get(name), (list, dict))  # core's int() fails on these with a 500
    }
    if paging:
        raise tk.ValidationError(paging)
    asked = dict(data_dict)
    result = _search(original_action, context, data_dict)
    q = asked.get("q")
    if result.get("count") or not isinstance(q, str) or not search_query.is_free_text(q):
        return result
    relaxed = _search(original_action, dict(context), {**asked, search_query.RELAX_EXTRA: "1"})
    if not relaxed.get("count"):
        return result
    relaxed["relaxed"] = True
    request_scope.hand_over(search_query.RELAXED_SCOPE, q)
    return relaxed


def all_actions() -> dict[str, Action]:
    return {"package_search": package_search, **synonyms.actions(), **suggest.actions()}
