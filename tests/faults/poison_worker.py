"""A Celery app for the poison-article test: the real app and task, with an engine that kills its
own process on articles that contain POISON (a stand-in for a segfault or an out-of-memory kill
in the real engine). Every other article goes through the real engine.

    celery -A tests.faults.poison_worker worker
"""

from __future__ import annotations

import os
import signal

import django

from newsroom.celery import app

django.setup()  # the task module below uses the ORM; celery -A imports this before Django is ready

from verification import tasks  # noqa: E402
from verification.extraction import ArticleResult, Engine  # noqa: E402

POISON = "POISON-PILL-7f3a"

__all__ = ["POISON", "app"]


class PoisonedEngine(Engine):
    def extract(self, text: str) -> ArticleResult:
        if POISON in text:
            os.kill(os.getpid(), signal.SIGKILL)
        return super().extract(text)


tasks.get_engine.cache_clear()
_engine = PoisonedEngine()
tasks.get_engine = lambda: _engine  # type: ignore[assignment]
