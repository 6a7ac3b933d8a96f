"""Importing a directory spreadsheet: check everything, then write in one transaction.

1. ``reading`` and ``checking`` turn the file into entries and cell problems.
2. Each entry is planned against the catalogue (keyed by resource code: an entry already there
   is updated, never duplicated; one that would not change is left alone), checked by the
   importing user's permissions and validated by the dataset or API schema, without writing.
3. Only then are the validated entries written, as ``package_create`` / ``package_update`` would
   write them but without validating them again (``writing``), all in one transaction, and
   indexed in one bulk update afterwards: a file with a problem writes nothing, unless the caller
   asked for its valid rows to be written (``partial``), when the rows with problems are left out
   and handed back.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.lib import plugins as lib_plugins

from ckanext.govdata import action_steps
from ckanext.govdata.curation import checking, checks, layout, reading, writing
from ckanext.govdata.curation.checking import Checked, Entry, Problem
from ckanext.govdata.curation.layout import Column, Lookups
from ckanext.govdata.messages import bilingual
from ckanext.govdata.validators import rules

# (stage, done, total): "check" per entry planned, "write" per entry written.
Progress = Callable[[str, int, int], None]
CREATE, UPDATE, UNCHANGED = writing.CREATE, writing.UPDATE, "unchanged"
# Fields of an existing entry that an import never changes: left out of its update, so that
# package_dict_save keeps them as they are.
KEPT_ON_UPDATE = ("resources", "groups", "relationships_as_subject", "relationships_as_object")


@dataclasses.dataclass
class Planned:
    entry: Entry
    operation: str
    data: dict[str, Any]
    original: dict[str, Any] | None = None
    # ``data`` after the schema: what is written.
    validated: dict[str, Any] | None = None


@dataclasses.dataclass
class Report:
    rows: int
    problems: list[Problem]
    written: bool = False
    created: list[str] = dataclasses.field(default_factory=list)
    updated: list[str] = dataclasses.field(default_factory=list)
    unchanged: list[str] = dataclasses.field(default_factory=list)
    # Resource codes of entries left out because of their problems (partial imports).
    skipped: list[str] = dataclasses.field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "written": self.written,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "problems": [found.as_dict() for found in self.problems],
        }


def run(
    filename: str, data: bytes, user: str, *, partial: bool = False, confirm_duplicates: bool = False,
    progress: Progress | None = None,
) -> tuple[Report, Checked]:
    """Import ``data`` as ``user``: the report, and the file as checked. A file that is not a
    directory spreadsheet at all raises ``reading.FileRefused``."""
    book = reading.read(filename, data)
    lookups = Lookups.load()
    checked = checking.check(book, lookups)
    report = Report(rows=len(checked.entries), problems=list(checked.problems))
    importer = _importer(user)
    plans = _plan(checked, importer, lookups, report, progress)
    if not confirm_duplicates:
        report.problems.extend(_duplicates(plans, checked, lookups))
    refused_rows = _rows_with_problems(checked, report.problems)
    if refused_rows and not partial:
        model.Session.rollback()
        return report, checked
    writable = [plan for plan in plans if plan.entry.row not in refused_rows]
    report.skipped = [entry.identifier for entry in checked.entries if entry.row in refused_rows]
    _write(writable, importer, report, progress)
    return report, checked


def _duplicates(plans: list[Planned], checked: Checked, lookups: Lookups) -> list[Problem]:
    """New entries that look like one already in the catalogue or elsewhere in the file
    (``checks``): refused unless the curator confirms them (``confirm_duplicates``)."""
    new = [plan for plan in plans if plan.operation == CREATE]
    if not new:
        return []
    # The department cell was read as the department's name; the catalogue's entries hold its id.
    department_ids = {lookups.departments[department_id]: department_id for department_id in lookups.department_titles}
    candidates = [
        checks.Entry(
            id=f"new:{plan.entry.identifier}", name="", title=str(plan.data.get("title") or ""),
            type=str(plan.data.get(layout.TYPE_FIELD)), owner_org=department_ids.get(str(plan.data.get("owner_org"))),
            identifier=plan.entry.identifier,
            items=checks.item_names(plan.data.get(layout.ITEMS_FIELD)),
        )
        for plan in new
    ]
    rows = {f"new:{plan.entry.identifier}": plan.entry.row for plan in new}
    column = layout.layout().entry_column("title")
    problems = []
    for pair in checks.duplicate_pairs(candidates, checks.entries() + candidates):
        for mine, theirs in (pair["entries"], reversed(pair["entries"])):
            if mine["id"] in rows:
                problems.append(checking.problem(
                    checked.entries_sheet, rows[mine["id"]], column, mine["title"],
                    "Looks like a duplicate of {other} ({code}): check, or import with duplicates confirmed",
                    other=theirs["title"], code=theirs["identifier"],
                ))
    return problems


def _rows_with_problems(checked: Checked, problems: list[Problem]) -> set[int]:
    """The entries-sheet rows that must not be written: their own problems and their items'."""
    rows = {found.row for found in problems if found.sheet == checked.entries_sheet}
    item_rows = {found.row for found in problems if found.sheet == checked.items_sheet}
    for entry in checked.entries:
        if any(item.row in item_rows for item in entry.items):
            rows.add(entry.row)
    if any(found.row <= 1 for found in problems):
        # A header problem concerns every row.
        rows.update(entry.row for entry in checked.entries)
    return rows


def _existing(identifiers: list[str]) -> dict[str, str]:
    """Package id by resource code, for the codes already in the catalogue (drafts included)."""
    found: dict[str, str] = {}
    for start in range(0, len(identifiers), 1000):
        code = model.Package.extras[layout.KEY_FIELD].astext
        rows = model.Session.query(code, model.Package.id).filter(
            code.in_(identifiers[start:start + 1000]), model.Package.state != "deleted"
        )
        found.update(dict(rows.all()))
    return found


def slug(identifier: str) -> str:
    """A new entry's URL name when the file gives none: its resource code, lower case."""
    return re.sub(r"[^a-z0-9_-]+", "-", identifier.lower()).strip("-_")[:100]


def _importer(user: str) -> dict[str, Any]:
    """The importing user's context. Their object is looked up once: validators and auth
    functions read it from here rather than query it again for each entry."""
    account = model.User.get(user) if user else None
    context = {"model": model, "session": model.Session, "user": user}
    if account is not None and account.state == "active":
        context["auth_user_obj"] = account
    return context


def _context(importer: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {**importer, **extra}


def _plan(
    checked: Checked, importer: dict[str, Any], lookups: Lookups, report: Report, progress: Progress | None
) -> list[Planned]:
    existing = _existing([entry.identifier for entry in checked.entries])
    # A cell that could not be read is reported once: not again as, say, a missing value.
    reported = {(found.sheet, found.row, found.column) for found in report.problems}
    plans = []
    total = len(checked.entries)
    allowed: dict[tuple[str, str], bool] = {}
    for done, entry in enumerate(checked.entries, start=1):
        try:
            plan = _plan_entry(entry, existing.get(entry.identifier), checked, importer, lookups, allowed)
        except _Refused as refused:
            report.problems.extend(
                found for found in refused.problems if (found.sheet, found.row, found.column) not in reported
            )
        else:
            plans.append(plan)
        if progress:
            progress("check", done, total)
    return plans


class _Refused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


def _plan_entry(
    entry: Entry, package_id: str | None, checked: Checked, importer: dict[str, Any], lookups: Lookups,
    allowed: dict[tuple[str, str], bool],
) -> Planned:
    current = layout.layout()
    if package_id is None:
        data: dict[str, Any] = {key: value for key, value in entry.values.items() if value not in (None, [])}
        data.setdefault(layout.TYPE_FIELD, layout.DATASET_TYPE)
        data.setdefault("name", slug(entry.identifier))
        if checked.has_items:
            data[layout.ITEMS_FIELD] = [item.values for item in entry.items]
        plan = Planned(entry, CREATE, data)
    else:
        original = tk.get_action("package_show")(_context(importer, ignore_auth=True), {"id": package_id})
        if entry.values.get(layout.TYPE_FIELD) not in (None, original["type"]):
            column = current.entry_column(layout.TYPE_FIELD)
            raise _Refused([checking.problem(
                checked.entries_sheet, entry.row, column, entry.cells.get(column.header),
                "{field} of an existing entry cannot change: {value}",
            )])
        data = _merged(original, entry, checked, lookups)
        operation = UPDATE if _differs(original, data, checked, lookups) else UNCHANGED
        plan = Planned(entry, operation, data, original)
    if plan.operation != UNCHANGED:
        _validate(plan, checked, importer, allowed)
    return plan


def _merged(original: dict[str, Any], entry: Entry, checked: Checked, lookups: Lookups) -> dict[str, Any]:
    """The existing entry with the sheet's columns written over it."""
    data = dict(original)
    for column in checked.columns:
        if column.field in (layout.KEY_FIELD, layout.TYPE_FIELD):
            continue
        value = entry.values.get(column.field)
        if column.field == "tag_string":
            data.pop("tags", None)
        data[column.field] = value if value is not None else ([] if column.kind == "choices" else "")
    if checked.has_items:
        before = {item.get("name"): item for item in original.get(layout.ITEMS_FIELD) or []}
        # Item columns the sheet leaves out keep their values (matched by field name).
        data[layout.ITEMS_FIELD] = [
            {**before.get(item.values.get("name"), {}), **item.values} for item in entry.items
        ]
    return data


def _canonical(column: Column, value: Any, lookups: Lookups) -> Any:
    """A stored value as it reads back from its cell, to compare with what the sheet says."""
    try:
        return column.read(column.write(value, lookups), lookups)
    except rules.RuleError:
        return value


def _differs(original: dict[str, Any], data: dict[str, Any], checked: Checked, lookups: Lookups) -> bool:
    for column in checked.columns:
        if _canonical(column, layout.stored_value(original, column), lookups) != _canonical(column, data.get(column.field), lookups):
            return True
    if checked.has_items:
        item_columns = layout.layout().items[1:]

        def items(values: list[dict[str, Any]] | None) -> list[list[Any]]:
            return [[_canonical(column, item.get(column.field), lookups) for column in item_columns]
                    for item in values or []]

        return items(original.get(layout.ITEMS_FIELD)) != items(data.get(layout.ITEMS_FIELD))
    return False


def _validate(plan: Planned, checked: Checked, importer: dict[str, Any], allowed: dict[tuple[str, str], bool]) -> None:
    """The permissions' and the schema's verdict on a planned entry: its validated data, or its
    problems as problems of its cells (``_Refused``)."""
    action = "package_create" if plan.operation == CREATE else "package_update"
    context = _context(importer)
    package_type = plan.data.get(layout.TYPE_FIELD) or layout.DATASET_TYPE
    data = dict(plan.data)
    if plan.original:
        data["id"] = plan.original["id"]
        for field in KEPT_ON_UPDATE:
            data.pop(field, None)
    if not _allowed(action, context, data, allowed):
        column = layout.layout().entry_column("owner_org")
        raise _Refused([checking.problem(
            checked.entries_sheet, plan.entry.row, column, plan.entry.cells.get(column.header),
            "You may not add or change entries of this department",
        )])
    package_plugin = lib_plugins.lookup_package_plugin(package_type)
    if plan.original:
        context["package"] = model.Package.get(plan.original["id"])
        schema = package_plugin.update_package_schema()
    else:
        schema = package_plugin.create_package_schema()
    validated, errors = lib_plugins.plugin_validate(package_plugin, context, data, schema, action)
    if errors:
        raise _Refused(_problems(errors, plan.entry, checked))
    if plan.original:
        validated["id"] = plan.original["id"]
    plan.validated = validated


def _allowed(action: str, context: dict[str, Any], data: dict[str, Any], allowed: dict[tuple[str, str], bool]) -> bool:
    """``check_access`` of the action; a new entry's verdict depends on its department and type
    only, so it is asked once per department and type."""
    key = (str(data.get("owner_org")), str(data.get(layout.TYPE_FIELD)))
    if action == "package_create" and key in allowed:
        return allowed[key]
    try:
        tk.check_access(action, dict(context), data)
        verdict = True
    except tk.NotAuthorized:
        verdict = False
    if action == "package_create":
        allowed[key] = verdict
    return verdict


def _problems(errors: dict[str, Any], entry: Entry, checked: Checked) -> list[Problem]:
    current = layout.layout()
    columns = {column.field: column for column in current.entries}
    item_columns = {column.field: column for column in current.items}
    found = []
    for field, messages in errors.items():
        if field == layout.ITEMS_FIELD:
            for item, item_errors in zip(entry.items, messages, strict=False):
                for subfield, item_messages in (item_errors or {}).items():
                    column = item_columns.get(subfield)
                    header = column.header if column else subfield
                    for message in item_messages:
                        found.append(Problem(checked.items_sheet, item.row, header, item.values.get(subfield), message))
            continue
        column = columns.get(field)
        header = column.header if column else field
        for message in messages if isinstance(messages, list) else [messages]:
            found.append(Problem(
                checked.entries_sheet, entry.row, header, entry.cells.get(header), str(message)
            ))
    return found


def _write(plans: list[Planned], importer: dict[str, Any], report: Report, progress: Progress | None) -> None:
    """Write the validated entries in one transaction, then index them in one update."""
    changed = [plan for plan in plans if plan.operation != UNCHANGED]
    report.unchanged = [plan.entry.identifier for plan in plans if plan.operation == UNCHANGED]
    batch: set[str] = set()
    # The counters follow once for the whole batch (action_steps.BATCH).
    writer = writing.Writer(_context(importer, defer_commit=True, **{action_steps.BATCH: batch}))
    try:
        for done, plan in enumerate(changed, start=1):
            assert plan.validated is not None
            writer.save(plan.operation, plan.validated)
            (report.created if plan.operation == CREATE else report.updated).append(plan.entry.identifier)
            if progress:
                progress("write", done, len(changed))
        writer.finish()
        if batch:
            tk.get_action("govdata_stats_refresh")(
                _context(importer, ignore_auth=True, defer_commit=True), {"package_ids": sorted(batch)}
            )
        model.Session.commit()
    except (tk.ValidationError, tk.NotAuthorized, sa.exc.IntegrityError) as error:
        # Checked a moment ago: another user changed the catalogue in between.
        model.Session.rollback()
        report.created, report.updated = [], []
        report.problems.append(Problem(
            "", 0, "", None, bilingual("The catalogue changed while importing, nothing was written: {error}",
                                                error=str(error)[:300]),
        ))
        return
    report.written = True
    writer.index()
