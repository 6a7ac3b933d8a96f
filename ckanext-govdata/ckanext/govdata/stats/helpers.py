"""Template helpers of govdata_stats: figures for pages, numbers as Chinese portals write them."""
from __future__ import annotations

import logging
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from babel.numbers import format_compact_decimal, format_decimal

from ckanext.govdata import request_scope, vocabularies
from ckanext.govdata.stats import counters

__all__ = [
    "govdata_domain_grid",
    "govdata_stats_compact",
    "govdata_stats_number",
    "govdata_stats_statistics",
    "govdata_stats_without_data_report",
]

log = logging.getLogger(__name__)
# Below this, a number is written out in full (3,272); above, compactly (2.43亿, 243 million).
COMPACT_FROM = 10_000
STATISTICS = "govdata_stats_statistics"
# The curation plugin's staff report of published entries without data, read by name.
WITHOUT_DATA_PLUGIN = "govdata_curation"
WITHOUT_DATA_ACTION = "govdata_catalogue_without_data"
WITHOUT_DATA_ROUTE = "govdata_curation.reports"


def _locale() -> str:
    return "zh_Hans_CN" if vocabularies.current_language() == "zh_Hans_CN" else "en"


def govdata_stats_statistics(scope: str = counters.SITE, id: str | None = None) -> dict[str, Any] | None:
    """The public figures of a scope, or None when they cannot be had (unknown id …).

    Kept for the rest of the request: the home page shows the figures and the domain grid.
    """
    return request_scope.remember(STATISTICS, (scope, id), lambda: _statistics(scope, id))


def _statistics(scope: str, id: str | None) -> dict[str, Any] | None:
    try:
        return tk.get_action("govdata_statistics")({}, {"scope": scope, "id": id} if id else {"scope": scope})
    except (tk.ValidationError, tk.NotAuthorized) as error:
        log.debug("no figures for %s %s: %s", scope, id, error)
        return None


def govdata_stats_number(value: int | None) -> str:
    return format_decimal(value or 0, locale=_locale())


def govdata_stats_compact(value: int | None) -> str:
    """2.43亿 in Chinese, 243 million in English; small numbers in full."""
    value = value or 0
    if value < COMPACT_FROM:
        return govdata_stats_number(value)
    locale = _locale()
    return format_compact_decimal(value, format_type="short" if locale == "zh_Hans_CN" else "long", locale=locale, fraction_digits=2)


@tk.chained_helper
def govdata_domain_grid(next_helper: Any) -> list[dict[str, Any]]:
    """govdata's domain grid, counted by the counters instead of a search per page view."""
    statistics = govdata_stats_statistics()
    if statistics is None:
        return next_helper()
    counts = {row["key"]: row["packages"] for row in statistics["breakdowns"]["domain"]}
    return [
        {
            "value": entry["value"],
            "label": vocabularies.label("domains", entry["value"]),
            "icon": entry.get("icon", "fa-database"),
            "count": counts.get(entry["value"], 0),
        }
        for entry in vocabularies.entries("domains")
    ]


def govdata_stats_without_data_report(department: str | None = None) -> str | None:
    """The address of the staff report listing published entries without data (of
    ``department`` when given), for those who may read it; None for everyone else."""
    data = {"id": department} if department else {}
    if not tk.current_user.is_authenticated or not p.plugin_loaded(WITHOUT_DATA_PLUGIN):
        return None
    if not tk.h.check_access(WITHOUT_DATA_ACTION, data):
        return None
    return tk.url_for(WITHOUT_DATA_ROUTE, _anchor="without-data", **({"department": department} if department else {}))
