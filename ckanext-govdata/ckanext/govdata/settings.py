"""Every ``ckanext.govdata.*`` option, read once, typed and validated.

Defaults and descriptions live in the ``config_declaration.yaml`` files (the package's, and
access', showcase's, stats', curation's, demands', feedback's, quality's, subjects' and dataapi's); this module reads them as defaults too, so an option keeps its
declared default even when the plugin declaring it is not loaded. ``validate`` runs at start-up
(the govdata plugin's ``configure``) and raises ``CkanConfigurationException`` naming the option.

``current()`` parses the options again only when their raw values changed (tests change them
with ``ckan_config`` / ``monkeypatch``); otherwise it returns the object it built before.
"""
from __future__ import annotations

import dataclasses
import functools
import pathlib
from collections.abc import Callable, Mapping
from typing import Any

import ckan.plugins.toolkit as tk
import yaml
from ckan.exceptions import CkanConfigurationException

PREFIX = "ckanext.govdata."
PACKAGE_DIR = pathlib.Path(__file__).parent
DECLARATION_FILES = tuple(
    PACKAGE_DIR / part / "config_declaration.yaml"
    for part in (".", "access", "showcase", "stats", "curation", "demands", "feedback", "quality", "subjects", "dataapi")
)


@dataclasses.dataclass(frozen=True)
class AccessSettings:
    platform_limit_days: int
    department_limit_days: int
    remind_days_before: int
    max_grant_days: int
    attachment_max_size: int
    attachment_types: tuple[str, ...]
    public_facet_fields: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class ShowcaseSettings:
    moderators: tuple[str, ...]
    image_max_bytes: int
    image_min_width: int
    image_min_height: int
    image_max_side: int
    thumbnail_width: int
    screenshots_max: int
    rules_types: tuple[str, ...]
    rules_max_bytes: int


@dataclasses.dataclass(frozen=True)
class StatsSettings:
    tracking: bool
    flush_interval: int
    recent_days: int


@dataclasses.dataclass(frozen=True)
class CurationSettings:
    import_max_bytes: int
    import_max_rows: int
    import_background_rows: int


@dataclasses.dataclass(frozen=True)
class DemandsSettings:
    confirm_limit_days: int
    provide_limit_days: int
    remind_days_before: int
    submit_limit_per_user: int
    submit_limit_per_address: int
    submit_limit_window: int


@dataclasses.dataclass(frozen=True)
class FeedbackSettings:
    correction_limit_days: int
    rectification_limit_days: int
    attachment_max_size: int
    attachment_types: tuple[str, ...]
    report_limit_per_user: int
    report_limit_per_address: int
    report_limit_window: int


@dataclasses.dataclass(frozen=True)
class QualitySettings:
    target: float
    failing_rows_max: int
    statement_timeout: int


@dataclasses.dataclass(frozen=True)
class SubjectsSettings:
    identity_provider: str
    key_secret: str
    code_ttl: int
    code_attempts: int
    rows_per_table: int
    max_grant_days: int


@dataclasses.dataclass(frozen=True)
class DataApiSettings:
    default_limit: int
    max_limit: int


@dataclasses.dataclass(frozen=True)
class Settings:
    vocabularies_file: str
    city_name: str
    list_not_open: bool
    content_security_policy: str
    max_request_size: int
    security_grade_table: tuple[tuple[str, str], ...]
    access: AccessSettings
    showcase: ShowcaseSettings
    stats: StatsSettings
    curation: CurationSettings
    demands: DemandsSettings
    feedback: FeedbackSettings
    quality: QualitySettings
    subjects: SubjectsSettings
    dataapi: DataApiSettings


def _text(option: str, raw: Any) -> str:
    if not isinstance(raw, str):
        raise TypeError("must be text")
    return raw.strip()


def _bool(option: str, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in ("true", "false", "yes", "no", "on", "off", "1", "0"):
        return tk.asbool(raw)
    raise TypeError("must be true or false")


def _whole(minimum: int) -> Callable[[str, Any], int]:
    def parse(option: str, raw: Any) -> int:
        if isinstance(raw, bool):
            raise TypeError("must be a whole number")
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise ValueError("must be a whole number") from None
        if value < minimum:
            raise ValueError(f"must be at least {minimum}")
        return value

    return parse


def _words(option: str, raw: Any) -> tuple[str, ...]:
    if isinstance(raw, str):
        return tuple(raw.split())
    if isinstance(raw, list | tuple):
        return tuple(str(item).strip() for item in raw if str(item).strip())
    raise TypeError("must be a list of words separated by spaces")


def _pairs(option: str, raw: Any) -> tuple[tuple[str, str], ...]:
    """``key:value`` words (``1:unconditional 2:conditional``); what the values mean is checked by their module."""
    pairs = []
    for word in _words(option, raw):
        key, colon, value = word.partition(":")
        if not (key and colon and value):
            raise ValueError(f"must be key:value words separated by spaces: {word!r}")
        pairs.append((key, value))
    return tuple(pairs)


def _fraction(option: str, raw: Any) -> float:
    if isinstance(raw, bool):
        raise TypeError("must be a number between 0 and 1")
    try:
        value = float(str(raw).strip())
    except ValueError:
        raise ValueError("must be a number between 0 and 1") from None
    if not 0 <= value <= 1:
        raise ValueError("must be a number between 0 and 1")
    return value


ANY = _whole(0)
POSITIVE = _whole(1)
# Option (without the prefix) → parser; the order of each group is its dataclass' field order.
PARSERS: dict[str, Callable[[str, Any], Any]] = {
    "vocabularies_file": _text,
    "city_name": _text,
    "list_not_open": _bool,
    "content_security_policy": _text,
    "max_request_size": ANY,
    "security_grade_table": _pairs,
    "access.platform_limit_days": POSITIVE,
    "access.department_limit_days": POSITIVE,
    "access.remind_days_before": ANY,
    "access.max_grant_days": POSITIVE,
    "access.attachment_max_size": POSITIVE,
    "access.attachment_types": _words,
    "access.public_facet_fields": _words,
    "showcase.moderators": _words,
    "showcase.image_max_bytes": POSITIVE,
    "showcase.image_min_width": POSITIVE,
    "showcase.image_min_height": POSITIVE,
    "showcase.image_max_side": POSITIVE,
    "showcase.thumbnail_width": POSITIVE,
    "showcase.screenshots_max": ANY,
    "showcase.rules_types": _words,
    "showcase.rules_max_bytes": POSITIVE,
    "stats.tracking": _bool,
    "stats.flush_interval": ANY,
    "stats.recent_days": POSITIVE,
    "curation.import_max_bytes": POSITIVE,
    "curation.import_max_rows": POSITIVE,
    "curation.import_background_rows": POSITIVE,
    "demands.confirm_limit_days": POSITIVE,
    "demands.provide_limit_days": POSITIVE,
    "demands.remind_days_before": ANY,
    "demands.submit_limit_per_user": POSITIVE,
    "demands.submit_limit_per_address": POSITIVE,
    "demands.submit_limit_window": POSITIVE,
    "feedback.correction_limit_days": POSITIVE,
    "feedback.rectification_limit_days": POSITIVE,
    "feedback.attachment_max_size": POSITIVE,
    "feedback.attachment_types": _words,
    "feedback.report_limit_per_user": POSITIVE,
    "feedback.report_limit_per_address": POSITIVE,
    "feedback.report_limit_window": POSITIVE,
    "quality.target": _fraction,
    "quality.failing_rows_max": POSITIVE,
    "quality.statement_timeout": POSITIVE,
    "subjects.identity_provider": _text,
    "subjects.key_secret": _text,
    "subjects.code_ttl": POSITIVE,
    "subjects.code_attempts": POSITIVE,
    "subjects.rows_per_table": POSITIVE,
    "subjects.max_grant_days": POSITIVE,
    "dataapi.default_limit": POSITIVE,
    "dataapi.max_limit": POSITIVE,
}
OPTIONS = tuple(PREFIX + name for name in PARSERS)
GROUPS: dict[str, type] = {
    "access": AccessSettings, "showcase": ShowcaseSettings, "stats": StatsSettings, "curation": CurationSettings,
    "demands": DemandsSettings,
    "feedback": FeedbackSettings,
    "quality": QualitySettings,
    "subjects": SubjectsSettings,
    "dataapi": DataApiSettings,
}


@functools.cache
def declared_defaults() -> dict[str, Any]:
    """Option → default, from the declaration files."""
    defaults: dict[str, Any] = {}
    for path in DECLARATION_FILES:
        declaration = yaml.safe_load(path.read_text(encoding="utf-8"))
        for group in declaration["groups"]:
            for option in group["options"]:
                defaults[option["key"]] = option.get("default", "")
    return defaults


def _raw(config: Mapping[str, Any], options: tuple[str, ...] = OPTIONS) -> tuple[Any, ...]:
    """The unparsed values of ``options``, defaults filled in."""
    defaults = declared_defaults()
    # CKAN's config keeps its values in a plain dict: read straight from it, since this runs for
    # every vocabulary check of a validation (CKANConfig.get also scans every declared option).
    store = getattr(config, "store", config)
    return tuple(defaults[option] if (value := store.get(option)) is None else value for option in options)


def raw_values(*names: str) -> tuple[Any, ...]:
    """The unparsed values of a few options (names without the prefix), defaults filled in: a
    cheap key for a cache of what is built from them, where ``current`` would read every option
    (search results ask once per dataset)."""
    return _raw(tk.config, tuple(PREFIX + name for name in names))


def _parse(raw: tuple[Any, ...]) -> Settings:
    values: dict[str, Any] = {}
    groups: dict[str, dict[str, Any]] = {name: {} for name in GROUPS}
    for (name, parser), option, value in zip(PARSERS.items(), OPTIONS, raw, strict=True):
        try:
            parsed = parser(option, value)
        except (TypeError, ValueError) as error:
            raise CkanConfigurationException(f"{option} {error} (got {value!r})") from None
        group, _, field = name.rpartition(".")
        (groups[group] if group else values)[field] = parsed
    parsed_settings = Settings(**values, **{name: GROUPS[name](**fields) for name, fields in groups.items()})
    if parsed_settings.dataapi.default_limit > parsed_settings.dataapi.max_limit:
        raise CkanConfigurationException(
            f"{PREFIX}dataapi.default_limit must not exceed {PREFIX}dataapi.max_limit "
            f"(got {parsed_settings.dataapi.default_limit} > {parsed_settings.dataapi.max_limit})"
        )
    return parsed_settings


def validate(config: Mapping[str, Any]) -> Settings:
    """Parse the options of ``config``; a bad value raises, naming the option."""
    return _parse(_raw(config))


_last: tuple[tuple[Any, ...], Settings] | None = None


def current() -> Settings:
    """The portal's typed settings."""
    global _last
    raw = _raw(tk.config)
    if _last is None or _last[0] != raw:
        _last = (raw, _parse(raw))
    return _last[1]
