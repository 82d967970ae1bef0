"""A worker keeps its database connection from one task to the next, as Django keeps one between
requests (CONN_MAX_AGE), instead of Celery's new connection per task; a connection that failed
is replaced before the next task uses it."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from celery.fixups.django import DjangoWorkerFixup  # type: ignore[attr-defined]
from django.db import OperationalError, connection

from newsroom.celery import _close_old_connections, app
from verification.tasks import extract_article

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def fresh_connection_after() -> Iterator[None]:
    yield
    connection.close()  # whatever a test did to it, the database teardown gets a working one


def around_a_task() -> None:
    """What runs in a pool process before and after every task: Celery's Django fixup, then ours."""
    fixup = DjangoWorkerFixup(app)
    task = extract_article
    fixup.on_task_prerun(sender=task)
    _close_old_connections()
    fixup.on_task_postrun(sender=task)
    _close_old_connections()


def test_celerys_fixup_leaves_the_connection_to_django() -> None:
    connection.ensure_connection()
    raw = connection.connection
    fixup = DjangoWorkerFixup(app)
    task = extract_article
    for _ in range(10):
        fixup.on_task_prerun(sender=task)
        fixup.on_task_postrun(sender=task)
    assert connection.connection is raw


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite connections are not kept (CONN_MAX_AGE 0)")
def test_the_connection_is_kept_between_tasks() -> None:
    connection.ensure_connection()
    raw = connection.connection
    for _ in range(3):
        around_a_task()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    assert connection.connection is raw


@pytest.mark.skipif(connection.vendor != "postgresql", reason="terminating a backend is PostgreSQL's")
def test_a_dropped_connection_is_replaced_before_the_next_task() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    s = connection.settings_dict
    with psycopg.connect(
        host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"], dbname=s["NAME"], autocommit=True
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", (pid,))
    # The task that was running when the connection went fails (and is retried by Celery)...
    with pytest.raises(OperationalError), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    around_a_task()
    # ...and the next one gets a working connection.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


@pytest.mark.skipif(connection.vendor != "postgresql", reason="terminating a backend is PostgreSQL's")
def test_a_connection_dropped_while_idle_is_replaced_without_an_error() -> None:
    """Dropped between two tasks (a restarted server, an idle timeout): the health check at the
    next task's first query notices, and the task never sees the error."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    s = connection.settings_dict
    with psycopg.connect(
        host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"], dbname=s["NAME"], autocommit=True
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", (pid,))
    around_a_task()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
