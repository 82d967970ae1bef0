"""Flag rules added in engine 1.1, each with invented sentences that should and should not trigger it."""

from __future__ import annotations

import pytest

from verification.extraction import Engine


def flags(engine: Engine, text: str, fragment: str | None = None) -> set[str]:
    result = engine.extract(text)
    claim = next(c for c in result.claims if fragment is None or fragment in c.text)
    for f in claim.flags:
        assert text[f.start : f.end] == f.text
    return {f.code for f in claim.flags}


# evidence_absent


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "without" governing a gerund whose object is the evidence
        ("The mayor accused the contractor of fraud without offering proof.", True),
        # a negative implicative verb ("failed to", "refused to") over the evidence verb
        ("The audit failed to produce any evidence that the money was stolen.", True),
        ("The firm refused to provide proof of the payments.", True),
        ("The audit managed to produce evidence that the money was stolen.", False),
        # "unsupported by evidence"
        ("The judge wrote that the charges were unsupported by evidence.", True),
        ("The old printer is unsupported by the new software.", False),
        # soft nouns with a content clause
        ("There is no indication that the ballots were altered, the clerk said.", True),
        ("The striking workers showed no sign of backing down on Friday.", False),
    ],
)
def test_evidence_absent_more(engine: Engine, text: str, expected: bool) -> None:
    assert ("evidence_absent" in flags(engine, text)) is expected


# denial


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The governor later denied his involvement in the scheme.", True),
        ("The agency denied his request for a permit.", False),
        ("Denials of wrongdoing from the board did little to calm investors.", True),
        ("The denial of service attack took the site offline for hours.", False),
        ("The senator has pushed back against the allegations in a long statement.", True),
        ("The team pushed back against the defenders in the second half.", False),
        ("After the aide described the plan as final, the minister contradicted him.", True),
        ("The witness contradicted himself twice during the hearing.", False),
        ("The lawyer said the accusations were unsupported by evidence.", True),
    ],
)
def test_denial_more(engine: Engine, text: str, expected: bool) -> None:
    assert ("denial" in flags(engine, text)) is expected


# hedged


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The server very likely had been compromised before the audit.", True),
        ("The council is likely to approve the budget next week.", False),
        ("Guards found what looked like a homemade device near the gate.", True),
        ("The new stadium looked like a spaceship, the architect said.", False),
        ('"We just heard that the factory is closing next month," the union leader said.', True),
        ('"We did not hear anything about the factory," the union leader said.', False),
    ],
)
def test_hedged_more(engine: Engine, text: str, expected: bool) -> None:
    assert ("hedged" in flags(engine, text)) is expected


# unnamed_source


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # plural nouns for people by what they do
        ("Many historians believe the treaty was signed under duress.", True),
        ("Several pollsters said the race had tightened in October.", True),
        ("The newspapers reported that the bridge would close.", False),
        # a conjoined source
        ("She and her lawyers argue that the contract was never valid.", True),
        # a name inside a prepositional modifier is not the source's name
        ("Advisers to Maria Lopez said the campaign would end on Monday.", True),
        ("Maria Lopez said the campaign would end on Monday.", False),
        # the source withheld its name, even when another person is named near it
        (
            "The plan was dropped, said a senior aide to Maria Lopez, who spoke on condition of anonymity.",
            True,
        ),
        ('"The vote is lost," said a longtime adviser to the mayor, who declined to be identified.', True),
        # an aside names a source too
        ("The tax cut, as its critics have argued, will mostly help the wealthy.", True),
        # people the article has already introduced
        ("The three farmers acknowledged that the harvest had been poor.", False),
    ],
)
def test_unnamed_source_more(engine: Engine, text: str, expected: bool) -> None:
    assert ("unnamed_source" in flags(engine, text)) is expected


# secondhand


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a group the single speaker quotes
        ('"They told us the bridge is safe," Mayor Anna Berg said on Monday.', True),
        ('"We think the bridge is safe," Mayor Anna Berg said on Monday.', False),
        # the speaker's words as reported by a third party
        ('"We will win this state," she told donors, according to a person who attended the dinner.', True),
        ('"We will win this state," she told donors on Tuesday.', False),
        # what a third party said, through a relative clause
        ("The reporter wrote that the firm paid a former driver who said the owner had threatened him.", True),
        # hearsay inside a quotation
        ('"I heard that the plant will close in June," Tom Reyes said.', True),
        # two parallel reports in one sentence are not nested
        (
            "Ann Cole told the paper that she was tired — the singer also pointed out that the tour was long.",
            False,
        ),
        # an aside is not a nested report
        (
            "If the hackers are Russian, as many analysts believe but Moscow denies, the vote is at risk, Dunn said.",
            False,
        ),
        # "continue to" is not a report
        ('"President Ford set a standard which President Carter continues to follow," Starr said.', False),
    ],
)
def test_secondhand_more(engine: Engine, text: str, expected: bool) -> None:
    assert ("secondhand" in flags(engine, text)) is expected


# unattributed


def test_end_of_an_earlier_quotation_is_not_the_writers_voice(engine: Engine) -> None:
    text = (
        'The expert was blunt. "He once praised the group. '
        'But there is no evidence whatsoever of any deeper link to its leaders."'
    )
    assert "unattributed" not in flags(engine, text, "deeper link")


def test_own_voice_absence_of_evidence_is_still_unattributed(engine: Engine) -> None:
    text = "The senator repeated the claim without offering proof."
    assert "unattributed" in flags(engine, text)


# disputed


def test_a_second_denial_does_not_dispute_the_first(engine: Engine) -> None:
    text = (
        "The university published a letter disputing accusations by the oil company that its reporters "
        "had produced misleading articles about climate risks. "
        "The company has also rejected accusations that its reporters produced misleading articles about "
        "climate risks."
    )
    first = engine.extract(text).claims[0]
    assert "disputed" not in {f.code for f in first.flags}


def test_denial_of_it_happened_disputes_the_accusation(engine: Engine) -> None:
    text = "The reporter accused the manager of grabbing her arm at the rally. The campaign has denied it happened."
    accusation, denial = engine.extract(text).claims
    assert "disputed" in {f.code for f in accusation.flags}
    assert accusation.disputed_by == [denial.index]


def test_denial_of_a_story_told_by_the_writer(engine: Engine) -> None:
    text = (
        "The weekly was rocked by an article by a columnist who reported that the owner paid a settlement. "
        "The owner denied the charges through his lawyer."
    )
    story, _ = engine.extract(text).claims
    assert "disputed" in {f.code for f in story.flags}


def test_plain_narration_before_a_denial_is_not_disputed(engine: Engine) -> None:
    text = "The owner flew to Paris on Monday. The owner denied the charges through his lawyer."
    trip, _ = engine.extract(text).claims
    assert "disputed" not in {f.code for f in trip.flags}


@pytest.mark.parametrize(
    ("text", "code", "expected"),
    [
        (
            "The senator complained that the vote had been rigged, a charge that party leaders denied.",
            "secondhand",
            False,
        ),
        ('"The party is uniting because they realize she cannot win," said Ann Lee.', "secondhand", False),
        ('"For too long the elite has denied ordinary workers a real voice," Ann Lee wrote.', "secondhand", False),
        ("The paper described their path as a journey from denial to acceptance.", "denial", False),
        ("The agency admitted it was in denial about the size of the deficit.", "denial", False),
        ("Federal investigators have no evidence that the hacker entered the account.", "unattributed", False),
        ("There is no evidence that the hacker entered the account.", "unattributed", True),
    ],
)
def test_second_pass_negatives(engine: Engine, text: str, code: str, expected: bool) -> None:
    assert (code in flags(engine, text)) is expected
