"""govdata_showcase: moderated showcases (应用成果), open scenarios and data contests."""
from __future__ import annotations

from collections import OrderedDict
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.plugins import DefaultPermissionLabels

from ckanext.govdata.showcase import dictization, helpers, logic, roles, validators, views


@tk.blanket.config_declarations
@tk.blanket.actions(logic.all_actions)
@tk.blanket.auth_functions(logic.all_auth_functions)
class GovdataShowcasePlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IValidators)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IBlueprint)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPackageController, inherit=True)
    # CKAN asks a single plugin for permission labels: ours decides for showcases and leaves
    # every other dataset to CKAN's default labels.
    p.implements(p.IPermissionLabels)

    _default_labels = DefaultPermissionLabels()

    # IConfigurer
    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "govdata_showcase")

    # IValidators
    def get_validators(self) -> dict[str, Any]:
        return validators.all_validators()

    # ITemplateHelpers
    def get_helpers(self) -> dict[str, Any]:
        return helpers.all_helpers()

    # IBlueprint
    def get_blueprint(self) -> list[Any]:
        return views.blueprints()

    # IFacets
    def dataset_facets(self, facets_dict: OrderedDict[str, Any], package_type: str) -> OrderedDict[str, Any]:
        if package_type != roles.SHOWCASE_TYPE:
            return facets_dict
        return OrderedDict([("category", tk._("Category")), ("tags", tk._("Tags"))])

    # IPackageController
    def after_dataset_show(self, context: Any, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        if pkg_dict.get("type") == roles.SHOWCASE_TYPE:
            # Read-only: the contest tables decide, whatever a client sends back in an update.
            pkg_dict["contest_entry"] = dictization.entry_summary(pkg_dict["id"])
        return pkg_dict

    def after_dataset_search(self, search_results: dict[str, Any], search_params: dict[str, Any]) -> dict[str, Any]:
        facet = search_results.get("search_facets", {}).get("category")
        for item in (facet or {}).get("items", []):
            item["display_name"] = helpers.govdata_showcase_category_label(item["name"])
        return search_results

    # IPermissionLabels
    def get_dataset_labels(self, dataset_obj: model.Package) -> list[str]:
        if roles.is_showcase(dataset_obj):
            return roles.dataset_labels(dataset_obj)
        return self._default_labels.get_dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj: model.User) -> list[str]:
        return self._default_labels.get_user_dataset_labels(user_obj) + roles.user_labels(user_obj)
