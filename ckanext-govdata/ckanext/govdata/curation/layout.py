"""The open directory's spreadsheet layout (开放目录表): its sheets, columns and cell formats.

The columns are the dataset and API schemas' own fields, headed by their Chinese labels
(scheming/*.yaml), so a field added to a schema reaches the template, the import and the export
at once. One row of the entries sheet is one catalogue entry; its data items are rows of the
items sheet, keyed by resource code. A cell is read leniently (a vocabulary value, its Chinese
or English label; dates as dates or text) and written in the form staff read: Chinese labels.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Mapping
from typing import Any

from ckan import model
from ckanext.scheming.helpers import scheming_get_dataset_schema

from ckanext.govdata import vocabularies
from ckanext.govdata.curation import review
from ckanext.govdata.messages import bilingual
from ckanext.govdata.validators import rules, scheming

ENTRY_TYPES = review.CATALOGUE_TYPES
DATASET_TYPE, API_TYPE = ENTRY_TYPES
ENTRIES_SHEET, ITEMS_SHEET, CHOICES_SHEET = "开放目录", "数据项", "选项"
KEY_FIELD = "identifier"
TYPE_FIELD = "type"
ITEMS_FIELD = "data_items"
# Kept by other forms (an API's parameters and served datasets) or by the review: an import
# leaves them as they are.
NOT_IN_SHEET = {"api_parameters", "served_datasets", "data_items", "review_state", "private"}
# Separators staff use between the values of one cell (关键字, 数据格式).
LIST_SEPARATORS = re.compile(r"[,，、;；\n]+")


def problems_header() -> str:
    """The column where a file handed back explains each row's problems; an import skips it."""
    return bilingual("Problems")


@dataclasses.dataclass(frozen=True)
class Column:
    field: str
    label: tuple[str, str]  # (Chinese, English)
    kind: str  # text, choice, choices, integer, date, department, entry_type, tags, license
    vocabulary: str | None = None
    required: bool = False

    @property
    def header(self) -> str:
        return self.label[0]

    def read(self, value: Any, lookups: Lookups) -> Any:
        """The field's value from a cell; None for an empty cell; ``rules.RuleError`` when
        unreadable."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return _READERS[self.kind](self, value, lookups)

    def write(self, value: Any, lookups: Lookups) -> Any:
        """A stored value as staff read it in a cell."""
        if rules.is_empty(value):
            return None
        return _WRITERS.get(self.kind, _write_text)(self, value, lookups)

    def choices(self, lookups: Lookups) -> list[str]:
        """The labels offered in the template's drop-down list; empty for free text."""
        if self.kind in ("choice", "choices") and self.vocabulary:
            return [entry["zh_Hans_CN"] for entry in vocabularies.entries(self.vocabulary)]
        if self.kind == "entry_type":
            return [vocabularies.label("entry_types", value, "zh_Hans_CN") for value in ENTRY_TYPES]
        if self.kind == "department":
            return sorted(lookups.department_titles.values())
        return []


def stored_value(package: dict[str, Any], column: Column) -> Any:
    """What ``package`` (a package_show dict) holds for ``column``: keywords are its ``tags``."""
    return package.get("tags") if column.field == "tag_string" else package.get(column.field)


@dataclasses.dataclass(frozen=True)
class Layout:
    entries: tuple[Column, ...]
    items: tuple[Column, ...]

    def entry_column(self, field: str) -> Column:
        return next(column for column in self.entries if column.field == field)


def _kind(field: Mapping[str, Any]) -> str:
    name = field["field_name"]
    if name == "owner_org":
        return "department"
    if name == "tag_string":
        return "tags"
    if name == "license_id":
        return "license"
    if field.get("vocabulary"):
        return "choices" if field.get("preset") == "multiple_select" else "choice"
    validators = str(field.get("validators", ""))
    if "govdata_date" in validators:
        return "date"
    if "govdata_non_negative_int" in validators:
        return "integer"
    return "text"


def _column(field: Mapping[str, Any]) -> Column:
    return Column(
        field=field["field_name"],
        label=scheming.field_label(dict(field)),
        kind=_kind(field),
        vocabulary=field.get("vocabulary"),
        required=bool(field.get("required")),
    )


@functools.lru_cache(maxsize=1)
def layout() -> Layout:
    """The layout of the schemas loaded in this process."""
    schemas = {entry_type: scheming_get_dataset_schema(entry_type) for entry_type in ENTRY_TYPES}
    # Each field once, in the dataset schema's order, then the API schema's own fields.
    fields: dict[str, Mapping[str, Any]] = {}
    for schema in schemas.values():
        for field in schema["dataset_fields"]:
            if field["field_name"] not in NOT_IN_SHEET:
                fields.setdefault(field["field_name"], field)
    columns = [_column(field) for field in fields.values()]
    type_column = Column(TYPE_FIELD, ("类型", "Type"), "entry_type", required=True)
    # Resource code first (the key), then the name and the entry's type; the schema's order after.
    key = next(column for column in columns if column.field == KEY_FIELD)
    title = next(column for column in columns if column.field == "title")
    rest = [column for column in columns if column not in (key, title)]
    item_fields = next(field for field in schemas[DATASET_TYPE]["dataset_fields"] if field["field_name"] == ITEMS_FIELD)
    items = [dataclasses.replace(key, required=True)] + [
        _column(subfield) for subfield in item_fields["repeating_subfields"]
    ]
    return Layout(entries=(key, title, type_column, *rest), items=tuple(items))


@dataclasses.dataclass(frozen=True)
class Lookups:
    """What reading and writing cells looks up, read once per import or export."""

    # Department name by what a cell may hold: its title, short name, code, name or id.
    departments: dict[str, str]
    # Department title by id.
    department_titles: dict[str, str]
    # Licence id by its id or title, case-folded.
    licenses: dict[str, str]

    @classmethod
    def load(cls) -> Lookups:
        rows = (
            model.Session.query(model.Group.id, model.Group.title, model.Group.name, model.Group.extras)
            .filter(model.Group.is_organization.is_(True), model.Group.state == "active")
            .all()
        )
        departments: dict[str, str] = {}
        for row in rows:
            departments.update({row.id: row.name, row.name: row.name, row.title: row.name})
        for row in rows:
            for key in ("department_code", "short_name"):
                if (row.extras or {}).get(key):
                    departments.setdefault(row.extras[key], row.name)
        licenses = {}
        for licence in model.Package.get_license_register().values():
            licenses.update({licence.id.casefold(): licence.id, licence.title.casefold(): licence.id})
        return cls(departments, {row.id: row.title for row in rows}, licenses)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _read_text(column: Column, value: Any, lookups: Lookups) -> str:
    return _text(value)


def _choice(section: str, text: str) -> str:
    folded = text.casefold()
    for entry in vocabularies.entries(section):
        if folded in (entry["value"].casefold(), entry["zh_Hans_CN"].casefold(), entry["en"].casefold()):
            return entry["value"]
    raise rules.RuleError("{field}: not one of the choices: {value}", value=text)


def _read_choice(column: Column, value: Any, lookups: Lookups) -> str:
    return _choice(column.vocabulary or "", _text(value))


def _parts(value: Any) -> list[str]:
    """The values of a cell that holds several (关键字, 数据格式)."""
    return [part.strip() for part in LIST_SEPARATORS.split(_text(value)) if part.strip()]


def _read_choices(column: Column, value: Any, lookups: Lookups) -> list[str]:
    return [_choice(column.vocabulary or "", part) for part in _parts(value)]


def _read_entry_type(column: Column, value: Any, lookups: Lookups) -> str:
    return _choice("entry_types", _text(value))


def _read_integer(column: Column, value: Any, lookups: Lookups) -> int:
    """A count, as the schema's own rule takes it (``rules.parse_whole_number``, not negative);
    a spreadsheet may give it as 1200.0 or with thousands separators (1,200)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        value = _text(value).replace(",", "").replace("，", "")
    return rules.parse_whole_number(value, 0)


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def _read_date(column: Column, value: Any, lookups: Lookups) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    text = _text(value)
    for pattern in DATE_FORMATS:
        try:
            # A calendar date: no time of day, so no time zone either.
            return dt.datetime.strptime(text, pattern).date().isoformat()  # noqa: DTZ007
        except ValueError:
            continue
    raise rules.RuleError("{field}: not a date (YYYY-MM-DD): {value}", value=text)


def _read_department(column: Column, value: Any, lookups: Lookups) -> str:
    text = _text(value)
    found = lookups.departments.get(text)
    if found is None:
        raise rules.RuleError("{field}: no such department: {value}", value=text)
    return found


def _read_tags(column: Column, value: Any, lookups: Lookups) -> str:
    return ",".join(_parts(value))


def _read_license(column: Column, value: Any, lookups: Lookups) -> str:
    text = _text(value)
    found = lookups.licenses.get(text.casefold())
    if found is None:
        raise rules.RuleError("{field}: not one of the choices: {value}", value=text)
    return found


_READERS = {
    "text": _read_text,
    "choice": _read_choice,
    "choices": _read_choices,
    "entry_type": _read_entry_type,
    "integer": _read_integer,
    "date": _read_date,
    "department": _read_department,
    "tags": _read_tags,
    "license": _read_license,
}


def _write_text(column: Column, value: Any, lookups: Lookups) -> Any:
    return value if isinstance(value, int) and not isinstance(value, bool) else _text(value)


def _write_choice(column: Column, value: Any, lookups: Lookups) -> str:
    return vocabularies.label(column.vocabulary or "", str(value), "zh_Hans_CN")


def _write_choices(column: Column, value: Any, lookups: Lookups) -> str:
    values = value if isinstance(value, list) else [value]
    return "、".join(vocabularies.label(column.vocabulary or "", str(item), "zh_Hans_CN") for item in values)


def _write_entry_type(column: Column, value: Any, lookups: Lookups) -> str:
    return vocabularies.label("entry_types", str(value), "zh_Hans_CN")


def _write_department(column: Column, value: Any, lookups: Lookups) -> str:
    return lookups.department_titles.get(str(value), str(value))


def _write_integer(column: Column, value: Any, lookups: Lookups) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return _text(value)


def _write_tags(column: Column, value: Any, lookups: Lookups) -> str:
    if isinstance(value, list):
        return ",".join(tag["name"] if isinstance(tag, dict) else str(tag) for tag in value)
    return _text(value)


_WRITERS = {
    "choice": _write_choice,
    "choices": _write_choices,
    "entry_type": _write_entry_type,
    "department": _write_department,
    "integer": _write_integer,
    "tags": _write_tags,
}
