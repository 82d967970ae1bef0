"""Articles per minute through the editor's path with two worker processes, against the engine alone.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_load REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/pipeline_throughput.py [--articles 1000] [--concurrency 2] [--data ../shared/data]

Submits PolNeAR train articles with `services.article_submit` (what the paste form calls: the
row, the extraction run, the task queued on commit) while a real Celery worker (prefork,
`--concurrency 2`, the production settings) drains the queue, waits until every run is done or
failed, and prints articles/minute. Then, with the worker stopped, times the engine alone on the
same texts in-process (`Engine().extract_many`), in one process and in as many processes as the
worker had, and prints the ratio (target >= 0.8: the queue and the database cost at most a
fifth). Also prints the resident memory of the worker's processes after the run.

Uses only the Redis database in REDIS_URL (give it one of its own: the queue is purged first) and
deletes the articles of its earlier runs. Every wait is bounded.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DEFAULT_DATA = REPO.parent / "shared" / "data"
TITLE = "[pipeline bench] "


def load_texts(data: Path, count: int) -> list[str]:
    """`count` distinct texts: the PolNeAR train articles, repeated with a numbered line once exhausted."""
    path = data / "attribution" / "polnear_train.jsonl"
    if not path.exists():
        raise SystemExit(f"error: {path} not found (pass --data /path/to/shared/data)")
    with path.open(encoding="utf-8") as fh:
        # The same article appears once per annotator: one copy of each, as the desk keeps one.
        base = list({" ".join(t.split()): t for t in (json.loads(line)["text"] for line in fh)}.values())
    return [base[i % len(base)] + ("" if i < len(base) else f"\n\nCopy {i // len(base)}.") for i in range(count)]


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()


def worker_env() -> dict[str, str]:
    return dict(
        os.environ, DJANGO_DEBUG="0", DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50)
    )


def start_worker(concurrency: int, name: str, log_name: str) -> subprocess.Popen[bytes]:
    """A Celery worker as production runs it; returns once it reports ready (at most 120 s)."""
    (REPO / "var").mkdir(exist_ok=True)
    log_path = REPO / "var" / log_name
    log = open(log_path, "wb")  # noqa: SIM115  (closed with the process)
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "newsroom", "worker", "-l", "INFO", "--concurrency", str(concurrency),
         "--without-gossip", "--without-mingle", "-n", f"{name}-{os.getpid()}@%h"],
        cwd=REPO, env=worker_env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the worker exited ({proc.returncode}); see {log_path}")
        if b" ready." in log_path.read_bytes():
            return proc
        time.sleep(0.5)
    stop_process(proc)
    raise SystemExit(f"the worker was not ready within 120 s; see {log_path}")


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def worker_memory(proc: subprocess.Popen[bytes]) -> str:
    children = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(proc.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    parts = [f"main {rss_mb(proc.pid):.0f} MB"] + [f"child {rss_mb(int(c)):.0f} MB" for c in children]
    return ", ".join(parts)


def purge_queue() -> None:
    from newsroom.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")  # type: ignore[attr-defined]


def _engine_worker(texts: list[str]) -> int:
    """Articles the engine failed on (a worker fails those runs too): batches of 20 through
    extract_many, and a batch that raises once more article by article, so one bad article does
    not stop the measurement."""
    from verification.extraction import Engine

    engine = Engine()
    failed = 0
    for i in range(0, len(texts), 20):
        batch = texts[i : i + 20]
        try:
            list(engine.extract_many(batch))
        except Exception:
            for text in batch:
                try:
                    engine.extract(text)
                except Exception:
                    failed += 1
    return failed


def engine_speed(texts: list[str], processes: int) -> tuple[float, int]:
    """Articles per minute of the engine alone over these texts, split over `processes` processes,
    and how many it failed on."""
    ctx = multiprocessing.get_context("spawn")
    shares = [texts[i::processes] for i in range(processes)]
    with ctx.Pool(processes) as pool:
        # Warm-up inside each process happens before its timed part; the whole pool is timed from
        # the first article to the last, as the pipeline is.
        pool.map(_warm, range(processes))
        started = time.perf_counter()
        failed = sum(pool.map(_engine_worker, shares))
        elapsed = time.perf_counter() - started
    return len(texts) / elapsed * 60, failed


def _warm(_: int) -> None:
    from verification.extraction import Engine

    list(Engine().extract_many(["A warm-up sentence, the minister said."]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=2, help="worker processes")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--timeout", type=float, default=3600, help="seconds to wait for the pipeline")
    ap.add_argument("--skip-engine", action="store_true", help="only the pipeline")
    args = ap.parse_args()
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name):
            raise SystemExit(f"error: set {name} (see the docstring)")
    django_setup()
    from django.contrib.auth.models import Group, User
    from django.db.models import Count, Q

    from verification import roles, services
    from verification.extraction import normalize_text
    from verification.models import Article, Extraction, ExtractionState

    texts = [normalize_text(t) for t in load_texts(args.data, args.articles)]
    words = sum(len(t.split()) for t in texts)
    editor, _ = User.objects.get_or_create(username="bench-editor")
    editor.groups.add(Group.objects.get(name=roles.EDITOR))
    earlier = Article.objects.filter(title__startswith=TITLE)
    if earlier.exists():
        print(f"deleting {earlier.count()} articles of an earlier run")
        earlier.delete()
    purge_queue()

    print(f"load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())}; {os.cpu_count()} CPUs")
    worker = start_worker(args.concurrency, "pipeline", "pipeline-worker.log")
    try:
        started = time.perf_counter()
        ids = []
        for i, text in enumerate(texts):
            article, created = services.article_submit(user=editor, title=f"{TITLE}{i}", outlet="PolNeAR", body=text)
            if not created:
                raise SystemExit(f"article {i} was already there (same content as #{article.pk})")
            ids.append(article.pk)
        submitted = time.perf_counter() - started
        print(f"submitted {len(ids)} articles ({words:,} words) in {submitted:.1f}s")
        runs = Extraction.objects.filter(article_id__in=ids)
        deadline = time.monotonic() + args.timeout
        last_report = 0.0
        while time.monotonic() < deadline:
            counts = runs.aggregate(
                finished=Count("id", filter=Q(state__in=[ExtractionState.DONE, ExtractionState.FAILED])),
                failed=Count("id", filter=Q(state=ExtractionState.FAILED)),
            )
            if counts["finished"] >= len(ids):
                break
            if time.monotonic() - last_report > 30:
                last_report = time.monotonic()
                print(f"  {counts['finished']}/{len(ids)} finished after {time.perf_counter() - started:.0f}s")
            time.sleep(1.0)
        else:
            raise SystemExit("timed out waiting for the pipeline")
        elapsed = time.perf_counter() - started
        load_after = os.getloadavg()
        memory = worker_memory(worker)
    finally:
        stop_process(worker)
    failed = counts["failed"]
    pipeline_rate = len(ids) / elapsed * 60
    print(
        f"pipeline: {len(ids)} articles in {elapsed:.1f}s with {args.concurrency} worker processes: "
        f"{pipeline_rate:.1f} articles/minute ({failed} failed)"
    )
    print(f"load average after the pipeline: {' '.join(f'{v:.2f}' for v in load_after)}")
    print(f"worker resident memory after {len(ids)} articles: {memory}")
    if args.skip_engine:
        return
    one, failed_one = engine_speed(texts, 1)
    print(f"engine alone, 1 process: {one:.1f} articles/minute ({failed_one} failed)")
    same = one
    if args.concurrency > 1:
        same, failed_same = engine_speed(texts, args.concurrency)
        print(f"engine alone, {args.concurrency} processes: {same:.1f} articles/minute ({failed_same} failed)")
    print(f"load average after the engine: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(
        f"ratio pipeline / engine with the same {args.concurrency} processes: {pipeline_rate / same:.2f} "
        f"(target >= 0.8); pipeline / engine in 1 process: {pipeline_rate / one:.2f}"
    )


if __name__ == "__main__":
    main()
