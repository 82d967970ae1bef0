"""The shipped check-worthiness scorer: range, determinism, ordering of obvious cases, batch == single.

Plain pytest: no Django, no /work/shared (the model file ships in verification/extraction/data/).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from verification.extraction.checkworthiness import (
    FEATURE_VERSION,
    MODEL_PATH,
    CheckworthinessScorer,
    clean_text,
    load_scorer,
    stem,
    tokenize,
)

FACTUAL = [
    "Unemployment fell from 10 percent in 2009 to 4.7 percent in 2016.",
    "The state spent $4.2 billion on highways last year, up 12% from 2018.",
    "Since 2001, more than 2,400 American soldiers have died in Afghanistan.",
    "The Senate passed the bill 68 to 32 in June 2013.",
]
NOT_CHECKWORTHY = [
    "Good evening and thank you all for being here.",
    "I think we can do better.",
    "What do you want to do about it?",
    "Thank you very much.",
    "I believe in this country and I love its people.",
]


@pytest.fixture(scope="module")
def scorer() -> CheckworthinessScorer:
    return load_scorer()


def test_model_ships_and_is_small() -> None:
    assert MODEL_PATH.is_file()
    assert MODEL_PATH.stat().st_size <= 20 * 1024 * 1024


def test_load_scorer_is_cached() -> None:
    assert load_scorer() is load_scorer()


def test_scores_are_probabilities(scorer: CheckworthinessScorer) -> None:
    texts = [*FACTUAL, *NOT_CHECKWORTHY, "", "   ", "?", "42", "uh --", "é" * 500, "word " * 2000]
    scores = scorer.score(texts)
    assert len(scores) == len(texts)
    for s in scores:
        assert isinstance(s, float)
        assert not math.isnan(s)
        assert 0.0 <= s <= 1.0


def test_empty_batch(scorer: CheckworthinessScorer) -> None:
    assert scorer.score([]) == []


def test_deterministic(scorer: CheckworthinessScorer) -> None:
    texts = [*FACTUAL, *NOT_CHECKWORTHY]
    assert scorer.score(texts) == scorer.score(texts)
    assert scorer.score(texts) == CheckworthinessScorer.load(MODEL_PATH).score(texts)


def test_batch_equals_single(scorer: CheckworthinessScorer) -> None:
    texts = [*FACTUAL, *NOT_CHECKWORTHY]
    batch = scorer.score(texts)
    single = [scorer.score([t])[0] for t in texts]
    assert batch == pytest.approx(single, abs=1e-12)


def test_factual_claims_outscore_greetings_opinions_questions(scorer: CheckworthinessScorer) -> None:
    factual = scorer.score(FACTUAL)
    other = scorer.score(NOT_CHECKWORTHY)
    assert min(factual) > max(other)
    assert all(s >= 0.5 for s in factual)
    assert all(s < 0.5 for s in other)


def test_score_docs_matches_score(scorer: CheckworthinessScorer) -> None:
    class FakeSpan:
        def __init__(self, text: str) -> None:
            self.text = text

    texts = [*FACTUAL, *NOT_CHECKWORTHY]
    assert scorer.score_docs([FakeSpan(t) for t in texts]) == scorer.score(texts)


def test_numbers_are_folded_into_class_tokens() -> None:
    assert tokenize("In 2016, 43% paid $1,200 for 3 cars.") == [
        "in",
        "<year>",
        "<pct>",
        "paid",
        "<money>",
        "for",
        "<num>",
        "cars",
    ]


def test_shipped_model_matches_the_feature_code() -> None:
    with np.load(MODEL_PATH, allow_pickle=False) as z:
        config = json.loads(str(z["config"]))
        assert len(z["w_sparse"]) == 1 << config["bits"]
    assert config["feature_version"] == FEATURE_VERSION
    assert config["stems"] is True


def test_a_model_of_another_feature_version_is_refused(tmp_path) -> None:
    with np.load(MODEL_PATH, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    config = json.loads(str(arrays["config"]))
    config["feature_version"] = FEATURE_VERSION - 1
    arrays["config"] = np.asarray(json.dumps(config))
    old = tmp_path / "old.npz"
    np.savez(old, **arrays)
    with pytest.raises(ValueError, match="feature_version"):
        CheckworthinessScorer.load(old)


def test_transcript_artefacts_do_not_reach_the_features() -> None:
    assert clean_text("We won (APPLAUSE) the vote [laughter].").split() == ["We", "won", "the", "vote", "."]
    assert tokenize("We -- uh -- we cut the the deficit, um, in half.") == ["we", "cut", "the", "deficit", "in", "half"]
    # Class tokens may repeat: "10 20" is two numbers, not a stammer.
    assert tokenize("10 20") == ["<num>", "<num>"]


def test_transcript_and_prose_forms_score_alike(scorer: CheckworthinessScorer) -> None:
    spoken, written = scorer.score(
        [
            "Uh, we -- we cut the deficit in half (APPLAUSE) since 2009.",
            "We cut the deficit in half since 2009.",
        ]
    )
    assert spoken == pytest.approx(written, abs=1e-12)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("jobs", "job"),
        ("increased", "increas"),
        ("increasing", "increas"),
        ("cities", "city"),
        ("class", "class"),
        ("is", "is"),
    ],
)
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected
