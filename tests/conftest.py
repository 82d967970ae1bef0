"""Personas (alice the editor, bob the reviewer, charlie with no role), factories, a real Celery worker."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from tests.factories import PASSWORD, ArticleFactory, ClaimFactory, ExtractionFactory, UserFactory
from verification import roles
from verification.models import Article, Claim

ROOT = Path(__file__).resolve().parent.parent


# The cache as a Redis that is down would leave it: nothing listens on port 1.
UNREACHABLE_CACHE = {
    "default": {
        "BACKEND": "newsroom.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


@pytest.fixture
def alice(db: None) -> User:
    """An editor."""
    return UserFactory.create(username="alice", role=roles.EDITOR)


@pytest.fixture
def bob(db: None) -> User:
    """A reviewer."""
    return UserFactory.create(username="bob", role=roles.REVIEWER)


@pytest.fixture
def charlie(db: None) -> User:
    """Logged in, but with no role: sees nothing."""
    return UserFactory.create(username="charlie")


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(alice: User) -> Client:
    return _client_for(alice)


@pytest.fixture
def reviewer_client(bob: User) -> Client:
    return _client_for(bob)


@pytest.fixture
def outsider_client(charlie: User) -> Client:
    return _client_for(charlie)


@pytest.fixture
def extracted_claim(alice: User) -> Claim:
    """A claim of a finished extraction, in an article alice submitted."""
    article = ArticleFactory.create(submitted_by=alice)
    ExtractionFactory.create(article=article)
    return ClaimFactory.create(article=article)


@pytest.fixture
def make_article(alice: User) -> Callable[..., Article]:
    def make(**kwargs: object) -> Article:
        kwargs.setdefault("submitted_by", alice)
        return ArticleFactory.create(**kwargs)

    return make


def database_url_for_subprocess() -> str:
    """The test database (not the configured one) as a URL, for a worker in another process."""
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    user = s["USER"] or "postgres"
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{user}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Workers:
    """Start real Celery workers (prefork, production settings) on the real broker, sharing the
    test database; each in its own process group, so a test can kill a whole worker."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(
        self, *, app: str = "newsroom", concurrency: int = 1, env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        name = f"test{len(self.procs)}-{os.getpid()}@%h"
        return self._spawn(["-A", app, "worker", "-l", "INFO", "--concurrency", str(concurrency),
                            "--without-gossip", "--without-mingle", "-n", name], env)  # fmt: skip

    def start_beat(self, *, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        """Celery beat, as docker-compose runs it, with its schedule file under var/."""
        schedule = ROOT / "var" / f"test-beat-{os.getpid()}-schedule"
        for stale in ROOT.joinpath("var").glob(schedule.name + "*"):
            stale.unlink()
        return self._spawn(["-A", "newsroom", "beat", "-l", "INFO", "-s", str(schedule)], env)

    def _spawn(self, celery_args: list[str], env: dict[str, str] | None) -> subprocess.Popen[bytes]:
        full_env = {**os.environ, "DATABASE_URL": database_url_for_subprocess(), "REDIS_URL": settings.REDIS_URL}
        full_env.update(env or {})  # a test may give the process another broker
        with self.log_path(len(self.procs)).open("ab") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "celery", *celery_args],
                cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        self.procs.append(proc)
        return proc

    @staticmethod
    def log_path(n: int) -> Path:
        return ROOT / "var" / f"test-worker-{n}.log"

    def full_log(self, n: int = 0) -> str:
        return self.log_path(n).read_text(errors="replace")

    def logs(self) -> str:
        return "\n".join(self.full_log(n)[-3000:] for n in range(len(self.procs)))

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait(timeout=10)


def purge_queue() -> None:
    from newsroom.celery import app

    with app.connection_for_write() as conn:
        channel: Any = conn.default_channel
        for queue in app.amqp.queues:
            channel.queue_purge(queue)
        # And what workers of an earlier, interrupted run held: it would count as waiting work.
        channel.client.delete(channel.unacked_key, channel.unacked_index_key)


@pytest.fixture
def workers(transactional_db: None) -> Iterator[Workers]:
    purge_queue()
    for n in range(8):
        Workers.log_path(n).unlink(missing_ok=True)
    started = Workers()
    try:
        yield started
    finally:
        started.stop_all()


@pytest.fixture
def celery_worker_process(workers: Workers) -> subprocess.Popen[bytes]:
    """One real worker, as production runs it."""
    return workers.start()


def at_once(*calls: Callable[[], object], timeout: float = 60.0) -> None:
    """Run the calls in threads released together by a barrier, as people clicking at the same
    moment would, each on a database connection of its own (closed after it)."""
    barrier = threading.Barrier(len(calls), timeout=timeout)

    def run(call: Callable[[], object]) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            call()
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)


def wait_for(predicate: Callable[[], bool], timeout: float = 90.0, interval: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def login(client: Client, username: str) -> None:
    assert client.login(username=username, password=PASSWORD)
