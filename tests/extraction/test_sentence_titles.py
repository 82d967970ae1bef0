"""A first line that is a title written as a sentence ("Russia denies sending troops into Ukraine.")."""

from __future__ import annotations

from verification.extraction import Engine
from verification.extraction.segmentation import is_sentence_title, segment

BODY = (
    "The Russian Foreign Ministry on Friday denied reports that its troops had crossed the border, "
    "calling them a provocation by the West."
)


def test_sentence_case_title_over_a_longer_paragraph(engine: Engine) -> None:
    text = "Russia denies sending troops into Ukraine.\n\n" + BODY
    result = engine.extract(text)
    assert result.headlines == ["Russia denies sending troops into Ukraine."]
    assert [c.text for c in result.claims] == [BODY]


def test_sentence_case_title_over_a_dateline(engine: Engine) -> None:
    text = "Russia denies sending troops into Ukraine.\n\nMOSCOW (Reuters) - " + BODY
    assert engine.extract(text).headlines == ["Russia denies sending troops into Ukraine."]


def test_one_line_lede_stays_a_claim(engine: Engine) -> None:
    for lede in (
        "The crowd booed.",
        "Prices rose sharply.",
        "Russia denied sending troops into Ukraine on Friday.",
        "He said the vote had been rigged.",
        "Ben Carson says he is under political attack because of his rise in the polls.",
        "Officials in Kyiv said the border was quiet.",
    ):
        result = engine.extract(lede + "\n\n" + BODY)
        assert result.headlines == [], lede
        assert result.claims[0].text == lede


def test_first_line_over_a_shorter_paragraph_stays_text() -> None:
    text = "Russia denies sending troops into Ukraine.\n\nThe ministry said so."
    assert [p.kind for p in segment(text)] == ["text", "text"]


def test_only_the_first_line() -> None:
    text = "Prices climbed again in March.\n\nRussia denies sending troops into Ukraine.\n\n" + BODY
    assert [p.kind for p in segment(text)] == ["text", "text", "text"]


def test_title_broken_at_a_semicolon_and_its_second_half(engine: Engine) -> None:
    text = (
        "Jobs report gives Democrats a lift;\nSolid upturn could blunt Republican claims.\n\n"
        "The surprisingly robust jobs report cheered Democrats hoping to retain the White House next year."
    )
    result = engine.extract(text)
    assert result.headlines == ["Jobs report gives Democrats a lift;", "Solid upturn could blunt Republican claims."]
    assert len(result.claims) == 1


def test_title_and_deck() -> None:
    text = (
        "Calif. may raise minimum wage to $15 by 2022.\n\n"
        "Plan would create huge experiment in effects of higher labor costs.\n\n"
        "California's plan to raise its minimum wage to $15 an hour by 2022 would make it the first state "
        "to do so, officials said on Monday."
    )
    assert [p.kind for p in segment(text)] == ["headline", "headline", "text"]


def test_section_label_between_title_and_body_is_skipped() -> None:
    text = "Clinton stays well ahead of Sanders in latest poll.\n\nABSTRACT.\n\n" + BODY
    assert segment(text)[0].kind == "headline"


def test_sentence_title_rules() -> None:
    long_para = BODY
    assert is_sentence_title("Russia denies sending troops into Ukraine.", long_para)
    assert is_sentence_title("Rep. Welch to back Sanders for president.", long_para)
    assert not is_sentence_title("Russia denies sending troops into Ukraine", long_para)  # no full stop
    assert not is_sentence_title("Russia denies it. Kyiv disagrees.", long_para)  # two sentences
    assert not is_sentence_title("Sanders also didn't hold back.", long_para)
    assert not is_sentence_title("The talks failed on Tuesday.", long_para)
    assert not is_sentence_title("Russia denies sending troops into Ukraine.", None)
    # a dateline or byline underneath vouches for a longer title with running-text words
    assert is_sentence_title(
        "After a previously amicable rapport, the two are now sparring.", "x", next_opens_article=True
    )


def test_headline_denial_is_not_a_claim_and_disputes_nothing(engine: Engine) -> None:
    # Headlines have no place for flags in the contract, and `disputed_by` can only name claims: a denial
    # in the title neither flags itself nor marks a body claim disputed (the body reports the denial).
    text = (
        "Russia denies sending troops into Ukraine.\n\n"
        "NATO said on Friday that it had observed Russian tanks and combat troops crossing into Ukraine, "
        "in a statement issued in Brussels."
    )
    result = engine.extract(text)
    assert result.headlines == ["Russia denies sending troops into Ukraine."]
    assert all("Russia denies" not in c.text for c in result.claims)
    for claim in result.claims:
        disputed = [f for f in claim.flags if f.code == "disputed"]
        assert not disputed or claim.disputed_by
