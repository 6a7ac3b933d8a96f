"""Template helpers."""
from __future__ import annotations

from typing import Any, TypeVar

import ckan.plugins.toolkit as tk
import flask

from ckanext.govdata import request_scope, vocabularies
from ckanext.govdata.search import highlight as search_highlight
from ckanext.govdata.search import query as search_query


def govdata_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Scheming ``choices_helper``: the choices of the field's ``vocabulary`` section."""
    return vocabularies.scheming_choices(field["vocabulary"])


def govdata_label(section: str, value: str | None) -> str:
    return vocabularies.label(section, value)


def govdata_domains() -> list[dict[str, Any]]:
    return vocabularies.entries("domains")


def govdata_domain_grid() -> list[dict[str, Any]]:
    """Each configured domain with its label, icon and number of public datasets and APIs."""
    result = tk.get_action("package_search")(
        {}, {"rows": 0, "facet.field": ["domain"], "facet.limit": -1, "include_private": False}
    )
    counts = result["facets"].get("domain", {})
    return [
        {
            "value": entry["value"],
            "label": vocabularies.label("domains", entry["value"]),
            "icon": entry.get("icon", "fa-database"),
            "count": counts.get(entry["value"], 0),
        }
        for entry in vocabularies.entries("domains")
    ]


def govdata_format_count(value: Any) -> str:
    """A count as Chinese readers write it: 1,200 / 12.5万 / 2.43亿 (English: 1,200 / 125,000)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return ""
    if vocabularies.current_language() != "zh_Hans_CN" or number < 100_000:
        return f"{number:,}"
    if number < 100_000_000:
        return f"{number / 10_000:.4g}万"
    return f"{number / 100_000_000:.4g}亿"


_Entry = TypeVar("_Entry", tuple[str, str, list[str]], tuple[str, str, str])


def govdata_main_nav() -> list[tuple[str, str, list[str]]]:
    """Main navigation as (endpoint, label, highlighted-for blueprints), with the signed-in user's
    requests (a reviewer's queue); entries whose endpoint is not registered (their plugin is not
    loaded) are left out. The one list of the sections: no plugin chains this helper."""
    entries = [
        ("dataset.search", tk._("Datasets"), ["dataset", "resource"]),
        ("dataservice.search", tk._("API interfaces"), ["dataservice"]),
        ("organization.index", tk._("Departments"), ["organization"]),
        ("govdata_scenario.scenario_list", tk._("Scenarios"), ["govdata_scenario"]),
        ("showcase.search", tk._("Showcases"), ["showcase", "govdata_showcase"]),
        ("govdata_contest.contest_list", tk._("Contests"), ["govdata_contest"]),
        ("govdata_stats.index", tk._("Statistics"), ["govdata_stats"]),
        ("govdata_demands.index", tk._("Data demands"), ["govdata_demands"]),
    ]
    if tk.current_user.is_authenticated:
        is_reviewer = tk.h.get("govdata_access_is_reviewer")
        if is_reviewer and is_reviewer():
            entries.append(("govdata_access.review_queue", tk._("Request review"), ["govdata_access"]))
        else:
            entries.append(("govdata_access.my_requests", tk._("My requests"), ["govdata_access"]))
    entries.append(("home.about", tk._("About"), []))
    return _registered(entries)


def govdata_account_links() -> list[tuple[str, str, str]]:
    """The signed-in user's own pages beside the dashboard, as (endpoint, label, icon): 我的数据,
    我的应用, and the audit trail for those who may read it (a department's staff, the bureau);
    pages of plugins not loaded are left out."""
    if not tk.current_user.is_authenticated:
        return []
    entries = [("govdata_subjects.mine", tk._("My data"), "id-card"),
               ("govdata_devkeys.mine", tk._("My applications"), "key")]
    try:
        tk.check_access("govdata_audit_list", {"user": tk.current_user.name}, {})
        entries.append(("govdata_subjects.audit", tk._("Audit trail"), "list-check"))
    except (tk.NotAuthorized, ValueError):
        pass
    return _registered(entries)


def _registered(entries: list[_Entry]) -> list[_Entry]:
    """The entries whose endpoint (first item) is registered: their plugin is loaded."""
    endpoints = flask.current_app.view_functions
    return [entry for entry in entries if entry[0] in endpoints]


def govdata_search_relaxed(query: str) -> bool:
    """Whether this request's dataset search for ``query`` gave relaxed results."""
    return request_scope.take(search_query.RELAXED_SCOPE, None) == query


def govdata_search_highlights(query: Any, packages: list[dict[str, Any]]) -> dict[str, Any]:
    """Dataset id -> {"title", "notes"}: where ``query`` matched in a page of results, marked."""
    return search_highlight.highlights(query, [package["id"] for package in packages or [] if package.get("id")])


def govdata_search_did_you_mean(query: Any, dataset_type: str | None = None) -> list[dict[str, str]]:
    """Titles and department names to search instead of ``query``, which found nothing."""
    if not isinstance(query, str) or not query.strip():
        return []
    data = {"q": query, "limit": 5, **({"type": dataset_type} if dataset_type else {})}
    try:
        result = tk.get_action("govdata_search_suggest")({}, data)
    except tk.ValidationError:
        return []
    return [suggestion for suggestion in result["suggestions"] if suggestion["text"] != query.strip()]


def all_helpers() -> dict[str, Any]:
    return {
        "govdata_search_highlights": govdata_search_highlights,
        "govdata_search_did_you_mean": govdata_search_did_you_mean,
        "govdata_search_relaxed": govdata_search_relaxed,
        "govdata_choices": govdata_choices,
        "govdata_label": govdata_label,
        "govdata_domains": govdata_domains,
        "govdata_domain_grid": govdata_domain_grid,
        "govdata_format_count": govdata_format_count,
        "govdata_main_nav": govdata_main_nav,
        "govdata_account_links": govdata_account_links,
    }
