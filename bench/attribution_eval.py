"""How well the engine finds who says what, measured on PolNeAR train articles.

    .venv/bin/python bench/attribution_eval.py [--limit 200] [--offset 0] [--data ../shared/data] [--show-errors N]

PolNeAR's attribution is broader than speech (thoughts, polls that "show", `:` and "In a statement"), so
the gold attributions are first filtered to speech and reporting cues (`SPEECH_CUES` below, a list kept
apart from the engine's own lexicon). Units are the engine's claims (sentences):

- gold positive: a speech-cue attribution has its cue inside the claim and its content overlaps it, or
  at least half of the claim lies inside such an attribution's content (a quotation running over several
  sentences);
- excluded: not gold positive, but a non-speech attribution covers it the same way (neither right nor
  wrong to attribute it);
- gold negative: everything else.

Engine positive: the claim has a cue. Speaker accuracy, over true positives whose gold attribution has a
source: the engine's speaker mention (or, for a resolved pronoun or description, the mention it was
resolved from) overlaps the annotated source span. The texts are read from the shared data folder; no
held-out split is touched.
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

# Speech and reporting verbs, every inflection written out (the cue text is matched word by word).
SPEECH_CUES = set(
    [
        "say",
        "says",
        "said",
        "saying",
        "tell",
        "tells",
        "told",
        "telling",
        "add",
        "adds",
        "added",
        "adding",
        "write",
        "writes",
        "wrote",
        "written",
        "writing",
        "ask",
        "asks",
        "asked",
        "asking",
        "note",
        "notes",
        "noted",
        "noting",
        "report",
        "reports",
        "reported",
        "reporting",
        "announce",
        "announces",
        "announced",
        "announcing",
        "tweet",
        "tweets",
        "tweeted",
        "tweeting",
        "argue",
        "argues",
        "argued",
        "arguing",
        "explain",
        "explains",
        "explained",
        "explaining",
        "declare",
        "declares",
        "declared",
        "declaring",
        "claim",
        "claims",
        "claimed",
        "claiming",
        "respond",
        "responds",
        "responded",
        "responding",
        "reply",
        "replies",
        "replied",
        "replying",
        "state",
        "states",
        "stated",
        "stating",
        "insist",
        "insists",
        "insisted",
        "insisting",
        "warn",
        "warns",
        "warned",
        "warning",
        "promise",
        "promises",
        "promised",
        "promising",
        "pledge",
        "pledges",
        "pledged",
        "pledging",
        "vow",
        "vows",
        "vowed",
        "vowing",
        "acknowledge",
        "acknowledges",
        "acknowledged",
        "acknowledging",
        "admit",
        "admits",
        "admitted",
        "admitting",
        "deny",
        "denies",
        "denied",
        "denying",
        "confirm",
        "confirms",
        "confirmed",
        "confirming",
        "accuse",
        "accuses",
        "accused",
        "accusing",
        "call",
        "calls",
        "called",
        "calling",
        "recall",
        "recalls",
        "recalled",
        "recalling",
        "suggest",
        "suggests",
        "suggested",
        "suggesting",
        "predict",
        "predicts",
        "predicted",
        "predicting",
        "concede",
        "concedes",
        "conceded",
        "conceding",
        "reiterate",
        "reiterates",
        "reiterated",
        "reiterating",
        "assert",
        "asserts",
        "asserted",
        "asserting",
        "testify",
        "testifies",
        "testified",
        "testifying",
        "complain",
        "complains",
        "complained",
        "complaining",
        "stress",
        "stresses",
        "stressed",
        "stressing",
        "emphasize",
        "emphasizes",
        "emphasized",
        "emphasizing",
        "contend",
        "contends",
        "contended",
        "contending",
        "maintain",
        "maintains",
        "maintained",
        "maintaining",
        "allege",
        "alleges",
        "alleged",
        "alleging",
        "reveal",
        "reveals",
        "revealed",
        "revealing",
        "urge",
        "urges",
        "urged",
        "urging",
        "continue",
        "continued",
        "continues",
        "remark",
        "remarked",
        "observe",
        "observed",
        "quip",
        "quipped",
        "joke",
        "joked",
        "boast",
        "boasted",
        "retort",
        "retorted",
        "counter",
        "countered",
        "exclaim",
        "exclaimed",
        "post",
        "posted",
        "wrote",
        "mention",
        "mentioned",
        "mentions",
        "comment",
        "commented",
        "comments",
        "repeat",
        "repeated",
    ]
)
PHRASE_CUES = ("according to",)


def is_speech_cue(cue_text: str) -> bool:
    low = cue_text.lower().replace("\u2019", "'")
    if any(p in low for p in PHRASE_CUES):
        return True
    words = [w.strip(".,:;\"'") for w in low.split()]
    return any(w in SPEECH_CUES for w in words)


def load(data: Path, limit: int, offset: int) -> list[dict[str, Any]]:
    path = data / "attribution" / "polnear_train.jsonl"
    if not path.exists():
        raise SystemExit(f"error: {path} not found (pass --data /path/to/shared/data)")
    out: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i < offset:
                continue
            if len(out) >= limit:
                break
            out.append(json.loads(line))
    return out


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def _covered(spans: list[list[int]], start: int, end: int) -> int:
    return sum(_overlap(a, b, start, end) for a, b in spans)


def covering(text: str, attrs: list[dict[str, Any]], start: int, end: int) -> list[dict[str, Any]]:
    """Attributions that make text[start:end] attributed.

    That is: cue inside and content overlapping, or content covering at least half of it.
    """
    found = []
    size = max(1, sum(1 for ch in text[start:end] if not ch.isspace()))
    for a in attrs:
        spans = a["content"]["spans"]
        cue_in = start <= a["cue"]["start"] < end
        if (cue_in and _covered(spans, start, end) > 0) or _covered(spans, start, end) >= 0.5 * size:
            found.append(a)
    return found


def evaluate(articles: list[dict[str, Any]], results: list[Any], show: int) -> dict[str, float]:
    tp = fp = fn = tn = excluded = 0
    spk_ok = spk_n = spk_nosource = 0
    cue_outside = 0
    errors: list[str] = []
    for art, res in zip(articles, results, strict=True):
        text = art["text"]
        speech = [a for a in art["attributions"] if is_speech_cue(a["cue"]["text"])]
        other = [a for a in art["attributions"] if not is_speech_cue(a["cue"]["text"])]
        claim_spans = [(c.start, c.end) for c in res.claims]
        for a in speech:
            cs = a["cue"]["start"]
            if not any(s <= cs < e for s, e in claim_spans):
                cue_outside += 1

        for c in res.claims:
            gold = covering(text, speech, c.start, c.end)
            predicted = c.cue is not None
            if not gold:
                if covering(text, other, c.start, c.end):
                    excluded += 1
                    continue
                if predicted:
                    fp += 1
                    if len(errors) < show:
                        errors.append(f"FP [{c.cue} / {c.speaker_mention}] {c.text[:160]!r}")
                else:
                    tn += 1
                continue
            if not predicted:
                fn += 1
                if len(errors) < show:
                    errors.append(f"FN [gold cue {gold[0]['cue']['text']!r}] {c.text[:160]!r}")
                continue
            tp += 1
            sources = [g["source"] for g in gold if g["source"] is not None]
            if not sources:
                spk_nosource += 1
                continue
            spk_n += 1
            ok = False
            if c.speaker_start is not None and c.speaker_end is not None:
                for s in sources:
                    if any(_overlap(c.speaker_start, c.speaker_end, a, b) for a, b in s["spans"]):
                        ok = True
            if not ok and c.speaker:
                # A resolved name that is the annotated mention's own text also counts.
                ok = any(c.speaker.lower() in s["text"].lower() for s in sources)
            spk_ok += ok
            if not ok and len(errors) < show:
                errors.append(
                    f"SPK engine={c.speaker_mention!r}->{c.speaker!r} gold={[s['text'] for s in sources]} "
                    f"{c.text[:120]!r}"
                )
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    for e in errors:
        print(e)
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "excluded": excluded,
        "precision": prec,
        "recall": rec,
        "f1": f1,
        "speaker_accuracy": spk_ok / spk_n if spk_n else 1.0,
        "speaker_n": spk_n,
        "speaker_nosource": spk_nosource,
        "speech_cues_outside_claims": cue_outside,
    }


class _Neutral:
    def score(self, texts: Any) -> list[float]:
        return [0.5 for _ in texts]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--offset", type=int, default=0)
    ap.add_argument("--show-errors", type=int, default=0, metavar="N")
    args = ap.parse_args()

    from verification.extraction import Engine

    articles = load(args.data, args.limit, args.offset)
    # Check-worthiness plays no part in attribution: a constant scorer keeps the run independent of it.
    engine = Engine(scorer=_Neutral())
    t0 = time.perf_counter()
    results = list(engine.extract_many(a["text"] for a in articles))
    elapsed = time.perf_counter() - t0
    r = evaluate(articles, results, args.show_errors)
    print(f"PolNeAR train articles {args.offset}..{args.offset + len(articles) - 1} ({len(articles)}), {elapsed:.1f}s")
    print(
        f"sentences: TP {r['tp']} FP {r['fp']} FN {r['fn']} TN {r['tn']} excluded (non-speech attribution) "
        f"{r['excluded']}; speech cues outside any claim: {r['speech_cues_outside_claims']}"
    )
    print(
        f"attribution P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f}; "
        f"speaker accuracy {r['speaker_accuracy']:.3f} (n={r['speaker_n']}, no gold source {r['speaker_nosource']})"
    )


if __name__ == "__main__":
    main()
