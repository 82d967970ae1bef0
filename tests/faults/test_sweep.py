"""The periodic sweep: it sends again exactly the runs whose message is lost, never a backlog that
still waits in Redis, takes over a dead worker's run when its lease runs out, and runs under beat
with a worker that was already up when Redis came back. Real Redis, workers and beat."""

from __future__ import annotations

import json
import re
import time
from io import StringIO

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import UNREACHABLE_CACHE, Workers, wait_for
from tests.faults.test_worker_faults import (
    SAMPLE,
    assert_one_set_of_claims,
    extraction,
    state,
    submit,
    time_ago,
    use_broker,
)
from verification import broker
from verification.models import Article, Extraction, ExtractionState
from verification.tasks import extract_article, requeue_stuck_extractions

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def queue() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


def messages_waiting() -> int:
    return int(queue().llen("celery"))


def sweep() -> int:
    """The periodic task itself, run here as beat's message would run it in a worker."""
    return int(requeue_stuck_extractions.apply().get())


def drop_message_of(run: Extraction) -> None:
    """Lose one run's message, as a partial loss of Redis's data would."""
    for raw in queue().lrange("celery", 0, -1):  # bytes, handed back to lrem as read
        if broker._extraction_id(raw) == run.pk:
            assert queue().lrem("celery", 1, raw) == 1  # type: ignore[arg-type]
            return
    raise AssertionError(f"no message for run {run.pk}")


def test_the_sweep_sends_only_the_runs_whose_message_is_lost(workers: Workers, alice: User) -> None:
    articles = [submit(alice, SAMPLE.replace("NATO", f"the alliance {n}"), title=f"Backlog {n}") for n in range(3)]
    Extraction.objects.update(created_at=time_ago(600))  # waiting longer than the sweep's patience
    assert messages_waiting() == 3
    assert broker.runs_with_a_message() == {extraction(a).pk for a in articles}

    # A backlog that waits in Redis is left alone, however long it has waited.
    assert sweep() == 0
    assert messages_waiting() == 3

    lost = extraction(articles[1])
    drop_message_of(lost)
    assert sweep() == 1  # that one alone
    assert broker.runs_with_a_message() == {extraction(a).pk for a in articles}
    assert messages_waiting() == 3

    workers.start()
    assert wait_for(lambda: all(state(a) == ExtractionState.DONE for a in articles), timeout=180), workers.logs()
    for article in articles:
        assert_one_set_of_claims(article)
    # No duplicate was ever sent: the worker received three messages in all.
    assert len(re.findall(r"Task verification\.extract_article\[[\w-]+\] received", workers.full_log())) == 3


def hold(run: Extraction, *, seconds_ago: float) -> None:
    """Move a run's message from the queue to the messages a worker holds, delivered that long ago
    (as kombu records a delivery)."""
    client = queue()
    for raw in client.lrange("celery", 0, -1):
        if broker._extraction_id(raw) == run.pk:
            client.lrem("celery", 1, raw)  # type: ignore[arg-type]
            tag = f"held-{run.pk}"
            client.hset("unacked", tag, json.dumps([json.loads(raw), "", "celery"]))
            client.zadd("unacked_index", {tag: time.time() - seconds_ago})
            return
    raise AssertionError(f"no message for run {run.pk}")


def test_a_message_held_too_long_counts_as_lost(workers: Workers, alice: User) -> None:
    """A worker that was killed leaves its message held until Redis's visibility timeout (an hour):
    the sweep does not wait for it. One held for a moment (a retry's countdown) is left alone."""
    recent, stale = (submit(alice, SAMPLE.replace("NATO", f"the bloc {n}"), title=f"Held {n}") for n in range(2))
    Extraction.objects.update(created_at=time_ago(600))
    hold(extraction(recent), seconds_ago=30)
    hold(extraction(stale), seconds_ago=broker.HELD_AT_MOST + 60)
    assert messages_waiting() == 0
    assert broker.runs_with_a_message() == {extraction(recent).pk}
    assert sweep() == 1
    assert broker.runs_with_a_message() == {extraction(recent).pk, extraction(stale).pk}


def test_a_dead_workers_run_is_taken_over_when_its_lease_runs_out(workers: Workers, alice: User) -> None:
    article = submit(alice, SAMPLE)
    queue().delete("celery")  # its message went with the worker (held unacknowledged until the visibility timeout)
    run = extraction(article)
    Extraction.objects.filter(pk=run.pk).update(
        state=ExtractionState.EXTRACTING, leased_by="a-dead-workers-task", leased_until=time_ago(5), attempts=1
    )
    assert sweep() == 1
    workers.start()
    assert wait_for(lambda: state(article) == ExtractionState.DONE, timeout=180), workers.logs()
    assert_one_set_of_claims(article)
    assert extraction(article).attempts == 2


def test_beat_recovers_what_was_submitted_while_redis_was_down(workers: Workers, alice: User) -> None:
    """A worker that was up all along: its start-up sweep came before the article, so only beat's
    periodic sweep can send it."""
    worker = workers.start()
    assert wait_for(lambda: re.search(r"@\S+ ready\.", workers.full_log()) is not None, timeout=120), workers.logs()
    client = Client()
    client.force_login(alice)
    real_broker = use_broker("redis://127.0.0.1:1/0")  # Redis down, for this web process
    try:
        with override_settings(CACHES=UNREACHABLE_CACHE):
            response = client.post(
                reverse("article_create"), {"title": "Sent by the sweep", "outlet": "Wire", "body": SAMPLE}
            )
    finally:
        use_broker(real_broker)
    assert response.status_code == 302
    article = Article.objects.get(title="Sent by the sweep")
    assert state(article) == ExtractionState.QUEUED
    assert messages_waiting() == 0

    workers.start_beat(env={"EXTRACTION_SWEEP_SECONDS": "2"})
    Extraction.objects.filter(article=article).update(created_at=time_ago(600))
    assert wait_for(lambda: state(article) == ExtractionState.DONE, timeout=180), workers.logs()
    assert_one_set_of_claims(article)
    assert worker.poll() is None  # the same worker did it


def test_beat_runs_the_sweep_often_and_drops_a_sweep_nobody_took() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["requeue-stuck-extractions"]
    assert entry["task"] == requeue_stuck_extractions.name
    assert 0 < entry["schedule"] <= 300
    assert 0 < entry["options"]["expires"] < entry["schedule"]


def test_the_sweep_does_not_wait_behind_a_backlog(workers: Workers) -> None:
    """Beat's tasks have a queue of their own: a sweep sent during a backlog runs at once, not
    after every article queued before it (by then it would have expired unrun)."""
    backlog = 400
    for n in range(backlog):
        extract_article.delay(10_000_000 + n)  # runs that do not exist: each is skipped at once
    requeue_stuck_extractions.delay()
    workers.start()
    received = r"Task verification\.(\w+)\[[\w-]+\] received"
    assert wait_for(lambda: "requeue_stuck_extractions" in re.findall(received, workers.full_log()), timeout=120)
    order = re.findall(received, workers.full_log())
    assert order.index("requeue_stuck_extractions") < 10, order[:20]
    assert wait_for(lambda: len(re.findall(received, workers.full_log())) >= backlog + 1, timeout=180), workers.logs()


def test_an_operator_sees_the_queue_and_sends_the_lost_runs(workers: Workers, alice: User) -> None:
    articles = [submit(alice, SAMPLE.replace("NATO", f"the pact {n}"), title=f"Operator {n}") for n in range(2)]
    Extraction.objects.update(created_at=time_ago(600))
    lost = extraction(articles[0])
    drop_message_of(lost)

    out = StringIO()
    call_command("requeue_stuck", "--dry-run", stdout=out)
    report = out.getvalue()
    assert "waiting: 2 (the oldest for 10 min)" in report
    assert "extraction messages in Redis (waiting, or held by a worker): 1" in report
    assert f"lost: 1; run ids: {lost.pk}\nnothing sent (--dry-run)" in report
    assert messages_waiting() == 1  # nothing sent

    out = StringIO()
    call_command("requeue_stuck", stdout=out)
    assert f"sent again: 1; run ids: {lost.pk}" in out.getvalue()
    assert messages_waiting() == 2
    assert broker.runs_with_a_message() == {extraction(a).pk for a in articles}


def test_the_operator_is_stopped_when_the_queue_cannot_be_read(workers: Workers, alice: User) -> None:
    """A shell without the workers' REDIS_URL must not report sends into nowhere as done."""
    article = submit(alice, SAMPLE, title="Waiting while the broker is unknown")
    Extraction.objects.update(created_at=time_ago(600))
    real_broker = use_broker("memory://")
    try:
        out = StringIO()
        with pytest.raises(CommandError, match="could not be read, so nothing was sent"):
            call_command("requeue_stuck", stdout=out)
    finally:
        use_broker(real_broker)
    assert "the broker's queue could not be read" in out.getvalue()
    assert f"lost: 1; run ids: {extraction(article).pk}" in out.getvalue()
    assert messages_waiting() == 1  # only the message of the paste itself
