"""Auth functions of the quality actions; everything not explicitly allowed is refused.

Rules, runs, results and failing rows belong to the dataset's department: its editors and
admins, and sysadmins (the bureau), may see and change them; nobody else, signed in or not.
Every public function here is the auth function of the action of its name.
"""
from __future__ import annotations

from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.govdata.messages import bilingual
from ckanext.govdata.open_condition import Viewer
from ckanext.govdata.quality.model import Rule


def _refuse(message: str) -> AuthResult:
    return {"success": False, "msg": message}


def _department_of(data_dict: DataDict, rule_key: str | None) -> str | None:
    """The department owning the dataset the call is about: ``package_id``, or the dataset of
    the rule named by ``rule_key``."""
    data_dict = data_dict or {}
    package_id = data_dict.get("package_id")
    if rule_key is not None:
        rule_id = data_dict.get(rule_key)
        rule = model.Session.get(Rule, rule_id) if isinstance(rule_id, str) else None
        package_id = rule.package_id if rule is not None else None
    package = model.Package.get(package_id) if isinstance(package_id, str) else None
    return package.owner_org if package is not None else None


def _department_staff(context: Context, data_dict: DataDict, rule_key: str | None = None) -> AuthResult:
    viewer = Viewer.from_context(context)
    if viewer.sysadmin or viewer.staff_of(_department_of(data_dict, rule_key)):
        return {"success": True}
    return _refuse(bilingual("Only the dataset's department may manage its quality checks"))


def govdata_quality_rule_create(context: Context, data_dict: DataDict) -> AuthResult:
    return _department_staff(context, data_dict)


def govdata_quality_rule_update(context: Context, data_dict: DataDict) -> AuthResult:
    return _department_staff(context, data_dict, "id")


def govdata_quality_rule_delete(context: Context, data_dict: DataDict) -> AuthResult:
    return _department_staff(context, data_dict, "id")


def govdata_quality_rule_list(context: Context, data_dict: DataDict) -> AuthResult:
    return _department_staff(context, data_dict)


def govdata_quality_rules_propose(context: Context, data_dict: DataDict) -> AuthResult:
    return _department_staff(context, data_dict)


def govdata_quality_check(context: Context, data_dict: DataDict) -> AuthResult:
    return _department_staff(context, data_dict)


def govdata_quality_result_show(context: Context, data_dict: DataDict) -> AuthResult:
    return _department_staff(context, data_dict)


def govdata_quality_failing_rows(context: Context, data_dict: DataDict) -> AuthResult:
    """The failing rows are the department's data: only the department and the bureau."""
    return _department_staff(context, data_dict, "rule_id")


def govdata_quality_figures(context: Context, data_dict: DataDict) -> AuthResult:
    """All departments' figures are the bureau's; a department sees its own."""
    viewer = Viewer.from_context(context)
    organization_id = (data_dict or {}).get("organization_id")
    if viewer.sysadmin or (isinstance(organization_id, str) and viewer.staff_of(organization_id)):
        return {"success": True}
    return _refuse(bilingual("Only the data bureau's staff, or the department for its own, may see quality figures"))
