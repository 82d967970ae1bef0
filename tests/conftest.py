"""Personas (alice the editor, bob the reviewer, charlie with no role), factories, a real Celery worker."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from tests.factories import PASSWORD, ArticleFactory, ClaimFactory, ExtractionFactory, UserFactory
from verification import roles
from verification.models import Article, Claim

ROOT = Path(__file__).resolve().parent.parent


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


@pytest.fixture
def celery_worker_process(transactional_db: None) -> Iterator[subprocess.Popen[bytes]]:
    """A real Celery worker (prefork pool, the production settings) on the real Redis broker,
    sharing the test database. The queue is emptied first so no earlier run's message leaks in."""
    from newsroom.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")  # type: ignore[attr-defined]
    env = dict(os.environ, DATABASE_URL=database_url_for_subprocess(), REDIS_URL=settings.REDIS_URL)
    log = open(ROOT / "var" / "test-worker.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "newsroom",
            "worker",
            "-l",
            "INFO",
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_for(predicate: Callable[[], bool], timeout: float = 90.0, interval: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def login(client: Client, username: str) -> None:
    assert client.login(username=username, password=PASSWORD)
