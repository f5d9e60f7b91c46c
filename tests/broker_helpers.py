"""A Redis broker of a test's own on a shared Redis: every key the worker and the test use carries a
prefix unique to the test (kombu's `global_keyprefix`), in the database REDIS_URL names.

Why: the killed-worker tests once used a fixed Redis database (11) and emptied it (FLUSHDB) when they
started. Two runs on one Redis — a developer's and CI's, or two branches' — then took each other's
messages: the second run's FLUSHDB removed the first run's `run_import` from the `unacked` hash, or the
other run's worker consumed it (an import of the same id in another test database), and the first run
waited 90 seconds for a redelivery that had happened elsewhere. With a prefix, nothing of another run
is read, emptied or consumed.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass

from tests.conftest import require
from tests.test_celery_integration import _redis_reachable

# The settings module of the test workers reads this (tests/worker_settings.py).
PREFIX_VARIABLE = "TEST_BROKER_KEY_PREFIX"


@dataclass(frozen=True)
class IsolatedBroker:
    url: str
    prefix: str

    @classmethod
    def create(cls, what: str) -> IsolatedBroker:
        url = os.environ.get("REDIS_URL", "")
        require(bool(url), f"REDIS_URL is not set: {what} needs Redis")
        require(_redis_reachable(url), f"Redis at {url} does not answer")
        return cls(url=url, prefix=f"tobira-test-{uuid.uuid4().hex[:12]}:")

    def env(self) -> dict[str, str]:
        """The worker's environment: this Redis and this prefix."""
        return {"REDIS_URL": self.url, PREFIX_VARIABLE: self.prefix}

    def _client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_connect_timeout=2)

    def send_task(self, name: str, *args) -> None:
        """Send a task to the worker from this (eager) process."""
        from celery import Celery

        app = Celery(
            broker=self.url,
            set_as_current=False,
            broker_transport_options={"global_keyprefix": self.prefix},
        )
        try:
            app.send_task(name, args=list(args))
        finally:
            app.close()

    def state(self) -> str:
        """The default queue and the unacknowledged messages (task names), for a failure's message."""
        client = self._client()
        try:
            queue = [
                json.loads(message)["headers"]["task"]
                for message in client.lrange(self.prefix + "celery", 0, -1)
            ]
            unacked = sorted(
                json.loads(value)[0]["headers"]["task"]
                for value in client.hgetall(self.prefix + "unacked").values()
            )
            return f"broker: queue {queue}, unacknowledged {unacked}"
        finally:
            client.close()

    def clear(self) -> None:
        """Remove this test's keys (and only those)."""
        client = self._client()
        try:
            keys = list(client.scan_iter(match=self.prefix + "*", count=500))
            if keys:
                client.delete(*keys)
        finally:
            client.close()
