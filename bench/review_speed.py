"""Server time of the review workspace: an article page with 300 claims, and setting one status.

    .venv/bin/python bench/review_speed.py [--claims 300] [--runs 30]

Uses DATABASE_URL when set (PostgreSQL for real figures), otherwise a fresh SQLite file under
var/. The baseline in the same run is /health/ (one query, no template): the difference is what
the page itself costs. Prints medians and p95 in milliseconds and the query counts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
os.environ.setdefault("DJANGO_STATIC_MANIFEST", "0")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
if "DATABASE_URL" not in os.environ:
    bench_db = ROOT / "var" / "bench-review.sqlite3"
    bench_db.parent.mkdir(exist_ok=True)
    bench_db.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{bench_db}"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", type=int, default=300)
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from tests.factories import ArticleFactory, ExtractionFactory, SpeakerFactory, UserFactory
    from verification import roles
    from verification.models import Claim, Flag, flag_codes_of

    setup_test_environment()
    if connection.vendor == "postgresql":
        # A throwaway database beside the configured one, like the test runner's.
        from django.test.utils import get_runner

        runner = get_runner(django.conf.settings)(verbosity=0, interactive=False)
        old = runner.setup_databases()
    else:
        old = None
        call_command("migrate", verbosity=0)
    try:
        bob = UserFactory.create(username="bench-reviewer", role=roles.REVIEWER)
        sentences = [f"Sentence {i} says the budget rose by {i} percent last year." for i in range(args.claims)]
        body = " ".join(sentences)
        article = ArticleFactory.create(body=body, submitted_by=UserFactory.create(username="bench-editor"))
        ExtractionFactory.create(article=article)
        speakers = [SpeakerFactory.create(name=f"Speaker {i}") for i in range(25)]
        pos, claims = 0, []
        for i, text in enumerate(sentences):
            start = body.index(text, pos)
            pos = start + len(text)
            claims.append(Claim(article=article, index=i, start=start, end=pos, text=text, speaker=speakers[i % 25],
                                cue="say", quote="indirect", checkworthiness=0.7))  # fmt: skip
        Claim.objects.bulk_create(claims)
        flagged = list(Claim.objects.filter(article=article)[: args.claims // 3])
        Flag.objects.bulk_create(
            Flag(claim=c, code="hedged", text="says", start=c.start + 12, end=c.start + 16, explanation="Hedged.")
            for c in flagged
        )
        Claim.objects.filter(pk__in=[c.pk for c in flagged]).update(flag_codes=flag_codes_of(["hedged"]))
        client = Client()
        client.force_login(bob)
        url = article.get_absolute_url()
        target = Claim.objects.filter(article=article).order_by("start").first()
        assert target is not None
        client.get(url)  # warm caches and the template loader

        health = timed(lambda: client.get("/health/"), args.runs)
        page = timed(lambda: client.get(url), args.runs)
        with CaptureQueriesContext(connection) as page_queries:
            client.get(url)
        statuses = ["supported", "unverifiable"]
        counter = iter(range(10**6))

        def set_status() -> None:
            i = next(counter)
            target.refresh_from_db()
            response = client.post(
                f"/claims/{target.pk}/status/",
                {"evidence_status": statuses[i % 2], "version": target.version},
                headers={"HX-Request": "true"},
            )
            assert response.status_code == 200

        status = timed(set_status, args.runs)
        with CaptureQueriesContext(connection) as status_queries:
            set_status()
    finally:
        if old is not None:
            runner.teardown_databases(old)

    print(f"database: {connection.vendor}; article with {args.claims} claims; {args.runs} runs each")
    for name, values, queries in [
        ("baseline /health/", health, None),
        ("article page (full)", page, len(page_queries.captured_queries)),
        ("set status (htmx)", status, len(status_queries.captured_queries)),
    ]:
        q = "" if queries is None else f"  queries {queries}"
        print(f"{name:22} p50 {statistics.median(values):8.1f} ms  p95 {percentile(values, 0.95):8.1f} ms{q}")
    print(f"article page / baseline: {statistics.median(page) / statistics.median(health):.1f}x")


if __name__ == "__main__":
    main()
