"""Bulletins: the bureau's weekly bulletin ranking departments (一周一通报) and each department's
daily notice of what is open and overdue (一日一告知), generated from cron
(``ckan govdata stats bulletin``) and kept in ``govdata_bulletin``.

Both are snapshots of the monitoring report at the time they are generated: the rates are those
of every case so far (``calendar.on_time_rate``), the period only names the snapshot.

The weekly score of a department is the unweighted mean of the rates it has (each 0–1, None
left out): the on-time rates of access requests, data demands and error reports, the
rectification rate of bad ratings, the quality pass rate and the share of its published entries
with an update frequency that are updated on time. Departments are ranked by score, highest
first; equal scores share a rank (1, 2, 2, 4). A department with none of these rates (no case
yet) is listed unranked, after the others.
"""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from sqlalchemy.dialects.postgresql import insert

from ckanext.govdata import calendar, mailing
from ckanext.govdata.messages import bilingual
from ckanext.govdata.stats import feature_figures
from ckanext.govdata.stats.model import Bulletin

DAILY, WEEKLY = "daily", "weekly"
KINDS = (DAILY, WEEKLY)
WEEKLY_DEPARTMENT = ""
SCORED_RATES = (
    "requests_on_time_rate", "demands_on_time_rate", "corrections_on_time_rate", "rectification_rate",
    "quality_pass_rate", "update_rate",
)
STAFF_ROLES = ("editor", "admin")
LISTED_STALE = 50


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week holding ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def last_full_week(today: dt.date) -> dt.date:
    """A day of the last week that has ended by ``today`` (cron runs on Monday for the week before)."""
    return week_of(today)[0] - dt.timedelta(days=1)


def _bureau_context() -> dict[str, Any]:
    return {"ignore_auth": True, "user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}


def _report() -> list[dict[str, Any]]:
    return tk.get_action("govdata_department_report")(_bureau_context(), {})["departments"]


def update_rate(row: dict[str, Any]) -> float | None:
    """Share of the published entries with an update frequency that are updated on time."""
    return calendar.on_time_rate(row["on_time"], row["on_time"] + row["stale"])


def score(row: dict[str, Any]) -> float | None:
    rates = [row[rate] for rate in SCORED_RATES if row.get(rate) is not None]
    return round(sum(rates) / len(rates), 4) if rates else None


def ranked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with their ``update_rate``, ``score`` and ``rank`` (None when unranked), best first."""
    for row in rows:
        row["update_rate"] = update_rate(row)
        row["score"] = score(row)
    rows.sort(key=lambda row: (row["score"] is None, -(row["score"] or 0), row["title"]))
    rank, previous = 0, None
    for position, row in enumerate(rows, start=1):
        if row["score"] is None:
            row["rank"] = None
            continue
        if row["score"] != previous:
            rank, previous = position, row["score"]
        row["rank"] = rank
    return rows


def _store(kind: str, start: dt.date, end: dt.date, department_id: str, content: dict[str, Any]) -> str:
    """Insert or replace one bulletin (the period's earlier one keeps its id and mail time)."""
    statement = insert(Bulletin.__table__).values(
        id=str(uuid.uuid4()), kind=kind, period_start=start, period_end=end, department_id=department_id,
        generated_at=calendar.utcnow().replace(tzinfo=None), content=content,
    )
    upsert = statement.on_conflict_do_update(
        index_elements=["kind", "period_start", "department_id"],
        set_={"generated_at": statement.excluded.generated_at, "content": statement.excluded.content,
              "period_end": statement.excluded.period_end},
    ).returning(Bulletin.__table__.c.id)
    return model.Session.execute(upsert).scalar_one()


def generate_weekly(day: dt.date) -> list[str]:
    start, end = week_of(day)
    rows = ranked(_report())
    content = {"week_start": start.isoformat(), "week_end": end.isoformat(), "departments": rows}
    return [_store(WEEKLY, start, end, WEEKLY_DEPARTMENT, content)]


def _stale_entries() -> dict[str, list[dict[str, Any]]]:
    entries = tk.get_action("govdata_overdue_list")(_bureau_context(), {})["entries"]
    by_department: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        by_department.setdefault(entry["department"]["id"], []).append(
            {key: entry[key] for key in ("name", "title", "update_frequency", "last_updated", "days_since_update")}
        )
    return by_department


def notice(row: dict[str, Any], stale: list[dict[str, Any]]) -> dict[str, Any]:
    """A department's daily notice: open and overdue items per workflow, and its stale entries."""
    workflows = {
        workflow: {"open": row[open_column], "overdue": row[overdue_column]}
        for workflow, (open_column, overdue_column) in feature_figures.OPEN_COLUMNS.items()
    }
    return {
        "department": {key: row[key] for key in ("id", "name", "title", "department_code")},
        "workflows": workflows,
        "open": sum(counts["open"] for counts in workflows.values()),
        "overdue": sum(counts["overdue"] for counts in workflows.values()),
        "stale": row["stale"],
        "stale_entries": stale[:LISTED_STALE],
    }


def due(content: dict[str, Any]) -> bool:
    """Whether a daily notice has anything to tell (and so is mailed)."""
    return bool(content["open"] or content["overdue"] or content["stale"])


def generate_daily(day: dt.date) -> list[str]:
    stale = _stale_entries()
    ids = []
    for row in _report():
        content = dict(notice(row, stale.get(row["id"], [])), date=day.isoformat())
        ids.append(_store(DAILY, day, day, row["id"], content))
    return ids


def _staff(department_id: str) -> list[model.User]:
    rows = (
        model.Session.query(model.User)
        .join(model.Member, model.Member.table_id == model.User.id)
        .filter(model.Member.group_id == department_id, model.Member.table_name == "user",
                model.Member.state == "active", model.Member.capacity.in_(STAFF_ROLES), model.User.state == "active")
    )
    return [user for user in rows if user.email]


def _mail_body(content: dict[str, Any], link: str) -> tuple[str, str]:
    department = content["department"]["title"]
    subject = bilingual("Daily notice of {department}: {open} open, {overdue} overdue, {stale} stale entries",
                        department=department, open=content["open"], overdue=content["overdue"], stale=content["stale"])
    names = _workflow_names()
    counts = content["workflows"]
    lines = [f"- {name}: {counts[key]['open']} / {counts[key]['overdue']}" for key, name in names.items()]
    lines += [f"  · {entry['title']} ({entry['last_updated'] or '-'})" for entry in content["stale_entries"]]
    return subject, "\n".join([subject, "", bilingual("Open / overdue"), *lines, "", link])


def _workflow_names() -> dict[str, str]:
    return {
        "requests": bilingual("Access requests"),
        "demands": bilingual("Data demands"),
        "corrections": bilingual("Error reports"),
        "rectifications": bilingual("Bad ratings to rectify"),
    }


def mail_daily(ids: list[str]) -> int:
    """Mail the staff of each department whose notice (of ``ids``) has something open, overdue or
    stale and was not mailed yet; failures are logged, never raised."""
    mails = 0
    notices = model.Session.query(Bulletin).filter(Bulletin.id.in_(ids), Bulletin.mailed_at.is_(None))
    for bulletin in notices:
        if not due(bulletin.content):
            continue
        link = tk.url_for("govdata_stats.bulletin", id=bulletin.id, _external=True)
        subject, body = _mail_body(bulletin.content, link)
        for user in _staff(bulletin.department_id):
            mails += mailing.mail_user(user, subject, body, "the daily notice")
        bulletin.mailed_at = calendar.utcnow().replace(tzinfo=None)
    return mails


def visible(query: Any, sysadmin: bool, department_ids: list[str]) -> Any:
    """The bulletins a caller may read: every one for the bureau; the weekly bulletins and their
    departments' daily notices for a department's staff."""
    if sysadmin:
        return query
    return query.filter(sa.or_(Bulletin.kind == WEEKLY, Bulletin.department_id.in_(department_ids or [""])))


def bulletin_dict(bulletin: Bulletin, content: bool = True) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": bulletin.id,
        "kind": bulletin.kind,
        "period_start": bulletin.period_start.isoformat(),
        "period_end": bulletin.period_end.isoformat(),
        "department_id": bulletin.department_id or None,
        "generated_at": bulletin.generated_at.isoformat(),
        "mailed_at": bulletin.mailed_at.isoformat() if bulletin.mailed_at else None,
    }
    if bulletin.kind == DAILY:
        result["department"] = bulletin.content["department"]
        result["open"], result["overdue"], result["stale"] = (
            bulletin.content["open"], bulletin.content["overdue"], bulletin.content["stale"])
    if content:
        result["content"] = bulletin.content
    return result
