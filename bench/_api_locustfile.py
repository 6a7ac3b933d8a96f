"""The locust users of bench/api.py: one GET per task on BENCH_PATH with BENCH_HEADERS (JSON),
or a datastore_search POST when BENCH_BODY is set. Each user stops after BENCH_CALLS calls."""
from __future__ import annotations

import json
import os

from locust import HttpUser, constant, task
from locust.exception import StopUser

PATH = os.environ["BENCH_PATH"]
HEADERS = json.loads(os.environ.get("BENCH_HEADERS") or "{}")
BODY = json.loads(os.environ["BENCH_BODY"]) if os.environ.get("BENCH_BODY") else None
CALLS = int(os.environ.get("BENCH_CALLS", "200"))


class Caller(HttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.calls = 0

    @task
    def call(self) -> None:
        if self.calls >= CALLS:
            raise StopUser()
        self.calls += 1
        if BODY is not None:
            self.client.post(PATH, json=BODY, headers=HEADERS, name="call")
        else:
            # 429 is an expected answer in the rate-limit run: counted, not a failure.
            with self.client.get(PATH, headers=HEADERS, name="call", catch_response=True) as response:
                if response.status_code in (200, 429):
                    response.success()
