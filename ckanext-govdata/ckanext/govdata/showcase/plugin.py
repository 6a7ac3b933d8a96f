"""govdata_showcase: moderated showcases (应用成果), open scenarios and data contests."""
from __future__ import annotations

import ckan.plugins as p


class GovdataShowcasePlugin(p.SingletonPlugin):
    pass
