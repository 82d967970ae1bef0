"""Sessions are kept in the database, and the cache is only a cache: a Redis that cannot be reached
stops nobody working (newsroom/cache.py)."""

from __future__ import annotations

import shutil
import tempfile
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from newsroom.cache import ResilientRedisCache
from tests.conftest import UNREACHABLE_CACHE
from tests.factories import PASSWORD
from verification import embedded_redis
from verification.models import Article, Extraction, ExtractionState

pytestmark = pytest.mark.django_db


def test_sessions_are_kept_in_the_database(bob: User, settings) -> None:
    # Not read through the cache (cached_db): a Redis back after a partition could hand back a
    # session that was logged out while it was away.
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    client = Client()
    assert client.post(reverse("login"), {"username": bob.username, "password": PASSWORD}).status_code == 302
    assert Session.objects.count() == 1
    assert client.get(reverse("my_queue")).status_code == 200
    client.post(reverse("logout"))
    assert Session.objects.count() == 0
    assert client.get(reverse("my_queue")).status_code == 302  # to the login page


def test_with_redis_unreachable_people_log_in_work_and_paste(alice: User, bob: User, settings) -> None:
    settings.CACHES = UNREACHABLE_CACHE
    assert isinstance(caches["default"], ResilientRedisCache)
    reviewer = Client(raise_request_exception=False)
    assert reviewer.post(reverse("login"), {"username": bob.username, "password": PASSWORD}).status_code == 302
    for name in ["my_queue", "claim_search", "article_list"]:
        assert reviewer.get(reverse(name)).status_code == 200, name
    editor = Client(raise_request_exception=False)
    assert editor.post(reverse("login"), {"username": alice.username, "password": PASSWORD}).status_code == 302
    assert editor.get(reverse("desk_overview")).status_code == 200  # counted, not read from the cache
    started = time.monotonic()
    response = editor.post(
        reverse("article_create"),
        {"title": "Pasted while Redis is down", "outlet": "Wire", "body": "The minister said taxes would fall."},
    )
    assert response.status_code == 302, response.content.decode()[:500]  # not refused by the rate limit
    assert time.monotonic() - started < 5
    article = Article.objects.get(title="Pasted while Redis is down")
    assert Extraction.objects.get(article=article).state == ExtractionState.QUEUED  # the sweep sends it later
    editor.post(reverse("logout"))
    assert editor.get(reverse("desk_overview")).status_code == 302  # logging out still logs out


def test_an_unreachable_cache_reads_as_empty_and_is_not_retried_at_once(settings) -> None:
    settings.CACHES = UNREACHABLE_CACHE
    unreachable = caches["default"]
    assert isinstance(unreachable, ResilientRedisCache)
    assert unreachable.get("key", "default") == "default"
    assert unreachable.add("key", 1) is False
    unreachable.set("key", 1)
    assert unreachable.get_many(["key"]) == {}
    assert unreachable.set_many({"a": 1, "b": 2}) == ["a", "b"]
    with pytest.raises(ValueError):
        unreachable.incr("key")  # as for a missing key, which django-ratelimit handles
    # After a failure the cache is left alone for a while: no connection attempt per call.
    assert unreachable._down_until > time.monotonic()


def test_the_cache_works_when_redis_answers() -> None:
    """The same backend against the Redis the suite runs with (CI's, or the embedded one)."""
    live = caches["default"]
    assert isinstance(live, ResilientRedisCache)
    key = f"resilient-check-{uuid.uuid4().hex}"
    live.set(key, 41)
    assert live.incr(key) == 42
    assert live.get(key) == 42
    live.delete(key)


def test_a_redis_that_refuses_writes_stops_nobody_either(alice: User, settings) -> None:
    """Out of memory (or read-only after a failover), Redis answers writes with an error, not a
    refused connection: a real one here, with maxmemory below what it already uses."""
    directory = Path(tempfile.mkdtemp(prefix="oom-"))  # short: a unix socket path is limited
    proc, url = embedded_redis.start(directory, persist=False)
    try:
        redis.Redis.from_url(url).config_set("maxmemory", 1)  # noeviction: every write is refused
        settings.CACHES = {"default": {"BACKEND": "newsroom.cache.ResilientRedisCache", "LOCATION": url}}
        full = caches["default"]
        assert isinstance(full, ResilientRedisCache)
        with pytest.raises(redis.exceptions.OutOfMemoryError):
            redis.Redis.from_url(url).set("probe", 1)  # what the cache is up against
        assert full.add("key", 1) is False  # django-ratelimit's first call
        full._down_until = 0.0  # try Redis again at once, not after the pause
        editor = Client(raise_request_exception=False)
        editor.force_login(alice)
        response = editor.post(
            reverse("article_create"),
            {"title": "Pasted while Redis is full", "outlet": "Wire", "body": "The minister said taxes would fall."},
        )
        assert response.status_code == 302
        assert Article.objects.filter(title="Pasted while Redis is full").exists()
        assert editor.get(reverse("desk_overview")).status_code == 200  # its cache.set is refused too
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(directory, ignore_errors=True)
