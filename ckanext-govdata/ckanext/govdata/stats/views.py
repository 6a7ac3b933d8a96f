"""Pages of govdata_stats: the public statistics and the staff monitoring report."""
from __future__ import annotations

import io
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.common import current_user
from flask import Blueprint, Response, request
from openpyxl import Workbook
from openpyxl.styles import Font

from ckanext.govdata import spreadsheets
from ckanext.govdata.stats import counters

__all__ = ["stats"]

stats = Blueprint("govdata_stats", __name__)

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEPARTMENT_CHART_LIMIT = 20


def _context() -> dict[str, Any]:
    return {"user": current_user.name if current_user.is_authenticated else ""}


def _bar(label: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "bar",
        "labels": [row["label"] for row in rows],
        "datasets": [
            {"label": tk._("Datasets"), "data": [row["datasets"] for row in rows]},
            {"label": tk._("API interfaces"), "data": [row["apis"] for row in rows]},
        ],
        "title": label,
    }


def _charts(statistics: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """What the page's charts draw, in the shape the govdata-stats-chart module reads."""
    breakdowns = statistics["breakdowns"]
    usage = statistics["usage_series"]
    return {
        "domains": _bar(tk._("By domain"), breakdowns["domain"]),
        "departments": _bar(tk._("By department"), breakdowns["department"][:DEPARTMENT_CHART_LIMIT]),
        "new_datasets": {
            "type": "line",
            "title": tk._("New datasets and APIs by month issued"),
            "labels": [row["month"] for row in statistics["new_datasets"]],
            "datasets": [
                {"label": tk._("Datasets"), "data": [row["datasets"] for row in statistics["new_datasets"]]},
                {"label": tk._("API interfaces"), "data": [row["apis"] for row in statistics["new_datasets"]]},
            ],
        },
        "usage": {
            "type": "line",
            "title": tk._("Downloads and API calls per day"),
            "labels": [row["day"] for row in usage["downloads"]],
            "datasets": [
                {"label": tk._("Downloads"), "data": [row["count"] for row in usage["downloads"]]},
                {"label": tk._("API calls"), "data": [row["count"] for row in usage["api_calls"]]},
            ],
        },
    }


def _statistics_page(scope: str, reference: str | None) -> str:
    data = {"scope": scope, "id": reference} if reference else {"scope": scope}
    try:
        statistics = tk.get_action("govdata_statistics")(_context(), data)
    except tk.ValidationError:
        return tk.abort(404, tk._("No such domain or department"))
    return tk.render("govdata_stats/index.html", {"statistics": statistics, "charts": _charts(statistics)})


@stats.route("/stats")
def index() -> str:
    return _statistics_page(counters.SITE, None)


@stats.route("/stats/domain/<value>")
def domain(value: str) -> str:
    return _statistics_page(counters.DOMAIN, value)


@stats.route("/stats/department/<id>")
def department(id: str) -> str:
    return _statistics_page(counters.DEPARTMENT, id)


def _report() -> dict[str, Any]:
    data = {key: request.args[key] for key in ("sort", "order") if request.args.get(key)}
    try:
        return tk.get_action("govdata_department_report")(_context(), data)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only bureau and department staff may see the monitoring report"))
    except tk.ValidationError as error:
        return tk.abort(400, "; ".join(message for messages in error.error_dict.values() for message in messages))


def report_columns() -> list[tuple[str, str]]:
    """The report's columns as (key, heading), in the page's and the workbook's order."""
    return [
        ("title", tk._("Department")),
        ("department_code", tk._("Department code")),
        ("datasets", tk._("Datasets")),
        ("apis", tk._("API interfaces")),
        ("without_data", tk._("Published without data")),
        ("unpublished", tk._("Unpublished")),
        ("on_time", tk._("Updated on time")),
        ("stale", tk._("Stale")),
        ("stale_share", tk._("Stale share")),
        ("downloads_recent", tk._("Downloads (recent)")),
        ("downloads_all_time", tk._("Downloads (all time)")),
        ("api_calls_recent", tk._("API calls (recent)")),
        ("api_calls_all_time", tk._("API calls (all time)")),
        ("requests", tk._("Requests")),
        ("days_to_decision", tk._("Working days to decision")),
        ("requests_on_time_rate", tk._("Requests decided on time")),
        ("demands", tk._("Data demands")),
        ("days_to_confirm_demand", tk._("Working days to confirm a demand")),
        ("demands_on_time_rate", tk._("Demands handled on time")),
        ("corrections", tk._("Error reports")),
        ("days_to_correct", tk._("Working days to answer an error report")),
        ("corrections_on_time_rate", tk._("Error reports answered on time")),
        ("bad_ratings", tk._("Bad ratings")),
        ("rectification_rate", tk._("Bad ratings rectified on time")),
        ("quality_pass_rate", tk._("Quality pass rate")),
    ]


@stats.route("/monitor")
def monitor() -> str:
    report = _report()
    return tk.render("govdata_stats/monitor.html", {"report": report, "columns": report_columns()})


def _xlsx(title: str, headings: list[str], rows: list[list[Any]], filename: str) -> Response:
    """One sheet: bold headings, then ``rows`` (through ``spreadsheets``: text stays text)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    spreadsheets.append_row(sheet, headings)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        spreadsheets.append_row(sheet, row)
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 36
    stream = io.BytesIO()
    workbook.save(stream)
    return Response(
        stream.getvalue(),
        mimetype=XLSX_MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@stats.route("/monitor/export.xlsx")
def monitor_export() -> Response:
    report = _report()
    columns = report_columns()
    return _xlsx(tk._("Monitoring"), [heading for _key, heading in columns],
                 [[row[key] for key, _heading in columns] for row in report["departments"]],
                 f"govdata-monitor-{report['date']}.xlsx")


def bulletin_columns() -> list[tuple[str, str]]:
    """The weekly bulletin's columns as (key, heading): rank and score, then the rates scored."""
    return [
        ("rank", tk._("Rank")),
        ("title", tk._("Department")),
        ("score", tk._("Score")),
        ("requests_on_time_rate", tk._("Requests decided on time")),
        ("demands_on_time_rate", tk._("Demands handled on time")),
        ("corrections_on_time_rate", tk._("Error reports answered on time")),
        ("rectification_rate", tk._("Bad ratings rectified on time")),
        ("quality_pass_rate", tk._("Quality pass rate")),
        ("update_rate", tk._("Entries updated on time")),
        ("stale", tk._("Stale")),
    ]


def notice_rows(notice: dict[str, Any]) -> list[tuple[str, int, int]]:
    """A daily notice's workflows as (name, open, overdue)."""
    names = {
        "requests": tk._("Access requests"),
        "demands": tk._("Data demands"),
        "corrections": tk._("Error reports"),
        "rectifications": tk._("Bad ratings to rectify"),
    }
    # In this order: the stored notice (JSONB) does not keep its keys' order.
    return [(name, notice["workflows"][key]["open"], notice["workflows"][key]["overdue"]) for key, name in names.items()]


def _bulletin(id: str) -> dict[str, Any]:
    try:
        return tk.get_action("govdata_bulletin_show")(_context(), {"id": id})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only bureau and department staff may see the bulletins"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Bulletin not found"))


@stats.route("/monitor/bulletins")
def bulletins() -> str:
    kind = request.args.get("kind") or None
    try:
        listed = tk.get_action("govdata_bulletin_list")(_context(), {"kind": kind} if kind else {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only bureau and department staff may see the bulletins"))
    except tk.ValidationError:
        return tk.abort(400, tk._("Unknown kind of bulletin"))
    return tk.render("govdata_stats/bulletins.html", {"bulletins": listed, "kind": kind})


@stats.route("/monitor/bulletins/<id>")
def bulletin(id: str) -> str:
    shown = _bulletin(id)
    return tk.render("govdata_stats/bulletin.html", {
        "bulletin": shown, "columns": bulletin_columns(),
        "workflows": notice_rows(shown["content"]) if shown["kind"] == "daily" else [],
    })


@stats.route("/monitor/bulletins/<id>.xlsx")
def bulletin_export(id: str) -> Response:
    shown = _bulletin(id)
    content = shown["content"]
    if shown["kind"] == "weekly":
        columns = bulletin_columns()
        return _xlsx(tk._("Weekly bulletin"), [heading for _key, heading in columns],
                     [[row.get(key) for key, _heading in columns] for row in content["departments"]],
                     f"govdata-bulletin-weekly-{shown['period_start']}.xlsx")
    rows: list[list[Any]] = [[name, opened, overdue] for name, opened, overdue in notice_rows(content)]
    rows.append([])
    rows.append([tk._("Stale entries ({count})").format(count=content["stale"]), tk._("Last updated"),
                 tk._("Days since update")])
    rows += [[entry["title"], entry["last_updated"], entry["days_since_update"]] for entry in content["stale_entries"]]
    return _xlsx(tk._("Daily notice"), [content["department"]["title"], tk._("Open"), tk._("Overdue")], rows,
                 f"govdata-bulletin-daily-{shown['period_start']}-{content['department']['name']}.xlsx")
