"""The generator: ``build(seed)`` draws the demo catalogue, deterministic for a seed."""
from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from ckanext.govdata.demo.city import ClassSpec, Sources, load_sources, random_date, weighted
from ckanext.govdata.demo.drafting import Draft, api_fields, dataset_fields, freeze
from ckanext.govdata.demo.fitting import attach_tables, balance_item_counts, balance_records
from ckanext.govdata.demo.objects import (
    API_TYPE,
    CONDITIONAL_SHARE,
    DATASET_TYPE,
    DEFAULT_SEED,
    EARLIEST_ISSUED,
    ENTERPRISE_ITEMS,
    FIGURES,
    KIND_FREQUENCIES,
    KIND_RECORDS,
    NOT_OPEN_SHARE,
    PERSON_ITEMS,
    REFERENCE_DATE,
    STALE_SHARE,
    THEME_LIBRARIES,
    Catalogue,
    DataItem,
    Department,
)
from ckanext.govdata.validators import grades


def _departments(rng: random.Random, sources: Sources) -> tuple[Department, ...]:
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


def _choose_classes(rng: random.Random, sources: Sources) -> list[ClassSpec]:
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


def _assign_roles(rng: random.Random, classes: list[ClassSpec]) -> dict[str, tuple[str, ...]]:
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
    for spec, role in zip(showcase + others, roles, strict=False):
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


def _subject_type(spec: ClassSpec, pool: tuple[str, ...], words: dict[str, Any]) -> str:
    if PERSON_ITEMS & set(pool) or (spec.kind == "licence" and any(word in spec.zh for word in words["person_words"])):
        return "person"
    if ENTERPRISE_ITEMS & set(pool) and spec.kind != "stats":
        return "enterprise"
    return "none"


def _open_conditions(rng: random.Random, classes: list[ClassSpec], subjects: dict[str, str]) -> dict[str, str]:
    """Conditions by class, so a dataset and its API agree; personal data is never unconditional."""
    persons = [spec.slug for spec in classes if subjects[spec.slug] == "person"]
    others = [spec.slug for spec in classes if subjects[spec.slug] != "person"]
    rng.shuffle(persons)
    rng.shuffle(others)
    not_open = round(len(classes) * NOT_OPEN_SHARE)
    conditional = round(len(classes) * CONDITIONAL_SHARE)
    ranked = persons + others
    conditions = dict.fromkeys(ranked[:conditional], "conditional")
    rest = ranked[conditional:]
    for slug in rest[:not_open]:
        conditions[slug] = "not-open"
    for slug in rest[not_open:]:
        conditions[slug] = "unconditional"
    return conditions


def _item_pool(rng: random.Random, spec: ClassSpec, sources: Sources) -> tuple[str, ...]:
    if spec.items:
        return spec.items
    extra = list(sources.domain_items[spec.domain])
    rng.shuffle(extra)
    return sources.kind_items[spec.kind] + tuple(extra)


def _data_items(pool: tuple[str, ...], count: int, sources: Sources) -> tuple[DataItem, ...]:
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


def _dates(rng: random.Random, sources: Sources, frequency: str, stats_year: int | None) -> tuple[dt.date, dt.date]:
    if stats_year is not None:
        # A year's statistics are published in the first half of the following year.
        issued = random_date(rng, dt.date(stats_year + 1, 1, 15), dt.date(stats_year + 1, 6, 30))
    else:
        issued = random_date(rng, EARLIEST_ISSUED, dt.date(2026, 6, 30))
    max_age = sources.max_age_days(frequency)
    if max_age is None:
        modified = random_date(rng, issued, REFERENCE_DATE)
    elif rng.random() < STALE_SHARE:
        # Some entries are overdue, so the curators' monitor has something to show.
        modified = REFERENCE_DATE - dt.timedelta(days=rng.randint(max_age + 1, max_age * 4 + 30))
    else:
        modified = REFERENCE_DATE - dt.timedelta(days=rng.randint(0, max_age - 1))
    return issued, max(issued, modified)


def _resource_library(rng: random.Random, spec: ClassSpec, subject: str, pool: tuple[str, ...]) -> str | None:
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
    """A grade that allows ``condition`` under the grade table (validators.grades): unconditional data
    is graded 1; the draw is made either way, so the rest of the catalogue keeps its seed's values."""
    low, high = {"unconditional": ("1", "2"), "conditional": ("2", "3"), "not-open": ("3", "4")}[condition]
    grade = low if rng.random() < 0.7 else high
    return grade if grades.allows(grade, condition) else low


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
    sources = load_sources()
    words = sources.words
    city = sources.city
    departments = _departments(rng, sources)
    classes = _choose_classes(rng, sources)
    roles = _assign_roles(rng, classes)

    pools = {spec.slug: _item_pool(rng, spec, sources) for spec in classes}
    # Judged on the class's own items, not on the domain extras a package may borrow.
    subjects = {spec.slug: _subject_type(spec, spec.items or sources.kind_items[spec.kind], words) for spec in classes}
    conditions = _open_conditions(rng, classes, subjects)

    drafts: list[Draft] = []
    for package_type in (DATASET_TYPE, API_TYPE):
        for spec in classes:
            if package_type not in roles[spec.slug]:
                continue
            pool = pools[spec.slug]
            count = min(len(pool), rng.randint(3, 6)) if package_type == DATASET_TYPE else min(len(pool), rng.randint(2, 5))
            drafts.append(Draft(spec=spec, type=package_type, item_pool=pool, item_count=count, fields={}))
    balance_item_counts(rng, drafts)

    datasets_by_class: dict[str, Draft] = {}
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
            frequency = weighted(rng, KIND_FREQUENCIES[spec.kind])
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
            fields.update(dataset_fields(rng, sources, spec, department, draft.item_pool, items, area, stats_year, frequency))
            datasets_by_class[spec.slug] = draft
            datasets_by_department.setdefault(spec.department, []).append(fields["name"])
        else:
            others = datasets_by_department.get(spec.department, [])
            fields.update(api_fields(rng, sources, spec, department, items, frequency, dataset, others))
        low, high = KIND_RECORDS[spec.kind]
        draft.raw_records = math.exp(rng.uniform(math.log(low), math.log(high)))
        draft.fields = fields

    attach_tables(rng, sources, departments, drafts)
    balance_records(drafts)
    packages = tuple(freeze(draft, city, words) for draft in drafts)
    return Catalogue(seed=seed, departments=departments, packages=packages)
