"""Fixtures for the engine tests: one parsed pipeline per session, no Django, no database."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from verification.extraction import Engine


class ConstantScorer:
    """Stands in for the trained check-worthiness model so that these tests test the engine alone."""

    def score(self, texts: Sequence[str]) -> list[float]:
        return [0.5 for _ in texts]


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine(scorer=ConstantScorer())
