"""Sixteen people on the desk at once: My queue, an article page, the claim search, the overview.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_load \\
        .venv/bin/python bench/web_load.py [--users 16] [--duration 60] [--think 0.5,1.5] [--workers 3]

Needs a database filled by `manage.py seed_load` (its accounts log in here, with CSRF, as a
browser does). Starts gunicorn on 127.0.0.1 with production-like settings (DEBUG off, the
cached template loader, persistent database connections; only HTTPS and secure cookies are off,
since nothing here speaks TLS), then runs one thread per person for a bounded time and request
count. Editors (one person in four) cycle through the overview, My queue, an article and a
search; reviewers through the last three. Each person waits a random think time between pages
(`--think 0` for a saturation run). `--single N` first times N requests of each page alone,
one at a time, as the cost of one request. Prints requests/s and p50/p95/p99 per page, every error,
and the load average of the machine. Traffic goes to 127.0.0.1 only.

The standard library's http.client is the client: no dependency for the benchmark, and a
thread per person is plenty for sixteen people.
"""

from __future__ import annotations

import argparse
import http.client
import math
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import procstat  # noqa: E402  (after the path above)

HOST = "127.0.0.1"
PASSWORD = "load-test-password"  # seed_load's load-test accounts
SEARCHES = [
    {"q": "inflation"},
    {"q": "hospital waiting times"},
    {"q": "defence spending", "status": "unsupported"},
    {"q": '"energy prices"'},
    {"status": "false"},
    {"q": "migration", "flag": "hedged"},
    {},
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile of sorted values."""
    if not values:
        return float("nan")
    return values[max(0, math.ceil(q * len(values)) - 1)]


class Browser:
    """One person's cookies and requests: a new connection each time, as gunicorn's sync workers close them."""

    def __init__(self, port: int, timeout: float) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str, bytes]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        headers = {"Host": HOST, "User-Agent": "newsroom-web-load"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie: SimpleCookie = SimpleCookie()
                cookie.load(header)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
            return response.status, response.headers.get("Location", ""), data
        finally:
            conn.close()

    def login(self, username: str) -> None:
        status, _, page = self.request("GET", "/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not match:
            raise RuntimeError(f"login page: HTTP {status}")
        form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": match.group(1).decode()}
        status, location, _ = self.request("POST", "/login/", urlencode(form))
        if status != 302 or "login" in location:
            raise RuntimeError(f"login as {username} failed: HTTP {status} -> {location!r}")


@dataclass
class Results:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    count: int = 0

    def record(self, page: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.count += 1
            self.latencies[page].append(seconds)
            if error:
                self.errors[page][error] += 1


def seeded_targets() -> tuple[list[int], list[int]]:
    """Article ids and speaker ids to visit, read once from the seeded database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from verification.models import Article, Speaker

    articles = list(Article.objects.filter(submitted_by__username__startswith="load-").values_list("pk", flat=True))
    speakers = list(Speaker.objects.values_list("pk", flat=True)[:200])
    if not articles:
        raise SystemExit("error: no seeded articles; run `manage.py seed_load` against this DATABASE_URL first")
    return articles, speakers


def person(
    n: int,
    port: int,
    results: Results,
    stop: threading.Event,
    articles: list[int],
    args: argparse.Namespace,
    ready: threading.Barrier,
) -> None:
    rng = random.Random(n)
    editor = n % 4 == 0
    username = f"load-editor-{n // 4 + 1}" if editor else f"load-reviewer-{n - n // 4}"
    browser = Browser(port, timeout=args.timeout)
    try:
        browser.login(username)
    except Exception as exc:
        results.record("login", 0.0, f"{type(exc).__name__}: {exc}")
        ready.abort()
        return
    # Everyone logs in before the clock starts: the timed part is reading the desk.
    ready.wait(timeout=120)
    pages = ["overview", "my_queue", "article", "search"] if editor else ["my_queue", "article", "search"]
    i = rng.randrange(len(pages))
    while not stop.is_set():
        page = pages[i % len(pages)]
        i += 1
        if page == "overview":
            path = "/desk/"
        elif page == "my_queue":
            path = "/desk/mine/"
        elif page == "article":
            path = f"/articles/{rng.choice(articles)}/"
        else:
            path = "/claims/?" + urlencode(rng.choice(SEARCHES))
        started = time.perf_counter()
        error = None
        try:
            status, location, _ = browser.request("GET", path)
            if status != 200:
                error = f"HTTP {status}" + (f" -> {location}" if location else "")
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
        results.record(page, time.perf_counter() - started, error)
        with results.lock:
            if results.count >= args.max_requests:
                stop.set()
        if args.think_max > 0:
            stop.wait(rng.uniform(args.think_min, args.think_max))


def start_gunicorn(port: int, workers: int) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_STATIC_MANIFEST="0",
        LOG_LEVEL="WARNING",
    )
    log = open(REPO / "var" / "web_load-gunicorn.log", "wb")  # noqa: SIM115  (closed with the process)
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "newsroom.wsgi", "-w", str(workers), "-b", f"{HOST}:{port}",
         "--timeout", "60"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited ({proc.returncode}); see var/web_load-gunicorn.log")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/health/")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.3)
    stop_process(proc)
    raise SystemExit("gunicorn did not answer /health/ within 60 s")


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def warm_up(port: int, articles: list[int]) -> None:
    """One login and one request per page per worker slot, untimed: imports and caches are not the subject."""
    editor = Browser(port, timeout=60)
    editor.login("load-editor-1")
    for _ in range(3):
        for path in ["/desk/", "/desk/mine/", f"/articles/{articles[0]}/", "/claims/?q=inflation"]:
            editor.request("GET", path)


def single_requests(port: int, articles: list[int], n: int) -> None:
    """Each page alone, one request at a time (no other user): what one request costs the server."""
    editor, reviewer = Browser(port, timeout=60), Browser(port, timeout=60)
    editor.login("load-editor-1")
    reviewer.login("load-reviewer-1")
    rng = random.Random(0)
    pages = [("overview", editor, "/desk/"), ("my_queue", reviewer, "/desk/mine/"), ("article", reviewer, "")]
    pages += [(f"search {urlencode(q) or '(none)'}", reviewer, "/claims/?" + urlencode(q)) for q in SEARCHES]
    print(f"single requests, one at a time, {n} of each (median and max ms, loopback HTTP included):")
    for name, browser, path in pages:
        times = []
        for _ in range(n):
            started = time.perf_counter()
            status, _, body = browser.request("GET", path or f"/articles/{rng.choice(articles)}/")
            times.append((time.perf_counter() - started) * 1000)
            if status != 200:
                print(f"  {name}: HTTP {status}")
        times.sort()
        print(f"  {name:<40} median {times[len(times) // 2]:6.0f}  max {times[-1]:6.0f}  ({len(body) // 1024} KB)")


def cpu_snapshot(gunicorn: subprocess.Popen[bytes], database: str) -> dict[str, dict[int, float]]:
    """CPU seconds so far by part, per process, so a process that started meanwhile counts from 0:
    gunicorn (master and workers), PostgreSQL's backends of the database (those that ended, as
    connections past their CONN_MAX_AGE do, through the postmaster: it also counts ended backends
    of other databases, so on a shared machine that part is an upper bound), this script (the
    sixteen people), and the whole machine (pid 0)."""
    workers = procstat.children(gunicorn.pid)
    backends = procstat.postgres_pids(database)
    postmaster = procstat.parent_pid(backends[0]) if backends else 0
    return {
        "gunicorn": {p: procstat.cpu_seconds(p) for p in [gunicorn.pid, *workers]},
        "PostgreSQL": {
            **{p: procstat.cpu_seconds(p) for p in backends},
            -1: procstat.ended_children_seconds(postmaster),
        },
        "this script": {os.getpid(): procstat.cpu_seconds(os.getpid())},
        "machine": {0: procstat.machine_busy_seconds()},
    }


def report_cpu(
    before: dict[str, dict[int, float]], after: dict[str, dict[int, float]], requests: int, elapsed: float
) -> None:
    """Where the CPU went, per request; "other" is every process of the machine not named, which is
    how a run shows it was not alone on the machine."""
    if not requests:
        return
    used = {
        part: sum(max(0.0, seconds - before[part].get(pid, 0.0)) for pid, seconds in after[part].items())
        for part in after
    }
    other = max(0.0, used["machine"] - used["gunicorn"] - used["PostgreSQL"] - used["this script"])
    parts = [f"{part} {used[part] / requests * 1000:.0f} ms" for part in ("gunicorn", "PostgreSQL", "this script")]
    print(
        f"CPU per request: {', '.join(parts)}, other processes {other / requests * 1000:.0f} ms; the machine was "
        f"busy {used['machine'] / elapsed / (os.cpu_count() or 1) * 100:.0f} % of {os.cpu_count()} CPUs"
    )


def report(results: Results, elapsed: float, args: argparse.Namespace, claims: int, load: tuple[float, ...]) -> int:
    print(
        f"{args.users} users, {elapsed:.1f}s, think time {args.think_min:g}-{args.think_max:g}s, gunicorn -w "
        f"{args.workers}, {claims:,} claims; {os.cpu_count()} CPUs"
    )
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; after: " + " ".join(
        f"{v:.2f}" for v in os.getloadavg()))  # fmt: skip
    heads = ["requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors"]
    print(f"{'page':<10} " + " ".join(f"{h:>{8 if h == 'requests' else 7 if h != 'errors' else 6}}" for h in heads))
    all_latencies: list[float] = []
    total_errors = 0
    for page in ["my_queue", "article", "search", "overview", "login"]:
        values = sorted(results.latencies.get(page, []))
        if not values:
            continue
        errors = sum(results.errors[page].values())
        total_errors += errors
        if page != "login":
            all_latencies += values
        print(
            f"{page:<10} {len(values):>8} {len(values) / elapsed:>7.1f} {percentile(values, 0.5) * 1000:>7.0f} "
            f"{percentile(values, 0.95) * 1000:>7.0f} {percentile(values, 0.99) * 1000:>7.0f} "
            f"{values[-1] * 1000:>7.0f} {errors:>6}"
        )
    all_latencies.sort()
    print(
        f"{'all':<10} {len(all_latencies):>8} {len(all_latencies) / elapsed:>7.1f} "
        f"{percentile(all_latencies, 0.5) * 1000:>7.0f} {percentile(all_latencies, 0.95) * 1000:>7.0f} "
        f"{percentile(all_latencies, 0.99) * 1000:>7.0f} {all_latencies[-1] * 1000 if all_latencies else 0:>7.0f} "
        f"{total_errors:>6}"
    )
    for page, counter in results.errors.items():
        for error, n in counter.most_common(5):
            print(f"  error on {page}: {n} x {error}")
    return 1 if total_errors else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--users", type=int, default=16)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of measured load (at most 600)")
    ap.add_argument("--max-requests", type=int, default=50_000)
    ap.add_argument("--think", default="0.5,1.5", help="min,max seconds between a person's pages; 0 for none")
    ap.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    ap.add_argument("--timeout", type=float, default=30.0, help="per request, seconds")
    ap.add_argument("--port", type=int, default=0, help="default: a free port")
    ap.add_argument("--single", type=int, default=0, help="first time N requests of each page alone, one at a time")
    args = ap.parse_args()
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("error: set DATABASE_URL to the seeded database (see the docstring)")
    low, _, high = args.think.partition(",")
    args.think_min, args.think_max = float(low), float(high or low)
    args.duration = min(args.duration, 600.0)

    articles, _speakers = seeded_targets()
    from django.db import connection

    from verification.models import Claim

    claims = Claim.objects.count()
    (REPO / "var").mkdir(exist_ok=True)
    port = args.port or free_port()
    load = os.getloadavg()
    proc = start_gunicorn(port, args.workers)
    try:
        warm_up(port, articles)
        if args.single:
            single_requests(port, articles, args.single)
        results = Results()
        stop = threading.Event()
        ready = threading.Barrier(args.users + 1)
        threads = [
            threading.Thread(target=person, args=(n, port, results, stop, articles, args, ready), daemon=True)
            for n in range(args.users)
        ]
        for t in threads:
            t.start()
        try:
            ready.wait(timeout=120)
        except threading.BrokenBarrierError:
            stop.set()
        database = str(connection.settings_dict["NAME"])
        cpu_before = cpu_snapshot(proc, database)
        started = time.perf_counter()
        stop.wait(args.duration)
        stop.set()
        for t in threads:
            t.join(timeout=args.timeout + 5)
        elapsed = time.perf_counter() - started
        cpu_after = cpu_snapshot(proc, database)
    finally:
        stop_process(proc)
    status = report(results, elapsed, args, claims, load)
    report_cpu(cpu_before, cpu_after, sum(len(v) for v in results.latencies.values()), elapsed)
    sys.exit(status)


if __name__ == "__main__":
    main()
