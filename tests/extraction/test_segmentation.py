"""Paragraphs, headlines, datelines and bylines, before any parsing."""

from __future__ import annotations

from verification.extraction import Engine
from verification.extraction.segmentation import find_dateline, is_headline, quote_spans, segment


def test_a_newline_ends_a_sentence(engine: Engine) -> None:
    text = "The ministry said the talks failed\nOfficials in Kyiv said the border was quiet on Tuesday."
    result = engine.extract(text)
    assert all("\n" not in c.text for c in result.claims)


def test_headlines_are_listed_and_never_claims(engine: Engine) -> None:
    text = (
        "NATO Turns Baltic States Into Area of Standoff\n"
        "NATO has been turning the Baltic states into an area of standoff, the envoy said Friday.\n"
        "Russia to take precautions amid buildup\n"
        "Russia will have to respond to the buildup, he said."
    )
    result = engine.extract(text)
    assert result.headlines == [
        "NATO Turns Baltic States Into Area of Standoff",
        "Russia to take precautions amid buildup",
    ]
    assert not any("Standoff" in c.text or "precautions amid" in c.text for c in result.claims)
    assert len(result.claims) == 2


def test_headline_rules() -> None:
    assert is_headline("Russia to Take Precautions Amid NATO Military Buildup", first=False, followed_by_text=True)
    assert is_headline("The Ninth Circle: The Hellish View from Inside the Beltway.", first=True, followed_by_text=True)
    assert not is_headline("The talks failed on Tuesday, officials said.", first=False, followed_by_text=True)
    assert not is_headline("The talks failed on Tuesday, officials said.", first=True, followed_by_text=True)
    assert not is_headline("and then the minister left the room without", first=False, followed_by_text=True)


def test_datelines() -> None:
    assert find_dateline("MOSCOW, November 21 (Sputnik) \u2014 NATO officials admit ...") == len(
        "MOSCOW, November 21 (Sputnik) \u2014 "
    )
    assert find_dateline("NEW YORK, Nov. 19 (UPI) \u2014 Hillary Clinton is calling ...") > 0
    assert find_dateline("WASHINGTON (Reuters) - The Senate voted ...") > 0
    assert find_dateline("NATO officials admit they have no evidence.") == 0
    assert find_dateline("US - China talks resumed on Monday.") == 0


def test_dateline_agency_is_not_a_speaker(engine: Engine) -> None:
    text = "KIEV, Ukraine (AP) \u2014 The army said it had retaken the airport."
    claim = engine.extract(text).claims[0]
    assert claim.speaker == "army"
    assert "AP" not in (claim.speaker_mention or "")


def test_bylines_are_not_claims(engine: Engine) -> None:
    text = "By John Smith\nThe ministry said on Monday that the border was closed."
    result = engine.extract(text)
    assert [c.text for c in result.claims] == ["The ministry said on Monday that the border was closed."]
    assert result.headlines == []


def test_quote_spans() -> None:
    text = "\u201cA,\u201d he said, \u201cB.\u201d Then ''C'' and \"D\"."
    spans = [(a, b) for a, b, _ in quote_spans(text, 0, len(text))]
    assert [text[a:b] for a, b in spans] == ["\u201cA,\u201d", "\u201cB.\u201d", "''C''", '"D"']
    open_quote = "He said: \u201cIt runs on"
    assert quote_spans(open_quote, 0, len(open_quote))[-1][2] is False


def test_segment_offsets() -> None:
    text = "  Title Here\n\nFirst paragraph is here.  \n"
    paras = segment(text)
    assert [text[p.start : p.end] for p in paras] == ["Title Here", "First paragraph is here."]
    assert [p.kind for p in paras] == ["headline", "text"]
