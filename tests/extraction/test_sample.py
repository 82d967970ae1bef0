"""The demo article scores 1.00 on every axis of the shared scorer (the scoring logic is reimplemented here)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from verification.extraction import Engine

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SAMPLE = ROOT / "demo" / "nato-baltic-2014.txt"
EXPECTED = HERE / "nato-baltic-2014.expected.json"


def _norm(text: str | None) -> str:
    text = (text or "").lower().replace("\u2019", "'")
    text = re.sub(r"^the\s+", "", text.strip())
    return re.sub(r"\s+", " ", text)


def _squash(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("\u2019", "'")).strip()


def score(gold: dict[str, Any], article: dict[str, Any]) -> tuple[dict[str, float], list[str]]:
    """The same counts as ../shared/tools/score_extraction.py, returned instead of printed."""
    claims = article["claims"]
    problems: list[str] = []
    tp = fp = fn = 0
    counts = {"speaker": [0, 0], "cue": [0, 0], "quote": [0, 0]}
    matched = 0
    for exp in gold["claims"]:
        frag = _squash(exp["contains"])
        found = [c for c in claims if frag in _squash(c["text"])]
        if not found:
            problems.append(f"missing claim {frag!r}")
            fn += len(exp.get("flags", []))
            if "speaker" in exp:
                counts["speaker"][1] += 1
            continue
        matched += 1
        got = found[0]
        got_flags = {f["code"] for f in got["flags"]}
        need = set(exp.get("flags", []))
        allowed = need | set(exp.get("allowed", []))
        tp += len(need & got_flags)
        fn += len(need - got_flags)
        fp += len(got_flags - allowed)
        if need - got_flags or got_flags - allowed:
            problems.append(f"{frag[:40]!r}: missing {sorted(need - got_flags)}, extra {sorted(got_flags - allowed)}")
        if "speaker" in exp:
            counts["speaker"][1] += 1
            want = exp["speaker"]
            have = got["speaker"]
            ok = have is None if want is None else have is not None and _norm(have) in {_norm(w) for w in want}
            counts["speaker"][0] += ok
            if not ok:
                problems.append(f"{frag[:40]!r}: speaker {have!r}, expected {want!r}")
        for key in ("cue", "quote"):
            if key in exp:
                counts[key][1] += 1
                ok = _norm(got[key]) == _norm(exp[key]) if key == "cue" else got[key] == exp[key]
                counts[key][0] += ok
                if not ok:
                    problems.append(f"{frag[:40]!r}: {key} {got[key]!r}, expected {exp[key]!r}")
    heads = [_squash(h) for h in article["headlines"]]
    head_hits: int = 0
    for h in gold["headlines"]:
        merged = any(_squash(h) in _squash(c["text"]) for c in claims)
        head_hits += int(_squash(h) in heads and not merged)
        if merged or _squash(h) not in heads:
            problems.append(f"headline {h!r}: recognised={_squash(h) in heads} merged={merged}")
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    result = {
        "claims": matched / len(gold["claims"]),
        "flags_precision": prec,
        "flags_recall": rec,
        "headlines": head_hits / len(gold["headlines"]),
    }
    for key, (hits, n) in counts.items():
        result[key] = hits / n if n else 1.0
    return result, problems


@pytest.fixture(scope="module")
def article(engine: Engine) -> dict[str, Any]:
    text = SAMPLE.read_text(encoding="utf-8")
    return engine.extract(text).to_dict(source=str(SAMPLE))


def test_sample_scores_one_everywhere(article: dict[str, Any]) -> None:
    gold = json.loads(EXPECTED.read_text(encoding="utf-8"))
    result, problems = score(gold, article)
    assert problems == []
    assert result == {
        "claims": 1.0,
        "flags_precision": 1.0,
        "flags_recall": 1.0,
        "headlines": 1.0,
        "speaker": 1.0,
        "cue": 1.0,
        "quote": 1.0,
    }


def test_sample_offsets_point_into_the_text(article: dict[str, Any]) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    for claim in article["claims"]:
        assert text[claim["start"] : claim["end"]] == claim["text"]
        for ent in claim["entities"]:
            assert text[ent["start"] : ent["end"]] == ent["text"]
        for flag in claim["flags"]:
            assert text[flag["start"] : flag["end"]] == flag["text"]
            assert flag["explanation"]
        if claim["speaker_start"] is not None:
            assert text[claim["speaker_start"] : claim["speaker_end"]] == claim["speaker_mention"]
        if claim["cue_start"] is not None:
            assert claim["cue_start"] < claim["cue_end"]


def test_sample_disputed_points_at_the_denial(article: dict[str, Any]) -> None:
    claims = article["claims"]
    said = next(c for c in claims if "NATO said it had observed" in c["text"])
    denied = next(c for c in claims if "denied the claims" in c["text"])
    assert said["disputed_by"] == [denied["index"]]


def test_sample_dateline_is_not_part_of_the_speaker(article: dict[str, Any]) -> None:
    first = article["claims"][0]
    assert first["speaker"] == "Alexander Grushko"
    assert first["speaker_mention"] == "Russia's envoy to the alliance"
    assert "MOSCOW" not in (first["speaker_mention"] or "")
