"""Any text in, a valid ArticleResult out (or a documented ExtractionError), offsets always inside the text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verification.extraction import MAX_TEXT_CHARS, ArticleResult, Engine, ExtractionError
from verification.extraction.types import CLAIM_KINDS, FLAG_CODES


def check(text: str, result: ArticleResult) -> None:
    assert isinstance(result, ArticleResult)
    assert result.text == text
    assert isinstance(result.language, str) and result.language
    assert result.sentences >= 0
    if result.language != "en":
        assert result.claims == []
    for i, claim in enumerate(result.claims):
        assert claim.index == i
        assert 0 <= claim.start < claim.end <= len(text)
        assert text[claim.start : claim.end] == claim.text
        assert 0.0 <= claim.checkworthiness <= 1.0
        assert claim.kind in CLAIM_KINDS
        assert claim.quote in (None, "direct", "indirect")
        for ent in claim.entities:
            assert 0 <= ent.start <= ent.end <= len(text)
            assert text[ent.start : ent.end] == ent.text
        for flag in claim.flags:
            assert flag.code in FLAG_CODES
            assert 0 <= flag.start <= flag.end <= len(text)
            assert text[flag.start : flag.end] == flag.text
        for other in claim.disputed_by:
            assert 0 <= other < len(result.claims)
        if claim.speaker_start is not None:
            assert claim.speaker_end is not None
            assert 0 <= claim.speaker_start < claim.speaker_end <= len(text)
            assert text[claim.speaker_start : claim.speaker_end] == claim.speaker_mention
        if claim.cue_start is not None:
            assert claim.cue_end is not None
            assert 0 <= claim.cue_start < claim.cue_end <= len(text)
    for h in result.headlines:
        assert h in text
    result.to_dict(source="x")


# Words that make the engine's rules fire, so that random text reaches attribution and flags too.
NEWSY = st.sampled_from(
    [
        "said",
        "NATO",
        "denied",
        "the claims",
        "\u201c",
        "\u201d",
        '"',
        "''",
        "he",
        "she",
        "officials",
        "no evidence",
        "reportedly",
        "according to",
        ",",
        ".",
        "\n",
        "MOSCOW, May 2 (AP) \u2014 ",
        "Russia's envoy",
        "Alexander Grushko",
        "told",
        "might be",
        "not",
        "\u00a0",
        "\t",
        ":",
        "?",
        "!",
        "\u2014",
        "(",
        ")",
        "I",
        "It",
        "was",
    ]
)
TEXTS = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(NEWSY, st.text(max_size=8)), max_size=80).map(" ".join),
    st.lists(NEWSY, max_size=120).map("".join),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS)
def test_any_text_gives_a_valid_result(engine: Engine, text: str) -> None:
    check(text, engine.extract(text))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n\t ",
        "!!! ... ??? ---",
        "\x00\x01\x02\x1b[31m",
        "He said\r\nshe said\u2028they said\u2029done\x0bok\x0c.",
        "Mixed English and \u65e5\u672c\u8a9e text, he said, and \u0420\u043e\u0441\u0441\u0438\u044f too.",
        "\u200b\u200d\ufeff",
        "a\u0301\u0301\u0301 " * 50,
        "\ud800 lone surrogate said the official.",
    ],
)
def test_odd_inputs(engine: Engine, text: str) -> None:
    check(text, engine.extract(text))


def test_one_sentence_of_50000_characters(engine: Engine) -> None:
    text = "The minister said the plan, which covers " + "many things and " * 3200 + "works."
    assert len(text) > 50_000
    result = engine.extract(text)
    check(text, result)
    assert result.claims


def test_long_article_near_the_app_limit(engine: Engine) -> None:
    para = "NATO said it had observed Russian tanks crossing into Ukraine, officials told reporters on Friday. "
    text = "\n".join(para.strip() for _ in range(3000))
    assert 250_000 < len(text) <= 300_000
    result = engine.extract(text)
    check(text, result)
    assert len(result.claims) > 500


def test_too_long_text_is_a_clear_error(engine: Engine) -> None:
    with pytest.raises(ExtractionError, match="at most"):
        engine.extract("a" * (MAX_TEXT_CHARS + 1))


def test_non_text_is_a_clear_error(engine: Engine) -> None:
    with pytest.raises(ExtractionError, match="expected text"):
        engine.extract(b"bytes")  # type: ignore[arg-type]


def test_an_organisation_that_cleans_to_nothing_is_never_collected() -> None:
    """Found on a real article (PolNeAR train, wash-post 2016-01-17): spaCy tagged `the "` as an
    organisation; it cleaned to an empty name and resolving a later description crashed on it."""
    from verification.extraction import load_nlp
    from verification.extraction.attribution import SpeakerResolver, clean_name

    assert clean_name('the "') == ""
    doc = load_nlp()("The spokesman for the Justice Department said the plan was sound.")
    resolver = SpeakerResolver()
    resolver.collect(doc[:], 0, [])
    assert all(name.split() for name in resolver.org_names)
    resolver.org_names.append(clean_name('the "'))  # what the old collector let in: still no crash
    assert resolver.resolve_description("department", "the department") in (None, "Justice Department")
