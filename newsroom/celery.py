"""The Celery app: configuration comes from Django settings (CELERY_*), tasks from the apps."""

import os
from datetime import timedelta
from typing import Any

from celery import Celery
from celery.signals import worker_init, worker_ready

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
    # at the next sweep. A run sent twice is harmless: the second finds it leased and skips it.
    from verification.services import extraction_requeue_stuck

    extraction_requeue_stuck(older_than=timedelta(0))
