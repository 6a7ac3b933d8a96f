"""Who may import into the open directory: a department's editors and admins and sysadmins.
Each row is then checked as its own ``package_create`` / ``package_update``."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import AuthResult, Context, DataDict

from ckanext.govdata.curation import background, review
from ckanext.govdata.messages import bilingual
from ckanext.govdata.open_condition import Viewer


def _staff(context: Context, department: Any, refusal: str) -> AuthResult:
    """The bureau, and department staff (editors, admins): of ``department`` when one is named,
    else of any department."""
    viewer = Viewer.from_context(context)
    if department:
        group = model.Group.get(str(department))
        allowed = viewer.sysadmin or (group is not None and viewer.staff_of(group.id))
    else:
        allowed = viewer.sysadmin or bool(viewer.staff_orgs())
    return {"success": True} if allowed else {"success": False, "msg": bilingual(refusal)}


def govdata_catalogue_import(context: Context, data_dict: DataDict) -> AuthResult:
    """Each row is then checked as the user's own package_create / package_update."""
    return _staff(context, None, "Only department editors may import a directory")


def govdata_catalogue_returned_show(context: Context, data_dict: DataDict) -> AuthResult:
    return govdata_catalogue_import(context, data_dict)


def govdata_catalogue_import_status(context: Context, data_dict: DataDict) -> AuthResult:
    """The user who started the import, and sysadmins; for a job that is unknown or expired,
    whoever may import (who then learns it is not found)."""
    viewer = Viewer.from_context(context)
    status = background.load(str(data_dict.get("job") or ""))
    if status is None:
        return govdata_catalogue_import(context, data_dict)
    if viewer.sysadmin or (viewer.user is not None and viewer.user.name == status["user"]):
        return {"success": True}
    return {"success": False, "msg": bilingual("Only the user who started an import may follow it")}


def _entry(data_dict: DataDict) -> model.Package | None:
    package = model.Package.get(str(data_dict.get("id") or ""))
    return package if review.is_catalogue_entry(package) else None


def govdata_review_submit(context: Context, data_dict: DataDict) -> AuthResult:
    """The entry's department staff (editors, admins) and the bureau."""
    package = _entry(data_dict)
    if package is not None and review.holds_role(review.DEPARTMENT, package, Viewer.from_context(context)):
        return {"success": True}
    return {"success": False, "msg": bilingual("Only the department's editors may submit its entries for review")}


def govdata_review_decide(context: Context, data_dict: DataDict) -> AuthResult:
    """The bureau (sysadmins)."""
    package = _entry(data_dict)
    if package is not None and review.holds_role(review.BUREAU, package, Viewer.from_context(context)):
        return {"success": True}
    return {"success": False, "msg": bilingual("Only the data bureau publishes or returns entries")}


def govdata_review_show(context: Context, data_dict: DataDict) -> AuthResult:
    """Whoever may edit the entry: its department's staff and the bureau."""
    return govdata_review_submit(context, data_dict)


def govdata_review_list(context: Context, data_dict: DataDict) -> AuthResult:
    """The bureau and department staff (each sees what package_search shows them)."""
    return _staff(context, None, "Only department editors and the data bureau's staff may see reviews")


def govdata_catalogue_without_data(context: Context, data_dict: DataDict) -> AuthResult:
    """The bureau, and department staff for their own departments."""
    return _staff(context, data_dict.get("id"), "Only department editors and the data bureau's staff may see reviews")


def govdata_catalogue_duplicates(context: Context, data_dict: DataDict) -> AuthResult:
    return govdata_catalogue_without_data(context, data_dict)


def govdata_catalogue_grade_violations(context: Context, data_dict: DataDict) -> AuthResult:
    return govdata_catalogue_without_data(context, data_dict)


def govdata_data_items_propose(context: Context, data_dict: DataDict) -> AuthResult:
    """Whoever may edit the dataset."""
    return authz.is_authorized("package_update", context, {"id": data_dict.get("id")})


def govdata_data_items_apply(context: Context, data_dict: DataDict) -> AuthResult:
    return authz.is_authorized("package_update", context, {"id": data_dict.get("id")})


def govdata_catalogue_item_mismatches(context: Context, data_dict: DataDict) -> AuthResult:
    return govdata_catalogue_without_data(context, data_dict)


def govdata_overdue_reminders_send(context: Context, data_dict: DataDict) -> AuthResult:
    """Sysadmins (the daily cron job runs as the site user)."""
    if Viewer.from_context(context).sysadmin:
        return {"success": True}
    return {"success": False, "msg": bilingual("Only the data bureau sends the reminders")}


def _bureau_then(next_auth: Any, context: Context, data_dict: DataDict) -> AuthResult:
    """CKAN's own check, for the bureau only; others are sent to review."""
    if Viewer.from_context(context).sysadmin:
        return next_auth(context, data_dict)
    return {"success": False, "msg": bilingual(
        "Entries are published through review: submit them to the data bureau instead"
    )}


@tk.chained_auth_function
def bulk_update_public(next_auth: Any, context: Context, data_dict: DataDict) -> AuthResult:
    """Publishing is the bureau's review step: a department's staff cannot make entries public
    in bulk (the review state would ignore it silently)."""
    return _bureau_then(next_auth, context, data_dict)


@tk.chained_auth_function
def bulk_update_private(next_auth: Any, context: Context, data_dict: DataDict) -> AuthResult:
    """Unpublishing is the bureau's too (``govdata_review_decide``, decision ``unpublish``)."""
    return _bureau_then(next_auth, context, data_dict)
