"""The extraction runs as the operators see them: what waits, what runs, what is lost."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from ..models import Extraction, ExtractionState


def runs_lost(*, older_than: timedelta, in_broker: Collection[int] | None) -> list[int]:
    """The runs whose message is lost: waiting longer than `older_than` with no message in the
    broker (`in_broker`: the runs that have one; None when the broker could not be read, and then
    every waiting run counts), and those whose lease ran out (a dead worker's: its message comes
    back only after the broker's visibility timeout, an hour)."""
    now = timezone.now()
    waiting = set(
        Extraction.objects.filter(state=ExtractionState.QUEUED, created_at__lt=now - older_than).values_list(
            "pk", flat=True
        )
    )
    if in_broker is not None:
        waiting.difference_update(in_broker)
    abandoned = Extraction.objects.filter(state=ExtractionState.EXTRACTING, leased_until__lt=now)
    return sorted(waiting.union(abandoned.values_list("pk", flat=True)))


@dataclass(frozen=True)
class RunsNow:
    waiting: int
    oldest_waiting: datetime | None
    running: int
    lease_ran_out: int
    failed_last_day: int


def runs_now() -> RunsNow:
    now = timezone.now()
    figures = Extraction.objects.filter(
        Q(state__in=[ExtractionState.QUEUED, ExtractionState.EXTRACTING])
        | Q(state=ExtractionState.FAILED, finished_at__gte=now - timedelta(days=1))
    ).aggregate(
        waiting=Count("pk", filter=Q(state=ExtractionState.QUEUED)),
        oldest_waiting=Min("created_at", filter=Q(state=ExtractionState.QUEUED)),
        running=Count("pk", filter=Q(state=ExtractionState.EXTRACTING)),
        lease_ran_out=Count("pk", filter=Q(state=ExtractionState.EXTRACTING, leased_until__lt=now)),
        failed_last_day=Count("pk", filter=Q(state=ExtractionState.FAILED)),
    )
    return RunsNow(**figures)
