"""Memory of one worker process over many articles, as a Celery pool process runs them: one
`Engine.extract` per article, the model loaded once.

    .venv/bin/python bench/worker_memory.py [--articles 1000] [--data ../shared/data]

Prints the resident set size after loading the model (the baseline, in the same run) and every
100 articles; the target is under 500 MB after 1,000 articles.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    return psutil.Process(os.getpid()).memory_info().rss / 1_000_000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = ap.parse_args()
    with (args.data / "attribution" / "polnear_train.jsonl").open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh]
    from verification.extraction import Engine, normalize_text

    engine = Engine()
    engine.extract("Warm up: the minister said the model is loaded.")
    base = rss_mb()
    print(f"model loaded: RSS {base:.0f} MB")
    started = time.perf_counter()
    # Fewer than 1,000 train articles: go round again, as a long-lived worker sees new text daily.
    for n, text in enumerate(itertools.islice(itertools.cycle(texts), args.articles), start=1):
        engine.extract(normalize_text(text))
        if n % 100 == 0:
            now, spent = rss_mb(), time.perf_counter() - started
            print(f"after {n:5} articles: RSS {now:.0f} MB (+{now - base:.0f} MB), {spent:.0f} s")
    verdict = "under" if rss_mb() < 500 else "OVER"
    print(f"final RSS {rss_mb():.0f} MB: {verdict} the 500 MB target")


if __name__ == "__main__":
    main()
