"""A package while it is drawn (``Draft``), and its scheming fields once it is fitted (``freeze``)."""
from __future__ import annotations

import dataclasses
import random
from typing import Any

from ckanext.govdata.demo.city import ClassSpec, Sources, data_formats, in_vocabulary_order
from ckanext.govdata.demo.objects import (
    API_PARAMETERS,
    API_TYPE,
    ApiParameter,
    DataItem,
    Department,
    Package,
    Resource,
    SampleTable,
)


@dataclasses.dataclass
class Draft:
    """A package while the catalogue is being balanced; frozen into a Package at the end."""

    spec: ClassSpec
    type: str
    item_pool: tuple[str, ...]
    item_count: int
    fields: dict[str, Any]
    raw_records: float = 0.0
    table: SampleTable | None = None
    datastore: bool = False


def item_names(items: tuple[DataItem, ...]) -> str:
    """The first few items' Chinese names, as a description lists them."""
    return "、".join(item.name_zh for item in items[:4])


def dataset_fields(
    rng: random.Random,
    sources: Sources,
    spec: ClassSpec,
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
        items=item_names(items),
        freq=sources.label("update_frequencies", frequency),
        period=words["stats_periods"].get(frequency, "月"),
    )
    main_format, formats = data_formats(rng, spec, pool)
    return {
        "name": name,
        "title": title,
        "notes": notes,
        "main_format": main_format,
        "data_format": in_vocabulary_order(formats, sources),
    }


def api_fields(
    rng: random.Random,
    sources: Sources,
    spec: ClassSpec,
    department: Department,
    items: tuple[DataItem, ...],
    frequency: str,
    dataset: Draft | None,
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
        items=item_names(items),
        dept=department.title,
        freq=sources.label("update_frequencies", frequency),
    )
    formats = ["API", "JSON", "XML"] if rng.random() < 0.3 else ["API", "JSON"]
    return {
        "name": f"{spec.slug}-api",
        "title": f"{spec.zh}{api_words['title'][spec.kind]}",
        "notes": notes,
        "main_format": "API",
        "data_format": in_vocabulary_order(formats, sources),
        "api_endpoint": f"{sources.city['portal']}/api/v1/{department.name.removeprefix('sx-')}/{spec.slug}",
        "api_method": "POST" if spec.kind == "licence" else "GET",
        "api_parameters": parameters,
        "served_datasets": _served_datasets(rng, dataset, department_datasets),
    }


def _api_parameters(rng: random.Random, spec: ClassSpec, items: tuple[DataItem, ...], api_words: dict[str, Any]) -> tuple[ApiParameter, ...]:
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


def _served_datasets(rng: random.Random, dataset: Draft | None, department_datasets: list[str]) -> tuple[str, ...]:
    """The API's own dataset, sometimes with another of its department's; never a later one."""
    served = [dataset.fields["name"]] if dataset is not None else []
    others = [name for name in department_datasets if name not in served]
    if others and rng.random() < (0.2 if served else 0.5):
        served.append(rng.choice(others))
    return tuple(served)


def freeze(draft: Draft, city: dict[str, Any], words: dict[str, Any]) -> Package:
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
