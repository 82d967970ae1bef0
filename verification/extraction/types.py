"""Plain data the engine returns. No Django here: the worker and the command persist or print it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

FLAG_CODES = (
    "evidence_absent",
    "denial",
    "hedged",
    "unnamed_source",
    "secondhand",
    "unattributed",
    "disputed",
)

# Claim kinds, after Full Fact's claim types, kept small so a reviewer can filter on them.
CLAIM_KINDS = (
    "statement",  # a plain factual assertion about the world
    "quantity",  # numbers, amounts, rankings, percentages
    "date",  # when something happened
    "comparison",  # more/less/twice as ... than
    "prediction",  # what will or would happen
    "causal",  # X caused / led to / because of Y
    "opinion",  # a judgement or value statement
)


class ExtractionError(ValueError):
    """The text cannot be extracted (for example: longer than `engine.MAX_TEXT_CHARS`); the message says why."""


@dataclass(frozen=True, slots=True)
class Entity:
    text: str
    label: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Flag:
    code: str
    text: str
    start: int
    end: int
    explanation: str


@dataclass(slots=True)
class Claim:
    index: int
    text: str
    start: int
    end: int
    speaker: str | None = None
    speaker_mention: str | None = None
    cue: str | None = None
    quote: str | None = None  # "direct", "indirect" or None
    checkworthiness: float = 0.0
    kind: str = "statement"
    entities: list[Entity] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    disputed_by: list[int] = field(default_factory=list)
    # Where the speaker mention and the cue are in the article text (for highlighting); None when absent.
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue_start: int | None = None
    cue_end: int | None = None


@dataclass(slots=True)
class ArticleResult:
    text: str
    language: str
    sentences: int
    headlines: list[str] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    def to_dict(self, source: str | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if source is not None:
            data["source"] = source
        data["language"] = self.language
        data["sentences"] = self.sentences
        data["headlines"] = list(self.headlines)
        data["claims"] = [asdict(c) for c in self.claims]
        return data
