"""Actions of govdata_stats: the published figures and the departments' monitoring report."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps, calendar, settings, vocabularies
from ckanext.govdata.messages import bilingual
from ckanext.govdata.stats import bulletins, counter_reads, counters, feature_figures, usage
from ckanext.govdata.stats.logic import schema
from ckanext.govdata.stats.model import Bulletin

__all__ = [
    "govdata_bulletin_generate", "govdata_bulletin_list", "govdata_bulletin_show", "govdata_department_report",
    "govdata_overdue_list", "govdata_statistics", "govdata_stats_refresh",
]

# Breakdowns whose keys are vocabulary values, labelled in the request's language.
LABELLED = {
    "domain": "domains",
    "open_condition": "open_conditions",
    "resource_library": "resource_libraries",
    "format": "data_formats",
}


def _recent_days() -> int:
    return settings.current().stats.recent_days


def _validate(data_dict: DataDict, schema_: dict[str, Any], context: Context) -> dict[str, Any]:
    data, errors = tk.navl_validate(data_dict, schema_, context)
    if errors:
        raise tk.ValidationError(errors)
    return data


def _department(reference: str) -> model.Group:
    department = model.Group.get(reference)
    if department is None or not department.is_organization or department.state != "active":
        raise tk.ValidationError({"id": [bilingual("Unknown value for {field}: {value}", field=("提供单位", "Department"), value=reference)]})
    return department


def _scope_key(scope: str, reference: str | None) -> tuple[str, str]:
    """The counters' key of a scope and its title; a bad id is a 409 naming ``id``."""
    if scope == counters.SITE:
        return "", tk.config.get("ckan.site_title") or ""
    if not reference:
        raise tk.ValidationError({"id": [bilingual("{field} is required", field=("编号", "ID"))]})
    if scope == counters.DOMAIN:
        if reference not in vocabularies.values("domains"):
            raise tk.ValidationError({"id": [bilingual("Unknown value for {field}: {value}", field=("开放领域", "Domain"), value=reference)]})
        return reference, vocabularies.label("domains", reference)
    department = _department(reference)
    return department.id, department.display_name


def _department_names(ids: list[str]) -> dict[str, dict[str, str]]:
    if not ids:
        return {}
    rows = model.Session.query(model.Group.id, model.Group.name, model.Group.title).filter(model.Group.id.in_(ids))
    return {row.id: {"name": row.name, "title": row.title or row.name} for row in rows}


def _labelled(dimension: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if dimension == "department":
        names = _department_names([row["key"] for row in rows])
        for row in rows:
            row.update(names.get(row["key"], {"name": row["key"], "title": row["key"]}))
            row["label"] = row["title"]
    else:
        section = LABELLED.get(dimension)
        for row in rows:
            row["label"] = vocabularies.label(section, row["key"]) if section else row["key"]
    return rows


# Still read by name for the per-department decision figures, until the access plugin offers
# them as an action (as it does the counts by state).
def _requests_by_state(scope: str, scope_key: str) -> dict[str, int]:
    """Asked of the access plugin (nothing when it is not loaded); govdata_statistics has
    already decided who may see these figures."""
    if scope == counters.DOMAIN:
        return {}
    try:
        count = tk.get_action("govdata_access_request_counts")
    except KeyError:
        return {}
    data_dict = {"organization_id": scope_key} if scope == counters.DEPARTMENT else {}
    return count({"ignore_auth": True}, data_dict)


@tk.side_effect_free
def govdata_statistics(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The published figures of the site, a domain or a department.

    :param scope: ``site`` (default), ``domain`` or ``department``
    :param id: the domain value or the department's id or name (not for ``site``)
    :param audience: ``public`` (default: active public datasets only) or ``staff`` (also
        private and draft ones; sysadmins, and a department's members for their department)
    :param limit: most keys listed per breakdown, largest first (default 100, at most 1000)
    Only entries that serve data (``catalogue.serves_data``: an API interface, or a dataset
    with a resource) are counted; ``without_data`` says how many others there are.

    :returns: ``figures`` (departments, domains, catalogue_classes, resource_libraries,
        datasets, apis, data_items, records, declared_records, showcases, and without_data:
        the entries of the audience that serve no data and are counted in none of the others), ``breakdowns``
        (per domain, department, catalogue_class, resource_library, open_condition, format),
        ``new_datasets`` per month issued, ``usage`` (downloads and API calls, recent and all
        time) with its daily ``usage_series``, and for staff ``requests_by_state``
    """
    data = _validate(data_dict, schema.statistics_schema(), context)
    scope, audience = data["scope"], data["audience"]
    scope_key, title = _scope_key(scope, data.get("id"))
    tk.check_access("govdata_statistics", context, dict(data, id=scope_key))

    recent_days = _recent_days()
    breakdowns = counter_reads.breakdowns(audience, scope, scope_key, data["limit"])
    months = breakdowns.pop("month")
    breakdowns = {dimension: _labelled(dimension, rows) for dimension, rows in breakdowns.items()}
    totals = usage.totals(scope, scope_key, recent_days)
    series = usage.series(scope, scope_key, recent_days)
    result: dict[str, Any] = {
        "scope": scope,
        "id": scope_key,
        "title": title,
        "audience": audience,
        "figures": counter_reads.figures(audience, scope, scope_key),
        "breakdowns": breakdowns,
        "new_datasets": [{"month": row["key"], "datasets": row["datasets"], "apis": row["apis"]} for row in months],
        "usage": {
            "recent_days": recent_days,
            "downloads": totals[usage.DOWNLOAD],
            "api_calls": totals[usage.API_CALL],
        },
        "usage_series": {
            "downloads": series[usage.DOWNLOAD],
            "api_calls": series[usage.API_CALL],
        },
    }
    if audience == counters.STAFF:
        result["requests_by_state"] = _requests_by_state(scope, scope_key)
    return result


def _report_departments(context: Context, reference: str | None) -> list[model.Group]:
    if reference:
        return [_department(reference)]
    query = model.Session.query(model.Group).filter(model.Group.is_organization.is_(True), model.Group.state == "active")
    user = context.get("auth_user_obj") or model.User.get(context.get("user") or "")
    if not (user and user.sysadmin):
        query = query.filter(model.Group.id.in_(_staff_department_ids(user)))
    return query.order_by(model.Group.title).all()


def _staff_department_ids(user: model.User | None) -> list[str]:
    if user is None:
        return []
    return [
        group_id
        for (group_id,) in model.Session.query(model.Member.group_id).filter(
            model.Member.table_name == "user",
            model.Member.table_id == user.id,
            model.Member.state == "active",
            model.Member.capacity.in_(("admin", "editor")),
        )
    ]


def _sort_value(row: dict[str, Any], key: str) -> tuple[bool, Any]:
    value = row[key]
    # Missing values (no request decided yet …) sort last in either order.
    return (value is None, value if value is not None else 0)


@tk.side_effect_free
def govdata_department_report(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The monitoring report: per department, what it publishes and how it keeps it up.

    :param id: one department (id or name); default: every department the user is staff of
        (all of them for sysadmins)
    :param sort: column to sort by (title, department_code, datasets, apis, unpublished,
        on_time, stale, stale_share, without_data, downloads_recent, downloads_all_time,
        api_calls_recent, api_calls_all_time, and the feature_figures.COLUMNS); default title
    :param order: ``asc`` (default) or ``desc``
    :returns: ``departments``: one row per department with datasets and APIs published and
        serving data, without_data (published, serving none), unpublished (private or draft),
        on_time / stale (by update frequency, of all published entries), downloads and
        API calls (recent and all time), and from the feature plugins installed
        (stats/feature_figures.py): access requests, their mean working days to decision and on-time
        rate; data demands routed, their on-time rate and mean working days to confirmation;
        error reports, their on-time rate and mean working days to an answer; bad ratings and
        their rectification rate; the data quality pass rate. Every rate counts items still
        open past their deadline as late (``calendar.on_time_rate``); None before a first case
    """
    data = _validate(data_dict, schema.department_report_schema(), context)
    tk.check_access("govdata_department_report", context, data)

    departments = _report_departments(context, data.get("id"))
    today = calendar.today()
    recent_days = _recent_days()
    published = counter_reads.freshness_by_department(counters.PUBLIC, today)
    staff = counter_reads.freshness_by_department(counters.STAFF, today)
    used = usage.by_department(recent_days)
    features = feature_figures.collect()
    rows = []
    for department in departments:
        public = published.get(department.id, {"datasets": 0, "apis": 0, "stale": 0, "on_time": 0, "without_data": 0})
        everything = staff.get(department.id, {"datasets": 0, "apis": 0, "without_data": 0})
        published_entries = public["datasets"] + public["apis"] + public["without_data"]
        department_usage = used[department.id]
        rows.append(
            {
                "id": department.id,
                "name": department.name,
                "title": department.display_name,
                "department_code": department.extras.get("department_code", ""),
                "datasets": public["datasets"],
                "apis": public["apis"],
                "without_data": public["without_data"],
                "unpublished": everything["datasets"] + everything["apis"] + everything["without_data"] - published_entries,
                "on_time": public["on_time"],
                "stale": public["stale"],
                "stale_share": round(public["stale"] / published_entries, 3) if published_entries else None,
                "downloads_recent": department_usage[usage.DOWNLOAD]["recent"],
                "downloads_all_time": department_usage[usage.DOWNLOAD]["all_time"],
                "api_calls_recent": department_usage[usage.API_CALL]["recent"],
                "api_calls_all_time": department_usage[usage.API_CALL]["all_time"],
                **feature_figures.for_department(features.get(department.id, {})),
            }
        )
    rows.sort(key=lambda row: _sort_value(row, data["sort"]), reverse=data["order"] == "desc")
    if data["order"] == "desc":
        # Keep departments without a value at the end, as in ascending order.
        rows.sort(key=lambda row: row[data["sort"]] is None)
    return {
        "date": today.isoformat(),
        "recent_days": recent_days,
        "sort": data["sort"],
        "order": data["order"],
        "departments": rows,
    }


def govdata_overdue_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Published datasets and APIs overdue for an update (by their update frequency), longest
    overdue first: what the monitoring page's "stale" counts, entry by entry.

    :param id: one department (id or name); default: every department the user is staff of
        (all of them for sysadmins)
    :returns: ``date`` and ``entries``: id, name, title, type, department (id, title),
        update_frequency, last_updated, days_since_update
    """
    data = _validate(data_dict, schema.department_report_schema(), context)
    tk.check_access("govdata_overdue_list", context, data)
    departments = {department.id: department for department in _report_departments(context, data.get("id"))}
    today = calendar.today()
    rows = counter_reads.stale_packages(today, list(departments))
    packages = {
        package.id: package
        for package in model.Session.query(model.Package).filter(model.Package.id.in_([row["package_id"] for row in rows]))
    }
    return {"date": today.isoformat(), "entries": [
        {
            "id": row["package_id"],
            "name": packages[row["package_id"]].name,
            "title": packages[row["package_id"]].title,
            "type": row["type"],
            "department": {"id": row["owner_org"], "title": departments[row["owner_org"]].display_name},
            "update_frequency": row["update_frequency"],
            "last_updated": row["last_updated"].isoformat() if row["last_updated"] else None,
            "days_since_update": (today - row["last_updated"]).days if row["last_updated"] else None,
        }
        for row in rows if row["package_id"] in packages
    ]}


def govdata_stats_refresh(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Bring the counters in line with the given datasets: the follow-up of a batch of dataset
    actions (``action_steps.BATCH``), run once for the batch. Sysadmins only.

    :param package_ids: ids of the datasets created, changed or deleted
    :returns: ``{"refreshed": <number of datasets>}``
    """
    tk.check_access("govdata_stats_refresh", context, data_dict)
    data = _validate(data_dict, schema.stats_refresh_schema(), context)
    ids = data.get("package_ids") or []
    counters.refresh(ids)
    action_steps.finish(context)
    return {"refreshed": len(set(ids))}


def _not_after_today(day: Any) -> None:
    if day > calendar.today():
        raise tk.ValidationError({"date": [bilingual("{field} must not be in the future", field=("日期", "Date"))]})


@action_steps.atomic
def govdata_bulletin_generate(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Generate (or generate again, replacing) the weekly bulletin or the daily notices, and
    mail each department's editors and admins its daily notice when something is open, overdue
    or stale (once per day). Sysadmins only; cron runs ``ckan govdata stats bulletin``.

    :param kind: ``weekly`` (every department ranked; ``stats/bulletins.py`` documents the score)
        or ``daily`` (one notice per department)
    :param date: a day of the week (weekly; default the last week ended) or the day (daily;
        default today), a local date, not in the future
    :returns: ``kind``, ``period_start``, ``period_end``, ``bulletins`` (their ids) and ``mails`` sent
    """
    data = _validate(data_dict, schema.bulletin_generate_schema(), context)
    tk.check_access("govdata_bulletin_generate", context, data)
    today = calendar.today()
    if data["kind"] == bulletins.WEEKLY:
        start, end = bulletins.week_of(data.get("date") or bulletins.last_full_week(today))
        _not_after_today(start)
        ids, mails = bulletins.generate_weekly(start), 0
    else:
        start = end = data.get("date") or today
        _not_after_today(start)
        ids = bulletins.generate_daily(start)
        mails = bulletins.mail_daily(ids)
    action_steps.finish(context)
    return {"kind": data["kind"], "period_start": start.isoformat(), "period_end": end.isoformat(),
            "bulletins": ids, "mails": mails}


@tk.side_effect_free
def govdata_bulletin_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The bulletins the caller may read, newest first, without their content: every one for
    sysadmins; the weekly bulletins and their own departments' daily notices for a department's staff.

    :param kind: ``weekly`` or ``daily`` (default both)
    :param id: one department's daily notices (id or name)
    :param limit: at most this many (default 50, at most 500); ``offset`` skips as many
    :returns: ``count`` and ``results``
    """
    data = _validate(data_dict, schema.bulletin_list_schema(), context)
    tk.check_access("govdata_bulletin_list", context, data)
    user = context.get("auth_user_obj") or model.User.get(context.get("user") or "")
    query = bulletins.visible(model.Session.query(Bulletin), bool(user and user.sysadmin), _staff_department_ids(user))
    if data.get("kind"):
        query = query.filter(Bulletin.kind == data["kind"])
    if data.get("id"):
        query = query.filter(Bulletin.department_id == _department(data["id"]).id)
    rows = (query.order_by(Bulletin.period_start.desc(), Bulletin.kind.desc(), Bulletin.department_id)
            .offset(data["offset"]).limit(data["limit"]).all())
    return {"count": query.count(), "results": [bulletins.bulletin_dict(row, content=False) for row in rows]}


@tk.side_effect_free
def govdata_bulletin_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One bulletin with its content: a weekly bulletin (``content.departments``, ranked) for the
    bureau and any department's staff, a daily notice for the bureau and the department's staff.

    :param id: the bulletin's id
    """
    data = _validate(data_dict, schema.bulletin_show_schema(), context)
    bulletin = model.Session.get(Bulletin, data["id"])
    # Who may see it depends on the bulletin: unknown ids are refused like others' notices.
    target = {"kind": bulletin.kind, "department_id": bulletin.department_id} if bulletin else {}
    tk.check_access("govdata_bulletin_show", context, target)
    if bulletin is None:
        raise tk.ObjectNotFound(bilingual("{field} not found: {value}", field=("公告", "Bulletin"), value=data["id"]))
    return bulletins.bulletin_dict(bulletin)
