"""The demo city's vocabulary: departments, catalogue classes, data items and words (``data/*.yaml``),
and the sample values drawn from them."""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import random
from collections.abc import Iterable
from typing import Any

import yaml

from ckanext.govdata import vocabularies
from ckanext.govdata.demo.objects import DATA_DIR, Department


@dataclasses.dataclass(frozen=True)
class ItemSpec:
    name: str
    zh: str
    type: str
    length: int
    key: bool
    description: str | None
    options: dict[str, Any]


@dataclasses.dataclass(frozen=True)
class ClassSpec:
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
class Sources:
    city: dict[str, Any]
    departments: list[dict[str, Any]]
    classes: tuple[ClassSpec, ...]
    items: dict[str, ItemSpec]
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
def load_sources() -> Sources:
    departments_file = _read_yaml(os.path.join(DATA_DIR, "departments.yaml"))
    items_file = _read_yaml(os.path.join(DATA_DIR, "items.yaml"))
    words = _read_yaml(os.path.join(DATA_DIR, "words.yaml"))
    # The demo is written against the shipped vocabularies, whatever a bureau configures.
    shipped_vocabularies = _read_yaml(vocabularies.DEFAULT_FILE)

    items: dict[str, ItemSpec] = {}
    domain_items: dict[str, tuple[str, ...]] = {}
    for pool_name, pool in [("common", items_file["common"]), *list(items_file["domains"].items())]:
        for name, spec in pool.items():
            if name in items:
                raise ValueError(f"data item {name} is defined twice in items.yaml")
            items[name] = ItemSpec(
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
                    ClassSpec(
                        department=index,
                        domain=domain,
                        zh=zh,
                        slug=spec["slug"],
                        kind=spec.get("kind") or _guess_kind(zh, words["kind_rules"]),
                        items=tuple(spec.get("items", ())),
                        tags=tuple(spec.get("tags", ())),
                    )
                )
    return Sources(
        city=departments_file["city"],
        departments=departments_file["departments"],
        classes=tuple(classes),
        items=items,
        kind_items={kind: tuple(names) for kind, names in items_file["kinds"].items()},
        domain_items=domain_items,
        words=words,
        vocabularies=shipped_vocabularies,
    )


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


class ValueMaker:
    """Fills sample rows: realistic enough to browse, unique where a column is a key."""

    def __init__(self, rng: random.Random, sources: Sources, department: Department, class_name: str) -> None:
        self.rng = rng
        self.sources = sources
        self.words = sources.words
        self.department = department
        self.class_name = class_name

    def value(self, spec: ItemSpec, row: int) -> Any:
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

    def _by_type(self, spec: ItemSpec, row: int) -> Any:
        rng = self.rng
        if spec.type == "integer":
            return rng.randint(0, 1000)
        if spec.type == "decimal":
            return round(rng.uniform(0, 1000), 2)
        if spec.type == "date":
            return random_date(rng, dt.date(2023, 1, 1), dt.date(2025, 12, 31)).isoformat()
        if spec.type == "datetime":
            day = random_date(rng, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
            return f"{day.isoformat()} {rng.randint(6, 21):02d}:{rng.randint(0, 59):02d}:00"
        if spec.type == "boolean":
            return rng.random() < 0.7
        return f"{spec.zh}{row + 1:04d}"


def weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def data_formats(rng: random.Random, spec: ClassSpec, pool: tuple[str, ...]) -> tuple[str, list[str]]:
    """The format of the dataset's file, and every format it is offered in."""
    main = "PDF" if spec.zh.endswith(("报告", "公报", "公告")) else weighted(rng, {"CSV": 6, "XLSX": 3, "JSON": 1})
    formats = [main] + [extra for extra in ("XLSX", "JSON", "XML") if extra != main and rng.random() < 0.25]
    if "longitude" in pool and rng.random() < 0.5:
        formats.append(rng.choice(["GeoJSON", "SHP"]))
    return main, formats


def in_vocabulary_order(values: Iterable[str], sources: Sources) -> tuple[str, ...]:
    # scheming_multiple_choice stores choices in vocabulary order; sending them so keeps the
    # loader's comparison with what CKAN stored exact.
    order = [entry["value"] for entry in sources.vocabularies["data_formats"]]
    return tuple(sorted(set(values), key=order.index))
