"""Who is calling a data API, and may they read it: the one place that decides.

``current_caller`` identifies the caller of the web request (today a CKAN user, by API token in
the ``Authorization`` header or by session; app keys add themselves here), ``authorise`` applies
the open-condition rules of ``open_condition.data_access`` to the rows the API serves:

* unconditional — anyone, anonymous callers too;
* conditional — sysadmins, staff of the department owning the served dataset, and users holding
  a valid grant on it (a data-subject grant confines the rows to its subject);
* not-open — nobody: the API is answered as unknown (404), whoever asks.
"""
from __future__ import annotations

import dataclasses

from ckan import model

from ckanext.govdata import open_condition
from ckanext.govdata.dataapi import errors
from ckanext.govdata.dataapi.interface import DataApi
from ckanext.govdata.open_condition import Access, Viewer

ANONYMOUS, USER = "anonymous", "user"


@dataclasses.dataclass(frozen=True)
class Caller:
    viewer: Viewer
    # How the caller identified itself: anonymous | user.
    via: str

    @property
    def user_id(self) -> str | None:
        return self.viewer.user_id


def current_caller() -> Caller:
    viewer = Viewer.current()
    return Caller(viewer, USER if viewer.user is not None else ANONYMOUS)


def authorise(api: DataApi, caller: Caller) -> Access:
    """What ``caller`` may read of ``api``; an ApiError (401, 403, 404) when nothing."""
    if api.condition == open_condition.NOT_OPEN:
        raise errors.not_found(api.name)
    resource = model.Resource.get(api.table.resource_id) if api.table is not None else None
    access = open_condition.data_access(caller.viewer, api.governing, resource, rows=True)
    if access.allowed:
        return access
    if caller.via == ANONYMOUS:
        raise errors.authentication_required()
    raise errors.grant_required()
