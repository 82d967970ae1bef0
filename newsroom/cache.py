"""Django's Redis cache, which lets the site go on while Redis cannot be reached.

Redis carries the broker and the cache. When it is down (restarted, partitioned, out of memory)
an editor must still be able to paste an article, which is saved and shown as waiting until the
periodic sweep queues it (issue 6); a reviewer must still be able to work. Nothing the desk
keeps lives only in this cache (sessions are in the database, the overview's cached figures carry
the database's own version), so while Redis cannot be reached a read is a miss, a write is
dropped, and the rate limit of submissions is not applied (RATELIMIT_FAIL_OPEN): each logged.

After one failure the cache is not tried again for a few seconds, so that a Redis that does not
answer at all (a partition, not a refused connection) costs a page at most one connect timeout
(the OPTIONS in settings set it), not one per cache call.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Not only a refused or timed-out connection: a Redis out of memory, read-only after a failover
# or failing to save refuses writes with a ResponseError, and that must not stop the desk either.
UNREACHABLE = (RedisError,)
RETRY_AFTER = 5.0  # seconds without trying Redis after a failure


class ResilientRedisCache(RedisCache):
    _down_until = 0.0

    def _call(self, fallback: T, method: Callable[..., T], *args: Any) -> T:
        """RedisCache's `method` with these arguments, or `fallback` while Redis cannot be reached."""
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return method(*args)
        except UNREACHABLE as exc:
            self._down_until = time.monotonic() + RETRY_AFTER
            logger.warning("Cache unreachable (%s: %s); %s skipped, retrying in %.0fs", type(exc).__name__, exc,
                           method.__name__, RETRY_AFTER)  # fmt: skip
            return fallback

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call(False, super().add, key, value, timeout, version)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._call(default, super().get, key, default, version)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._call(None, super().set, key, value, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call(False, super().touch, key, timeout, version)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._call(False, super().delete, key, version)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        return self._call({}, super().get_many, list(keys), version)

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        return self._call(list(data), super().set_many, data, timeout, version)  # fallback: none stored

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        self._call(None, super().delete_many, list(keys), version)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._call(False, super().has_key, key, version)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        value: int | None = self._call(None, super().incr, key, delta, version)
        if value is None:
            raise ValueError(f"Key '{key}' not found")  # what a missing key raises; callers handle it
        return value
