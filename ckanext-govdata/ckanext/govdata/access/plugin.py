"""govdata_access: conditional opening (依申请开放), requests, grants and their enforcement."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.govdata import open_condition
from ckanext.govdata.access import cli, helpers, logic, views
from ckanext.govdata.access.logic import resource_ids


@tk.blanket.config_declarations
@tk.blanket.actions(logic.all_actions)
@tk.blanket.auth_functions(logic.all_auth_functions)
class GovdataAccessPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IBlueprint)
    p.implements(p.IClick)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IPackageController, inherit=True)

    # IConfigurer
    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        resource_ids.install_flush_guard()

    # IBlueprint
    def get_blueprint(self) -> list[Any]:
        return [views.access]

    # IClick
    def get_commands(self) -> list[Any]:
        return [cli.govdata_access]

    # ITemplateHelpers
    def get_helpers(self) -> dict[str, Any]:
        return helpers.all_helpers()

    # IPackageController
    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return open_condition.index_without_locations(pkg_dict)
