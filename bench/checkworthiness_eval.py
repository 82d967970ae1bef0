"""Evaluate the shipped check-worthiness scorer.

    .venv/bin/python bench/checkworthiness_eval.py [--data DIR] [--model PATH] [--no-cv] [--baseline]

Prints precision, recall and F1 of the Yes class at threshold 0.5 on dev and dev-test (the final measure;
do not tune on it), the scoring speed, and, as a generalisation check, F1 on unseen debates: train is cut into
5 contiguous blocks of sentence ids (ids follow the debates), and a model with the shipped hyper-parameters is
trained on 4 blocks and scored on the fifth. ``--baseline`` adds the same check for word 1-2-grams alone
(no character n-grams, no hand-made cues), for contrast.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_checkworthiness import (
    DEFAULT_DATA,
    MODEL_PATH,
    CheckworthinessScorer,
    Params,
    featurize,
    prf,
    read_split,
    unseen_debate_cv,
)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--model", type=Path, default=MODEL_PATH)
    ap.add_argument("--no-cv", action="store_true", help="skip the unseen-debate check (it retrains 5 models)")
    ap.add_argument("--baseline", action="store_true", help="also run the unseen-debate check for word n-grams only")
    args = ap.parse_args(argv)

    scorer = CheckworthinessScorer.load(args.model)
    print(f"model: {args.model} ({args.model.stat().st_size / 1e6:.2f} MB)")
    for name in ("dev", "devtest"):
        split = read_split(args.data / f"ct24_{name}.tsv")
        t0 = time.perf_counter()
        prob = np.asarray(scorer.score(split.texts))
        dt = time.perf_counter() - t0
        p, r, f = prf(split.y, prob)
        print(
            f"{name:8} n={len(split.texts):5}  P={p:.3f} R={r:.3f} F1={f:.3f}  "
            f"({len(split.texts) / dt:,.0f} sentences/s)"
        )

    if not args.no_cv:
        train = read_split(args.data / "ct24_train.tsv")
        settings = [("shipped", Params())]
        if args.baseline:
            settings.append(("words only", Params(char_ngrams=(0, 0), use_dense=False)))
        for label, params in settings:
            t0 = time.perf_counter()
            scores = unseen_debate_cv(featurize(train.texts, params), train.y, train.ids, params)
            print(
                f"unseen debates ({label}): F1 per block "
                + " ".join(f"{s:.3f}" for s in scores)
                + f"  mean {np.mean(scores):.3f}  ({time.perf_counter() - t0:.0f} s)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
