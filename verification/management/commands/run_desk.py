"""`manage.py run_desk`: the whole desk on a laptop, as `make run` starts it.

A private Redis (see embedded_redis), one Celery worker (with the beat that re-queues lost
runs) and the web server, started together; Ctrl-C stops all three.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from verification import embedded_redis


class Command(BaseCommand):
    help = "Run the web server, a background worker and (unless REDIS_URL is set) a private Redis together."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--concurrency", default=os.environ.get("WORKER_CONCURRENCY", "1"))
        parser.add_argument("--no-demo", action="store_true", help="Do not create the demo accounts and article.")

    def handle(self, *args: Any, **options: Any) -> None:
        var = Path(settings.BASE_DIR) / "var"
        procs: list[tuple[str, subprocess.Popen[bytes]]] = []
        env = dict(os.environ)
        if not settings.REDIS_URL:
            redis_proc, url = embedded_redis.start(var / "redis")
            procs.append(("redis", redis_proc))
            env["REDIS_URL"] = url
            self.stderr.write(f"Private Redis on {url}")
        py = sys.executable
        # Migrations and the demo data run with the broker known, so the demo article is queued.
        for setup in (["migrate", "--no-input", "-v", "0"], [] if options["no_demo"] else ["load_demo"]):
            if not setup:
                continue
            subprocess.run([py, "manage.py", *setup], env=env, cwd=settings.BASE_DIR, check=True)
        worker = [py, "-m", "celery", "-A", "newsroom", "worker", "-B", "-l", "INFO", "--concurrency",
                  options["concurrency"], "--schedule", str(var / "celerybeat-schedule")]  # fmt: skip
        web = [py, "manage.py", "runserver", f"{options['host']}:{options['port']}"]
        procs.append(("worker", subprocess.Popen(worker, env=env, cwd=settings.BASE_DIR)))
        procs.append(("web", subprocess.Popen(web, env=env, cwd=settings.BASE_DIR)))
        self.stderr.write(
            f"\nThe desk is at http://{options['host']}:{options['port']}/  (editor / newsroom-demo, "
            "reviewer / newsroom-demo). Ctrl-C stops the web server, the worker and Redis.\n"
        )
        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for name, proc in procs:
                    if proc.poll() is not None:
                        self.stderr.write(f"The {name} process stopped (exit {proc.returncode}); stopping the rest.")
                        stopping = True
                time.sleep(0.3)
        finally:
            # Web first, then the worker (it finishes or gives back its task), then Redis.
            for _name, proc in reversed(procs):
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
                    try:
                        proc.wait(timeout=20)
                    except subprocess.TimeoutExpired:
                        proc.kill()
