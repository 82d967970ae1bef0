"""What the sweep's look at the broker costs, against what it saves: sending the backlog again.

    REDIS_URL=redis://127.0.0.1:6379/8 .venv/bin/python bench/sweep_read.py [--backlog 10000]

Fills the Redis database of REDIS_URL (give it one of its own: its queues are emptied first and
last) with --backlog extract_article messages, as a backlog of waiting articles leaves them,
then times `verification.broker.runs_with_a_message()` (the sweep's read, median of 5) against
sending the same messages once more (what every sweep did before it read the queue). Prints
both, per message, and the read's peak memory (tracemalloc). No database is touched.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
for path in (REPO, BENCH):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--backlog", type=int, default=10_000)
    args = ap.parse_args()
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("error: set REDIS_URL to a Redis database of its own (see the docstring)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    import django

    django.setup()
    from pipeline_throughput import purge_queue as purge

    from newsroom.celery import app
    from verification.broker import runs_with_a_message
    from verification.tasks import extract_article

    purge()
    try:
        started = time.perf_counter()
        with app.producer_or_acquire() as producer:
            for n in range(args.backlog):
                extract_article.apply_async((1_000_000 + n,), producer=producer)
        send = time.perf_counter() - started

        reads = []
        for _ in range(5):
            started = time.perf_counter()
            found = runs_with_a_message()
            reads.append(time.perf_counter() - started)
            assert found is not None and len(found) == args.backlog, "the read missed messages"
        tracemalloc.start()
        runs_with_a_message()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        purge()
    read = statistics.median(reads)
    print(f"backlog of {args.backlog:,} waiting extraction messages in Redis")
    print(f"sweep's read of the queue: {read * 1000:.0f} ms ({read / args.backlog * 1e6:.1f} µs a message), "
          f"peak memory {peak / 1e6:.1f} MB")  # fmt: skip
    print(f"sending them all again (the sweep before it read the queue): {send * 1000:.0f} ms "
          f"({send / args.backlog * 1e6:.1f} µs a message), and as many duplicate tasks for the workers")  # fmt: skip
    print(f"read / send again: {read / send:.2f}")


if __name__ == "__main__":
    main()
