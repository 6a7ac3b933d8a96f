"""govdata_stats: published counts, download and API-call tracking, monitoring."""
from __future__ import annotations

import ckan.plugins as p


class GovdataStatsPlugin(p.SingletonPlugin):
    pass
