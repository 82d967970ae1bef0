"""My queue and the overview stay under 15 queries whatever the data size (issue 5, "Speed")."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.desk.factories import QueueFactory
from tests.factories import ArticleFactory, ExtractionFactory, FlagFactory, SpeakerFactory, UserFactory
from verification import roles
from verification.models import Assignment, Claim, EvidenceStatus, Notification, Queue, ReviewEvent, WorkflowState

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
MAX_QUERIES = 15


def build_desk(alice, bob, *, articles: int, claims_per_article: int, today: datetime.date, tag: str = "") -> None:
    """Many articles, claims, flags, queues, assignments (some overdue, some done) and history."""
    reviewers = [bob] + [UserFactory.create(username=f"rev{tag}{i}", role=roles.REVIEWER) for i in range(5)]
    queues = [QueueFactory.create(name=f"Desk {tag}{i}", created_by=alice, members=reviewers[i::2]) for i in range(3)]
    speaker = SpeakerFactory.create()
    statuses = itertools.cycle(EvidenceStatus.values)
    people = itertools.cycle([*reviewers, None])
    claims: list[Claim] = []
    for a in range(articles):
        article = ArticleFactory.create(submitted_by=alice)
        ExtractionFactory.create(article=article)
        for i in range(claims_per_article):
            status = next(statuses)
            claims.append(
                Claim(article=article, index=i, start=i * 10, end=i * 10 + 9, text=f"Claim {a}-{i}", speaker=speaker,
                      checkworthiness=(i % 10) / 10, evidence_status=status,
                      workflow_state=WorkflowState.DONE if status != "unreviewed" and i % 2 else WorkflowState.OPEN)
            )  # fmt: skip
    Claim.objects.bulk_create(claims)
    for claim in claims[::7]:
        FlagFactory.create(claim=claim)
    Assignment.objects.bulk_create(
        Assignment(claim=c, queue=queues[n % 3], assignee=next(people), priority=["urgent", "high", "normal"][n % 3],
                   due_on=today + datetime.timedelta(days=(n % 9) - 4), assigned_by=alice,
                   done_at=c.updated_at if c.workflow_state == WorkflowState.DONE else None)
        for n, c in enumerate(claims[: len(claims) * 3 // 4])
    )  # fmt: skip
    ReviewEvent.objects.bulk_create(
        ReviewEvent(claim=c, user=reviewers[n % len(reviewers)], field="workflow_state", old_value="in_review",
                    new_value="done")
        for n, c in enumerate(claims) if c.workflow_state == WorkflowState.DONE
    )  # fmt: skip
    Notification.objects.bulk_create(Notification(user=bob, kind="assigned", message=f"m{n}") for n in range(30))


@pytest.fixture
def big_desk(alice, bob, today) -> None:
    build_desk(alice, bob, articles=40, claims_per_article=25, today=today)


def count(client: Client, url: str, **kwargs) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(ctx), len(response.content)


@pytest.mark.parametrize(
    ("page", "params", "htmx"),
    [
        ("my_queue", {}, False),
        ("my_queue", {"part": "claims"}, True),
        ("my_queue", {"overdue": "1", "priority": "urgent"}, False),
        ("desk_overview", {}, False),
        ("desk_overview", {"part": "live"}, True),
        ("desk_overview", {"queue": "first"}, False),
    ],
)
def test_desk_pages_stay_under_15_queries(
    big_desk, editor_client: Client, reviewer_client: Client, django_assert_max_num_queries, page, params, htmx
) -> None:
    client = editor_client if page == "desk_overview" else reviewer_client
    url = reverse(page)
    if params.get("queue") == "first":
        params = {"queue": Queue.objects.order_by("pk").values_list("pk", flat=True)[0]}
    client.get(url)  # warm the session
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url, params, headers=HTMX if htmx else {})
    assert response.status_code == 200


def test_query_count_does_not_grow_with_the_data(alice, bob, editor_client: Client, reviewer_client: Client,
                                                 today) -> None:  # fmt: skip
    build_desk(alice, bob, articles=3, claims_per_article=5, today=today)
    small = {p: count(c, reverse(p))[0] for p, c in (("my_queue", reviewer_client), ("desk_overview", editor_client))}
    build_desk(alice, UserFactory.create(username="zed", role=roles.REVIEWER), articles=30, claims_per_article=20,
               today=today, tag="b")  # fmt: skip
    large = {p: count(c, reverse(p))[0] for p, c in (("my_queue", reviewer_client), ("desk_overview", editor_client))}
    assert large == small
    print(f"queries: {large}")


def test_queue_page_and_export_are_constant_too(big_desk, editor_client: Client, django_assert_max_num_queries) -> None:
    queue = Queue.objects.first()
    assert queue is not None
    with django_assert_max_num_queries(MAX_QUERIES):
        assert editor_client.get(reverse("queue_detail", args=[queue.pk])).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES):
        assert editor_client.get(reverse("queue_list")).status_code == 200
