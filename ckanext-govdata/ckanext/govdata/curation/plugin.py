"""govdata_curation: keeping the open directory (开放目录): spreadsheet import and export, and
review before publishing."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.govdata.curation import helpers, logic, validators, views


@tk.blanket.config_declarations
@tk.blanket.actions(logic.all_actions)
@tk.blanket.auth_functions(logic.all_auth_functions)
@tk.blanket.validators(validators.all_validators)
@tk.blanket.helpers(helpers.all_helpers)
class GovdataCurationPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IBlueprint)

    # IConfigurer
    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "govdata_curation")

    # IBlueprint
    def get_blueprint(self) -> list[Any]:
        return [views.curation]
