"""Fitting the drawn packages to the published figures: data items, records and datastore tables."""
from __future__ import annotations

import random
from collections.abc import Iterable

from ckanext.govdata.demo.city import Sources, ValueMaker, in_vocabulary_order
from ckanext.govdata.demo.drafting import Draft
from ckanext.govdata.demo.objects import (
    CONDITIONAL_DATASTORE_TABLES,
    CONDITIONAL_UPLOADS,
    DATASET_TYPE,
    FIGURES,
    SAMPLE_ROWS,
    Department,
    SampleTable,
)


def balance_item_counts(rng: random.Random, drafts: list[Draft]) -> None:
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


def round_robin(drafts: Iterable[Draft]) -> list[Draft]:
    """Interleave drafts by domain, so that a prefix spreads over as many domains as possible."""
    by_domain: dict[str, list[Draft]] = {}
    for draft in drafts:
        by_domain.setdefault(draft.spec.domain, []).append(draft)
    ordered = []
    while any(by_domain.values()):
        for domain in sorted(by_domain):
            if by_domain[domain]:
                ordered.append(by_domain[domain].pop(0))
    return ordered


def attach_tables(rng: random.Random, sources: Sources, departments: tuple[Department, ...], drafts: list[Draft]) -> None:
    """Give a spread of datasets real rows: an uploaded CSV file, and for some a datastore table."""
    chosen: list[Draft] = []
    for condition, uploads, tables in (
        ("unconditional", FIGURES.uploaded_files - CONDITIONAL_UPLOADS, FIGURES.datastore_tables - CONDITIONAL_DATASTORE_TABLES),
        ("conditional", CONDITIONAL_UPLOADS, CONDITIONAL_DATASTORE_TABLES),
    ):
        candidates = [d for d in drafts if d.type == DATASET_TYPE and d.fields["open_condition"] == condition]
        rng.shuffle(candidates)
        # Showcase datasets come first: the demo should open 公交客运量 and 空气质量 with real rows.
        candidates.sort(key=lambda draft: not draft.spec.showcase)
        picked = round_robin(candidates)[:uploads]
        for position, draft in enumerate(picked):
            draft.datastore = position < tables
        chosen.extend(picked)
    for draft in chosen:
        department = departments[draft.spec.department]
        maker = ValueMaker(rng, sources, department, draft.spec.zh)
        columns = draft.fields["data_items"]
        specs = [sources.items[column.name] for column in columns]
        rows = tuple(tuple(maker.value(spec, row) for spec in specs) for row in range(rng.randint(*SAMPLE_ROWS)))
        draft.table = SampleTable(columns=columns, rows=rows)
        draft.fields["main_format"] = "CSV"
        draft.fields["data_format"] = in_vocabulary_order(("CSV", *draft.fields["data_format"]), sources)


def balance_records(drafts: list[Draft]) -> None:
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
