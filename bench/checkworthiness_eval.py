"""Evaluate the shipped check-worthiness scorer.

    .venv/bin/python bench/checkworthiness_eval.py [--data DIR] [--model PATH] [--no-cv] [--baseline]

Prints precision, recall and F1 of the Yes class at threshold 0.5 on dev (part of the training data since the
model trains on train + dev, so only a sanity check) and dev-test (the final measure; do not tune on it), the
scoring speed, and, as a generalisation check, F1 on unseen debates: train + dev is cut into 5 contiguous
blocks of sentence ids (ids follow the debates), a model with the shipped hyper-parameters is trained on 4
blocks and scored on the fifth; the expert-labelled (dev) sentences are also scored together, out of fold.
``--baseline`` adds the same check for word 1-2-grams alone (no hand-made cues), for contrast.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

# One BLAS thread, as in the trainer (it sets the same before numpy is first imported).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_checkworthiness import (  # noqa: E402
    DEFAULT_DATA,
    MODEL_PATH,
    CheckworthinessScorer,
    Params,
    featurize,
    prf,
    read_split,
    read_training,
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
        note = "  [trained on]" if name == "dev" else ""
        print(
            f"{name:8} n={len(split.texts):5}  P={p:.3f} R={r:.3f} F1={f:.3f}  "
            f"({len(split.texts) / dt:,.0f} sentences/s){note}"
        )

    if not args.no_cv:
        both, expert = read_training(args.data)
        settings = [("shipped", Params())]
        if args.baseline:
            settings.append(("words only", Params(use_dense=False)))
        for label, params in settings:
            t0 = time.perf_counter()
            cv = unseen_debate_cv(featurize(both.texts, params), both.y, both.ids, params, expert=expert)
            ep, er, ef = cv.expert
            print(
                f"unseen debates ({label}): F1 per block "
                + " ".join(f"{s:.3f}" for s in cv.block_f1)
                + f"  mean {np.mean(cv.block_f1):.3f}; expert rows out of fold P={ep:.3f} R={er:.3f} F1={ef:.3f}"
                f"  ({time.perf_counter() - t0:.0f} s)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
