"""Writing an import's validated entries: what ``package_create`` and ``package_update`` do after
their validation, for many datasets in one transaction.

``importing`` validates each entry once, through its type's schema, when it plans the import;
CKAN's actions would validate it a second time. Here each validated dict is saved as the actions
save it (``model_save.package_dict_save``, the department's membership row, every plugin's
IPackageController hooks, CKAN's ``package_owner_org_update`` for a moved entry), and what the
actions do one dataset at a time is done once for the batch: one activity per dataset, from one
dictizing of them all (the actions run a ``package_show`` each), recorded before the commit; the
search index updated in one request after it.
"""
from __future__ import annotations

import logging
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import search
from ckan.lib.dictization import model_save
from ckan.lib.plugins import get_permission_labels
from ckan.model.types import make_uuid

from ckanext.govdata import calendar
from ckanext.govdata.search import bulk

log = logging.getLogger(__name__)

CREATE, UPDATE = "create", "update"
ACTIVITY_TYPES = {CREATE: "new package", UPDATE: "changed package"}
FLUSH_EVERY = 200


class Writer:
    """Saves validated entries as the user of ``context``, in the caller's transaction; ``finish`` records the
    activities, ``index`` (after the commit) updates the search index."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.context = context
        self.user = context.get("auth_user_obj")
        self.departments: dict[str, model.Group | None] = {}
        # (package id, operation) in the order written.
        self.written: list[tuple[str, str]] = []
        self._shown: list[dict[str, Any]] = []
        self._pending = 0
        # Tag id by (name, vocabulary): package_dict_save finds a tag given its id in the session,
        # where given only its name it queries the database for each dataset.
        self._tags: dict[tuple[str, Any], str] = {}
        # The department membership rows of new datasets, inserted together by ``finish``.
        self._members: list[dict[str, Any]] = []

    def save(self, operation: str, data: dict[str, Any]) -> str:
        """Save one entry's validated ``data`` (an update's carries the ``id``); its package id."""
        context = dict(self.context)
        if operation == UPDATE:
            context["package"] = model.Package.get(data["id"])
        elif self.user is not None:
            data["creator_user_id"] = self.user.id
        for tag in data.get("tags") or []:
            known = self._tags.get((tag.get("name"), tag.get("vocabulary_id")))
            if known:
                tag["id"] = known
        package, change = model_save.package_dict_save(data, context, False)
        if operation == UPDATE and change is None:
            return package.id
        self._pending += 1
        # New datasets are flushed in chunks (their rows inserted together), except after a new
        # tag: the next dataset's package_dict_save must find it in the database.
        if (operation == UPDATE or self._pending >= FLUSH_EVERY
                or any(isinstance(pending, model.Tag) for pending in model.Session.new)):
            model.Session.flush()
            self._pending = 0
        for package_tag in package.package_tags:
            if package_tag.tag.id:
                self._tags[(package_tag.tag.name, package_tag.tag.vocabulary_id)] = package_tag.tag.id
        package.metadata_modified = calendar.utcnow()
        if operation == CREATE:
            self._join_department(package)
        else:
            tk.get_action("package_owner_org_update")(
                dict(context, ignore_auth=True, defer_commit=True),
                {"id": package.id, "organization_id": package.owner_org},
            )
        data["id"] = package.id
        for plugin in p.PluginImplementations(p.IPackageController):
            if operation == CREATE:
                plugin.create(package)
                plugin.after_dataset_create(context, data)
            else:
                plugin.edit(package)
                plugin.after_dataset_update(context, data)
        self.written.append((package.id, operation))
        return package.id

    def _join_department(self, package: model.Package) -> None:
        """The membership row ``package_owner_org_update`` adds; a new dataset has none to replace."""
        if not package.owner_org:
            return
        if package.owner_org not in self.departments:
            self.departments[package.owner_org] = model.Group.get(package.owner_org)
        department = self.departments[package.owner_org]
        if department is not None:
            self._members.append({
                "id": make_uuid(), "table_id": package.id, "table_name": "package", "group_id": department.id,
                "capacity": "organization", "state": "active",
            })

    def finish(self) -> None:
        """One activity per dataset written, as CKAN's activity plugin records it (the dataset as
        ``package_show`` gives it), from one dictizing of the batch; kept for the index."""
        if not self.written:
            return
        model.Session.flush()
        if self._members:
            # One statement; as ORM objects, CKAN's commit hook would also look up each one's dataset.
            model.Session.execute(model.member_table.insert(), self._members)
        operations = dict(self.written)
        datasets = list(bulk.shown([package_id for package_id, _operation in self.written]))
        self._shown = [dataset for _package, dataset in datasets]
        if not (p.plugin_loaded("activity") and tk.asbool(tk.config.get("ckan.activity_streams_enabled", True))):
            return
        from ckanext.activity.model import Activity

        actor = self.user or model.User.get(tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"])
        assert actor is not None
        labels = get_permission_labels()
        for package, shown in datasets:
            model.Session.add(Activity(
                actor.id, package.id, ACTIVITY_TYPES[operations[package.id]],
                {"package": shown[bulk.CUSTOM], "actor": actor.name},
                permission_labels=labels.get_dataset_labels(package),
            ))

    def index(self) -> None:
        """Send the datasets written to Solr in one update and commit it; after the database commit."""
        failures = bulk.index_shown(self._shown)
        search.commit()
        for package_id, failure in failures.items():
            log.error("catalogue import: dataset %s was written but not indexed: %s", package_id, failure)

