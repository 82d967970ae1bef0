from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests.desk.factories import QueueFactory
from tests.factories import ArticleFactory, ClaimFactory, ExtractionFactory, UserFactory
from verification import roles
from verification.models import Article, Claim, Queue


@pytest.fixture(autouse=True)
def _no_cached_overview(monkeypatch: pytest.MonkeyPatch) -> None:
    """The overview's figures are cached across requests; a test starts with none from another test.

    A key of its own rather than cache.clear(): the cache may be a Redis database others use.
    """
    import uuid

    from verification.selectors import desk

    monkeypatch.setattr(desk, "OVERVIEW_CACHE_KEY", f"test:{uuid.uuid4().hex}:desk:overview")


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def rita(db: None) -> User:
    return UserFactory.create(username="rita", role=roles.REVIEWER, email="rita@example.org")


@pytest.fixture
def sam(db: None) -> User:
    return UserFactory.create(username="sam", role=roles.REVIEWER)


@pytest.fixture
def politics(alice: User, bob: User, rita: User) -> Queue:
    """A queue with bob and rita; sam is a reviewer who is not a member."""
    return QueueFactory.create(name="Politics", created_by=alice, members=[bob, rita])


@pytest.fixture
def make_claims(alice: User) -> Callable[..., list[Claim]]:
    def make(n: int, article: Article | None = None, **kwargs: object) -> list[Claim]:
        article = article or ArticleFactory.create(submitted_by=alice)
        ExtractionFactory.create(article=article)
        return [
            ClaimFactory.create(
                article=article, index=i, start=i * 10, end=i * 10 + 9, text=f"Claim text {i}", **kwargs
            )
            for i in range(n)
        ]

    return make
