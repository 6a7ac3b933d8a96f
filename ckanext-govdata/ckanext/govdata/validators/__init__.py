"""The package's one validator module.

- ``rules``: the checks themselves (dates, whole numbers, choices, formats, GB code checks);
- ``fields``: validators for action schemas, built per schema from its field labels;
- ``scheming``: the ``govdata_*`` validators the scheming YAML schemas name.

Every refusal names its field in Chinese and English.
"""
from __future__ import annotations

from ckanext.govdata.validators.fields import Fields, stripped
from ckanext.govdata.validators.scheming import all_validators

__all__ = ["Fields", "all_validators", "stripped"]
