"""The desk's periodic task. Task names are a wire contract: never rename them."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="verification.notify_due")
def notify_due() -> str:
    result = services.notify_due()
    return f"due soon {result.due_soon}, overdue {result.overdue}"
