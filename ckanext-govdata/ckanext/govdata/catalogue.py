"""Which catalogue entries serve data (数据目录100%挂载, DOMAIN.md §3): the one definition.

The review refuses to publish an entry that serves none, the staff report lists the published
ones that serve none, and the published figures count only the entries that serve data. An
API interface (type ``dataservice``) is a data service itself; a dataset needs an active
resource (a data file, a link or a datastore table).
"""
from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from ckan import model

DATASERVICE_TYPE = "dataservice"

PACKAGES_WITH_RESOURCES = sa.text(
    "SELECT DISTINCT package_id FROM resource WHERE package_id IN :ids AND state = 'active'"
).bindparams(sa.bindparam("ids", expanding=True))


def serves_data(package_type: str, has_active_resource: bool) -> bool:
    return package_type == DATASERVICE_TYPE or has_active_resource


def has_data(package: model.Package) -> bool:
    """Whether ``package`` serves data, read from its loaded resources."""
    return serves_data(package.type, any(resource.state == "active" for resource in package.resources_all))


def packages_with_resources(package_ids: Iterable[str]) -> set[str]:
    """Which of ``package_ids`` have an active resource: ``has_data``'s question for many
    packages in one query."""
    ids = list(package_ids)
    if not ids:
        return set()
    return set(model.Session.execute(PACKAGES_WITH_RESOURCES, {"ids": ids}).scalars())
