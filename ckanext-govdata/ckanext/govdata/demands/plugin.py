"""govdata_demands: data demands (数据需求) from the public, routed by the bureau, confirmed and
provided by departments within working-day limits, with the ledger (供需台账)."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.govdata.demands import cli, helpers, logic, views


@tk.blanket.config_declarations
@tk.blanket.actions(logic.all_actions)
@tk.blanket.auth_functions(logic.all_auth_functions)
@tk.blanket.helpers(helpers.all_helpers)
class GovdataDemandsPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IBlueprint)
    p.implements(p.IClick)

    # IConfigurer
    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")

    # IBlueprint
    def get_blueprint(self) -> list[Any]:
        return [views.demands]

    # IClick
    def get_commands(self) -> list[Any]:
        return [cli.govdata_demands]
