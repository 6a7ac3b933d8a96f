"""The showcase-specific validators of the action schemas (lists, tracks, criteria, accounts), on
the shared rules of ``ckanext.govdata.validators``; every message is given in Chinese and English."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ckan import model
from ckan.lib.navl.dictization_functions import Invalid

from ckanext.govdata.messages import bilingual
from ckanext.govdata.showcase.validators import catalogue_package_ids
from ckanext.govdata.validators import rules

Validator = Callable[..., Any]


def as_list(value):
    """One value, a comma-separated string or a list: a list of non-empty stripped strings."""
    if rules.is_empty(value):
        return []
    items = value if isinstance(value, list) else str(value).split(",")
    return [str(item).strip() for item in items if str(item).strip()]


def as_records(value):
    """A list (of records, checked by the action); one record alone is taken as a list of one."""
    if rules.is_empty(value):
        return []
    return value if isinstance(value, list) else [value]


def catalogue_packages(value):
    """Public datasets and APIs by name or id, as a list of ids in the order given."""
    try:
        return catalogue_package_ids(as_list(value) if not isinstance(value, list) else value)
    except LookupError as unknown:
        raise Invalid(bilingual("Names no published dataset or API: {value}", value=unknown.args[0])) from None


def _rows(value: Any, columns: int) -> list[Any]:
    """Lines of ``a|b|c`` text (as a form sends them) or a list of such strings."""
    lines = value if isinstance(value, list) else str(value).splitlines()
    rows: list[Any] = []
    for line in lines:
        if isinstance(line, dict):
            rows.append(line)
            continue
        cells = [cell.strip() for cell in str(line).split("|")]
        if any(cells):
            rows.append(cells + [""] * (columns - len(cells)))
    return rows


def tracks(value):
    """Contest tracks: ``[{"name", "title", "description"}]`` or lines of ``name|title|description``."""
    if rules.is_empty(value):
        return []
    result = []
    for row in _rows(value, 3):
        track = row if isinstance(row, dict) else dict(zip(("name", "title", "description"), row, strict=False))
        name, title = str(track.get("name") or "").strip(), str(track.get("title") or "").strip()
        if not rules.URL_NAME_PATTERN.match(name) or not title:
            shown = "|".join(str(track.get(key) or "") for key in ("name", "title")).strip("|")
            raise Invalid(bilingual("Each track needs a URL name and a title, like: data-apps|数据应用赛道: {value}", value=shown))
        result.append({"name": name, "title": title, "description": str(track.get("description") or "").strip()})
    if len({track["name"] for track in result}) != len(result):
        raise Invalid(bilingual("Two tracks have the same name"))
    return result


def criteria(value):
    """Judging criteria: ``[{"name", "title", "max"}]`` or lines of ``name|title|max``."""
    if rules.is_empty(value):
        return []
    result = []
    for row in _rows(value, 3):
        criterion = row if isinstance(row, dict) else dict(zip(("name", "title", "max"), row, strict=False))
        name, title = str(criterion.get("name") or "").strip(), str(criterion.get("title") or "").strip()
        try:
            maximum = int(str(criterion.get("max") or "").strip())
        except ValueError:
            maximum = 0
        if not rules.URL_NAME_PATTERN.match(name) or not title or not 1 <= maximum <= 1000:
            shown = "|".join(str(criterion.get(key) or "") for key in ("name", "title", "max")).strip("|")
            raise Invalid(
                bilingual("Each criterion needs a URL name, a title and a maximum score, like: innovation|创新性|30: {value}", value=shown)
            )
        result.append({"name": name, "title": title, "max": maximum})
    if len({criterion["name"] for criterion in result}) != len(result):
        raise Invalid(bilingual("Two criteria have the same name"))
    return result


def user_names(value):
    """Existing, active user accounts by name: a list of names."""
    names = as_list(value)
    for name in names:
        user = model.User.get(name)
        if user is None or user.state != "active":
            raise Invalid(bilingual("No such user: {value}", value=name))
    return names
