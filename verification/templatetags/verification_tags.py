"""Template helpers. The article text is split into plain and claim segments here, then
escaped by the template like any other text: nothing from the article is ever marked safe."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django import template

if TYPE_CHECKING:
    from verification.models import Claim

register = template.Library()


@dataclass(frozen=True)
class Segment:
    text: str
    claim: Claim | None = None


def annotate_text(body: str, claims: list[Claim]) -> list[list[Segment]]:
    """The body as paragraphs of segments; a segment is plain text or one claim's span."""
    paragraphs: list[list[Segment]] = [[]]
    pos = 0

    def add_plain(text: str) -> None:
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i:
                paragraphs.append([])
            if part:
                paragraphs[-1].append(Segment(part))

    for claim in sorted(claims, key=lambda c: c.start):
        if claim.start < pos or claim.end > len(body):
            continue  # overlapping or out of range: shown in the list, not highlighted
        add_plain(body[pos : claim.start])
        paragraphs[-1].append(Segment(body[claim.start : claim.end], claim))
        pos = claim.end
    add_plain(body[pos:])
    return [p for p in paragraphs if p]


@register.filter
def percent(value: float) -> int:
    return round(float(value or 0) * 100)
