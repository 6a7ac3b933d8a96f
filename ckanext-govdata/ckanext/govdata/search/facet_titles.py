"""Department and group facets get their titles by one plain SQL query.

CKAN's ``package_search`` looks up the title of each department and group in its facets with an
ORM query: 0.5 ms of the ~1.6 ms the action spends outside Solr for a typed term with the
portal's five facets (bench/search.py, case a), most of it SQLAlchemy building the statement
and its expanding ``IN``. The same titles come from one ``= ANY(%s)`` statement in 0.13 ms.

CKAN runs its query when the search's facets hold ``organization`` or ``groups``, between
``PackageSearchQuery.run`` and the ``after_dataset_search`` hooks, with no hook of its own. So,
for a search whose ``before_dataset_search`` went through ``expect``, ``run`` hands CKAN those
facets under other keys, and ``restore`` (``after_dataset_search``) puts them back, in their
place and with CKAN's display names: the title, or the name when the title is empty or the
department is gone. Other callers of ``run`` (the reindex, CKAN's commands) are left alone.
"""
from __future__ import annotations

import contextvars
from typing import Any

from ckan import model
from ckan.lib.search import query as ckan_query

ALIASES = {"organization": "govdata_titled_organization", "groups": "govdata_titled_groups"}
_BACK = {alias: field for field, alias in ALIASES.items()}
# The facet.field list of the search in progress whose facets ``run`` is to hand over aliased.
_expected: contextvars.ContextVar[Any] = contextvars.ContextVar("govdata_facet_titles", default=None)


def expect(search_params: dict[str, Any]) -> dict[str, Any]:
    """Marks this search (its own facet.field list) for ``run`` and ``restore``."""
    fields = search_params.get("facet.field")
    _expected.set(fields if isinstance(fields, list) and set(fields) & set(ALIASES) else None)
    return search_params


def restore(search_results: dict[str, Any]) -> dict[str, Any]:
    """The facets under their own keys again, titled."""
    if _expected.get() is None:
        return search_results
    _expected.set(None)
    facets = search_results.get("facets") or {}
    if not set(facets) & set(_BACK):
        return search_results
    titles = _titles([name for alias in _BACK for name in facets.get(alias, {})])
    search_facets = search_results.get("search_facets") or {}
    for alias, field in _BACK.items():
        for item in search_facets.get(alias, {}).get("items", []):
            title = titles.get(item["name"])
            item["display_name"] = title if title and title.strip() else item["name"]
        if alias in search_facets:
            search_facets[alias]["title"] = field
    search_results["facets"] = {_BACK.get(key, key): value for key, value in facets.items()}
    search_results["search_facets"] = {_BACK.get(key, key): value for key, value in search_facets.items()}
    return search_results


def _titles(names: list[str]) -> dict[str, str]:
    if not names:
        return {}
    rows = model.Session.connection().exec_driver_sql(
        'SELECT name, title FROM "group" WHERE name = ANY(%(names)s)', {"names": names}
    )
    return dict(rows.all())


def hand_over_aliased() -> None:
    """Makes ``PackageSearchQuery.run`` alias the facets of an expected search (once per process)."""
    run = ckan_query.PackageSearchQuery.run
    if getattr(run, "aliases_titled_facets", False):
        return

    def aliasing_run(self: Any, query: dict[str, Any], permission_labels: list[str] | None = None,
                     **kwargs: Any) -> dict[str, Any]:
        result = run(self, query, permission_labels, **kwargs)
        expected = _expected.get()
        if expected is not None and query.get("facet.field") is expected:
            self.facets = {ALIASES.get(key, key): value for key, value in self.facets.items()}
        return result

    aliasing_run.aliases_titled_facets = True  # type: ignore[attr-defined]
    ckan_query.PackageSearchQuery.run = aliasing_run
