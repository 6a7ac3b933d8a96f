"""Who is calling a data API, and may they read it: the one place that decides.

``current_caller`` identifies the caller of the web request (today a CKAN user, by API token in
the ``Authorization`` header or by session; app keys add themselves here), ``authorise`` applies
the open-condition rules of ``open_condition.data_access`` to the rows the API serves:

* unconditional — anyone, anonymous callers too;
* conditional — sysadmins, staff of the department owning the served dataset, and users holding
  a valid grant on it (a data-subject grant confines the rows to its subject);
* not-open — nobody: the API is answered as unknown (404), whoever asks.

With govdata_devkeys, an application key (``devkeys.guard``) identifies the key's owner as the
caller (``via`` = ``app``); the key must list the API in its scope, and every caller spends its
quota once the rule lets it read (``keys.guard.admit``). Such a caller holds the owner's grants
and the grants for that one application (a data subject authorising the app,
``Viewer.for_app``); this is the only place a viewer with an application is made, so a grant for
an application opens nothing on any other path, nor to the owner's token or other applications.
"""
from __future__ import annotations

import dataclasses
from typing import Any

import ckan.plugins as p
from ckan import model

from ckanext.govdata import open_condition
from ckanext.govdata.dataapi import errors
from ckanext.govdata.dataapi.interface import DataApi
from ckanext.govdata.open_condition import Access, Viewer

ANONYMOUS, USER, APP = "anonymous", "user", "app"


class IdentityChanged(Exception):
    """What identified the caller may have changed since it was read: identify the caller again
    (raised before anything is spent or read)."""


@dataclasses.dataclass(frozen=True)
class Caller:
    viewer: Viewer
    # How the caller identified itself: anonymous | user | app (an application key).
    via: str
    # The application (keys.model.App) whose key was presented, when via is app.
    app: Any = None

    @property
    def user_id(self) -> str | None:
        return self.viewer.user_id


def current_caller() -> Caller:
    if p.plugin_loaded("govdata_devkeys"):
        from ckanext.govdata.dataapi.keys import guard

        presented = guard.presented()
        if presented is not None:
            app, owner = guard.identify(*presented)
            return Caller(Viewer.for_app(owner, app.id), APP, app)
    viewer = Viewer.current()
    return Caller(viewer, USER if viewer.user is not None else ANONYMOUS)


def authorise(api: DataApi, caller: Caller) -> Access:
    """What ``caller`` may read of ``api``; an ApiError (401, 403, 404) when nothing."""
    if api.condition == open_condition.NOT_OPEN:
        raise errors.not_found(api.name)
    access = _access(api, caller)
    if p.plugin_loaded("govdata_devkeys"):
        from ckanext.govdata.dataapi.keys import guard

        guard.admit(api.name, api.condition, caller.app, caller.user_id)
    return access


def _access(api: DataApi, caller: Caller) -> Access:
    try:
        if caller.app is not None:
            from ckanext.govdata.dataapi.keys import guard

            guard.within_scope(caller.app, api.name, api.package_id)
        resource = model.Resource.get(api.table.resource_id) if api.table is not None else None
        access = open_condition.data_access(caller.viewer, api.governing, resource, rows=True)
        if access.allowed:
            return access
        if caller.via == ANONYMOUS:
            raise errors.authentication_required()
        raise errors.grant_required()
    except errors.ApiError:
        if caller.app is not None:
            guard.confirm_refusal()
        raise
