"""Speaker resolution: "he" and "she" skip a person the article shows to be of the other gender."""

from __future__ import annotations

from verification.extraction import Claim, Engine


def claim_with(engine: Engine, text: str, fragment: str) -> Claim:
    return next(c for c in engine.extract(text).claims if fragment in c.text)


def test_she_skips_the_more_recent_man(engine: Engine) -> None:
    text = (
        "Jane Doe said the plan would fail. Senator John Roe said the plan would work. "
        "She said the vote had been rigged."
    )
    c = claim_with(engine, text, "rigged")
    assert (c.speaker, c.speaker_mention) == ("Jane Doe", "She")


def test_he_skips_the_more_recent_woman(engine: Engine) -> None:
    text = (
        "Senator John Roe said the plan would fail. Mary Doe said the plan would work. "
        "He said the vote had been rigged."
    )
    assert claim_with(engine, text, "rigged").speaker == "John Roe"


def test_title_gives_the_gender(engine: Engine) -> None:
    # Neither "Pat" nor "Chris" says anything; the titles do.
    text = "Ms. Pat Doe said the plan would fail. Mr. Chris Roe said the plan would work. She said the vote was rigged."
    assert claim_with(engine, text, "rigged").speaker == "Pat Doe"


def test_pronoun_bound_to_the_name_gives_the_gender(engine: Engine) -> None:
    text = "Pat Doe defended her record on Monday, and Mr. Roe said the plan would work. She said the vote was rigged."
    assert claim_with(engine, text, "rigged").speaker == "Pat Doe"


def test_gendered_noun_gives_the_gender(engine: Engine) -> None:
    text = (
        "The plan will fail, spokeswoman Pat Doe said. "
        "Chris Roe, a spokesman for the ministry, said the plan would work. "
        "She said the vote was rigged."
    )
    c = claim_with(engine, text, "rigged")
    assert c.speaker is not None and c.speaker.endswith("Pat Doe")


def test_conflicting_gender_leaves_the_pronoun_unresolved(engine: Engine) -> None:
    # The only person named is a man: "she" is someone the article does not name, not Mr. Roe.
    text = "Mr. Roe said the plan would work. She said the vote was rigged."
    c = claim_with(engine, text, "rigged")
    assert c.speaker != "Roe"
    assert c.speaker_mention == "She"


def test_unknown_gender_keeps_the_most_recent_person(engine: Engine) -> None:
    # "Pat" and "Chris" are given to men and women alike: recency decides, as before.
    text = "Pat Doe said the plan would fail. Chris Roe said the plan would work. She said the vote was rigged."
    assert claim_with(engine, text, "rigged").speaker == "Chris Roe"


def test_object_pronoun_is_not_evidence_about_the_subject(engine: Engine) -> None:
    # "Roe praised him": "him" is someone other than Roe, so it says nothing about Roe's gender.
    text = (
        "Chris Roe praised him on Monday. Jane Doe said the plan would fail. Chris Roe said the plan would work. "
        "She said the vote was rigged."
    )
    assert claim_with(engine, text, "rigged").speaker == "Chris Roe"


def test_a_description_resolved_to_a_name_is_a_person_for_he(engine: Engine) -> None:
    text = (
        "Foreign Minister Sergei Lavrov arrived in Geneva on Monday.\n"
        "The minister said the talks had failed after a meeting with John Kerry.\n"
        '"We will respond to the buildup," he said.'
    )
    assert claim_with(engine, text, "We will respond").speaker == "Sergei Lavrov"


def test_an_unresolved_she_is_not_taken_for_he(engine: Engine) -> None:
    text = "Mr. Roe said the plan would work. She said the vote was rigged. He said the count was late."
    assert claim_with(engine, text, "count was late").speaker == "Roe"
