"""What the curation actions share (not actions themselves)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context

from ckanext.govdata.curation.logic import schema
from ckanext.govdata.open_condition import Viewer


def report_departments(context: Context, reference: str | None) -> list[str] | None:
    """The departments a report covers: the one asked for, else the user's (None: all, for the
    bureau)."""
    if reference:
        department = model.Group.get(reference)
        if department is None or not department.is_organization:
            raise tk.ObjectNotFound(schema.fields.message("id", "{field} names no department"))
        return [department.id]
    viewer = Viewer.from_context(context)
    return None if viewer.sysadmin else sorted(viewer.staff_orgs())
