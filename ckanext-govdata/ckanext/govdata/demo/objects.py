"""What the demo catalogue is made of: its target figures, departments, packages, resources and
sample tables, and the constants the generator draws them with."""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import os
from typing import Any

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
            writer.writerow(csv_value(value) for value in row)
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
        return [dict(zip(names, row, strict=False)) for row in self.rows]


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


def csv_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
