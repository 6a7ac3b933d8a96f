"""Which quota applies to a data API call, and spending it in Redis (``rate_limits.spend``).

Quotas come from the configuration: plans (``ckanext.govdata.dataapi.keys.plans``), per-API caps
(``…api_limits``) and the per-address quota of anonymous callers (``…anonymous_quota``).
Counting is per caller and per API: a key, a signed-in user, or a client address.
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Sequence

import ckan.plugins.toolkit as tk
import redis

from ckanext.govdata.rate_limits import Decision, Quota, spend

log = logging.getLogger(__name__)

DEFAULT_PLAN = "default"


def parse_quota(text: str) -> Quota:
    per_second, per_day = text.strip().split("/")
    return Quota(int(per_second), int(per_day))


def _parse_table(text: str) -> dict[str, Quota]:
    table = {}
    for item in (text or "").split():
        name, _, quota = item.partition("=")
        table[name] = parse_quota(quota)
    return table


def plans() -> dict[str, Quota]:
    return _parse_table(tk.config.get("ckanext.govdata.dataapi.keys.plans"))


def _capped(quota: Quota, cap: Quota | None) -> Quota:
    if cap is None:
        return quota

    def smaller(a: int, b: int) -> int:
        return b if a == 0 else a if b == 0 else min(a, b)

    return Quota(smaller(quota.per_second, cap.per_second), smaller(quota.per_day, cap.per_day))


def quota_for(plan: str | None, api: str) -> Quota:
    """The plan's quota (``default`` for callers without one), capped by the API's."""
    table = plans()
    base = table.get(plan or DEFAULT_PLAN) or table.get(DEFAULT_PLAN) or Quota(0, 0)
    return _capped(base, _parse_table(tk.config.get("ckanext.govdata.dataapi.keys.api_limits")).get(api))


def anonymous_quota(api: str) -> Quota:
    base = parse_quota(tk.config.get("ckanext.govdata.dataapi.keys.anonymous_quota"))
    return _capped(base, _parse_table(tk.config.get("ckanext.govdata.dataapi.keys.api_limits")).get(api))


@functools.lru_cache(maxsize=4)
def _client(url: str) -> redis.Redis:
    # One client per worker (building one costs more than the call it makes). Short timeouts: a
    # Redis that is down costs a call a fraction of a second, never a hang.
    return redis.Redis(connection_pool=redis.ConnectionPool.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5))


def connection() -> redis.Redis:
    return _client(tk.config.get("ckanext.govdata.dataapi.keys.redis_url") or tk.config.get("ckan.redis.url"))


def check(quota: Quota, key: str, stamps: Sequence[str] = (), expected: str = "") -> Decision | None:
    """Spend one call for ``key`` (if ``stamps`` still read ``expected``, see ``rate_limits.spend``);
    None when Redis cannot be reached (the caller decides)."""
    try:
        return spend(connection(), quota, key, stamps, expected)
    except redis.RedisError as error:
        log.warning("Data API limits unavailable (Redis): %s", error)
        return None
