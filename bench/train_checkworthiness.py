"""Train the check-worthiness scorer (numpy logistic regression) and write its model file.

    .venv/bin/python bench/train_checkworthiness.py [--data DIR] [--out PATH] [--select]

Reads the CheckThat! 2024 Task 1 English files (``ct24_train.tsv``, ``ct24_dev.tsv``) from
/work/shared/data/checkworthiness by default and trains on both: dev is a training split too, and its
1,032 expert labels are the best labels there are (train is crowd-labelled). So no split is held out for
model selection; ``--select`` instead runs the hyper-parameter grid with unseen-debate cross-validation over
train + dev (5 contiguous blocks of sentence ids, which follow the debates) and prints the F1 per block and
the F1 of the expert-labelled (dev) sentences from their out-of-fold predictions; it writes nothing.
The dev-test file is not read here: it is the final measure, printed by bench/checkworthiness_eval.py.

Deterministic: no randomness at all (full-batch L-BFGS from zero weights), and BLAS is kept to one thread (a
multi-threaded BLAS is both slower here, on a busy 2-core machine, and free to sum in a different order).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# Before numpy is imported: one BLAS thread (see above). Set from outside to override.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verification.extraction.checkworthiness import (  # noqa: E402
    MODEL_PATH,
    N_DENSE,
    CheckworthinessScorer,
    Featurizer,
    csr_dot,
    sigmoid,
)

DEFAULT_DATA = Path("/work/shared/data/checkworthiness")


@dataclass(frozen=True)
class Params:
    """Hyper-parameters; the defaults are the setting chosen with ``--select`` (unseen-debate CV on train + dev).

    Also tried and not better there: class_power 0.5 / 0.75 / 0.9 / 1.25, l2 3e-6 / 7e-6 / 1.5e-5 / 3e-5, three
    times the weight on the expert-labelled dev sentences, 32 spaCy parse features (entity counts by label,
    tense, modals, subjects) and the parser's mean/max token vectors (+0.000 to +0.003 F1, for a parse of every
    sentence and an engine change), NBSVM log-count-ratio scaling, word trigrams, skip-bigrams, stem bigrams,
    binary or length^-1/4 row scaling, a mean of probabilities with a character n-gram model, 15 more cues
    (hedges, reported speech, negation, months, promises, named-entity runs...: +0.001), pairwise products of
    the cues, dropping or smoothing crowd labels the model finds implausible, and a threshold other than 0.5.
    """

    bits: int = 20  # 2^18 slots collide more; 2^20 and 2^22 are within the CV's noise of each other
    char_ngrams: tuple[int, int] = (0, 0)  # in-word character n-grams did not help (dev or unseen debates)
    stems: bool = True  # stem unigrams beside the word n-grams
    l2: float = 1e-5  # on the mean weighted log-loss
    dense_l2: float = 1e-4
    class_power: float = 1.0  # class weight = (1 / class frequency) ** power; 1 = balanced, 0 = none
    use_dense: bool = True
    use_sparse: bool = True
    max_iter: int = 300


@dataclass
class Split:
    ids: list[int]
    texts: list[str]
    y: np.ndarray


def read_split(path: Path) -> Split:
    """Reads one CT24 TSV; mends the one line of train that holds two rows (see the data README)."""
    ids: list[int] = []
    texts: list[str] = []
    labels: list[int] = []
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f, delimiter="\t")
        header = next(reader)
        if header[:3] != ["Sentence_id", "Text", "class_label"]:
            raise ValueError(f"{path}: unexpected header {header}")
        for row in reader:
            if not row:
                continue
            rows = [row]
            if len(row) == 5 and row[2].startswith("No") and row[2][2:].isdigit():
                rows = [[row[0], row[1], "No"], [row[2][2:], row[3], row[4]]]
            for r in rows:
                if len(r) != 3 or r[2] not in ("Yes", "No"):
                    raise ValueError(f"{path}: bad row {r}")
                ids.append(int(r[0]))
                texts.append(r[1])
                labels.append(1 if r[2] == "Yes" else 0)
    return Split(ids, texts, np.asarray(labels, dtype=np.float64))


@dataclass
class Matrix:
    indices: np.ndarray
    indptr: np.ndarray
    data: np.ndarray
    dense: np.ndarray

    @property
    def n(self) -> int:
        return len(self.indptr) - 1

    def rows(self, sel: np.ndarray) -> Matrix:
        sel = np.asarray(sel)
        starts, ends = self.indptr[sel], self.indptr[sel + 1]
        lengths = ends - starts
        pieces = [np.arange(s, e) for s, e in zip(starts, ends, strict=True)]
        take = np.concatenate(pieces).astype(np.int64) if pieces else np.empty(0, dtype=np.int64)
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        return Matrix(self.indices[take], indptr, self.data[take], self.dense[sel])


def featurizer(p: Params) -> Featurizer:
    return Featurizer(bits=p.bits, char_ngrams=p.char_ngrams, stems=p.stems)


def featurize(texts: Sequence[str], p: Params) -> Matrix:
    return Matrix(*featurizer(p).transform(texts))


def _xt_dot(m: Matrix, g: np.ndarray, dim: int) -> np.ndarray:
    weights = m.data * np.repeat(g, np.diff(m.indptr))
    return np.bincount(m.indices, weights=weights, minlength=dim)


def lbfgs(fun, x0: np.ndarray, max_iter: int, memory: int = 10, tol: float = 1e-6) -> np.ndarray:
    """Minimal L-BFGS with a backtracking (Armijo) line search, for a smooth convex objective."""
    x = x0.copy()
    f, g = fun(x)
    s_hist: list[np.ndarray] = []
    y_hist: list[np.ndarray] = []
    for _ in range(max_iter):
        q = g.copy()
        alphas = []
        for s, yv in zip(reversed(s_hist), reversed(y_hist), strict=True):
            a = s @ q / (yv @ s)
            alphas.append(a)
            q -= a * yv
        if s_hist:
            q *= (s_hist[-1] @ y_hist[-1]) / (y_hist[-1] @ y_hist[-1])
        for (s, yv), a in zip(zip(s_hist, y_hist, strict=True), reversed(alphas), strict=True):
            b = yv @ q / (yv @ s)
            q += (a - b) * s
        d = -q
        slope = g @ d
        if slope >= 0:  # not a descent direction: restart from steepest descent
            d, slope = -g, -(g @ g)
            s_hist.clear()
            y_hist.clear()
        step = 1.0
        while True:
            x_new = x + step * d
            f_new, g_new = fun(x_new)
            if f_new <= f + 1e-4 * step * slope or step < 1e-10:
                break
            step *= 0.5
        s_k, y_k = x_new - x, g_new - g
        if s_k @ y_k > 1e-12:
            s_hist.append(s_k)
            y_hist.append(y_k)
            if len(s_hist) > memory:
                s_hist.pop(0)
                y_hist.pop(0)
        converged = abs(f - f_new) <= tol * max(1.0, abs(f)) and np.linalg.norm(g_new, np.inf) < 1e-5
        x, f, g = x_new, f_new, g_new
        if converged:
            break
    return x


def fit(m: Matrix, y: np.ndarray, p: Params, weight: np.ndarray | None = None) -> CheckworthinessScorer:
    """Weighted, L2-regularised logistic regression on the sparse and (standardised) dense features.

    ``weight`` multiplies each sentence's class weight (e.g. more trust in expert labels); default 1.
    The optimiser works on the hash slots that occur in ``m`` only (a slot that never occurs keeps weight 0).
    """
    used, compact_indices = np.unique(m.indices, return_inverse=True)
    m = Matrix(compact_indices.astype(np.int64), m.indptr, m.data, m.dense)
    dim = len(used)
    mean = m.dense.mean(axis=0)
    std = m.dense.std(axis=0)
    std[std < 1e-9] = 1.0
    dense = (m.dense - mean) / std
    pos = y.mean()
    w_pos, w_neg = (1.0 / pos) ** p.class_power, (1.0 / (1.0 - pos)) ** p.class_power
    sw = np.where(y > 0, w_pos, w_neg)
    if weight is not None:
        sw = sw * weight
    sw /= sw.sum()

    def unpack(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        return x[:dim], x[dim : dim + N_DENSE], float(x[-1])

    def fun(x: np.ndarray) -> tuple[float, np.ndarray]:
        ws, wd, b = unpack(x)
        z: np.ndarray = b + (dense @ wd if p.use_dense else np.zeros(len(y)))
        if p.use_sparse:
            z = z + csr_dot(m.indices, m.indptr, m.data, ws)
        # log(1 + e^-yz) written stably, with labels in {0, 1}
        loss = np.logaddexp(0.0, z) - y * z
        f = float(sw @ loss) + 0.5 * p.l2 * float(ws @ ws) + 0.5 * p.dense_l2 * float(wd @ wd)
        r = sw * (sigmoid(z) - y)
        grad = np.empty_like(x)
        grad[:dim] = (_xt_dot(m, r, dim) if p.use_sparse else 0.0) + p.l2 * ws
        grad[dim : dim + N_DENSE] = (dense.T @ r if p.use_dense else 0.0) + p.dense_l2 * wd
        grad[-1] = r.sum()
        return f, grad

    x = lbfgs(fun, np.zeros(dim + N_DENSE + 1), max_iter=p.max_iter)
    ws_used, wd, b = unpack(x)
    ws = np.zeros(1 << p.bits)
    ws[used] = ws_used
    return CheckworthinessScorer(featurizer(p), w_sparse=ws, w_dense=wd, dense_mean=mean, dense_std=std, bias=b)


def predict(model: CheckworthinessScorer, m: Matrix) -> np.ndarray:
    z = csr_dot(m.indices, m.indptr, m.data, model.w_sparse)
    z += ((m.dense - model.dense_mean) / model.dense_std) @ model.w_dense
    return np.asarray(sigmoid(z + model.bias))


def prf(y: np.ndarray, prob: np.ndarray, threshold: float = 0.5) -> tuple[float, float, float]:
    """Precision, recall and F1 of the Yes class."""
    pred = prob >= threshold
    tp = float(np.sum(pred & (y > 0)))
    p = tp / max(float(pred.sum()), 1.0)
    r = tp / max(float((y > 0).sum()), 1.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def debate_blocks(ids: Sequence[int], k: int) -> np.ndarray:
    """Block number (0..k-1) of each sentence: contiguous runs of sentence ids, i.e. whole debates mostly.

    The cut points are moved to the largest id gap near each k-quantile, so that a debate is rarely cut in two.
    """
    order = np.argsort(ids, kind="stable")
    sorted_ids = np.asarray(ids)[order]
    gaps = np.diff(sorted_ids)
    n = len(sorted_ids)
    cuts = []
    for j in range(1, k):
        centre = j * n // k
        lo, hi = max(centre - n // (4 * k), 1), min(centre + n // (4 * k), n - 1)
        cuts.append(lo + int(np.argmax(gaps[lo - 1 : hi - 1])))
    block_sorted = np.searchsorted(np.asarray(cuts), np.arange(n), side="right")
    blocks = np.empty(n, dtype=np.int64)
    blocks[order] = block_sorted
    return blocks


@dataclass
class CvResult:
    block_f1: list[float]
    expert: tuple[float, float, float]  # P, R, F1 of the expert-labelled sentences, out of fold


def unseen_debate_cv(
    m: Matrix, y: np.ndarray, ids: Sequence[int], p: Params, k: int = 5, expert: np.ndarray | None = None
) -> CvResult:
    """F1 on each block of debates when trained on the other blocks (and on the ``expert`` rows, pooled)."""
    blocks = debate_blocks(ids, k)
    oof = np.zeros(len(y))
    scores = []
    for b in range(k):
        tr, te = np.flatnonzero(blocks != b), np.flatnonzero(blocks == b)
        model = fit(m.rows(tr), y[tr], p)
        oof[te] = predict(model, m.rows(te))
        scores.append(prf(y[te], oof[te])[2])
    ex = prf(y[expert], oof[expert]) if expert is not None and expert.any() else (0.0, 0.0, 0.0)
    return CvResult(scores, ex)


def read_training(data: Path) -> tuple[Split, np.ndarray]:
    """train + dev as one split, and a mask of the dev (expert-labelled) rows."""
    train, dev = read_split(data / "ct24_train.tsv"), read_split(data / "ct24_dev.tsv")
    both = Split(train.ids + dev.ids, train.texts + dev.texts, np.concatenate([train.y, dev.y]))
    expert = np.concatenate([np.zeros(len(train.y), dtype=bool), np.ones(len(dev.y), dtype=bool)])
    return both, expert


def select(data: Path) -> None:
    both, expert = read_training(data)
    grid = [
        Params(),
        Params(stems=False),
        Params(bits=18),
        Params(l2=1.5e-5),
        Params(class_power=0.9),
        Params(use_dense=False),
    ]
    cache: dict[tuple[int, tuple[int, int], bool], Matrix] = {}
    print("bits stems l2      power dense | unseen-debate F1 (5 blocks)  mean | expert rows out of fold: P  R  F1")
    for p in grid:
        key = (p.bits, p.char_ngrams, p.stems)
        if key not in cache:
            cache[key] = featurize(both.texts, p)
        cv = unseen_debate_cv(cache[key], both.y, both.ids, p, expert=expert)
        print(
            f"{p.bits:<4} {p.stems!s:5} {p.l2:<7.1e} {p.class_power:<5} {p.use_dense!s:5} | "
            + " ".join(f"{s:.3f}" for s in cv.block_f1)
            + f"  {np.mean(cv.block_f1):.3f} | "
            + " ".join(f"{v:.3f}" for v in cv.expert),
            flush=True,
        )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with ct24_train.tsv and ct24_dev.tsv")
    ap.add_argument("--out", type=Path, default=MODEL_PATH, help="model file to write")
    ap.add_argument("--select", action="store_true", help="run the hyper-parameter grid; write nothing")
    args = ap.parse_args(argv)
    if args.select:
        select(args.data)
        return 0
    p = Params()
    t0 = time.perf_counter()
    both, _ = read_training(args.data)
    model = fit(featurize(both.texts, p), both.y, p)
    train_s = time.perf_counter() - t0
    model.save(args.out)
    # Training-set F1 of the model as shipped (reloaded: the saved weights are float16); a sanity check only.
    shipped = CheckworthinessScorer.load(args.out)
    tp, tr, tf = prf(both.y, np.asarray(shipped.score(both.texts)))
    print(f"train + dev: {len(both.texts)} sentences ({int(both.y.sum())} Yes), {train_s:.1f} s")
    print(f"model: {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
    print(f"on its own training data (not a measure): P={tp:.3f} R={tr:.3f} F1={tf:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
