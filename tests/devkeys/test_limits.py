"""Quotas of the data APIs with real Redis: the Lua limiter under 50 concurrent processes, the
headers on every answer, 429 with Retry-After, per-address limits for anonymous callers, and
the Redis-down choice (open for unconditional APIs, 503 for conditional ones, never a 500)."""
from __future__ import annotations

import subprocess
import sys

import pytest
import redis
from ckan.tests.helpers import call_action

from ckanext.govdata import rate_limits
from ckanext.govdata.rate_limits import Quota
from tests import factories
from tests.dataapi.test_endpoint import served_api
from tests.devkeys.test_keys import as_user, call, create_app

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

CLOSED_PORT = "redis://127.0.0.1:1/0"


# One client: its own interpreter and Redis connection, spending a 20-a-day quota ``calls`` times.
# Separate processes, not a fork of this one: a fork of the threaded test process (live servers,
# SQLAlchemy pools) can leave a pool worker deadlocked on a lock held at fork time.
SPENDER = (
    "import sys, redis\n"
    "from ckanext.govdata import rate_limits\n"
    "connection = redis.Redis.from_url(sys.argv[1])\n"
    "quota = rate_limits.Quota(0, 20)\n"
    "print(sum(rate_limits.spend(connection, quota, sys.argv[2]).allowed for _ in range(int(sys.argv[3]))))\n"
)


def test_fifty_processes_never_get_more_than_the_daily_quota(ckan_config):
    url = ckan_config["ckan.redis.url"]
    redis.Redis.from_url(url).delete(*[f"{rate_limits.KEY_PREFIX}quota:{kind}:race" for kind in "sd"])
    clients = [subprocess.Popen([sys.executable, "-c", SPENDER, url, "race", "3"], stdout=subprocess.PIPE, text=True)
               for _ in range(50)]
    accepted = sum(int(client.communicate(timeout=300)[0]) for client in clients)
    assert accepted == 20


def test_the_per_second_bucket_refuses_a_burst_past_its_rate(ckan_config):
    connection = redis.Redis.from_url(ckan_config["ckan.redis.url"])
    decisions = [rate_limits.spend(connection, Quota(5, 0), "burst") for _ in range(8)]
    assert [d.allowed for d in decisions] == [True] * 5 + [False] * 3
    assert decisions[-1].retry_after >= 1 and decisions[-1].headers()["Retry-After"] == "1"


@pytest.mark.ckan_config("ckanext.govdata.dataapi.keys.plans", "default=100/3")
def test_headers_on_every_answer_and_429_past_the_quota(app):
    developer = factories.user()
    name = served_api()["api"]["name"]
    issued = create_app(developer, scope=[name])

    answers = [call(app, name, issued["key"], issued["secret"]) for _ in range(3)]
    assert [a.headers["X-RateLimit-Remaining"] for a in answers] == ["2", "1", "0"]
    assert all(a.headers["X-RateLimit-Limit"] == "3" and int(a.headers["X-RateLimit-Reset"]) > 0 for a in answers)

    refused = call(app, name, issued["key"], issued["secret"], 429)
    assert refused.json["error"]["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) == int(refused.headers["X-RateLimit-Reset"]) > 0
    # A rotated secret keeps the key's count; another key has its own.
    rotated = call_action("govdata_app_rotate", as_user(developer), id=issued["id"])
    call(app, name, rotated["key"], rotated["secret"], 429)
    other = create_app(developer, scope=[name])
    call(app, name, other["key"], other["secret"], 200)


@pytest.mark.ckan_config("ckanext.govdata.dataapi.keys.plans", "default=100/100")
@pytest.mark.ckan_config("ckanext.govdata.dataapi.keys.api_limits", "capped-api=100/1")
def test_a_per_api_cap_is_below_every_plan(app):
    developer = factories.user()
    capped = served_api(name="capped-api")["api"]["name"]
    issued = create_app(developer, scope=[capped])
    call(app, capped, issued["key"], issued["secret"], 200)
    call(app, capped, issued["key"], issued["secret"], 429)


@pytest.mark.ckan_config("ckanext.govdata.dataapi.keys.anonymous_quota", "100/2")
def test_anonymous_callers_are_limited_per_client_address(app):
    name = served_api()["api"]["name"]
    here = {"REMOTE_ADDR": "127.0.0.5"}
    for _ in range(2):
        app.get(f"/api/data/{name}", environ_overrides=here, status=200)
    app.get(f"/api/data/{name}", environ_overrides=here, status=429)
    app.get(f"/api/data/{name}", environ_overrides={"REMOTE_ADDR": "127.0.0.6"}, status=200)


@pytest.mark.ckan_config("ckanext.govdata.dataapi.keys.redis_url", CLOSED_PORT)
@pytest.mark.ckan_config("ckanext.govdata.dataapi.keys.plans", "default=1/1")
def test_redis_down_fails_open_for_unconditional_and_closed_for_conditional(app):
    open_api = served_api()["api"]["name"]
    conditional = served_api("conditional")
    grantee = factories.user()
    factories.grant(grantee["id"], conditional["dataset"]["id"])
    issued = create_app(grantee, scope=[open_api, conditional["api"]["name"]])

    for _ in range(3):
        answered = call(app, open_api, issued["key"], issued["secret"], 200)
        assert "X-RateLimit-Limit" not in answered.headers
    refused = call(app, conditional["api"]["name"], issued["key"], issued["secret"], 503)
    assert refused.json["error"]["code"] == "limits_unavailable" and refused.headers["Retry-After"] == "30"


def test_redis_down_reads_a_held_key_from_the_database(app, monkeypatch):
    # The worker's entry cannot be checked without Redis: the row is read, a revocation counts.
    from ckan.plugins import toolkit as tk

    name = served_api()["api"]["name"]
    developer = factories.user()
    issued = create_app(developer, scope=[name])
    call(app, name, issued["key"], issued["secret"], 200)
    monkeypatch.setitem(tk.config, "ckanext.govdata.dataapi.keys.redis_url", CLOSED_PORT)

    call_action("govdata_app_revoke", as_user(developer), id=issued["id"])

    assert call(app, name, issued["key"], issued["secret"], 401).json["error"]["code"] == "app_key_revoked"


def test_the_quota_survives_a_new_connection(ckan_config):
    # State lives only in Redis: a restarted worker (a new connection pool) sees the same count.
    url = ckan_config["ckan.redis.url"]
    first = rate_limits.spend(redis.Redis.from_url(url), Quota(0, 2), "restart")
    second = rate_limits.spend(redis.Redis(connection_pool=redis.ConnectionPool.from_url(url)), Quota(0, 2), "restart")
    third = rate_limits.spend(redis.Redis.from_url(url), Quota(0, 2), "restart")
    assert (first.allowed, second.allowed, third.allowed) == (True, True, False)
    assert third.headers()["Retry-After"] == str(third.reset)


