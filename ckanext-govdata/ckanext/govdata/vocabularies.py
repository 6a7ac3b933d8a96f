"""The catalogue's controlled vocabularies (domains, open conditions, frequencies …).

Defaults ship in ``data/vocabularies.yaml``; a bureau overrides whole sections with the file
named by ``ckanext.govdata.vocabularies_file``. Everything that lists or checks a vocabulary
value calls this module.
"""
from __future__ import annotations

import functools
import os
from typing import Any

import ckan.plugins.toolkit as tk
import yaml

from ckanext.govdata import settings

DEFAULT_FILE = os.path.join(os.path.dirname(__file__), "data", "vocabularies.yaml")
LANGUAGES = ("zh_Hans_CN", "en")


class VocabularyError(ValueError):
    """A vocabularies file is missing, unreadable or malformed."""


def _read(path: str) -> dict[str, list[dict[str, Any]]]:
    try:
        with open(path, encoding="utf-8") as stream:
            data = yaml.safe_load(stream) or {}
    except OSError as error:
        raise VocabularyError(f"cannot read vocabularies file {path}: {error}") from error
    except yaml.YAMLError as error:
        raise VocabularyError(f"vocabularies file {path} is not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise VocabularyError(f"vocabularies file {path} must map section names to lists")
    for section, entries in data.items():
        if not isinstance(entries, list) or not entries:
            raise VocabularyError(f"{path}: section {section!r} must be a non-empty list")
        seen = set()
        for entry in entries:
            if not isinstance(entry, dict) or "value" not in entry:
                raise VocabularyError(f"{path}: every {section} entry needs a 'value'")
            value = str(entry["value"])
            if value in seen:
                raise VocabularyError(f"{path}: duplicate {section} value {value!r}")
            seen.add(value)
            entry["value"] = value
            for lang in LANGUAGES:
                entry.setdefault(lang, value)
    return data


@functools.lru_cache(maxsize=4)
def _load(override_path: str | None) -> dict[str, list[dict[str, Any]]]:
    sections = _read(DEFAULT_FILE)
    if override_path:
        sections.update(_read(override_path))
    return sections


def all_sections() -> dict[str, list[dict[str, Any]]]:
    return _load(settings.current().vocabularies_file or None)


def entries(section: str) -> list[dict[str, Any]]:
    try:
        return all_sections()[section]
    except KeyError:
        raise VocabularyError(f"unknown vocabulary section {section!r}") from None


def values(section: str) -> list[str]:
    return [entry["value"] for entry in entries(section)]


def entry(section: str, value: str) -> dict[str, Any] | None:
    for candidate in entries(section):
        if candidate["value"] == value:
            return candidate
    return None


def label(section: str, value: str | None, lang: str | None = None) -> str:
    """The label of ``value`` in ``lang`` (the request's language by default)."""
    if value is None:
        return ""
    found = entry(section, str(value))
    if not found:
        return str(value)
    lang = lang or current_language()
    return found.get(lang) or found.get("en") or found["value"]


def labels(section: str, lang: str | None = None) -> dict[str, str]:
    """Every value of ``section`` with its label in ``lang`` (the request's language by default):
    one lookup for a whole list, where ``label`` per item reads the settings each time."""
    lang = lang or current_language()
    return {item["value"]: item.get(lang) or item.get("en") or item["value"] for item in entries(section)}


def scheming_choices(section: str) -> list[dict[str, Any]]:
    """Choices in the shape ckanext-scheming's select snippets expect."""
    return [
        {"value": item["value"], "label": {lang: item[lang] for lang in LANGUAGES}}
        for item in entries(section)
    ]


def current_language() -> str:
    try:
        lang = tk.h.lang()
    except (RuntimeError, TypeError, AttributeError):
        lang = None
    lang = lang or tk.config.get("ckan.locale_default") or "zh_Hans_CN"
    return "zh_Hans_CN" if lang.startswith("zh") else "en"
