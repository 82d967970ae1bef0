"""A real Celery worker on the real Redis broker takes an article from queued to done."""

from __future__ import annotations

import subprocess

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.conftest import ROOT, wait_for
from verification.models import Article, Extraction, ExtractionState

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SAMPLE = (ROOT / "demo" / "nato-baltic-2014.txt").read_text(encoding="utf-8")


def latest_state(article: Article) -> str:
    extraction = Extraction.objects.filter(article=article).order_by("-id").first()
    return extraction.state if extraction else ""


def test_pasted_article_goes_from_queued_to_done(celery_worker_process: subprocess.Popen[bytes], alice: User) -> None:
    client = Client()
    client.force_login(alice)
    response = client.post(
        reverse("article_create"), {"title": "NATO and the Baltics", "outlet": "Sputnik", "body": SAMPLE}
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert latest_state(article) in (ExtractionState.QUEUED, ExtractionState.EXTRACTING, ExtractionState.DONE)
    assert wait_for(lambda: latest_state(article) in (ExtractionState.DONE, ExtractionState.FAILED), timeout=120), (
        ROOT / "var" / "test-worker.log"
    ).read_text(errors="replace")[-3000:]
    extraction = article.extractions.get()
    assert extraction.state == ExtractionState.DONE, extraction.error
    assert extraction.engine_version and extraction.attempts == 1
    assert extraction.finished_at is not None and extraction.engine_seconds is not None
    claims = list(article.claims.all())
    assert len(claims) >= 15
    for claim in claims:
        assert article.body[claim.start : claim.end] == claim.text
    assert celery_worker_process.poll() is None


def test_running_the_same_run_twice_never_duplicates_claims(
    celery_worker_process: subprocess.Popen[bytes], alice: User
) -> None:
    from verification.tasks import extract_article

    client = Client()
    client.force_login(alice)
    client.post(reverse("article_create"), {"title": "Twice", "outlet": "Sputnik", "body": SAMPLE})
    article = Article.objects.get()
    extraction = article.extractions.get()
    # The same message delivered again (as after a redelivery) finds the run leased or done.
    extract_article.delay(extraction.pk)
    extract_article.delay(extraction.pk)
    assert wait_for(lambda: latest_state(article) == ExtractionState.DONE, timeout=120)
    count = article.claims.count()
    assert wait_for(lambda: False, timeout=3) is False  # let the duplicates be processed
    assert article.claims.count() == count
    assert Extraction.objects.get(pk=extraction.pk).attempts == 1
