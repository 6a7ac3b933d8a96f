"""Rate limits on the forms that anonymous or new users reach: so many per key in a time window.

Counted in Redis (CKAN's ``ckan.redis.url``) as fixed windows: one counter per bucket, key and
window, which expires with its window, so every web worker shares the count and nothing needs
cleaning up. A form asks ``exceeded`` for each key it limits (the user, the network address)
and refuses the submission when any is over its limit.
"""
from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Sequence
from typing import Any

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


# --- Quotas of the data APIs: per second and per day, in one atomic Lua script ---------------
#
# Per second is a token bucket (``per_second`` tokens a second, as many in a burst); per day is a
# counter of the local (Asia/Shanghai) day, which ends at local midnight. A call is accepted only
# when both allow it, and only an accepted call spends from both: the script runs atomically in
# Redis, with Redis's own clock (``TIME``), so any number of web workers, and a worker restarted,
# share one count and no client clock matters. A limit of 0 means no limit of that kind.
#
# Optionally the script first reads "stamp" keys (KEYS[3]…, a counter each that writers bump
# when what a caller's identity rests on changes) and spends nothing when they no longer read
# as the caller expects (ARGV[4]): a cached identity is checked in the same round trip that
# spends its quota. The stamp starts with Redis's epoch, made on first use, so a Redis that
# lost its keys (a restart without persistence) never reads as an older stamp again.

STAMP_LUA = """
local function read_stamp(first)
  local stamp = ''
  for i = first, #KEYS do
    local value = redis.call('GET', KEYS[i])
    if not value and i == first then
      local t = redis.call('TIME')
      redis.call('SET', KEYS[i], t[1] .. '.' .. t[2], 'NX')
      value = redis.call('GET', KEYS[i])
    end
    stamp = stamp .. (value or '0') .. ';'
  end
  return stamp
end
"""

STAMP_SCRIPT = STAMP_LUA + "return read_stamp(1)"

QUOTA_SCRIPT = STAMP_LUA + """
local stamp = ''
if #KEYS > 2 then
  stamp = read_stamp(3)
  if stamp ~= ARGV[4] then
    return {-1, 0, 0, 0, 0, stamp}
  end
end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local rate = tonumber(ARGV[1])
local day_limit = tonumber(ARGV[2])
local local_now = now + tonumber(ARGV[3])
local day = math.floor(local_now / 86400)
local day_key = KEYS[2] .. ':' .. day
local day_reset = math.ceil((day + 1) * 86400 - local_now)
local used = tonumber(redis.call('GET', day_key) or '0')
local tokens = rate
if rate > 0 then
  local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
  if bucket[1] then
    tokens = math.min(rate, tonumber(bucket[1]) + math.max(0, now - tonumber(bucket[2])) * rate)
  end
end
local allowed = 1
local retry = 0
if day_limit > 0 and used >= day_limit then
  allowed = 0
  retry = day_reset
elseif rate > 0 and tokens < 1 then
  allowed = 0
  retry = math.ceil((1 - tokens) / rate)
end
if allowed == 1 then
  used = redis.call('INCR', day_key)
  redis.call('EXPIRE', day_key, day_reset + 60)
  tokens = tokens - 1
end
if rate > 0 then
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
  redis.call('EXPIRE', KEYS[1], 2)
end
return {allowed, used, day_reset, retry, math.floor(tokens), stamp}
"""

LOCAL_OFFSET_SECONDS = 8 * 3600


@dataclasses.dataclass(frozen=True)
class Quota:
    """At most ``per_second`` calls a second (a burst of as many) and ``per_day`` a local day."""

    per_second: int
    per_day: int


@dataclasses.dataclass(frozen=True)
class Decision:
    allowed: bool
    # The binding limit for the headers: the day's quota (else the per-second rate).
    limit: int
    remaining: int
    # Seconds until the day's count starts again.
    reset: int
    # Seconds to wait before the next call can be accepted (0 when accepted).
    retry_after: int
    # The stamps read (``spend``'s ``stamps``) did not read as expected: nothing was spent.
    stale: bool = False

    def headers(self) -> dict[str, str]:
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }
        if not self.allowed:
            headers["Retry-After"] = str(max(1, self.retry_after))
        return headers


def stamp_key(name: str) -> str:
    return f"{KEY_PREFIX}stamp:{name}"


EPOCH = "epoch"


def read_stamp(redis: Any, names: Sequence[str]) -> str:
    """Redis's epoch and the stamps ``names``, as ``spend`` compares them (0 if never bumped)."""
    script = redis.register_script(STAMP_SCRIPT)
    return script(keys=[stamp_key(EPOCH), *(stamp_key(name) for name in names)]).decode()


def bump_stamps(redis: Any, names: Iterable[str]) -> None:
    """Change the stamps ``names``: every cached identity resting on them is checked again."""
    pipeline = redis.pipeline(transaction=False)
    for name in names:
        pipeline.incr(stamp_key(name))
    pipeline.execute()


def spend(redis: Any, quota: Quota, key: str, stamps: Sequence[str] = (), expected: str = "") -> Decision:
    """Spend one call of ``quota`` for ``key`` if both its limits allow it (one Lua call); with
    ``stamps``, only if they (after Redis's epoch) still read ``expected`` as ``read_stamp`` gave
    it (else a ``stale`` decision, nothing spent).

    Raises redis's errors when Redis cannot be reached: the caller decides what that means.
    """
    script = redis.register_script(QUOTA_SCRIPT)
    allowed, used, reset, retry, tokens, _stamp = script(
        keys=[f"{KEY_PREFIX}quota:s:{key}", f"{KEY_PREFIX}quota:d:{key}",
              *((stamp_key(EPOCH), *(stamp_key(name) for name in stamps)) if stamps else ())],
        args=[quota.per_second, quota.per_day, LOCAL_OFFSET_SECONDS, expected],
    )
    if int(allowed) < 0:
        return Decision(False, 0, 0, 0, 0, stale=True)
    if quota.per_day > 0:
        limit, remaining = quota.per_day, max(0, quota.per_day - int(used))
    else:
        limit, remaining = quota.per_second, max(0, int(tokens))
    return Decision(bool(allowed), limit, remaining, int(reset), int(retry))
