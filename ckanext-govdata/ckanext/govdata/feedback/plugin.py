"""govdata_feedback: feedback on published data. Error reports (纠错) that the department fixes
or rejects within working days, and ratings (好差评) whose bad ones become rectification items."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.govdata.feedback import helpers, logic, views


@tk.blanket.config_declarations
@tk.blanket.actions(logic.all_actions)
@tk.blanket.auth_functions(logic.all_auth_functions)
@tk.blanket.helpers(helpers.all_helpers)
class GovdataFeedbackPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IBlueprint)

    # IConfigurer
    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")

    # IBlueprint
    def get_blueprint(self) -> list[Any]:
        return [views.feedback]
