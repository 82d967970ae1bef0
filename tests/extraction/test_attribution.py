"""Who says a sentence: cue, speaker (canonical in the article), speaker mention and quote kind."""

from __future__ import annotations

from verification.extraction import Claim, Engine


def claim_with(engine: Engine, text: str, fragment: str) -> Claim:
    result = engine.extract(text)
    return next(c for c in result.claims if fragment in c.text)


def test_own_voice_has_no_speaker(engine: Engine) -> None:
    c = claim_with(engine, "Latvia, Lithuania and Estonia entered the military alliance in April 2004.", "Latvia")
    assert (c.speaker, c.cue, c.quote) == (None, None, None)


def test_pronoun_resolves_to_the_last_named_speaker(engine: Engine) -> None:
    text = (
        "Russia will respond to the buildup, Moscow's envoy to NATO Alexander Grushko said Friday.\n"
        '"It should be clear to NATO that the drills will push us into taking precautions," he said.'
    )
    c = claim_with(engine, text, "It should be clear")
    assert (c.speaker, c.speaker_mention, c.cue, c.quote) == ("Alexander Grushko", "he", "say", "direct")


def test_appositive_gives_the_name(engine: Engine) -> None:
    text = "NATO is turning the Baltics into a standoff area, Moscow's envoy to the alliance, Alexander Grushko, said."
    c = claim_with(engine, text, "NATO is turning")
    assert c.speaker == "Alexander Grushko"
    assert c.speaker_mention is not None and "Alexander Grushko" in c.speaker_mention


def test_description_resolves_to_the_name_given_elsewhere(engine: Engine) -> None:
    text = (
        "NATO officials admit they have no evidence of troops crossing, Russia's envoy to the alliance said.\n"
        "Russia will respond to the buildup, Moscow's envoy to NATO Alexander Grushko said Friday."
    )
    c = claim_with(engine, text, "NATO officials admit")
    assert c.speaker == "Alexander Grushko"
    assert c.speaker_mention == "Russia's envoy to the alliance"


def test_surname_resolves_to_full_name_and_title_is_dropped(engine: Engine) -> None:
    text = (
        'Russian Foreign Minister Sergei Lavrov called NATO expansion a "mistake".\n'
        "Lavrov said on Monday that the alliance had ignored Russia's concerns."
    )
    result = engine.extract(text)
    assert [c.speaker for c in result.claims] == ["Sergei Lavrov", "Sergei Lavrov"]
    assert [c.cue for c in result.claims] == ["call", "say"]


def test_split_direct_quote(engine: Engine) -> None:
    text = '"We will not leave," the mayor said, "until the water is safe to drink."'
    c = engine.extract(text).claims[0]
    assert (c.speaker, c.cue, c.quote) == ("mayor", "say", "direct")


def test_quote_over_several_sentences(engine: Engine) -> None:
    text = (
        "Senator Jane Doe spoke in Des Moines on Monday.\n"
        '"The plan is wrong. It costs too much. Voters know it," Doe said.'
    )
    result = engine.extract(text)
    quoted = [c for c in result.claims if c.text.startswith(('"', "It costs", "Voters"))]
    assert len(quoted) == 3
    assert {(c.speaker, c.cue, c.quote) for c in quoted} == {("Jane Doe", "say", "direct")}


def test_colon_introduces_the_quote(engine: Engine) -> None:
    text = 'The ministry said in a statement:\n"The border is closed. No one will cross it."'
    result = engine.extract(text)
    last = result.claims[-1]
    assert "No one will cross" in last.text
    assert (last.speaker, last.quote) == ("ministry", "direct")


def test_according_to(engine: Engine) -> None:
    c = engine.extract("The plant will close in May, according to the Interior Ministry.").claims[0]
    assert (c.cue, c.speaker, c.quote) == ("according to", "Interior Ministry", "indirect")


def test_denial_cue_and_organisation_speaker(engine: Engine) -> None:
    c = engine.extract("The Russian Foreign Ministry denied the claims on Tuesday.").claims[0]
    assert (c.cue, c.speaker, c.speaker_mention) == ("deny", "Russian Foreign Ministry", "The Russian Foreign Ministry")


def test_subordinate_report_does_not_attribute_the_sentence(engine: Engine) -> None:
    text = "Relations have deteriorated since the crisis, with the alliance accusing Russia of sending troops."
    c = engine.extract(text).claims[0]
    assert c.speaker is None and c.cue is None


def test_participle_frame(engine: Engine) -> None:
    text = "Sanders defended his plan on Sunday, saying that the benefits would outweigh the costs."
    c = engine.extract(text).claims[0]
    assert (c.speaker, c.cue) == ("Sanders", "say")


def test_post_posed_frame_the_parser_misreads(engine: Engine) -> None:
    text = '"She is moving a bit to the left and I think that is fine," Lasry told Bloomberg Politics in May.'
    c = engine.extract(text).claims[0]
    assert (c.speaker, c.cue, c.quote) == ("Lasry", "tell", "direct")


def test_offsets_of_speaker_and_cue(engine: Engine) -> None:
    text = "On November 12, NATO said it had observed Russian tanks crossing into Ukraine."
    c = engine.extract(text).claims[0]
    assert c.speaker_start is not None and c.cue_start is not None
    assert text[c.speaker_start : c.speaker_end] == "NATO"
    assert text[c.cue_start : c.cue_end] == "said"
