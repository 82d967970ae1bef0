"""The kind of a claim, one of `types.CLAIM_KINDS`, from the words and the parse of its content.

Rules, first match wins (the content is the sentence minus its attribution clause):

1. prediction: the content's main verb is future or conditional ("will", "would", "'ll", "is going to",
   "is expected to", "forecast").
2. causal: a causal connective or verb ("because", "due to", "as a result", "led to", "caused",
   "resulted in", "blamed ... for").
3. comparison: a comparative or superlative (more, less, -er/-est adjectives and adverbs) or
   "twice/three times as".
4. quantity: a number, percentage, amount of money or measure (spaCy CARDINAL, PERCENT, MONEY,
   QUANTITY; ORDINAL ranks).
5. opinion: an evaluation rather than a fact: "should"/"must"/"ought to", first person "I think",
   "called X a Y", or an evaluative adjective (good, bad, wrong, mistake ...).
6. date: a date or time anchors the event (spaCy DATE, TIME).
7. statement: anything else.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span

_FUTURE = {"will", "wo", "'ll", "would", "shall"}
_CAUSAL = {
    "because",
    "cause",
    "caused",
    "causes",
    "causing",
    "due",
    "thanks",
    "result",
    "resulted",
    "led",
    "leads",
    "lead",
    "owing",
    "consequence",
    "consequently",
    "therefore",
    "thus",
    "hence",
    "blamed",
    "triggered",
    "sparked",
    "fueled",
    "fuelled",
}
_EVALUATIVE = {
    "good",
    "bad",
    "wrong",
    "right",
    "mistake",
    "great",
    "terrible",
    "excessive",
    "unacceptable",
    "shameful",
    "disgraceful",
    "outrageous",
    "ridiculous",
    "absurd",
    "dangerous",
    "reckless",
    "irresponsible",
    "provocation",
    "disaster",
    "failure",
    "best",
    "worst",
    "important",
    "necessary",
    "unfair",
    "fair",
    "wise",
    "unwise",
    "foolish",
    "stupid",
    "smart",
    "brilliant",
    "horrible",
    "awful",
    "wonderful",
    "incompetent",
    "corrupt",
}
_OPINION_MODALS = {"should", "must", "ought"}
_QUANTITY_LABELS = {"CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"}
_DATE_LABELS = {"DATE", "TIME"}


def classify(span: Span, content: Collection[int] | None = None, cue: str | None = None) -> str:  # noqa: PLR0911
    toks = [t for t in span if not content or t.i in content]
    lows = [t.lower_ for t in toks]
    ids = {t.i for t in toks}
    labels = {e.label_ for e in span.ents if e.start in ids}
    if cue == "predict" or any(t.tag_ == "MD" and t.lower_ in _FUTURE for t in toks):
        return "prediction"
    for i, w in enumerate(lows):
        before_to = w in ("going", "expected", "set", "poised", "likely") and i + 1 < len(lows) and lows[i + 1] == "to"
        # "is going to" predicts; "going to the polls" does not
        if before_to and (w != "going" or (i > 0 and lows[i - 1] in ("is", "are", "was", "were", "'s", "'re", "am"))):
            return "prediction"
    if any(w in _CAUSAL for w in lows):
        for i, w in enumerate(lows):
            if w == "due" and (i + 1 >= len(lows) or lows[i + 1] != "to"):
                continue
            if w == "result" and not (i > 0 and lows[i - 1] == "a" and i > 1 and lows[i - 2] == "as"):
                continue
            if w in ("lead", "leads", "led") and (i + 1 >= len(lows) or lows[i + 1] != "to"):
                continue
            if w == "thanks" and (i + 1 >= len(lows) or lows[i + 1] != "to"):
                continue
            if w in _CAUSAL:
                return "causal"
    if (
        any(
            t.tag_ in ("JJR", "RBR", "JJS", "RBS") and t.lower_ not in ("earlier", "later", "most", "least", "more")
            for t in toks
        )
        or any(w in ("twice", "thrice") for w in lows)
        or ("more" in lows and "than" in lows)
    ):
        return "comparison"
    if labels & _QUANTITY_LABELS:
        return "quantity"
    if cue == "call" or any(w in _OPINION_MODALS for w in lows) or any(w in _EVALUATIVE for w in lows):
        return "opinion"
    if labels & _DATE_LABELS:
        return "date"
    return "statement"
