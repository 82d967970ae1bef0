"""Flags: the triggering words and their offsets, and the negation, modality and word-sense traps."""

from __future__ import annotations

import pytest

from verification.extraction import Engine


def codes(engine: Engine, text: str, fragment: str | None = None) -> set[str]:
    result = engine.extract(text)
    claim = next(c for c in result.claims if fragment is None or fragment in c.text)
    for f in claim.flags:
        assert text[f.start : f.end] == f.text
        assert f.explanation
    return {f.code for f in claim.flags}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("However, NATO's allegations have not been supported by any evidence.", {"evidence_absent", "unattributed"}),
        ("The police said there was no credible evidence of a break-in.", {"evidence_absent"}),
        ("The senator repeated the claim without evidence on Tuesday.", {"evidence_absent", "unattributed"}),
        ("The report could not be independently verified by Reuters.", {"evidence_absent", "unattributed"}),
        ("The evidence is clear, the prosecutor told the jury on Monday.", set()),
        ("Investigators found solid proof of the transfers in the bank records.", set()),
    ],
)
def test_evidence_absent(engine: Engine, text: str, expected: set[str]) -> None:
    assert codes(engine, text) == expected


@pytest.mark.parametrize(
    ("text", "denial"),
    [
        ("The Russian Foreign Ministry denied the claims on Tuesday.", True),
        ("The company has repeatedly denied any wrongdoing in the case.", True),
        ("The spokesman rejected the allegations as baseless.", True),
        ("The city could deny them permits for the march next month.", False),
        ("The judge denied bail to the three men on Friday.", False),
        ("He was denied entry at the border on Sunday.", False),
        ("The minister did not deny that the talks had failed.", False),
        ("The board rejected the offer from the investors on Monday.", False),
        ("There's no denying that the campaign has had quite a run.", False),
    ],
)
def test_denial_word_sense(engine: Engine, text: str, denial: bool) -> None:
    assert ("denial" in codes(engine, text)) is denial


@pytest.mark.parametrize(
    ("text", "hedged"),
    [
        ('"As far as I remember, the convoy crossed the border at night," the officer said.', True),
        ("The convoy reportedly crossed the border at night.", True),
        ("The alleged attack took place on Sunday, police said.", True),
        ("The troops may have crossed the border at night, the ministry said.", True),
        ("NATO launched its jets due to what he described as increased air activity, Stoltenberg said.", True),
        ('"It should be clear to NATO that drills will push us into taking precautions," he said.', False),
        ('"If you ask one more mean question, I may have to leave the stage," Cruz joked.', False),
        ("The company is supposed to hand over the score it used, the regulator said.", False),
    ],
)
def test_hedged(engine: Engine, text: str, hedged: bool) -> None:
    assert ("hedged" in codes(engine, text)) is hedged


def test_unnamed_and_secondhand(engine: Engine) -> None:
    text = "NATO officials admit they have no credible evidence of Russian troops crossing, the envoy said."
    assert codes(engine, text) == {"unnamed_source", "secondhand", "evidence_absent"}


def test_named_source_is_not_unnamed(engine: Engine) -> None:
    text = "A spokesman for the ministry, Maria Zakharova, said the border was closed."
    assert "unnamed_source" not in codes(engine, text)


def test_same_speaker_twice_is_not_secondhand(engine: Engine) -> None:
    text = "Trump said on Sunday that he believes the war in Afghanistan was a terrible mistake."
    assert "secondhand" not in codes(engine, text)


def test_coordinated_sources_are_not_secondhand(engine: Engine) -> None:
    text = "One company says there are more than 2,400 billionaires in the world, while another says there are 1,800."
    assert "secondhand" not in codes(engine, text)


def test_plain_fact_in_own_voice_is_not_unattributed(engine: Engine) -> None:
    assert codes(engine, "Latvia, Lithuania and Estonia entered the military alliance in April 2004.") == set()


def test_finding_is_not_the_writers_judgement(engine: Engine) -> None:
    text = "The inspector general's report cited no evidence that the aide intervened in the inquiry."
    assert codes(engine, text) == {"evidence_absent"}


def test_disputed_by_a_later_denial(engine: Engine) -> None:
    text = (
        "On November 12, NATO said it had observed Russian tanks crossing into Ukraine. "
        "The Russian Foreign Ministry denied the claims."
    )
    result = engine.extract(text)
    said, denied = result.claims
    assert "disputed" in {f.code for f in said.flags}
    assert said.disputed_by == [denied.index]
    assert "disputed" not in {f.code for f in denied.flags}


def test_denial_of_own_claim_disputes_nothing_else(engine: Engine) -> None:
    text = "Latvia joined the alliance in 2004. The Kremlin has repeatedly denied its involvement in the crisis."
    first, _ = engine.extract(text).claims
    assert first.disputed_by == []
