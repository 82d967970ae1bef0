"""The article text cut into what the page shows: plain text, claims, and flagged words inside them.

Nothing here is marked safe: the template escapes every piece like any other text.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Claim, Flag


@dataclass(frozen=True)
class Piece:
    """Part of a claim's text; `flags` are those whose trigger words cover it."""

    text: str
    flags: tuple[Flag, ...] = ()


@dataclass
class Segment:
    text: str
    claim: Claim | None = None
    pieces: list[Piece] = field(default_factory=list)


def _pieces(body: str, claim: Claim) -> list[Piece]:
    flags = [f for f in claim.flags.all() if claim.start <= f.start < f.end <= claim.end]
    cuts = sorted({claim.start, claim.end, *(f.start for f in flags), *(f.end for f in flags)})
    pieces = []
    for lo, hi in itertools.pairwise(cuts):
        covering = tuple(f for f in flags if f.start <= lo and hi <= f.end)
        pieces.append(Piece(body[lo:hi], covering))
    return pieces


def annotate_text(body: str, claims: list[Claim]) -> list[list[Segment]]:
    """The body as paragraphs (split at newlines) of segments: plain text or one claim's span."""
    paragraphs: list[list[Segment]] = [[]]
    pos = 0

    def add_plain(text: str) -> None:
        for i, part in enumerate(text.split("\n")):
            if i:
                paragraphs.append([])
            if part:
                paragraphs[-1].append(Segment(part))

    for claim in sorted(claims, key=lambda c: c.start):
        if claim.start < pos or claim.end > len(body) or "\n" in body[claim.start : claim.end]:
            continue  # overlapping, out of range or across paragraphs: listed beside the text, not highlighted
        add_plain(body[pos : claim.start])
        paragraphs[-1].append(Segment(body[claim.start : claim.end], claim, _pieces(body, claim)))
        pos = claim.end
    add_plain(body[pos:])
    return [p for p in paragraphs if p]


SORTS = {
    "position": "In text order",
    "checkworthiness": "Most check-worthy first",
    "flags": "Most flagged first",
}


def sort_claims(claims: list[Claim], order: str) -> list[Claim]:
    if order == "checkworthiness":
        return sorted(claims, key=lambda c: (-c.checkworthiness, c.start))
    if order == "flags":
        return sorted(claims, key=lambda c: (-len(c.flags.all()), -c.checkworthiness, c.start))
    return sorted(claims, key=lambda c: (not c.in_text, c.start))
