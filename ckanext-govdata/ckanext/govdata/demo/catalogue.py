"""The demo city catalogue: Shaoxing's published figures, generated from a seed.

Pure and deterministic: it reads the word lists under ``data/`` and the default vocabularies,
never CKAN, so the figures can be tested without a database and the loader only writes what
it is handed. Every seed gives exactly ``FIGURES``; the seed only changes which classes,
conditions, dates and sample rows are drawn.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import io
import math
import os
import random
from collections.abc import Iterable
from typing import Any

import yaml

from ckanext.govdata import vocabularies

DATA_DIR = os.path.join(os.path.dirname(__file__), "data")
DEFAULT_SEED = 2026

DATASET_TYPE = "dataset"
API_TYPE = "dataservice"

# Every date of the catalogue falls before the day the figures were published.
REFERENCE_DATE = dt.date(2026, 10, 31)
EARLIEST_ISSUED = dt.date(2017, 6, 1)
SAMPLE_ROWS = (20, 200)
# Share of catalogue classes that are not unconditionally open (DOMAIN.md §2).
CONDITIONAL_SHARE = 0.25
NOT_OPEN_SHARE = 0.05
STALE_SHARE = 0.15

KIND_FREQUENCIES: dict[str, dict[str, int]] = {
    "directory": {"EVERY_MONTH": 3, "EVERY_QUARTER": 3, "HALF_YEAR": 1, "IRREGULAR": 2},
    "place": {"EVERY_MONTH": 2, "EVERY_QUARTER": 3, "HALF_YEAR": 1, "IRREGULAR": 2},
    "listing": {"EVERY_MONTH": 1, "EVERY_QUARTER": 1, "EVERY_YEAR": 1, "IRREGULAR": 3},
    "stats": {"EVERY_MONTH": 3, "EVERY_QUARTER": 2, "HALF_YEAR": 1, "EVERY_YEAR": 3},
    "monitoring": {"REAL_TIME": 2, "EVERY_DAY": 3},
    "licence": {"EVERY_DAY": 2, "EVERY_WEEK": 3, "EVERY_MONTH": 2},
    "event": {"EVERY_WEEK": 2, "EVERY_MONTH": 3, "EVERY_QUARTER": 1},
}
# Records a package of each kind typically holds (log-uniform between the bounds), before the
# catalogue is scaled to its published total.
KIND_RECORDS: dict[str, tuple[int, int]] = {
    "directory": (50, 20_000),
    "place": (20, 3_000),
    "listing": (20, 5_000),
    "stats": (12, 3_000),
    "monitoring": (50_000, 30_000_000),
    "licence": (500, 300_000),
    "event": (200, 100_000),
}
API_PARAMETERS: dict[str, tuple[str, ...]] = {
    "directory": ("page_no", "page_size"),
    "place": ("page_no", "page_size"),
    "listing": ("start_date", "end_date", "page_no"),
    "stats": ("start_date", "end_date", "page_no"),
    "monitoring": ("start_date", "end_date", "page_size"),
    "licence": ("page_no", "page_size"),
    "event": ("start_date", "end_date", "page_no"),
}
THEME_LIBRARIES = {
    "transport": "theme-transport",
    "environment": "theme-environment",
    "health": "theme-health",
    "social-security": "theme-social-security",
    "industry-agriculture": "theme-agriculture",
    "credit": "public-credit",
}
DATASTORE_TYPES = {
    "string": "text",
    "text": "text",
    "integer": "int8",
    "decimal": "numeric",
    "date": "date",
    "datetime": "timestamp",
    "boolean": "bool",
}
PERSON_ITEMS = {"person_name", "id_number"}
ENTERPRISE_ITEMS = {"credit_code", "holder_name", "taxpayer_name", "subject_name", "enterprise_name", "org_name"}


@dataclasses.dataclass(frozen=True)
class Figures:
    departments: int
    domains: int
    catalogue_classes: int
    datasets: int
    apis: int
    data_items: int
    records: int
    uploaded_files: int
    datastore_tables: int

    @property
    def packages(self) -> int:
        return self.datasets + self.apis


FIGURES = Figures(
    departments=60,
    domains=14,
    catalogue_classes=481,
    datasets=393,
    apis=410,
    data_items=3272,
    records=243_000_000,
    uploaded_files=40,
    datastore_tables=25,
)
# Of the datastore tables, this many belong to conditionally open datasets, so that access
# control has real rows to guard.
CONDITIONAL_DATASTORE_TABLES = 5
CONDITIONAL_UPLOADS = 8


@dataclasses.dataclass(frozen=True)
class DataItem:
    name: str
    name_zh: str
    type: str
    length: int
    description: str | None
    key: bool

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "name_zh": self.name_zh,
            "type": self.type,
            "length": self.length,
            "key": "true" if self.key else "false",
        }
        if self.description:
            data["description"] = self.description
        return data


@dataclasses.dataclass(frozen=True)
class ApiParameter:
    name: str
    type: str
    required: bool
    description: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "required": "true" if self.required else "false",
            "description": self.description,
        }


@dataclasses.dataclass(frozen=True)
class Department:
    name: str
    title: str
    short_name: str
    department_code: str
    description: str
    contact_phone: str
    address: str
    contact_name: str
    contact_email: str

    def as_organization_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "department_code": self.department_code,
            "short_name": self.short_name,
            "description": self.description,
            "contact_phone": self.contact_phone,
            "address": self.address,
        }


@dataclasses.dataclass(frozen=True)
class SampleTable:
    """Real rows of a dataset, one column per data item."""

    columns: tuple[DataItem, ...]
    rows: tuple[tuple[Any, ...], ...]

    @property
    def primary_key(self) -> str | None:
        return next((column.name for column in self.columns if column.key), None)

    def csv_bytes(self) -> bytes:
        stream = io.StringIO()
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(column.name for column in self.columns)
        for row in self.rows:
            writer.writerow(_csv_value(value) for value in row)
        return stream.getvalue().encode("utf-8")

    def datastore_fields(self) -> list[dict[str, Any]]:
        return [
            {
                "id": column.name,
                "type": DATASTORE_TYPES[column.type],
                "info": {"label": column.name_zh, "notes": column.description or ""},
            }
            for column in self.columns
        ]

    def records(self) -> list[dict[str, Any]]:
        names = [column.name for column in self.columns]
        return [dict(zip(names, row)) for row in self.rows]


@dataclasses.dataclass(frozen=True)
class Resource:
    name: str
    description: str
    format: str
    url: str | None = None
    table: SampleTable | None = None
    filename: str | None = None
    datastore: bool = False

    @property
    def is_upload(self) -> bool:
        return self.table is not None

    def as_link_dict(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, "url": self.url, "format": self.format}


@dataclasses.dataclass(frozen=True)
class Package:
    type: str
    name: str
    title: str
    notes: str
    identifier: str
    owner_org: str
    domain: str
    catalogue_class: str
    open_condition: str
    open_condition_note: str | None
    data_subject_type: str
    security_grade: str
    update_frequency: str
    issued: str
    modified: str
    data_format: tuple[str, ...]
    record_count: int
    resource_library: str | None
    data_items: tuple[DataItem, ...]
    tags: tuple[str, ...]
    license_id: str
    spatial_coverage: str
    temporal_start: str
    temporal_end: str
    contact_name: str
    contact_phone: str
    contact_email: str
    resource: Resource
    api_endpoint: str | None = None
    api_method: str | None = None
    api_parameters: tuple[ApiParameter, ...] = ()
    served_datasets: tuple[str, ...] = ()

    @property
    def is_api(self) -> bool:
        return self.type == API_TYPE

    def as_package_dict(self) -> dict[str, Any]:
        """The package as ``package_create`` takes it, with its link resource but no upload."""
        data: dict[str, Any] = {
            "type": self.type,
            "name": self.name,
            "title": self.title,
            "notes": self.notes,
            "identifier": self.identifier,
            "owner_org": self.owner_org,
            "domain": self.domain,
            "catalogue_class": self.catalogue_class,
            "open_condition": self.open_condition,
            "open_condition_note": self.open_condition_note,
            "data_subject_type": self.data_subject_type,
            "security_grade": self.security_grade,
            "update_frequency": self.update_frequency,
            "issued": self.issued,
            "modified": self.modified,
            "data_format": list(self.data_format),
            "record_count": self.record_count,
            "resource_library": self.resource_library,
            "data_items": [item.as_dict() for item in self.data_items],
            "tag_string": ",".join(self.tags),
            "license_id": self.license_id,
            "spatial_coverage": self.spatial_coverage,
            "temporal_start": self.temporal_start,
            "temporal_end": self.temporal_end,
            "contact_name": self.contact_name,
            "contact_phone": self.contact_phone,
            "contact_email": self.contact_email,
            "resources": [] if self.resource.is_upload else [self.resource.as_link_dict()],
        }
        if self.is_api:
            data.update(
                {
                    "api_endpoint": self.api_endpoint,
                    "api_method": self.api_method,
                    "api_parameters": [parameter.as_dict() for parameter in self.api_parameters],
                    "served_datasets": list(self.served_datasets),
                }
            )
        return {key: value for key, value in data.items() if value is not None}


@dataclasses.dataclass(frozen=True)
class Catalogue:
    seed: int
    departments: tuple[Department, ...]
    packages: tuple[Package, ...]

    @property
    def datasets(self) -> tuple[Package, ...]:
        return tuple(package for package in self.packages if not package.is_api)

    @property
    def apis(self) -> tuple[Package, ...]:
        return tuple(package for package in self.packages if package.is_api)

    def figures(self) -> Figures:
        """The figures as counted from the generated content (they must equal ``FIGURES``)."""
        return Figures(
            departments=len(self.departments),
            domains=len({package.domain for package in self.packages}),
            catalogue_classes=len({package.catalogue_class for package in self.packages}),
            datasets=len(self.datasets),
            apis=len(self.apis),
            data_items=sum(len(package.data_items) for package in self.packages),
            records=sum(package.record_count for package in self.packages),
            uploaded_files=sum(1 for package in self.packages if package.resource.is_upload),
            datastore_tables=sum(1 for package in self.packages if package.resource.datastore),
        )


# --- Reading the word lists ------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _ItemSpec:
    name: str
    zh: str
    type: str
    length: int
    key: bool
    description: str | None
    options: dict[str, Any]


@dataclasses.dataclass(frozen=True)
class _ClassSpec:
    department: int
    domain: str
    zh: str
    slug: str
    kind: str
    items: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def showcase(self) -> bool:
        """Classes with their own keywords are the ones demos search for (公交, PM2.5 …)."""
        return bool(self.tags)


@dataclasses.dataclass(frozen=True)
class _Sources:
    city: dict[str, Any]
    departments: list[dict[str, Any]]
    classes: tuple[_ClassSpec, ...]
    items: dict[str, _ItemSpec]
    kind_items: dict[str, tuple[str, ...]]
    domain_items: dict[str, tuple[str, ...]]
    words: dict[str, Any]
    vocabularies: dict[str, list[dict[str, Any]]]

    def label(self, section: str, value: str) -> str:
        return next(entry["zh_Hans_CN"] for entry in self.vocabularies[section] if entry["value"] == value)

    def max_age_days(self, frequency: str) -> int | None:
        return next(entry.get("max_age_days") for entry in self.vocabularies["update_frequencies"] if entry["value"] == frequency)


def _read_yaml(path: str) -> Any:
    with open(path, encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def _directory_kind(name: str, rules: dict[str, list[str]]) -> str:
    if any(word in name for word in rules["place"]):
        return "place"
    if any(word in name for word in rules["organization"]):
        return "directory"
    return "listing"


def _guess_kind(name: str, rules: dict[str, list[str]]) -> str:
    if any(word in name for word in rules["monitoring"]):
        return "monitoring"
    if name.endswith(tuple(rules["directory"])):
        return _directory_kind(name, rules)
    if name.endswith(tuple(rules["stats"])):
        return "stats"
    if any(word in name for word in rules["licence"]):
        return "licence"
    if any(word in name for word in rules["event"]):
        return "event"
    return _directory_kind(name, rules)


@functools.lru_cache(maxsize=1)
def _sources() -> _Sources:
    departments_file = _read_yaml(os.path.join(DATA_DIR, "departments.yaml"))
    items_file = _read_yaml(os.path.join(DATA_DIR, "items.yaml"))
    words = _read_yaml(os.path.join(DATA_DIR, "words.yaml"))
    # The demo is written against the shipped vocabularies, whatever a bureau configures.
    shipped_vocabularies = _read_yaml(vocabularies.DEFAULT_FILE)

    items: dict[str, _ItemSpec] = {}
    domain_items: dict[str, tuple[str, ...]] = {}
    for pool_name, pool in [("common", items_file["common"])] + list(items_file["domains"].items()):
        for name, spec in pool.items():
            if name in items:
                raise ValueError(f"data item {name} is defined twice in items.yaml")
            items[name] = _ItemSpec(
                name=name,
                zh=spec["zh"],
                type=spec["type"],
                length=int(spec["length"]),
                key=bool(spec.get("key")),
                description=spec.get("desc"),
                options={k: v for k, v in spec.items() if k in ("values", "range", "gen", "code", "digits")},
            )
        if pool_name != "common":
            domain_items[pool_name] = tuple(pool)

    classes = []
    for index, department in enumerate(departments_file["departments"]):
        for domain, entries in department["classes"].items():
            for zh, spec in entries.items():
                spec = {"slug": spec} if isinstance(spec, str) else spec
                classes.append(
                    _ClassSpec(
                        department=index,
                        domain=domain,
                        zh=zh,
                        slug=spec["slug"],
                        kind=spec.get("kind") or _guess_kind(zh, words["kind_rules"]),
                        items=tuple(spec.get("items", ())),
                        tags=tuple(spec.get("tags", ())),
                    )
                )
    return _Sources(
        city=departments_file["city"],
        departments=departments_file["departments"],
        classes=tuple(classes),
        items=items,
        kind_items={kind: tuple(names) for kind, names in items_file["kinds"].items()},
        domain_items=domain_items,
        words=words,
        vocabularies=shipped_vocabularies,
    )


# --- Sample values ---------------------------------------------------------------------------


def _csv_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


class _ValueMaker:
    """Fills sample rows: realistic enough to browse, unique where a column is a key."""

    def __init__(self, rng: random.Random, sources: _Sources, department: Department, class_name: str) -> None:
        self.rng = rng
        self.sources = sources
        self.words = sources.words
        self.department = department
        self.class_name = class_name

    def value(self, spec: _ItemSpec, row: int) -> Any:
        rng, options = self.rng, spec.options
        if "code" in options:
            return f"{options['code']}{row + 1:06d}"
        if "values" in options:
            return rng.choice(options["values"])
        generator = options.get("gen")
        if generator:
            return self._generate(generator, row)
        if "range" in options:
            low, high = options["range"]
            if spec.type == "integer":
                return rng.randint(int(low), int(high))
            return round(rng.uniform(low, high), int(options.get("digits", 2)))
        return self._by_type(spec, row)

    def _generate(self, generator: str, row: int) -> Any:
        rng, words = self.rng, self.words
        if generator == "credit_code":
            # Organization codes are unique per row, so the column can serve as a primary key.
            return f"913306{rng.randint(0, 99):02d}{row + 1:09d}X"
        if generator == "org_name":
            return f"绍兴{rng.choice(words['brands'])}{rng.choice(words['org_suffixes'])}"
        if generator == "phone":
            return f"0575-8{rng.randint(0, 9_999_999):07d}"
        if generator == "person_name":
            return f"{rng.choice(words['surnames'])}*{rng.choice(words['given_names'])[-1]}"
        if generator == "id_masked":
            return f"330602********{rng.randint(0, 9999):04d}"
        if generator == "plate":
            return f"浙D{rng.choice('ABCDEFGHJK')}{rng.randint(0, 99999):05d}"
        if generator == "address":
            city = self.sources.city
            return f"{city['name']}{rng.choice(city['districts'])}{rng.choice(city['streets'])}{rng.randint(1, 999)}号"
        if generator == "department":
            return self.department.title
        if generator == "class_name":
            return self.class_name
        pattern = rng.choice(words["place_patterns"][generator])
        return pattern.format(place=rng.choice(words["places"]), brand=rng.choice(words["brands"]))

    def _by_type(self, spec: _ItemSpec, row: int) -> Any:
        rng = self.rng
        if spec.type == "integer":
            return rng.randint(0, 1000)
        if spec.type == "decimal":
            return round(rng.uniform(0, 1000), 2)
        if spec.type == "date":
            return _random_date(rng, dt.date(2023, 1, 1), dt.date(2025, 12, 31)).isoformat()
        if spec.type == "datetime":
            day = _random_date(rng, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
            return f"{day.isoformat()} {rng.randint(6, 21):02d}:{rng.randint(0, 59):02d}:00"
        if spec.type == "boolean":
            return rng.random() < 0.7
        return f"{spec.zh}{row + 1:04d}"


# --- Building the catalogue ------------------------------------------------------------------


@dataclasses.dataclass
class _Draft:
    """A package while the catalogue is being balanced; frozen into a Package at the end."""

    spec: _ClassSpec
    type: str
    item_pool: tuple[str, ...]
    item_count: int
    fields: dict[str, Any]
    raw_records: float = 0.0
    table: SampleTable | None = None
    datastore: bool = False


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _departments(rng: random.Random, sources: _Sources) -> tuple[Department, ...]:
    city = sources.city
    words = sources.words
    departments = []
    for entry in sources.departments:
        suffix = entry["slug"].removeprefix("sx-")
        district = city["districts"][0] if rng.random() < 0.7 else rng.choice(city["districts"][1:])
        departments.append(
            Department(
                name=entry["slug"],
                title=entry["title"],
                short_name=entry["short_name"],
                department_code=suffix.upper(),
                description=entry["duty"],
                contact_phone=f"0575-8{rng.randint(5_000_000, 8_999_999)}",
                address=f"{city['name']}{district}{rng.choice(city['streets'])}{rng.randint(1, 999)}号",
                contact_name=f"{rng.choice(words['surnames'])}{rng.choice(words['given_names'])}",
                contact_email=f"data.{suffix}@sx.gov.cn",
            )
        )
    return tuple(departments)


def _choose_classes(rng: random.Random, sources: _Sources) -> list[_ClassSpec]:
    """Keep ``FIGURES.catalogue_classes`` classes, at least one per department and per domain."""
    order = list(sources.classes)
    rng.shuffle(order)
    protected: set[str] = {spec.slug for spec in order if spec.showcase}
    for attribute in ("department", "domain"):
        seen: set[Any] = set()
        for spec in order:
            if getattr(spec, attribute) not in seen:
                seen.add(getattr(spec, attribute))
                protected.add(spec.slug)
    surplus = len(order) - FIGURES.catalogue_classes
    droppable = [spec.slug for spec in order if spec.slug not in protected]
    if surplus < 0 or len(droppable) < surplus:
        raise ValueError("departments.yaml cannot yield the number of catalogue classes the figures need")
    dropped = set(droppable[:surplus])
    return [spec for spec in sources.classes if spec.slug not in dropped]


def _assign_roles(rng: random.Random, classes: list[_ClassSpec]) -> dict[str, tuple[str, ...]]:
    """Which package types each class gets: a dataset, an API, or both (the commonest case)."""
    both = FIGURES.datasets + FIGURES.apis - FIGURES.catalogue_classes
    roles = (
        [(DATASET_TYPE, API_TYPE)] * both
        + [(DATASET_TYPE,)] * (FIGURES.catalogue_classes - FIGURES.apis)
        + [(API_TYPE,)] * (FIGURES.catalogue_classes - FIGURES.datasets)
    )
    showcase = [spec for spec in classes if spec.showcase]
    others = [spec for spec in classes if not spec.showcase]
    rng.shuffle(others)
    assigned: dict[str, tuple[str, ...]] = {}
    # Showcase classes take the "both" roles first, so searches find a dataset and its API.
    for spec, role in zip(showcase + others, roles):
        assigned[spec.slug] = role
    # Every domain must have datasets: swap roles with a class of a domain that has plenty.
    for domain in sorted({spec.domain for spec in classes}):
        members = [spec for spec in classes if spec.domain == domain]
        if any(DATASET_TYPE in assigned[spec.slug] for spec in members):
            continue
        donor = next(
            spec
            for spec in others
            if spec.domain != domain and assigned[spec.slug] == (DATASET_TYPE,)
        )
        assigned[donor.slug], assigned[members[0].slug] = assigned[members[0].slug], assigned[donor.slug]
    return assigned


def _subject_type(spec: _ClassSpec, pool: tuple[str, ...], words: dict[str, Any]) -> str:
    if PERSON_ITEMS & set(pool) or (spec.kind == "licence" and any(word in spec.zh for word in words["person_words"])):
        return "person"
    if ENTERPRISE_ITEMS & set(pool) and spec.kind != "stats":
        return "enterprise"
    return "none"


def _open_conditions(rng: random.Random, classes: list[_ClassSpec], subjects: dict[str, str]) -> dict[str, str]:
    """Conditions by class, so a dataset and its API agree; personal data is never unconditional."""
    persons = [spec.slug for spec in classes if subjects[spec.slug] == "person"]
    others = [spec.slug for spec in classes if subjects[spec.slug] != "person"]
    rng.shuffle(persons)
    rng.shuffle(others)
    not_open = round(len(classes) * NOT_OPEN_SHARE)
    conditional = round(len(classes) * CONDITIONAL_SHARE)
    ranked = persons + others
    conditions = {slug: "conditional" for slug in ranked[:conditional]}
    rest = ranked[conditional:]
    for slug in rest[:not_open]:
        conditions[slug] = "not-open"
    for slug in rest[not_open:]:
        conditions[slug] = "unconditional"
    return conditions


def _item_pool(rng: random.Random, spec: _ClassSpec, sources: _Sources) -> tuple[str, ...]:
    if spec.items:
        return spec.items
    extra = list(sources.domain_items[spec.domain])
    rng.shuffle(extra)
    return sources.kind_items[spec.kind] + tuple(extra)


def _data_items(pool: tuple[str, ...], count: int, sources: _Sources) -> tuple[DataItem, ...]:
    items = []
    has_key = False
    for name in pool[:count]:
        spec = sources.items[name]
        key = spec.key and not has_key
        has_key = has_key or key
        items.append(
            DataItem(name=name, name_zh=spec.zh, type=spec.type, length=spec.length, description=spec.description, key=key)
        )
    return tuple(items)


def _balance_item_counts(rng: random.Random, drafts: list[_Draft]) -> None:
    """Nudge item counts one at a time until they add up to the published total."""
    total = sum(draft.item_count for draft in drafts)
    while total != FIGURES.data_items:
        draft = rng.choice(drafts)
        if total > FIGURES.data_items and draft.item_count > 1:
            draft.item_count -= 1
            total -= 1
        elif total < FIGURES.data_items and draft.item_count < len(draft.item_pool):
            draft.item_count += 1
            total += 1


def _dates(rng: random.Random, sources: _Sources, frequency: str, stats_year: int | None) -> tuple[dt.date, dt.date]:
    if stats_year is not None:
        # A year's statistics are published in the first half of the following year.
        issued = _random_date(rng, dt.date(stats_year + 1, 1, 15), dt.date(stats_year + 1, 6, 30))
    else:
        issued = _random_date(rng, EARLIEST_ISSUED, dt.date(2026, 6, 30))
    max_age = sources.max_age_days(frequency)
    if max_age is None:
        modified = _random_date(rng, issued, REFERENCE_DATE)
    elif rng.random() < STALE_SHARE:
        # Some entries are overdue, so the curators' monitor has something to show.
        modified = REFERENCE_DATE - dt.timedelta(days=rng.randint(max_age + 1, max_age * 4 + 30))
    else:
        modified = REFERENCE_DATE - dt.timedelta(days=rng.randint(0, max_age - 1))
    return issued, max(issued, modified)


def _data_formats(rng: random.Random, spec: _ClassSpec, pool: tuple[str, ...]) -> tuple[str, list[str]]:
    """The format of the dataset's file, and every format it is offered in."""
    if spec.zh.endswith(("报告", "公报", "公告")):
        main = "PDF"
    else:
        main = _weighted(rng, {"CSV": 6, "XLSX": 3, "JSON": 1})
    formats = [main] + [extra for extra in ("XLSX", "JSON", "XML") if extra != main and rng.random() < 0.25]
    if "longitude" in pool and rng.random() < 0.5:
        formats.append(rng.choice(["GeoJSON", "SHP"]))
    return main, formats


def _in_vocabulary_order(values: Iterable[str], sources: _Sources) -> tuple[str, ...]:
    # scheming_multiple_choice stores choices in vocabulary order; sending them so keeps the
    # loader's comparison with what CKAN stored exact.
    order = [entry["value"] for entry in sources.vocabularies["data_formats"]]
    return tuple(sorted(set(values), key=order.index))


def _resource_library(rng: random.Random, spec: _ClassSpec, subject: str, pool: tuple[str, ...]) -> str | None:
    candidates = []
    if spec.domain in THEME_LIBRARIES:
        candidates.append(THEME_LIBRARIES[spec.domain])
    if spec.kind == "licence":
        candidates.append("e-licence")
    if subject == "enterprise" and spec.kind == "directory":
        candidates.append("legal-entity")
    if subject == "person":
        candidates.append("population")
    if spec.kind == "stats" and spec.domain in ("industry-agriculture", "finance-tax", "commerce"):
        candidates.append("macro-economy")
    if "longitude" in pool:
        candidates.append("spatial")
    if not candidates or rng.random() < 0.4:
        return None
    return candidates[0]


def _licence(rng: random.Random, condition: str) -> str:
    if condition == "not-open":
        return "other-closed"
    if condition == "conditional":
        return "cc-nc"
    return "cc-by" if rng.random() < 0.8 else "odc-by"


def _security_grade(rng: random.Random, condition: str) -> str:
    low, high = {"unconditional": ("1", "2"), "conditional": ("2", "3"), "not-open": ("3", "4")}[condition]
    return low if rng.random() < 0.7 else high


def _condition_note(rng: random.Random, words: dict[str, Any], condition: str, subject: str, department: Department) -> str | None:
    notes = words["open_condition_notes"]
    if condition == "conditional":
        template = notes["conditional_person"] if subject == "person" else rng.choice(notes["conditional"])
        return template.format(dept=department.title)
    if condition == "not-open":
        return notes["not-open"]
    return None


def build(seed: int = DEFAULT_SEED) -> Catalogue:
    """The demo catalogue for ``seed``; the same seed always gives the same catalogue."""
    rng = random.Random(seed)
    sources = _sources()
    words = sources.words
    city = sources.city
    departments = _departments(rng, sources)
    classes = _choose_classes(rng, sources)
    roles = _assign_roles(rng, classes)

    pools = {spec.slug: _item_pool(rng, spec, sources) for spec in classes}
    # Judged on the class's own items, not on the domain extras a package may borrow.
    subjects = {spec.slug: _subject_type(spec, spec.items or sources.kind_items[spec.kind], words) for spec in classes}
    conditions = _open_conditions(rng, classes, subjects)

    drafts: list[_Draft] = []
    for package_type in (DATASET_TYPE, API_TYPE):
        for spec in classes:
            if package_type not in roles[spec.slug]:
                continue
            pool = pools[spec.slug]
            if package_type == DATASET_TYPE:
                count = min(len(pool), rng.randint(3, 6))
            else:
                count = min(len(pool), rng.randint(2, 5))
            drafts.append(_Draft(spec=spec, type=package_type, item_pool=pool, item_count=count, fields={}))
    _balance_item_counts(rng, drafts)

    datasets_by_class: dict[str, _Draft] = {}
    datasets_by_department: dict[int, list[str]] = {}
    serial: dict[int, int] = {}
    for draft in drafts:
        spec = draft.spec
        department = departments[spec.department]
        condition = conditions[spec.slug]
        subject = subjects[spec.slug]
        items = _data_items(draft.item_pool, draft.item_count, sources)
        serial[spec.department] = serial.get(spec.department, 0) + 1

        dataset = datasets_by_class.get(spec.slug)
        if draft.type == API_TYPE and dataset is not None:
            frequency = "REAL_TIME" if spec.kind == "monitoring" else dataset.fields["update_frequency"]
            stats_year = dataset.fields["stats_year"]
            area = city["name"]
        else:
            frequency = _weighted(rng, KIND_FREQUENCIES[spec.kind])
            stats_year = rng.choice([2021, 2022, 2023, 2023, 2024, 2024, 2025]) if spec.kind == "stats" else None
            area = city["name"] if draft.type == API_TYPE or rng.random() < 0.8 else rng.choice(city["districts"])
        issued, modified = _dates(rng, sources, frequency, stats_year)
        if stats_year is not None:
            temporal_start, temporal_end = dt.date(stats_year, 1, 1), dt.date(stats_year, 12, 31)
        else:
            temporal_start, temporal_end = dt.date(issued.year - rng.randint(0, 5), 1, 1), modified

        kind_tag = words["kinds"][spec.kind]["tag"]
        tags = list(dict.fromkeys([*spec.tags, sources.label("domains", spec.domain), kind_tag]))[:4]
        fields: dict[str, Any] = {
            "identifier": f"{city['division_code']}-{department.department_code}-{serial[spec.department]:06d}",
            "owner_org": department.name,
            "domain": spec.domain,
            "catalogue_class": spec.zh,
            "open_condition": condition,
            "open_condition_note": _condition_note(rng, words, condition, subject, department),
            "data_subject_type": subject,
            "security_grade": _security_grade(rng, condition),
            "update_frequency": frequency,
            "stats_year": stats_year,
            "issued": issued.isoformat(),
            "modified": modified.isoformat(),
            "resource_library": _resource_library(rng, spec, subject, draft.item_pool),
            "data_items": items,
            "tags": tuple(tags),
            "license_id": _licence(rng, condition),
            "spatial_coverage": area,
            "temporal_start": temporal_start.isoformat(),
            "temporal_end": temporal_end.isoformat(),
            "contact_name": department.contact_name,
            "contact_phone": department.contact_phone,
            "contact_email": department.contact_email,
        }
        if draft.type == DATASET_TYPE:
            fields.update(_dataset_fields(rng, sources, spec, department, draft.item_pool, items, area, stats_year, frequency))
            datasets_by_class[spec.slug] = draft
            datasets_by_department.setdefault(spec.department, []).append(fields["name"])
        else:
            others = datasets_by_department.get(spec.department, [])
            fields.update(_api_fields(rng, sources, spec, department, items, frequency, dataset, others))
        low, high = KIND_RECORDS[spec.kind]
        draft.raw_records = math.exp(rng.uniform(math.log(low), math.log(high)))
        draft.fields = fields

    _attach_tables(rng, sources, departments, drafts)
    _balance_records(drafts)
    packages = tuple(_freeze(draft, city, words) for draft in drafts)
    return Catalogue(seed=seed, departments=departments, packages=packages)


def _item_names(items: tuple[DataItem, ...]) -> str:
    """The first few items' Chinese names, as a description lists them."""
    return "、".join(item.name_zh for item in items[:4])


def _dataset_fields(
    rng: random.Random,
    sources: _Sources,
    spec: _ClassSpec,
    department: Department,
    pool: tuple[str, ...],
    items: tuple[DataItem, ...],
    area: str,
    stats_year: int | None,
    frequency: str,
) -> dict[str, Any]:
    words = sources.words
    kind_words = words["kinds"][spec.kind]
    if stats_year is not None:
        suffix = kind_words["title_suffix"] if spec.zh.endswith(tuple(kind_words["needs_suffix"])) else ""
        title = f"{area}{stats_year}年{spec.zh}{suffix}"
        name = f"{spec.slug}-{stats_year}"
    else:
        title = f"{area}{spec.zh}"
        name = spec.slug
    notes = kind_words["dataset_notes"].format(
        dept=department.title,
        area=area,
        cls=spec.zh,
        year=stats_year,
        items=_item_names(items),
        freq=sources.label("update_frequencies", frequency),
        period=words["stats_periods"].get(frequency, "月"),
    )
    main_format, formats = _data_formats(rng, spec, pool)
    return {
        "name": name,
        "title": title,
        "notes": notes,
        "main_format": main_format,
        "data_format": _in_vocabulary_order(formats, sources),
    }


def _api_fields(
    rng: random.Random,
    sources: _Sources,
    spec: _ClassSpec,
    department: Department,
    items: tuple[DataItem, ...],
    frequency: str,
    dataset: _Draft | None,
    department_datasets: list[str],
) -> dict[str, Any]:
    api_words = sources.words["api"]
    parameters = _api_parameters(rng, spec, items, api_words)
    labels = {item.name: item.name_zh for item in items}
    labels.update({parameter: entry["label"] for parameter, entry in api_words["paging_parameters"].items()})
    notes = api_words["notes"].format(
        cls=spec.zh,
        service=api_words["service"][spec.kind],
        parameters="、".join(labels[parameter.name] for parameter in parameters),
        items=_item_names(items),
        dept=department.title,
        freq=sources.label("update_frequencies", frequency),
    )
    formats = ["API", "JSON", "XML"] if rng.random() < 0.3 else ["API", "JSON"]
    return {
        "name": f"{spec.slug}-api",
        "title": f"{spec.zh}{api_words['title'][spec.kind]}",
        "notes": notes,
        "main_format": "API",
        "data_format": _in_vocabulary_order(formats, sources),
        "api_endpoint": f"{sources.city['portal']}/api/v1/{department.name.removeprefix('sx-')}/{spec.slug}",
        "api_method": "POST" if spec.kind == "licence" else "GET",
        "api_parameters": parameters,
        "served_datasets": _served_datasets(rng, dataset, department_datasets),
    }


def _api_parameters(rng: random.Random, spec: _ClassSpec, items: tuple[DataItem, ...], api_words: dict[str, Any]) -> tuple[ApiParameter, ...]:
    parameters = []
    key = next((item for item in items if item.key), None)
    if key is not None:
        parameters.append(
            ApiParameter(
                name=key.name,
                type=key.type,
                required=spec.kind == "licence",
                description=api_words["key_parameter_description"].format(item=key.name_zh),
            )
        )
    for name in API_PARAMETERS[spec.kind]:
        entry = api_words["paging_parameters"][name]
        parameters.append(ApiParameter(name=name, type=entry["type"], required=False, description=entry["description"]))
    return tuple(parameters[: rng.randint(1, 3)])


def _served_datasets(rng: random.Random, dataset: _Draft | None, department_datasets: list[str]) -> tuple[str, ...]:
    """The API's own dataset, sometimes with another of its department's; never a later one."""
    served = [dataset.fields["name"]] if dataset is not None else []
    others = [name for name in department_datasets if name not in served]
    if others and rng.random() < (0.2 if served else 0.5):
        served.append(rng.choice(others))
    return tuple(served)


def _round_robin(drafts: Iterable[_Draft]) -> list[_Draft]:
    """Interleave drafts by domain, so that a prefix spreads over as many domains as possible."""
    by_domain: dict[str, list[_Draft]] = {}
    for draft in drafts:
        by_domain.setdefault(draft.spec.domain, []).append(draft)
    ordered = []
    while any(by_domain.values()):
        for domain in sorted(by_domain):
            if by_domain[domain]:
                ordered.append(by_domain[domain].pop(0))
    return ordered


def _attach_tables(rng: random.Random, sources: _Sources, departments: tuple[Department, ...], drafts: list[_Draft]) -> None:
    """Give a spread of datasets real rows: an uploaded CSV file, and for some a datastore table."""
    chosen: list[_Draft] = []
    for condition, uploads, tables in (
        ("unconditional", FIGURES.uploaded_files - CONDITIONAL_UPLOADS, FIGURES.datastore_tables - CONDITIONAL_DATASTORE_TABLES),
        ("conditional", CONDITIONAL_UPLOADS, CONDITIONAL_DATASTORE_TABLES),
    ):
        candidates = [d for d in drafts if d.type == DATASET_TYPE and d.fields["open_condition"] == condition]
        rng.shuffle(candidates)
        # Showcase datasets come first: the demo should open 公交客运量 and 空气质量 with real rows.
        candidates.sort(key=lambda draft: not draft.spec.showcase)
        picked = _round_robin(candidates)[:uploads]
        for position, draft in enumerate(picked):
            draft.datastore = position < tables
        chosen.extend(picked)
    for draft in chosen:
        department = departments[draft.spec.department]
        maker = _ValueMaker(rng, sources, department, draft.spec.zh)
        columns = draft.fields["data_items"]
        specs = [sources.items[column.name] for column in columns]
        rows = tuple(tuple(maker.value(spec, row) for spec in specs) for row in range(rng.randint(*SAMPLE_ROWS)))
        draft.table = SampleTable(columns=columns, rows=rows)
        draft.fields["main_format"] = "CSV"
        draft.fields["data_format"] = _in_vocabulary_order(("CSV", *draft.fields["data_format"]), sources)


def _balance_records(drafts: list[_Draft]) -> None:
    """Scale the drawn volumes so the whole catalogue holds exactly the published total."""
    fixed = sum(len(draft.table.rows) for draft in drafts if draft.table is not None)
    scalable = [draft for draft in drafts if draft.table is None]
    factor = (FIGURES.records - fixed) / sum(draft.raw_records for draft in scalable)
    for draft in drafts:
        if draft.table is not None:
            draft.fields["record_count"] = len(draft.table.rows)
        else:
            draft.fields["record_count"] = max(1, int(draft.raw_records * factor))
    largest = max(scalable, key=lambda draft: draft.fields["record_count"])
    largest.fields["record_count"] += FIGURES.records - sum(draft.fields["record_count"] for draft in drafts)


def _freeze(draft: _Draft, city: dict[str, Any], words: dict[str, Any]) -> Package:
    fields = dict(draft.fields)
    fields.pop("stats_year")
    main_format = fields.pop("main_format")
    title = fields["title"]
    if draft.type == API_TYPE:
        api = words["api"]
        resource = Resource(
            name=api["resource_name"],
            description=api["resource_description"],
            format="API",
            url=f"{city['portal']}/api-docs/{fields['name']}",
        )
    elif draft.table is not None:
        texts = words["resources"]
        resource = Resource(
            name=texts["upload_name"].format(title=title),
            description=texts["upload_description"].format(title=title, rows=len(draft.table.rows)),
            format="CSV",
            table=draft.table,
            filename=f"{fields['name']}.csv",
            datastore=draft.datastore,
        )
    else:
        texts = words["resources"]
        resource = Resource(
            name=texts["link_name"].format(title=title, format=main_format),
            description=texts["link_description"].format(title=title, format=main_format),
            format=main_format,
            url=f"{city['portal']}/files/{fields['owner_org'].removeprefix('sx-')}/{fields['name']}.{main_format.lower()}",
        )
    return Package(type=draft.type, resource=resource, **fields)
