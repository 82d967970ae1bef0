"""What the broker holds: the extraction runs that still have a message in Redis.

The sweep (services.extraction_requeue_stuck) sends again the runs whose message is lost. Without
knowing which messages Redis still holds, it could only send every waiting run again, and during a
backlog (a re-extraction of thousands of articles, a worker down for an hour) each sweep would add
the whole backlog to the queue once more. Reading the queue is cheap by comparison: a few hundred
bytes per message, read in pages, every two minutes.

kombu has no API to list a queue, so this reads its Redis layout: each queue is a list (one per
priority step) of JSON messages, and the messages delivered to a worker but not yet acknowledged
sit in the `unacked` hash. The fault tests (tests/faults/test_sweep.py) fail if that layout changes.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Iterator
from typing import Any

logger = logging.getLogger(__name__)

EXTRACT_TASK = "verification.extract_article"
PAGE = 1000
# A message a worker has held longer than this counts as lost: its worker may be dead, and Redis
# gives it back only after the visibility timeout (an hour). A live worker holds a message it has
# not started (prefetched, or waiting out a retry's countdown of at most a minute) for less; a
# duplicate of one it still holds is skipped by the lease.
HELD_AT_MOST = 300.0


def runs_with_a_message() -> set[int] | None:
    """Ids of the extraction runs that have a message in the broker: waiting in the queue, or held
    by a worker for less than HELD_AT_MOST seconds.

    None when the broker cannot be read this way (not Redis, or keys under a global prefix), so the
    caller assumes nothing is there.
    """
    from newsroom.celery import app

    try:
        with app.connection_for_read() as conn:
            channel: Any = conn.default_channel
            client = getattr(channel, "client", None)
            if client is None or not hasattr(channel, "unacked_key"):
                return None  # not Redis
            if channel.global_keyprefix:
                return None  # kombu does not prefix the reads below
            queue = app.conf.task_default_queue
            keys = sorted({channel._q_for_pri(queue, pri) for pri in channel.priority_steps})
            ids = {pk for key in keys for pk in map(_extraction_id, _list(client, key)) if pk is not None}
            # kombu indexes each held message by when it was delivered, and keeps it as
            # [message, exchange, routing key].
            recent = client.zrange(channel.unacked_index_key, time.time() - HELD_AT_MOST, "+inf", byscore=True)
            for start in range(0, len(recent), PAGE):
                for held in client.hmget(channel.unacked_key, recent[start : start + PAGE]):
                    pk = _extraction_id(held, wrapped=True) if held else None
                    if pk is not None:
                        ids.add(pk)
    except Exception:
        logger.warning("Could not read the broker's queue; the sweep sends every waiting run", exc_info=True)
        return None
    return ids


def _list(client: Any, key: str) -> Iterator[bytes]:
    start = 0
    while page := client.lrange(key, start, start + PAGE - 1):
        yield from page
        start += PAGE


def _extraction_id(raw: bytes | str, *, wrapped: bool = False) -> int | None:
    """The run an extract_article message is for; None for any other message."""
    try:
        message = json.loads(raw)
        if wrapped:
            message = message[0]
        if message["headers"]["task"] != EXTRACT_TASK:
            return None
        body = message["body"]
        if message["properties"].get("body_encoding") == "base64":
            body = base64.b64decode(body)
        args, _kwargs, _embed = json.loads(body)
        return int(args[0])
    except (ValueError, KeyError, TypeError, IndexError):
        return None  # not a message in a shape we know: it counts for no run
