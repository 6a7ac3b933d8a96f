"""Pages of data demands: the public list, the form, a demand's page, my demands, the staff
queue and the ledger. Thin: they call the ``govdata_demand_*`` actions and render the results."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.common import current_user
from flask import Blueprint, request

from ckanext.govdata import spreadsheets
from ckanext.govdata.demands import workflow
from ckanext.govdata.messages import error_messages
from ckanext.govdata.open_condition import Viewer
from ckanext.govdata.view_steps import action as _action
from ckanext.govdata.view_steps import login_required as _login_required

demands = Blueprint("govdata_demands", __name__)

FORM_FIELDS = (
    "title", "description", "purpose", "domain", "suggested_organization_id", "contact_name", "contact_phone",
    "contact_email",
)
LIST_FILTERS = ("state", "organization_id", "domain", "q", "overdue", "sort")
PAGE_SIZE = 50


def _filters() -> dict[str, Any]:
    return {key: request.args[key] for key in LIST_FILTERS if request.args.get(key)}


def _page() -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


def _listed(scope: str, filters: dict[str, Any], limit: int = PAGE_SIZE, offset: int = 0) -> dict[str, Any]:
    try:
        return _action("govdata_demand_list", scope=scope, limit=limit, offset=offset, **filters)
    except tk.ValidationError as error:
        tk.h.flash_error("; ".join(error_messages(error)))
        return {"count": 0, "results": []}


@demands.route("/demands")
def index() -> Any:
    """The public list (需求公示): routed demands, their state and support, no personal details."""
    filters, page = _filters(), _page()
    listed = _listed("public", filters, offset=(page - 1) * PAGE_SIZE)
    return tk.render("govdata_demands/index.html", {
        "listed": listed, "filters": filters, "page": page, "pages": max(1, -(-listed["count"] // PAGE_SIZE)),
    })


@demands.route("/demands/new", methods=["GET", "POST"])
@_login_required
def new() -> Any:
    """The demand form (提交数据需求)."""
    if request.method == "GET":
        data = {"contact_name": current_user.fullname or "", "contact_email": current_user.email or ""}
        return tk.render("govdata_demands/new.html", {"data": data, "errors": {}})
    data = {field: request.form.get(field, "").strip() for field in FORM_FIELDS}
    try:
        created = _action("govdata_demand_create", **{key: value for key, value in data.items() if value})
    except tk.ValidationError as error:
        status = 429 if "rate_limit" in error.error_dict else 400
        return tk.render("govdata_demands/new.html", {"data": data, "errors": error.error_dict}), status
    tk.h.flash_success(tk._("Your demand was submitted; you can follow it here"))
    return tk.redirect_to("govdata_demands.read", demand_id=created["id"])


@demands.route("/demands/mine")
@_login_required
def mine() -> Any:
    """My demands (我的需求) and my unread notices."""
    return tk.render("govdata_demands/mine.html", {
        "listed": _listed("mine", {}, limit=200), "notices": _action("govdata_demand_notice_list"),
    })


def _staff_only() -> Any:
    viewer = Viewer.current()
    if not (viewer.sysadmin or viewer.staff_orgs()):
        return tk.abort(403, tk._("Only the bureau's and the departments' staff may see this page"))
    return None


@demands.route("/demands/queue")
@_login_required
def queue() -> Any:
    """The staff's queue (需求办理): to route (bureau), to confirm and to provide (departments)."""
    refused = _staff_only()
    if refused is not None:
        return refused
    filters = _filters()
    filters.setdefault("state", ",".join(workflow.OPEN_STATES))
    return tk.render("govdata_demands/queue.html", {
        "listed": _listed("queue", filters, limit=500), "filters": filters,
        "notices": _action("govdata_demand_notice_list"),
    })


@demands.route("/demands/ledger")
@_login_required
def ledger() -> Any:
    """The ledger (供需台账): every demand handled here, each step's time and timeliness, export."""
    refused = _staff_only()
    if refused is not None:
        return refused
    filters = _filters()
    return tk.render("govdata_demands/ledger.html", {"listed": _listed("queue", filters, limit=1000),
                                                     "filters": filters})


@demands.route("/demands/ledger/export")
@_login_required
def ledger_export() -> Any:
    filters = {key: value for key, value in _filters().items() if key != "sort"}
    try:
        exported = _action("govdata_demand_ledger_export", format=request.args.get("format", "xlsx"), **filters)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the bureau's and the departments' staff may see this page"))
    except tk.ValidationError as error:
        return tk.abort(400, "; ".join(error_messages(error)))
    return spreadsheets.download(exported)


@demands.route("/demands/<demand_id>")
def read(demand_id: str) -> Any:
    """A demand: its state, deadlines, timeline, and the operations the viewer may do."""
    try:
        shown = _action("govdata_demand_show", id=demand_id)
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Demand not found"))
    if current_user.is_authenticated and any(
        notice["demand_id"] == demand_id for notice in _action("govdata_demand_notice_list")
    ):
        _action("govdata_demand_notice_read", id=demand_id)
    return tk.render("govdata_demands/read.html", {"demand": shown})


def _operation_data(name: str) -> tuple[str, dict[str, Any]]:
    """The action and parameters of the operation ``name`` posted from a demand's page."""
    form = {key: request.form.get(key, "").strip() for key in ("reason", "organization_id", "package_id",
                                                                "resource_id")}
    if name == workflow.SUPPORT:
        return "govdata_demand_support", {}
    operation = workflow.OPERATIONS[name]
    wanted = {
        "route": ("organization_id", "reason"), "dismiss": ("reason",), "accept": ("reason",),
        "decline": ("reason",), "already_open": ("package_id", "resource_id", "reason"),
        "provide": ("package_id", "resource_id", "reason"), "withdraw": ("reason",),
    }[name]
    return operation.action, {**operation.params, **{key: form[key] for key in wanted if form[key]}}


@demands.route("/demands/<demand_id>/act", methods=["POST"])
@_login_required
def act(demand_id: str) -> Any:
    """One operation on a demand from its page or the list (support)."""
    name = request.form.get("operation", "")
    if name not in workflow.OPERATIONS and name != workflow.SUPPORT:
        return tk.abort(400, tk._("Unknown operation"))
    action, data = _operation_data(name)
    try:
        _action(action, id=demand_id, **data)
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Demand not found"))
    except tk.ValidationError as error:
        for message in error_messages(error):
            tk.h.flash_error(message)
    else:
        tk.h.flash_success(tk._("Thank you for your support") if name == workflow.SUPPORT else tk._("Done"))
    came_from = request.form.get("came_from", "")
    if came_from == "index":
        return tk.redirect_to("govdata_demands.index")
    return tk.redirect_to("govdata_demands.read", demand_id=demand_id)
