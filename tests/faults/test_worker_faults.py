"""Nothing lost: workers killed mid-extraction, a poison article, Redis lost or flushed, a dropped
database connection, the same article twice at once. Real PostgreSQL (in CI), Redis and workers."""

from __future__ import annotations

import functools
import os
import re
import signal
import time
from datetime import datetime, timedelta
from typing import Any, cast

import psutil
import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.conftest import ROOT, UNREACHABLE_CACHE, Workers, at_once, purge_queue, wait_for
from tests.faults.poison_worker import POISON
from verification import services
from verification.models import Article, Claim, Extraction, ExtractionState, Flag, flag_codes_of
from verification.tasks import requeue_stuck_extractions

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SAMPLE = (ROOT / "demo" / "nato-baltic-2014.txt").read_text(encoding="utf-8")
# Recover from a dead worker in seconds (production keeps the visibility timeout far above the
# task time limit, see settings).
FAST_RESTORE = {
    "CELERY_VISIBILITY_TIMEOUT": "4",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
    "CELERY_UNACKED_RESTORE_THROTTLE": "1",
}


def long_article(marker: str, paragraphs: int = 25) -> str:
    """Long enough that the engine is still at work when the test strikes."""
    return "\n".join(f"{marker} {i}. " + SAMPLE.replace("\n", f" ({marker}-{i})\n") for i in range(paragraphs))


def submit(user: User, body: str, title: str = "Article") -> Article:
    article, created = services.article_submit(user=user, title=title, outlet="Wire", body=body)
    assert created
    return article


def extraction(article: Article) -> Extraction:
    found = Extraction.objects.filter(article=article).order_by("-id").first()
    assert found is not None
    return found


def state(article: Article) -> str:
    return extraction(article).state


def pool_children(worker_pid: int) -> list[psutil.Process]:
    return psutil.Process(worker_pid).children(recursive=True)


def assert_one_set_of_claims(article: Article) -> None:
    claims = list(Claim.objects.filter(article=article).values_list("start", "text"))
    assert claims, "no claims stored"
    assert len(claims) == len(set(claims)), "a claim was stored twice"
    indexes = list(Claim.objects.filter(article=article).values_list("index", flat=True))
    assert sorted(indexes) == list(range(len(indexes)))


def test_pool_child_killed_mid_extraction(workers: Workers, alice: User) -> None:
    worker = workers.start(env=FAST_RESTORE)
    article = submit(alice, long_article("child"))
    assert wait_for(lambda: state(article) == ExtractionState.EXTRACTING, timeout=120), workers.logs()
    children = pool_children(worker.pid)
    assert children
    for child in children:
        child.send_signal(signal.SIGKILL)
    assert wait_for(lambda: state(article) == ExtractionState.DONE, timeout=240), workers.logs()
    assert extraction(article).attempts == 2
    assert_one_set_of_claims(article)


def test_whole_worker_killed_mid_extraction(workers: Workers, alice: User) -> None:
    first = workers.start(env=FAST_RESTORE)
    article = submit(alice, long_article("whole"))
    assert wait_for(lambda: state(article) == ExtractionState.EXTRACTING, timeout=120), workers.logs()
    os.killpg(first.pid, signal.SIGKILL)  # the main process and its pool, with no chance to hand back
    first.wait(timeout=10)
    assert state(article) == ExtractionState.EXTRACTING
    workers.start(env=FAST_RESTORE)  # a worker comes back: the unacknowledged message is restored to it
    assert wait_for(lambda: state(article) == ExtractionState.DONE, timeout=240), workers.logs()
    assert extraction(article).attempts == 2
    assert_one_set_of_claims(article)


def test_poison_article_fails_readably_and_does_not_block_the_queue(workers: Workers, alice: User) -> None:
    workers.start(app="tests.faults.poison_worker", env=FAST_RESTORE)
    poison = submit(alice, SAMPLE + f"\n{POISON}", title="Poison")
    healthy = submit(alice, SAMPLE.replace("NATO", "the alliance"), title="Healthy")
    assert wait_for(lambda: state(healthy) == ExtractionState.DONE, timeout=240), workers.logs()
    assert wait_for(lambda: state(poison) == ExtractionState.FAILED, timeout=240), workers.logs()
    run = extraction(poison)
    assert run.attempts == services.MAX_ATTEMPTS + 1
    assert "failed on this article" in run.error
    assert not Claim.objects.filter(article=poison).exists()
    # Submitted after it, the healthy article did not wait for the poison's attempts to run out.
    healthy_done, poison_failed = extraction(healthy).finished_at, run.finished_at
    assert healthy_done is not None and poison_failed is not None and healthy_done < poison_failed


def test_redis_down_when_an_editor_submits_then_the_sweep_recovers(workers: Workers, alice: User) -> None:
    client = Client()
    client.force_login(alice)
    # Nothing listens there: Redis is down, as the broker and as the cache (the rate limit, the
    # search's outlets, the overview's figures) alike.
    real_broker = use_broker("redis://127.0.0.1:1/0")
    try:
        with override_settings(CACHES=UNREACHABLE_CACHE):
            started = time.monotonic()
            response = client.post(reverse("article_create"), {"title": "While Redis is down", "outlet": "Wire",
                                                               "body": SAMPLE})  # fmt: skip
            elapsed = time.monotonic() - started
            listing = client.get(reverse("article_list")).content.decode()
    finally:
        use_broker(real_broker)
    assert response.status_code == 302
    assert elapsed < 15, f"the editor waited {elapsed:.1f}s"
    assert "While Redis is down" in listing
    article = Article.objects.get(title="While Redis is down")
    assert state(article) == ExtractionState.QUEUED  # saved, and shown as waiting
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Queued" in page
    # Redis is back: a worker starting up sends what waited (the periodic sweep does the same).
    workers.start()
    assert wait_for(lambda: state(article) == ExtractionState.DONE, timeout=180), workers.logs()
    assert_one_set_of_claims(article)


def test_redis_flushed_then_the_sweep_requeues(workers: Workers, alice: User) -> None:
    article = submit(alice, SAMPLE)  # queued on commit, no worker yet
    redis.Redis.from_url(settings.REDIS_URL).flushdb()  # the message is gone
    Extraction.objects.filter(article=article).update(created_at=time_ago(600))
    # The periodic task, as a worker runs it for beat: it reads what Redis holds (nothing now).
    assert requeue_stuck_extractions.apply().get() == 1
    workers.start()
    assert wait_for(lambda: state(article) == ExtractionState.DONE, timeout=180), workers.logs()
    assert_one_set_of_claims(article)


def use_broker(url: str) -> str:
    """Point this process's Celery app at another broker; returns the one it had.

    Nothing is closed: kombu keeps connection and producer pools in a registry keyed by broker,
    and closing the real broker's pool would leave a closed pool there for every later test.
    Dropping celery's references makes the next send look up the pools of the new URL.
    """
    from newsroom.celery import app

    conf: Any = app.conf
    old: str = conf.broker_url
    conf.broker_url = url
    cast(Any, app)._pool = None
    cast(Any, app.amqp)._producer_pool = None
    return old


def time_ago(seconds: int) -> datetime:
    return timezone.now() - timedelta(seconds=seconds)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="terminating backends is PostgreSQL's")
def test_database_connection_dropped_during_a_task(workers: Workers, alice: User) -> None:
    workers.start()
    article = submit(alice, long_article("dbdrop"))
    assert wait_for(lambda: state(article) == ExtractionState.EXTRACTING, timeout=120), workers.logs()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    # While the task retries, nothing half-written is ever visible: claims appear all at once.
    seen: set[int] = set()
    expected: list[int] = []

    def settled() -> bool:
        count = Claim.objects.filter(article=article).count()
        seen.add(count)
        if state(article) == ExtractionState.DONE:
            expected.append(count)
            return True
        return False

    assert wait_for(settled, timeout=240, interval=0.05), workers.logs()
    assert seen <= {0, expected[0]}
    assert_one_set_of_claims(article)
    assert_retried_once(article, workers)


def assert_retried_once(article: Article, workers: Workers) -> None:
    """The task failed on the dropped connection, was retried after a backoff, and the retry did it."""
    assert extraction(article).attempts == 2, workers.logs()
    retried = r"verification\.extract_article\[[\w-]+\] retry: Retry in \d"
    assert re.search(retried, workers.full_log()), workers.logs()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="terminating backends and COPY are PostgreSQL's")
def test_database_connection_dropped_in_the_middle_of_storing_the_claims(workers: Workers, alice: User) -> None:
    """Dropped after the claims are written and before the flags are: the whole store is rolled
    back, nobody ever sees the claims without their flags, and the retry stores them all."""
    import psycopg

    from tests.conftest import database_url_for_subprocess

    workers.start()
    with psycopg.connect(database_url_for_subprocess()) as blocker:
        # Flags cannot be written while this transaction holds the table: the store stops there.
        blocker.execute("LOCK TABLE verification_flag IN SHARE MODE")
        article = submit(alice, SAMPLE, title="Dropped while storing")

        def storing_backend() -> int | None:
            # Asked on the test's own connection: within the blocker's transaction pg_stat_activity
            # would stay the snapshot of its first read.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                    " AND wait_event_type = 'Lock' AND query ILIKE 'COPY%%verification_flag%%'"
                )
                row = cursor.fetchone()
            return int(row[0]) if row else None

        assert wait_for(lambda: storing_backend() is not None, timeout=120), workers.logs()
        # The claims are written in the worker's open transaction, and invisible to everyone else.
        assert Claim.objects.filter(article=article).count() == 0
        blocker.execute("SELECT pg_terminate_backend(%s)", [storing_backend()])
        blocker.commit()  # the flags' table is free again
    assert wait_for(lambda: state(article) == ExtractionState.DONE, timeout=180), workers.logs()
    assert_one_set_of_claims(article)
    assert Flag.objects.filter(claim__article=article).exists()
    assert all(
        c.flag_codes == flag_codes_of(c.flags.values_list("code", flat=True))
        for c in Claim.objects.filter(article=article)
    )
    assert_retried_once(article, workers)


def test_same_article_submitted_twice_at_once(alice: User, bob: User) -> None:
    body = SAMPLE + "\nSubmitted twice."
    results: list[int] = []

    def paste() -> None:
        article, _ = services.article_submit(user=alice, title="Twice", outlet="Wire", body=body)
        results.append(article.pk)

    at_once(*[paste] * 4)
    assert len(results) == 4
    assert len(set(results)) == 1
    assert Article.objects.filter(title="Twice").count() == 1
    assert Extraction.objects.filter(article_id=results[0]).count() == 1


@override_settings(ARTICLE_SUBMIT_RATE="1000/h")  # the counter outlives the test database in Redis
def test_same_article_pasted_four_times_at_once_through_the_form(alice: User, bob: User) -> None:
    """A double-click, twice, by the same editor: four POSTs of the paste form at the same moment."""
    from verification.broker import runs_with_a_message

    purge_queue()
    clients = []
    for _ in range(4):
        client = Client()
        client.force_login(alice)
        clients.append(client)
    answers: list[tuple[int, str]] = []
    form = {"title": "Clicked twice", "outlet": "Wire", "body": SAMPLE + "\nPasted four times."}

    def paste(client: Client) -> None:
        response = client.post(reverse("article_create"), form)
        answers.append((response.status_code, response.get("Location", "")))

    at_once(*[functools.partial(paste, c) for c in clients])
    article = Article.objects.get(title="Clicked twice")
    assert answers == [(302, article.get_absolute_url())] * 4
    assert Extraction.objects.filter(article=article).count() == 1
    assert runs_with_a_message() == {extraction(article).pk}
    assert redis.Redis.from_url(settings.REDIS_URL).llen("celery") == 1  # one message queued, not four
    purge_queue()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="terminating backends is PostgreSQL's")
def test_database_connection_dropped_between_tasks(workers: Workers, alice: User) -> None:
    """The worker keeps its connection from one article to the next; when it is dropped while the
    worker waits (a restarted server), the next article goes through without even a retry."""
    workers.start()
    first = submit(alice, SAMPLE, title="Before the drop")
    assert wait_for(lambda: state(first) == ExtractionState.DONE, timeout=180), workers.logs()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    second = submit(alice, SAMPLE.replace("NATO", "the alliance"), title="After the drop")
    assert wait_for(lambda: state(second) == ExtractionState.DONE, timeout=180), workers.logs()
    assert extraction(second).attempts == 1
    assert_one_set_of_claims(second)
