"""Celery tasks: thin. Fetch by id, call a service. Task names are a wire contract: never rename them."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from celery import Task, shared_task
from celery.signals import worker_process_init
from django.db import InterfaceError, OperationalError

from . import broker, services
from .desk_tasks import notify_due  # noqa: F401  (registers the desk's periodic task with the worker)
from .extraction import Engine


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    """One engine (and so one spaCy model) per worker process, loaded once."""
    return Engine()


@worker_process_init.connect
def _warm_engine(**kwargs: Any) -> None:
    # Load the model when the pool process starts, not inside the first article's time.
    get_engine().nlp  # noqa: B018


@shared_task(
    name="verification.extract_article",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    # A dropped database connection or an engine crash is retried with backoff; the run is
    # idempotent, and the service fails it for good after MAX_ATTEMPTS.
    autoretry_for=(OperationalError, InterfaceError, services.ExtractionCrashed),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=5,
)
def extract_article(self: Task, extraction_id: int) -> str:
    return services.extraction_run(extraction_id=extraction_id, engine=get_engine(), holder=self.request.id or "")


@shared_task(name="verification.requeue_stuck_extractions")
def requeue_stuck_extractions() -> int:
    """The periodic sweep (beat, every two minutes): runs whose message was lost are sent again."""
    return len(services.extraction_requeue_stuck(in_broker=broker.runs_with_a_message()))
