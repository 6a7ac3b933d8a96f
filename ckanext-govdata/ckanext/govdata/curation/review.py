"""Review before publishing (审核发布): departments submit their directory entries, the bureau
publishes them or returns them with comments.

An entry's ``review_state`` is one of draft, submitted, returned, published, and CKAN's
``private`` flag follows it (private unless published), so every CKAN path that hides private
datasets (show, search and facets, download, datastore, DCAT, activity, organization pages,
counters) hides unpublished entries too. Both fields are set by the validators of
``curation.validators`` from this module's rules only; what a client sends for them is ignored,
except that the bureau's own ``private`` still works as CKAN's (true: back to draft, false:
published), so sysadmins and CKAN's bulk visibility actions keep their meaning.
"""
from __future__ import annotations

from typing import Any

from ckan import model
from ckan.lib.navl.dictization_functions import missing

from ckanext.govdata import workflows
from ckanext.govdata.open_condition import Viewer

DRAFT, SUBMITTED, RETURNED, PUBLISHED = "draft", "submitted", "returned", "published"
STATES = (DRAFT, SUBMITTED, RETURNED, PUBLISHED)
CATALOGUE_TYPES = ("dataset", "dataservice")
# package_search's filter for them (showcases are datasets too, of their own type).
CATALOGUE_FILTER = f"+dataset_type:({' OR '.join(CATALOGUE_TYPES)})"
DEPARTMENT, BUREAU = "department", "bureau"
PUBLISH, RETURN, UNPUBLISH = "publish", "return", "unpublish"
DECISIONS = (PUBLISH, RETURN, UNPUBLISH)
# Context key through which the review actions set the state, after their own checks.
STATE_KEY = "govdata_review_state"

OPERATIONS = workflows.table(
    workflows.Operation(
        "submit", DEPARTMENT, {DRAFT: SUBMITTED, RETURNED: SUBMITTED}, "govdata_review_submit",
        refusal="Only a draft or a returned entry can be submitted for review", settled=(SUBMITTED,),
    ),
    workflows.Operation(
        PUBLISH, BUREAU, {SUBMITTED: PUBLISHED, DRAFT: PUBLISHED, RETURNED: PUBLISHED}, "govdata_review_decide",
        {"decision": PUBLISH}, refusal="This entry is published already", settled=(PUBLISHED,),
    ),
    workflows.Operation(
        RETURN, BUREAU, {SUBMITTED: RETURNED}, "govdata_review_decide", {"decision": RETURN},
        refusal="Only a submitted entry can be returned", settled=(RETURNED,),
    ),
    workflows.Operation(
        UNPUBLISH, BUREAU, {PUBLISHED: RETURNED}, "govdata_review_decide", {"decision": UNPUBLISH},
        refusal="Only a published entry can be withdrawn from publication",
    ),
)


def is_catalogue_entry(package: model.Package | None) -> bool:
    return package is not None and package.type in CATALOGUE_TYPES


def stored_state(package: model.Package) -> str:
    """The entry's state; entries from before reviews count as published unless private."""
    state = (package.extras or {}).get("review_state")
    if state in STATES:
        return state
    return DRAFT if package.private else PUBLISHED


def holds_role(role: str, package: model.Package, viewer: Viewer) -> bool:
    if role == BUREAU:
        return viewer.sysadmin
    return viewer.sysadmin or viewer.staff_of(package.owner_org)


def allowed_operations(package: model.Package, viewer: Viewer) -> list[str]:
    return workflows.allowed(OPERATIONS.values(), stored_state(package), lambda role: holds_role(role, package, viewer))


def state_on_save(context: dict[str, Any], private_given: Any) -> str:
    """The state an entry has after a create or update through any action.

    The review actions decide through ``STATE_KEY``. Otherwise a department's save keeps the
    state (a new entry is a draft: it waits for review); the bureau's keeps it too, unless it
    says ``private``, which moves the entry to published (false) or back to draft (true).
    """
    decided = context.get(STATE_KEY)
    if decided in STATES:
        return decided
    package = context.get("package")
    stored = stored_state(package) if isinstance(package, model.Package) else None
    if not Viewer.from_context(context).sysadmin:
        return stored or DRAFT
    if private_given is missing or private_given in (None, ""):
        return stored or PUBLISHED
    private = str(private_given).strip().lower() in ("true", "1", "yes", "on")
    if not private:
        return PUBLISHED
    return stored if stored not in (None, PUBLISHED) else DRAFT

