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
from collections.abc import Iterator
from typing import Any

logger = logging.getLogger(__name__)

EXTRACT_TASK = "verification.extract_article"
PAGE = 1000


def runs_with_a_message() -> set[int] | None:
    """Ids of the extraction runs that have a message in the broker, waiting or being worked on.

    None when the broker cannot be read this way (not Redis), so the caller assumes nothing is there.
    """
    from newsroom.celery import app

    try:
        with app.connection_for_read() as conn:
            channel: Any = conn.default_channel
            client = getattr(channel, "client", None)
            if client is None or not hasattr(channel, "unacked_key"):
                return None
            queue = app.conf.task_default_queue
            keys = sorted({channel._q_for_pri(queue, pri) for pri in channel.priority_steps})
            messages = [_loads(item) for key in keys for item in _list(client, key)]
            # kombu keeps [message, exchange, routing key] for each message a worker holds.
            messages += [(_loads(item) or [None])[0] for item in client.hvals(channel.unacked_key)]
    except Exception:
        logger.warning("Could not read the broker's queue; the sweep sends every waiting run", exc_info=True)
        return None
    return {pk for pk in map(_extraction_id, messages) if pk is not None}


def _list(client: Any, key: str) -> Iterator[bytes]:
    start = 0
    while page := client.lrange(key, start, start + PAGE - 1):
        yield from page
        start += PAGE


def _loads(item: bytes) -> Any:
    try:
        return json.loads(item)
    except ValueError:
        return None


def _extraction_id(message: Any) -> int | None:
    """The run an extract_article message is for; None for any other message."""
    try:
        if message["headers"]["task"] != EXTRACT_TASK:
            return None
        body = message["body"]
        if message["properties"].get("body_encoding") == "base64":
            body = base64.b64decode(body)
        args, _kwargs, _embed = json.loads(body)
        return int(args[0])
    except (ValueError, KeyError, TypeError, IndexError):
        return None  # not a message in a shape we know: it counts for no run
