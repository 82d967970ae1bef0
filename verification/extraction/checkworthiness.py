"""Check-worthiness: how much a fact-checker would want to check a sentence, in [0, 1].

Placeholder until the trained scorer lands; the interface is what the engine calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache


class CheckworthinessScorer:
    def score(self, texts: Sequence[str]) -> list[float]:
        return [0.5 for _ in texts]


@lru_cache(maxsize=1)
def load_scorer() -> CheckworthinessScorer:
    return CheckworthinessScorer()
