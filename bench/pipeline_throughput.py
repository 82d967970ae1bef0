"""Articles per minute through the editor's path with two worker processes, against the engine alone.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_load REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/pipeline_throughput.py [--articles 1000] [--concurrency 2] [--data ../shared/data]

Submits PolNeAR train articles with `services.article_submit` (what the paste form calls: the
row, the extraction run, the task queued on commit) while a real Celery worker (prefork,
`--concurrency 2`, the production settings) drains the queue, and times the engine alone on the
same texts (`Engine().extract_many`, as issue 3 times it) in as many warm processes as the worker
has. The two take turns over `--segments` parts of the articles (engine then pipeline, then
pipeline then engine, and so on), so that the machine's drift in speed, 15 % over minutes on a
shared machine, falls on both sides alike; prints each segment, the articles/minute of each side
over all segments, and the ratio (target >= 0.8: the queue and the database cost at most a fifth).

The pipeline's segments are timed from the first article submitted to the last run's
`finished_at` (polling, once a second with a query that touches only the unfinished runs, only
notices the end); the engine's by the seconds its processes were busy, batches of four articles
handed out as they free up, so an idle tail does not count against it. Also prints the worker's
resident memory after the run and where the CPU went: milliseconds per article in the pool
processes, the worker's main process, PostgreSQL and this script (submitting and polling),
against the engine alone's.

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
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import procstat  # noqa: E402  (after the path above)

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
    """A Celery worker as production runs it; returns once it is warm (at most 120 s): it reported
    ready and its pool processes are idle. Celery reports ready while they still load the spaCy
    model (about 2 s of CPU each), which a long-running worker has done long before; the engine
    alone is timed after the same warm-up."""
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
        if b" ready." in log_path.read_bytes() and pool_idle(proc, concurrency):
            return proc
        time.sleep(0.5)
    stop_process(proc)
    raise SystemExit(f"the worker was not ready within 120 s; see {log_path}")


def pool_children(proc: subprocess.Popen[bytes]) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(proc.pid)], capture_output=True, text=True, check=False)
    return [int(pid) for pid in out.stdout.split()]


def pool_idle(proc: subprocess.Popen[bytes], concurrency: int) -> bool:
    """All pool processes started and none used CPU for a second (done loading the model)."""
    children = pool_children(proc)
    if len(children) < concurrency:
        return False
    before = sum(procstat.cpu_seconds(pid) for pid in children)
    time.sleep(1.0)
    return sum(procstat.cpu_seconds(pid) for pid in children) - before < 0.02


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


def cpu_snapshot(worker: subprocess.Popen[bytes], database: str) -> dict[str, dict[int, float]]:
    """CPU seconds so far by part, per process, so a process that started meanwhile counts from 0.

    Processes that ended count through their parent: pool processes replaced after
    max-tasks-per-child through the worker, PostgreSQL backends that disconnected through the
    postmaster (which also counts ended backends of other databases: on a shared machine that
    part is an upper bound)."""
    children = pool_children(worker)
    backends = procstat.postgres_pids(database)
    postmaster = procstat.parent_pid(backends[0]) if backends else 0
    return {
        "pool processes": {
            **{c: procstat.cpu_seconds(c) for c in children},
            -1: procstat.ended_children_seconds(worker.pid),
        },
        "worker main process": {worker.pid: procstat.cpu_seconds(worker.pid)},
        "PostgreSQL": {
            **{p: procstat.cpu_seconds(p) for p in backends},
            -1: procstat.ended_children_seconds(postmaster),
        },
        "this script (submit, poll)": {os.getpid(): procstat.cpu_seconds(os.getpid())},
    }


def cpu_used(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]) -> dict[str, float]:
    return {
        part: sum(max(0.0, seconds - before[part].get(pid, 0.0)) for pid, seconds in after[part].items())
        for part in after
    }


def worker_memory(proc: subprocess.Popen[bytes]) -> str:
    parts = [f"main {rss_mb(proc.pid):.0f} MB"] + [f"child {rss_mb(c):.0f} MB" for c in pool_children(proc)]
    return ", ".join(parts)


def purge_queue() -> None:
    from newsroom.celery import app

    with app.connection_for_write() as conn:
        for queue in app.amqp.queues:
            conn.default_channel.queue_purge(queue)  # type: ignore[attr-defined]


# Articles per call of the engine alone: the engine's own batch, small enough that the last call
# of a segment leaves the other process idle only briefly.
ENGINE_BATCH = 4


@lru_cache(maxsize=1)
def _engine() -> Any:
    django_setup()
    from verification.extraction import Engine

    return Engine()


def _engine_init() -> None:
    """Each process of the engine alone loads the model and warms it once, before any timing."""
    list(_engine().extract_many(["A warm-up sentence, the minister said."]))


def _engine_batch(texts: list[str]) -> tuple[int, float, float]:
    """The articles the engine failed on (a worker fails those runs too), and the wall and CPU
    seconds taken. A batch that raises is redone article by article, so one bad
    article does not stop the measurement."""
    wall, cpu = time.perf_counter(), time.process_time()
    failed = 0
    try:
        list(_engine().extract_many(texts))
    except Exception:
        for text in texts:
            try:
                _engine().extract(text)
            except Exception:
                failed += 1
    return failed, time.perf_counter() - wall, time.process_time() - cpu


@dataclass
class Totals:
    """Sums over the segments of one side (the engine alone, or the pipeline)."""

    articles: int = 0
    seconds: float = 0.0
    failed: int = 0
    cpu: dict[str, float] = field(default_factory=dict)

    def add(self, articles: int, seconds: float, failed: int, cpu: dict[str, float]) -> None:
        self.articles += articles
        self.seconds += seconds
        self.failed += failed
        for part, value in cpu.items():
            self.cpu[part] = self.cpu.get(part, 0.0) + value

    @property
    def rate(self) -> float:
        return self.articles / self.seconds * 60

    def cpu_ms(self) -> float:
        return sum(self.cpu.values()) / self.articles * 1000


def engine_segment(pool: Any, texts: list[str], processes: int) -> tuple[float, int, float]:
    """The engine alone over these texts in the pool's warm processes, batches handed out as the
    processes free up: the seconds the processes were busy (summed over them, divided by their
    number: no idle tail counts against the engine), the articles it failed on, CPU seconds."""
    batches = [texts[i : i + ENGINE_BATCH] for i in range(0, len(texts), ENGINE_BATCH)]
    outcomes = list(pool.imap_unordered(_engine_batch, batches))
    busy = sum(wall for _, wall, _ in outcomes) / processes
    return busy, sum(f for f, _, _ in outcomes), sum(c for _, _, c in outcomes)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=2, help="worker processes")
    ap.add_argument("--segments", type=int, default=8, help="alternations of the engine alone and the pipeline")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--timeout", type=float, default=3600, help="seconds to wait for each segment of the pipeline")
    args = ap.parse_args()
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name):
            raise SystemExit(f"error: set {name} (see the docstring)")
    django_setup()
    from django.contrib.auth.models import Group, User
    from django.db import connection

    from verification import roles
    from verification.extraction import normalize_text
    from verification.models import Article

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
    print(f"{len(texts)} articles ({words:,} words) in {args.segments} segments")
    database = connection.settings_dict["NAME"]
    size = -(-len(texts) // args.segments)
    segments = [texts[i : i + size] for i in range(0, len(texts), size)]
    engine, pipeline = Totals(), Totals()
    pipeline_ids: list[int] = []
    worker = start_worker(args.concurrency, "pipeline", "pipeline-worker.log")
    try:
        with multiprocessing.get_context("spawn").Pool(args.concurrency, initializer=_engine_init) as pool:
            pool.map(time.sleep, [0.0] * args.concurrency)  # every process initialised (the model loaded)
            for k, segment in enumerate(segments):
                # Engine then pipeline, then pipeline then engine: a drift in the machine's speed
                # over the run (15 % over minutes here) falls on both sides alike.
                order = ["engine", "pipeline"] if k % 2 == 0 else ["pipeline", "engine"]
                line = []
                for side in order:
                    if side == "engine":
                        busy, failed, cpu = engine_segment(pool, segment, args.concurrency)
                        engine.add(len(segment), busy, failed, {"engine processes": cpu})
                        line.append(f"engine alone {len(segment) / busy * 60:.0f}/min")
                    else:
                        before = cpu_snapshot(worker, database)
                        ids, seconds, failed = pipeline_segment(segment, editor, len(pipeline_ids), args.timeout)
                        pipeline.add(len(ids), seconds, failed, cpu_used(before, cpu_snapshot(worker, database)))
                        pipeline_ids += ids
                        line.append(f"pipeline {len(ids) / seconds * 60:.0f}/min")
                print(f"  segment {k + 1}/{len(segments)}, {len(segment)} articles: " + ", ".join(line), flush=True)
        load_after = os.getloadavg()
        memory = worker_memory(worker)
    finally:
        stop_process(worker)
    print(
        f"pipeline: {pipeline.articles} articles in {pipeline.seconds:.1f}s with {args.concurrency} worker processes: "
        f"{pipeline.rate:.1f} articles/minute ({pipeline.failed} failed)"
    )
    print(
        f"engine alone, {args.concurrency} processes, the same articles: {engine.articles} in {engine.seconds:.1f}s: "
        f"{engine.rate:.1f} articles/minute ({engine.failed} failed)"
    )
    print(f"load average at the end: {' '.join(f'{v:.2f}' for v in load_after)}")
    print(f"worker resident memory after {pipeline.articles} articles: {memory}")
    print(
        "CPU per article in the pipeline: "
        + ", ".join(f"{part} {seconds / pipeline.articles * 1000:.0f} ms" for part, seconds in pipeline.cpu.items())
        + f"; total {pipeline.cpu_ms():.0f} ms; the engine alone {engine.cpu_ms():.0f} ms"
    )
    print_runs(pipeline_ids, pipeline.seconds, args.concurrency)
    print(
        f"ratio pipeline / engine alone with the same {args.concurrency} processes: {pipeline.rate / engine.rate:.2f} "
        f"(target >= 0.8); CPU per article, engine alone / pipeline: {engine.cpu_ms() / pipeline.cpu_ms():.2f}"
    )


def pipeline_segment(texts: list[str], editor: Any, first: int, timeout: float) -> tuple[list[int], float, int]:
    """Submit these articles as the paste form does and wait for the worker to finish them: their
    ids, the seconds from the first submit to the last run's finished_at (both on this machine's
    clock; polling, once a second with a query that touches only the unfinished runs, only
    notices the end) and how many failed."""
    from django.db.models import Count, Max, Q
    from django.utils import timezone

    from verification import services
    from verification.models import Extraction, ExtractionState

    started_at = timezone.now()
    ids = []
    for i, text in enumerate(texts, start=first):
        article, created = services.article_submit(user=editor, title=f"{TITLE}{i}", outlet="PolNeAR", body=text)
        if not created:
            raise SystemExit(f"article {i} was already there (same content as #{article.pk})")
        ids.append(article.pk)
    runs = Extraction.objects.filter(article_id__gte=ids[0], article_id__lte=ids[-1], article__title__startswith=TITLE)
    unfinished = runs.filter(state__in=[ExtractionState.QUEUED, ExtractionState.EXTRACTING])
    deadline = time.monotonic() + timeout
    while unfinished.exists():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the pipeline")
        time.sleep(1.0)
    counts = runs.aggregate(
        n=Count("id"), failed=Count("id", filter=Q(state=ExtractionState.FAILED)), last=Max("finished_at")
    )
    if counts["n"] != len(ids):
        raise SystemExit(f"found {counts['n']} runs for {len(ids)} articles")
    return ids, (counts["last"] - started_at).total_seconds(), counts["failed"]


def print_runs(ids: list[int], seconds: float, concurrency: int) -> None:
    """Where the pool processes' time went, from the runs' own timings."""
    from django.db.models import Count, F, Sum

    from verification.models import Extraction, ExtractionState

    done = Extraction.objects.filter(article_id__in=ids, state=ExtractionState.DONE).aggregate(
        n=Count("id"),
        engine=Sum("engine_seconds"),
        save=Sum("save_seconds"),
        busy=Sum(F("finished_at") - F("started_at")),
    )
    if done["n"]:
        print(
            f"inside the runs (wall, per done article): engine {done['engine'] / done['n'] * 1000:.0f} ms, "
            f"saving {done['save'] / done['n'] * 1000:.0f} ms; the pool processes were inside a run "
            f"{done['busy'].total_seconds() / (concurrency * seconds) * 100:.0f} % of the time"
        )


if __name__ == "__main__":
    main()
