"""WSGI entry point for gunicorn: builds the CKAN app from $CKAN_INI.

CKAN listens on 127.0.0.1 behind the host's TLS-terminating proxy (compose.yaml), so the client's
address is the one that proxy puts last in X-Forwarded-For: ProxyFix makes it the request's
remote address, which the per-address rate limits (ckanext/govdata/rate_limits.py) count.
"""
from __future__ import annotations

import os

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app
from werkzeug.middleware.proxy_fix import ProxyFix

application = ProxyFix(make_app(CKANConfigLoader(os.environ["CKAN_INI"]).get_config()), x_for=1)
