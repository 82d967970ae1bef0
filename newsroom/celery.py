"""The Celery app: configuration comes from Django settings (CELERY_*), tasks from the apps."""

import os
from datetime import timedelta
from typing import Any

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

app = Celery("newsroom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _check_worker_settings(**kwargs: Any) -> None:
    from newsroom.startup import require_secret_key

    require_secret_key()


@worker_ready.connect
def _send_waiting_runs(**kwargs: Any) -> None:
    # Runs queued while no broker was reachable (or whose message was lost) start now rather than
    # at the next sweep; those whose message still waits in the broker are not sent twice.
    from verification.broker import runs_with_a_message
    from verification.services import extraction_requeue_stuck

    extraction_requeue_stuck(older_than=timedelta(0), in_broker=runs_with_a_message())


@task_prerun.connect
@task_postrun.connect
def _close_old_connections(**kwargs: Any) -> None:
    # Django's rule for connections, as between two web requests: keep one for CONN_MAX_AGE,
    # drop it at once after an error it does not survive (a dropped connection, a restarted
    # server) and check it before the next task uses it (CONN_HEALTH_CHECKS). Celery's own
    # closing after every task is turned off (CELERY_DB_REUSE_MAX in settings): a new
    # PostgreSQL connection per article cost more CPU than saving the article's claims.
    from django.db import close_old_connections

    close_old_connections()
