"""The open-condition rules (开放属性): who may get the data of which dataset.

Every data path (downloads, datastore queries, dataset and resource metadata, search
results, RDF, activity) asks this module; nothing else decides. Metadata is public for
unconditional and conditional datasets; data is:

* ``unconditional`` — served to everyone;
* ``conditional`` — served to holders of an approved, unexpired, unrevoked grant, plus the
  resources the department marked as public samples;
* ``not-open`` — never served;

and in every case to sysadmins and the owning department's editors and admins. A dataset
whose open condition is missing or unknown is treated as not-open (default-deny).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context

from ckanext.govdata import calendar, grants, request_scope, settings
from ckanext.govdata.grants import AccessGrant, AccessLog
from ckanext.govdata.validators import grades, subject_keys

UNCONDITIONAL = "unconditional"
CONDITIONAL = "conditional"
NOT_OPEN = "not-open"
CONDITIONS = (UNCONDITIONAL, CONDITIONAL, NOT_OPEN)
# Values of ``data_subject_type`` whose records are opened row by row, to the subject's users.
SUBJECT_TYPES = ("person", "enterprise")
STAFF_ROLES = ("admin", "editor")
# Resource fields through which data can be fetched; blanked for those who may not.
DATA_LOCATION_FIELDS = ("url",)
# Dataset fields through which data can be fetched (an API interface's endpoint).
DATASET_DATA_LOCATION_FIELDS = ("api_endpoint",)
# Search-index fields that carry resource locations or whole dataset dicts.
INDEX_DATA_FIELDS = ("res_url", "data_dict", "validated_data_dict", "url", "api_endpoint", "extras_api_endpoint")
# Stored whole dataset dicts (JSON text), redacted like package_show.
INDEX_DICT_FIELDS = ("data_dict", "validated_data_dict")
# Indexed fields that hold data locations, left out of the index of datasets not open to all.
INDEX_LOCATION_FIELDS = ("res_url", "api_endpoint", "extras_api_endpoint", "download_url")

Package = Any  # a dataset dict or a model.Package


def _extra(package: dict[str, Any], key: str) -> Any:
    """A field of a dataset dict, whether validated (top level) or raw (``extras`` list)."""
    if key in package:
        return package[key]
    for extra in package.get("extras") or []:
        if isinstance(extra, dict) and extra.get("key") == key:
            return extra.get("value")
    return None


def declared_condition(package: Package) -> str | None:
    """The open condition as recorded, if any (other package types, e.g. showcases, have none)."""
    if isinstance(package, model.Package):
        return (package.extras or {}).get("open_condition")
    return _extra(package, "open_condition")


def security_grade(package: Package) -> str | None:
    if isinstance(package, model.Package):
        return (package.extras or {}).get("security_grade")
    return _extra(package, "security_grade")


def condition_of(package: Package) -> str:
    """The condition that governs the data: anything not recognised counts as not-open, and a
    condition the dataset's security grade does not allow (saved before the grade table bound it)
    counts as the most open one it allows (validators.grades)."""
    value = declared_condition(package)
    if value not in CONDITIONS:
        return NOT_OPEN
    allowed = grades.allowed_conditions(security_grade(package))
    return value if value in allowed else allowed[0]


def _owner_org(package: Package) -> str | None:
    return package.owner_org if isinstance(package, model.Package) else package.get("owner_org")


def _package_id(package: Package) -> str:
    return package.id if isinstance(package, model.Package) else package["id"]


def is_public_sample(resource: Any) -> bool:
    """A resource the department chose to publish as the public sample of conditional data."""
    if isinstance(resource, model.Resource):
        value = (resource.extras or {}).get("public_sample")
    else:
        value = resource.get("public_sample")
    return str(value).lower() == "true"


def may_apply(package: Package) -> bool:
    """Only conditional datasets take requests."""
    return condition_of(package) == CONDITIONAL


def not_open_listed() -> bool:
    return settings.current().list_not_open


@dataclasses.dataclass(frozen=True)
class Access:
    allowed: bool
    # open | sample | sysadmin | department | grant | denied
    basis: str
    grant: AccessGrant | None = None

    @property
    def row_filter(self) -> dict[str, str] | None:
        return self.grant.row_filter if self.grant is not None else None


DENIED = Access(False, "denied")


class Viewer:
    """Who is asking, with the department roles and grants looked up once per request."""

    def __init__(self, user: model.User | None, system: bool = False, app_id: str | None = None) -> None:
        self.user = user
        self.system = system
        # The application whose key the user calls with (the data API only): its own grants count.
        self.app_id = app_id
        self._staff_orgs: set[str] | None = None
        self._grants: dict[dt.date, dict[str, list[AccessGrant]]] = {}

    @classmethod
    def for_user(cls, user: model.User | None) -> Viewer:
        """One viewer per user and web request: a download asks several times (guard,
        resource_show, package_show), and roles and grants are looked up once."""
        return request_scope.remember(request_scope.VIEWERS, user.id if user is not None else None, lambda: cls(user))

    @classmethod
    def for_app(cls, owner: model.User, app_id: str) -> Viewer:
        """The owner of application ``app_id`` calling with its key: the owner's grants and the
        grants for that application alone. Only the data API's caller identification makes one."""
        return request_scope.remember(request_scope.VIEWERS, ("app", owner.id, app_id), lambda: cls(owner, app_id=app_id))

    @classmethod
    def from_context(cls, context: Context) -> Viewer:
        user = context.get("auth_user_obj")
        if not isinstance(user, model.User):
            user = model.User.get(context["user"]) if context.get("user") else None
        # Internal calls outside any web request (CLI, jobs) that skip auth read whole dicts.
        if bool(context.get("ignore_auth")) and user is None and not request_scope.in_request():
            return cls(None, system=True)
        return cls.for_user(user)

    @classmethod
    def current(cls) -> Viewer:
        """The user of the web request being served."""
        user = tk.current_user
        return cls.for_user(user if isinstance(user, model.User) else None)

    @property
    def user_id(self) -> str | None:
        return self.user.id if self.user is not None else None

    @property
    def sysadmin(self) -> bool:
        return self.system or bool(self.user is not None and self.user.sysadmin)

    def staff_orgs(self) -> set[str]:
        """The departments whose editor or admin the user is (the people who publish its data)."""
        if self.user is None:
            return set()
        if self._staff_orgs is None:
            rows = (
                model.Session.query(model.Member.group_id)
                .filter(model.Member.table_name == "user")
                .filter(model.Member.table_id == self.user.id)
                .filter(model.Member.state == "active")
                .filter(model.Member.capacity.in_(STAFF_ROLES))
                .all()
            )
            self._staff_orgs = {row.group_id for row in rows}
        return self._staff_orgs

    def staff_of(self, organization_id: str | None) -> bool:
        return bool(organization_id) and organization_id in self.staff_orgs()

    def grants(self, package_id: str, on: dt.date | None = None) -> list[AccessGrant]:
        """The user's grants on the dataset valid on ``on`` (today, local time).

        All of the user's valid grants are read at once: a search page asks for twenty datasets.
        """
        if self.user is None:
            return []
        day = on or calendar.today()
        if day not in self._grants:
            self._grants[day] = grants.valid_by_package(self.user.id, day, self.app_id)
        return self._grants[day].get(package_id, [])


def _covering_grant(
    grants: Iterable[AccessGrant], resource_id: str | None, rows: bool
) -> AccessGrant | None:
    """An unfiltered grant wins over a row-filtered one, so the widest right applies."""
    covering = [
        grant
        for grant in grants
        if (resource_id is None or not grant.resource_ids or resource_id in grant.resource_ids)
        and (rows or grant.row_filter is None)
    ]
    covering.sort(key=lambda grant: grant.row_filter is not None)
    return covering[0] if covering else None


def data_access(viewer: Viewer, package: Package, resource: Any = None, rows: bool = False) -> Access:
    """May ``viewer`` get the data of ``resource`` (or of the dataset when it is None)?

    ``rows``: the caller serves datastore rows and applies ``Access.row_filter``. Otherwise a
    data-subject grant, which covers only its subject's rows, cannot open a whole file.
    """
    condition = condition_of(package)
    if condition == UNCONDITIONAL:
        return Access(True, "open")
    if viewer.sysadmin:
        return Access(True, "sysadmin")
    if condition == CONDITIONAL:
        if resource is not None and is_public_sample(resource):
            return Access(True, "sample")
        # Grants before department roles: a grantee's read then needs one lookup, not two.
        resource_id = None if resource is None else (
            resource.id if isinstance(resource, model.Resource) else resource["id"]
        )
        grant = _covering_grant(viewer.grants(_package_id(package)), resource_id, rows)
        if grant is not None:
            return Access(True, "grant", grant)
    if viewer.staff_of(_owner_org(package)):
        return Access(True, "department")
    return DENIED


def metadata_visible(viewer: Viewer, package: Package) -> bool:
    """Not-open datasets are listed only when the bureau chooses, or to their department."""
    if declared_condition(package) != NOT_OPEN or not_open_listed():
        return True
    return viewer.sysadmin or viewer.staff_of(_owner_org(package))


def resource_access(
    viewer: Viewer, resource_id: str, rows: bool = False
) -> tuple[model.Resource | None, Access]:
    resource = model.Resource.get(resource_id)
    if resource is None or resource.package is None:
        return None, DENIED
    return resource, data_access(viewer, resource.package, resource, rows)


def redact_package(viewer: Viewer, package: dict[str, Any]) -> dict[str, Any]:
    """Blank the data locations of ``package`` (a dataset dict) that ``viewer`` may not use."""
    if condition_of(package) == UNCONDITIONAL or viewer.sysadmin:
        return package
    if not data_access(viewer, package).allowed:
        for field in DATASET_DATA_LOCATION_FIELDS:
            if package.get(field):
                package[field] = ""
        # The raw dict (use_default_schema) keeps dataset fields as extras.
        for extra in package.get("extras") or []:
            if isinstance(extra, dict) and extra.get("key") in DATASET_DATA_LOCATION_FIELDS:
                extra["value"] = ""
    for resource in package.get("resources") or []:
        if not data_access(viewer, package, resource).allowed:
            for field in DATA_LOCATION_FIELDS:
                resource[field] = ""
            resource["access_restricted"] = True
    return package


def withheld_locations(viewer: Viewer, package: model.Package) -> set[str]:
    """The data locations of ``package`` that ``viewer`` may not use, as they appear in text.

    An upload is named by its download path (its stored URL is a bare file name).
    """
    if viewer.sysadmin or condition_of(package) == UNCONDITIONAL:
        return set()
    withheld: set[str] = set()
    if not data_access(viewer, package).allowed:
        withheld |= {str(value) for field in DATASET_DATA_LOCATION_FIELDS if (value := package.extras.get(field))}
    for resource in package.resources:
        if data_access(viewer, package, resource).allowed:
            continue
        withheld.add(f"/resource/{resource.id}/download")
        if resource.url and resource.url_type != "upload":
            withheld.add(resource.url)
    return withheld


def _mentions(value: Any, withheld: set[str]) -> bool:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return any(location in text for location in withheld)


def redact_index_fields(viewer: Viewer, result: dict[str, Any]) -> dict[str, Any]:
    """A raw ``package_search`` row asked for with ``fl``: redact by what each field holds.

    Whole dataset dicts stored in the index are redacted like ``package_show``; any other field
    that mentions a withheld location is dropped, whatever name it was asked for under.
    """
    if viewer.sysadmin:
        return result
    package = model.Package.get(result["id"]) if isinstance(result.get("id"), str) else None
    if package is None:
        for field in INDEX_DATA_FIELDS:
            result.pop(field, None)
        return result
    withheld = withheld_locations(viewer, package)
    if not withheld:
        return result
    for field, value in list(result.items()):
        if field in INDEX_DICT_FIELDS and isinstance(value, str):
            try:
                stored = json.loads(value)
            except ValueError:
                stored = None
            if isinstance(stored, dict):
                result[field] = json.dumps(redact_package(viewer, stored))
                continue
        if _mentions(value, withheld):
            result.pop(field)
    return result


def index_without_locations(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """What Solr may search on: no location of data that is not open to everyone.

    Queries, filters, sorting, boosts and facets then cannot probe withheld URLs or endpoints;
    the stored dataset dicts keep them for those who may see them (redacted per caller).
    """
    if condition_of(pkg_dict) == UNCONDITIONAL:
        return pkg_dict
    for field in INDEX_LOCATION_FIELDS:
        pkg_dict.pop(field, None)
    return pkg_dict


def hidden_not_open_filter(viewer: Viewer) -> str | None:
    """A Solr filter hiding not-open datasets from ``viewer``, or None when they may see them."""
    if not_open_listed() or viewer.sysadmin:
        return None
    orgs = sorted(viewer.staff_orgs())
    own = " OR owner_org:(" + " OR ".join(f'"{org}"' for org in orgs) + ")" if orgs else ""
    return f'(*:* -open_condition:"{NOT_OPEN}"){own}'


@functools.lru_cache(maxsize=4)
def _log_engine(url: str) -> sa.engine.Engine:
    """Autocommit connections for the access log: one round trip per row, no transaction of the
    request's session touched (committing that would expire what CKAN loaded for the response)."""
    return sa.create_engine(url, isolation_level="AUTOCOMMIT", pool_size=2, max_overflow=8, pool_recycle=600)


def record_read(user_id: str, package_id: str, resource_id: str | None, channel: str, amount: int | None,
                unit: str, grant_id: str | None = None, subject_number: str | None = None,
                app_id: str | None = None, basis: str = "grant") -> None:
    """Add one entry to the audit trail (one per read call, outside the request's transaction).

    ``subject_number`` is keyed and masked here; the number itself is never written.
    """
    package = model.Package.get(package_id)
    row = sa.insert(AccessLog).values(
        user_id=user_id,
        grant_id=grant_id,
        package_id=package_id,
        resource_id=resource_id,
        channel=channel,
        amount=amount,
        unit=unit,
        organization_id=package.owner_org if package is not None else None,
        subject_key=subject_keys.key(subject_number) if subject_number else None,
        subject_masked=subject_keys.mask(subject_number) if subject_number else None,
        app_id=app_id,
        basis=basis,
        created=calendar.utcnow(),
    )
    engine = _log_engine(model.meta.engine.url.render_as_string(hide_password=False))
    with engine.connect() as connection:
        connection.execute(row)


# The bases of access recorded in the audit trail (Access.basis).
LOGGED_BASES = ("grant", "department", "sysadmin")


def log_access(viewer: Viewer, access: Access, package_id: str, resource_id: str | None,
               channel: str, amount: int | None, unit: str) -> None:
    """Record a read of data that is not open to all: who, on which basis (a grant, the
    department's staff, the bureau), what, when, how much, whose rows. Open data and public
    samples are not recorded, nor the portal's own reads (jobs and the CLI, as no user or as
    the site user)."""
    if access.basis not in LOGGED_BASES or viewer.user is None or viewer.user.name == tk.config.get("ckan.site_id"):
        return
    row_filter = access.row_filter
    record_read(viewer.user.id, package_id, resource_id, channel, amount, unit,
                grant_id=access.grant.id if access.grant else None,
                subject_number=str(row_filter["value"]) if row_filter else None, app_id=viewer.app_id,
                basis=access.basis)
