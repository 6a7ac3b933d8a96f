"""Rate limits on the forms that anonymous or new users reach: so many per key in a time window.

Counted in Redis (CKAN's ``ckan.redis.url``) as fixed windows: one counter per bucket, key and
window, which expires with its window, so every web worker shares the count and nothing needs
cleaning up. A form asks ``exceeded`` for each key it limits (the user, the network address)
and refuses the submission when any is over its limit.
"""
from __future__ import annotations

import dataclasses
import time

from ckan.lib.redis import connect_to_redis

KEY_PREFIX = "govdata:rate:"


@dataclasses.dataclass(frozen=True)
class Limit:
    """At most ``count`` hits per ``window`` seconds for each key of ``bucket``."""

    bucket: str
    count: int
    window: int


def _counter(limit: Limit, key: str, now: float) -> str:
    return f"{KEY_PREFIX}{limit.bucket}:{key}:{int(now // limit.window)}"


def hit(limit: Limit, key: str) -> int:
    """Count one hit for ``key``; the number of hits in the current window, this one included."""
    now = time.time()
    counter = _counter(limit, key, now)
    pipeline = connect_to_redis().pipeline()
    pipeline.incr(counter)
    pipeline.expire(counter, limit.window + 1)
    count, _ = pipeline.execute()
    return int(count)


def exceeded(limit: Limit, key: str) -> bool:
    """Whether ``key`` has used up its hits for the current window (without counting one)."""
    value = connect_to_redis().get(_counter(limit, key, time.time()))
    return value is not None and int(value) >= limit.count


def retry_after(limit: Limit) -> int:
    """Seconds until the current window ends."""
    return limit.window - int(time.time() % limit.window)
