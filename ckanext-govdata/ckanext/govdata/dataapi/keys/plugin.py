"""govdata_devkeys: developer applications and their keys (我的应用), the quotas of the data APIs
(Redis, one Lua script) and the call ledger, around govdata_dataapi's ``/api/data/<name>``."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.govdata.dataapi.keys import identities, logic, views


@tk.blanket.config_declarations
@tk.blanket.actions(logic.all_actions)
@tk.blanket.auth_functions(logic.all_auth_functions)
class GovdataDevkeysPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IBlueprint)

    # IConfigurer
    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        identities.install_listeners()

    # IBlueprint
    def get_blueprint(self) -> list[Any]:
        return [views.devkeys]
