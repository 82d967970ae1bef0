"""Measure the engine's unsupported-claim flags against the hand-labelled set in bench/flags_labelled.jsonl.

    .venv/bin/python bench/flags_eval.py [--data ../shared/data] [--show-errors] [--flag hedged]

The set stores references (PolNeAR train file name + character offsets), never article text: the texts are read
from the shared data folder at run time. Each labelled sentence is matched to the engine claims that overlap it;
the union of those claims' flag codes is compared with the gold flags:

- a gold flag the engine gives is a TP, one it misses is a FN;
- a flag the engine gives that is neither gold nor listed under "allowed" (borderline cases, as in the sample's
  expected.json) is a FP; an allowed flag is not counted either way.

For `disputed`, a TP is also checked for whether the claim's `disputed_by` points at the disputing sentence.
See bench/FLAGS.md for how the set was sampled and labelled.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

FLAG_CODES = ("evidence_absent", "denial", "hedged", "unnamed_source", "secondhand", "unattributed", "disputed")
DEFAULT_SET = REPO / "bench" / "flags_labelled.jsonl"
DEFAULT_DATA = REPO.parent / "shared" / "data"


def load_set(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_texts(data: Path, wanted: set[str]) -> dict[str, str]:
    path = data / "attribution" / "polnear_train.jsonl"
    if not path.exists():
        raise SystemExit(f"error: {path} not found (pass --data /path/to/shared/data)")
    texts = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["file"] in wanted:
                texts[rec["file"]] = rec["text"]
    missing = wanted - texts.keys()
    if missing:
        raise SystemExit(f"error: {len(missing)} labelled article(s) not in {path}, e.g. {sorted(missing)[0]}")
    return texts


def run_engine(texts: dict[str, str]) -> dict[str, list]:
    """Claims per article, from one Engine().extract_many call over all labelled articles."""
    from verification.extraction import Engine

    names = sorted(texts)
    out = {}
    for name, result in zip(names, Engine().extract_many(texts[n] for n in names), strict=True):
        if result.text != texts[name]:
            print(f"warning: the engine changed the text of {name}; its offsets may not line up", file=sys.stderr)
        out[name] = list(result.claims)
    return out


def overlapping(claims: list, start: int, end: int) -> list:
    return [c for c in claims if c.start < end and c.end > start]


def score(rows: list[dict], texts: dict[str, str], claims: dict[str, list]) -> tuple[dict, list[dict], dict]:
    counts = {code: {"tp": 0, "fp": 0, "fn": 0, "gold": 0} for code in FLAG_CODES}
    errors: list[dict] = []
    extra = {"no_claim": 0, "disputed_tp": 0, "disputed_right_source": 0, "random": 0, "random_fp": 0}
    for row in rows:
        f, s, e = row["file"], row["start"], row["end"]
        hits = overlapping(claims[f], s, e)
        if not hits:
            extra["no_claim"] += 1
        got = {fl.code for c in hits for fl in c.flags}
        gold, allowed = set(row["flags"]), set(row.get("allowed", ()))
        fps = got - gold - allowed
        for code in FLAG_CODES:
            counts[code]["gold"] += code in gold
            if code in gold and code in got:
                counts[code]["tp"] += 1
            elif code in gold:
                counts[code]["fn"] += 1
            elif code in fps:
                counts[code]["fp"] += 1
        if "disputed" in gold and "disputed" in got:
            extra["disputed_tp"] += 1
            by = row.get("disputed_by_start")
            disputers = {c.index for c in claims[f] if by is not None and c.start <= by < c.end}
            if any(disputers & set(c.disputed_by) for c in hits):
                extra["disputed_right_source"] += 1
        if row.get("sample") == "random":
            extra["random"] += 1
            extra["random_fp"] += bool(fps)
        missed = gold - got
        if fps or missed:
            errors.append(
                {
                    "file": f,
                    "start": s,
                    "end": e,
                    "text": texts[f][s:e],
                    "expected": sorted(gold, key=FLAG_CODES.index),
                    "allowed": sorted(allowed, key=FLAG_CODES.index),
                    "got": sorted(got, key=FLAG_CODES.index),
                    "fp": sorted(fps, key=FLAG_CODES.index),
                    "fn": sorted(missed, key=FLAG_CODES.index),
                    "note": row.get("note", ""),
                }
            )
    return counts, errors, extra


def ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def report(counts: dict, extra: dict, rows: list[dict], seconds: float) -> None:
    articles = len({r["file"] for r in rows})
    print(f"Flag evaluation: {len(rows)} labelled sentences from {articles} articles (PolNeAR train)")
    print(f"engine run: {seconds:.1f}s; sentences with no overlapping claim: {extra['no_claim']}")
    print()
    head = f"{'flag':<16}{'gold':>6}{'TP':>6}{'FP':>6}{'FN':>6}{'precision':>11}{'recall':>8}{'F1':>7}"
    print(head)
    print("-" * len(head))
    tot = {"tp": 0, "fp": 0, "fn": 0, "gold": 0}
    for code in FLAG_CODES:
        c = counts[code]
        for k in tot:
            tot[k] += c[k]
        p, r = ratio(c["tp"], c["tp"] + c["fp"]), ratio(c["tp"], c["tp"] + c["fn"])
        f1 = ratio(2 * p * r, p + r)
        print(f"{code:<16}{c['gold']:>6}{c['tp']:>6}{c['fp']:>6}{c['fn']:>6}{p:>11.3f}{r:>8.3f}{f1:>7.3f}")
    print("-" * len(head))
    p, r = ratio(tot["tp"], tot["tp"] + tot["fp"]), ratio(tot["tp"], tot["tp"] + tot["fn"])
    f1 = ratio(2 * p * r, p + r)
    print(f"{'micro':<16}{tot['gold']:>6}{tot['tp']:>6}{tot['fp']:>6}{tot['fn']:>6}{p:>11.3f}{r:>8.3f}{f1:>7.3f}")
    print()
    print(f"random (ordinary) sentences with at least one false-positive flag: {extra['random_fp']}/{extra['random']}")
    print(
        f"disputed TPs whose disputed_by points at the labelled disputing sentence: "
        f"{extra['disputed_right_source']}/{extra['disputed_tp']}"
    )


def show_errors(errors: list[dict], flag: str | None) -> None:
    shown = [e for e in errors if flag is None or flag in e["fp"] or flag in e["fn"]]
    print()
    print(f"Errors ({len(shown)} sentences{' for ' + flag if flag else ''}):")
    for e in shown:
        text = " ".join(e["text"].split())
        print()
        print(f"{e['file']} [{e['start']}:{e['end']}]")
        print(f"  {text}")
        allowed = f"  allowed={','.join(e['allowed'])}" if e["allowed"] else ""
        print(f"  expected={','.join(e['expected']) or '-'}{allowed}  got={','.join(e['got']) or '-'}")
        print(f"  FP: {','.join(e['fp']) or '-'}   FN: {','.join(e['fn']) or '-'}   note: {e['note']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder (default: ../shared/data)")
    ap.add_argument("--set", type=Path, default=DEFAULT_SET, help="labelled set (default: bench/flags_labelled.jsonl)")
    ap.add_argument("--show-errors", action="store_true", help="list false positives and false negatives")
    ap.add_argument("--flag", choices=FLAG_CODES, help="with --show-errors: only errors involving this flag")
    args = ap.parse_args(argv)

    rows = load_set(args.set)
    texts = load_texts(args.data, {r["file"] for r in rows})
    for r in rows:
        span = texts[r["file"]][r["start"] : r["end"]]
        if not span.strip() or "\n" in span:
            raise SystemExit(f"error: bad reference {r['file']} [{r['start']}:{r['end']}]: empty or crosses a line")
    t0 = time.perf_counter()
    try:
        claims = run_engine(texts)
    except Exception as exc:  # the engine is developed alongside this script: say clearly what broke
        print(f"error: the engine failed on the labelled articles: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("No flag scores: fix the engine (or its model files) and run again.", file=sys.stderr)
        return 1
    counts, errors, extra = score(rows, texts, claims)
    report(counts, extra, rows, time.perf_counter() - t0)
    if args.show_errors:
        show_errors(errors, args.flag)
    return 0


if __name__ == "__main__":
    sys.exit(main())
