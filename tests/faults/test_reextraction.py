"""Reviewers' work is sacred: an editor re-extracts an article every claim of which a reviewer has
worked on, through the page's button and a real worker, twice; nothing a person entered moves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.conftest import Workers, wait_for
from tests.faults.test_worker_faults import SAMPLE, assert_one_set_of_claims, extraction, state, submit
from verification import services
from verification.models import Article, Claim, EvidenceStatus, Extraction, ExtractionState, ReviewEvent, WorkflowState
from verification.services import desk as desk_services

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def people_work(article: Article) -> dict[int, Any]:
    """Everything people entered on the article's claims, by claim."""
    work: dict[int, Any] = {}
    for claim in Claim.objects.filter(article=article).select_related("assignment").prefetch_related("evidence"):
        assignment = getattr(claim, "assignment", None)
        work[claim.pk] = {
            "text": claim.text,
            "status": claim.evidence_status,
            "rationale": claim.rationale,
            "workflow": claim.workflow_state,
            "version": claim.version,
            "evidence": sorted((e.pk, e.url, e.title, e.stance, e.excerpt, e.note) for e in claim.evidence.all()),
            "assignment": assignment and (assignment.queue_id, assignment.assignee_id, assignment.priority),
        }
    return work


def finished(run: int) -> Callable[[], bool]:
    return lambda: Extraction.objects.get(pk=run).state == ExtractionState.DONE


def test_re_extraction_keeps_every_piece_of_reviewers_work(workers: Workers, alice: User, bob: User) -> None:
    workers.start()
    article = submit(alice, SAMPLE, title="Reviewed, then re-extracted")
    assert wait_for(lambda: state(article) == ExtractionState.DONE, timeout=180), workers.logs()
    claims = list(Claim.objects.filter(article=article).order_by("index"))
    assert len(claims) >= 10

    verdicts = [s for s in EvidenceStatus.values if s != EvidenceStatus.UNREVIEWED]
    queue = desk_services.queue_create(user=alice, name="Baltic", members=[bob])
    desk_services.claims_assign(user=alice, claims=claims[:5], queue=queue, assignee=bob, priority="high")
    for i, extracted in enumerate(claims):
        claim = services.claim_set_status(
            claim=extracted, user=bob, status=verdicts[i % len(verdicts)], rationale=f"Rationale {i}"
        )
        services.evidence_add(claim=claim, user=bob, url=f"https://example.org/{i}", title=f"Source {i}",
                              stance="contradicts", excerpt=f"Excerpt {i}", note=f"Note {i}")  # fmt: skip
        if i % 3 == 0:
            services.claim_set_workflow(claim=claim, user=bob, state=WorkflowState.DONE)
    before = people_work(article)
    history = set(ReviewEvent.objects.filter(claim__article=article).values_list("pk", "field", "new_value"))
    assert all(w["status"] != EvidenceStatus.UNREVIEWED and w["evidence"] for w in before.values())

    editor = Client()
    editor.force_login(alice)
    for n in range(2):
        previous = extraction(article).pk
        response = editor.post(reverse("article_retry", args=[article.pk]))
        assert response.status_code == 302
        run = extraction(article)
        assert run.pk != previous, f"re-extraction {n + 1} was not queued"
        assert wait_for(finished(run.pk), timeout=180), workers.logs()
    assert Extraction.objects.filter(article=article).count() == 3

    assert people_work(article) == before
    after = set(ReviewEvent.objects.filter(claim__article=article).values_list("pk", "field", "new_value"))
    assert history <= after
    assert_one_set_of_claims(article)
    assert Claim.objects.filter(article=article, in_text=True).count() == len(claims)
