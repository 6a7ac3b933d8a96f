"""govdata_access: conditional opening (依申请开放), requests, grants and their enforcement."""
from __future__ import annotations

import ckan.plugins as p


class GovdataAccessPlugin(p.SingletonPlugin):
    pass
