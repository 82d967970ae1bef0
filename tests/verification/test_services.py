"""Services against the database: storing extractions, keeping reviewers' work, leasing runs."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.factories import ArticleFactory, ExtractionFactory
from verification import services
from verification.extraction import ArticleResult
from verification.extraction import Claim as ExClaim
from verification.extraction import Flag as ExFlag
from verification.models import Article, Claim, EvidenceItem, EvidenceStatus, Extraction, ExtractionState, Stance

pytestmark = pytest.mark.django_db

BODY = "NATO said it saw tanks. Russia denied the claims. The weather was fine."


def result(*sentences: tuple[str, int], speaker: str | None = "NATO") -> ArticleResult:
    claims = [
        ExClaim(index=i, text=text, start=start, end=start + len(text), speaker=speaker, cue="say", quote="indirect")
        for i, (text, start) in enumerate(sentences)
    ]
    return ArticleResult(text=BODY, language="en", sentences=len(claims), claims=claims)


@pytest.fixture
def article(alice: User) -> Article:
    return ArticleFactory.create(body=BODY, submitted_by=alice)


def test_store_creates_claims_flags_and_disputes(article: Article) -> None:
    res = result(("NATO said it saw tanks.", 0), ("Russia denied the claims.", 24))
    res.claims[0].flags.append(ExFlag("disputed", "denied the claims", 31, 48, "Another sentence denies it."))
    res.claims[0].disputed_by.append(1)
    services.claims_store(article=article, result=res)
    first, second = Claim.objects.filter(article=article).order_by("start")
    assert first.speaker is not None and first.speaker.name == "NATO"
    assert list(first.disputed_by.all()) == [second]
    assert first.flags.get().code == "disputed"
    assert BODY[first.start : first.end] == first.text


def test_re_extraction_keeps_reviewers_work(article: Article, bob: User) -> None:
    services.claims_store(
        article=article, result=result(("NATO said it saw tanks.", 0), ("Russia denied the claims.", 24))
    )
    tanks = Claim.objects.get(article=article, start=0)
    gone = Claim.objects.get(article=article, start=24)
    services.claim_set_status(claim=tanks, user=bob, status="false", rationale="Satellite images show none.")
    services.claim_set_status(claim=gone, user=bob, status="supported")
    EvidenceItem.objects.create(
        claim=tanks, url="https://example.org/x", title="Images", stance=Stance.CONTRADICTS, added_by=bob
    )
    # A new engine version finds the first sentence (moved), not the second, and a new one.
    services.claims_store(
        article=article, result=result(("NATO said it saw tanks.", 0), ("The weather was fine.", 49), speaker=None)
    )
    tanks.refresh_from_db()
    assert tanks.evidence_status == EvidenceStatus.FALSE
    assert tanks.rationale == "Satellite images show none."
    assert tanks.evidence.count() == 1
    assert tanks.events.count() >= 2
    gone.refresh_from_db()
    assert gone.in_text is False and gone.evidence_status == EvidenceStatus.SUPPORTED
    assert Claim.objects.filter(article=article).count() == 3


def test_untouched_claims_that_disappear_are_removed(article: Article) -> None:
    services.claims_store(
        article=article, result=result(("NATO said it saw tanks.", 0), ("Russia denied the claims.", 24))
    )
    services.claims_store(article=article, result=result(("NATO said it saw tanks.", 0)))
    assert list(Claim.objects.filter(article=article).values_list("text", flat=True)) == ["NATO said it saw tanks."]


def test_storing_twice_never_duplicates(article: Article) -> None:
    res = result(("NATO said it saw tanks.", 0), ("Russia denied the claims.", 24))
    services.claims_store(article=article, result=res)
    services.claims_store(article=article, result=res)
    assert Claim.objects.filter(article=article).count() == 2


class BrokenEngine:
    def extract(self, text: str) -> ArticleResult:
        raise ValueError("the engine tripped")


class FixedEngine:
    def __init__(self, res: ArticleResult) -> None:
        self.res = res

    def extract(self, text: str) -> ArticleResult:
        return self.res


def test_run_is_idempotent_and_leased(article: Article) -> None:
    extraction = Extraction.objects.create(article=article)
    engine = FixedEngine(result(("NATO said it saw tanks.", 0)))
    assert services.extraction_run(extraction_id=extraction.pk, engine=engine) == "done"  # type: ignore[arg-type]
    assert services.extraction_run(extraction_id=extraction.pk, engine=engine) == "skipped"  # type: ignore[arg-type]
    extraction.refresh_from_db()
    assert extraction.state == ExtractionState.DONE and extraction.attempts == 1
    assert Claim.objects.filter(article=article).count() == 1


def test_poison_article_fails_after_bounded_attempts(article: Article) -> None:
    extraction = Extraction.objects.create(article=article)
    for _ in range(services.MAX_ATTEMPTS - 1):
        with pytest.raises(services.ExtractionCrashed):
            services.extraction_run(extraction_id=extraction.pk, engine=BrokenEngine())  # type: ignore[arg-type]
        extraction.refresh_from_db()
        assert extraction.state == ExtractionState.QUEUED
    assert services.extraction_run(extraction_id=extraction.pk, engine=BrokenEngine()) == "failed"  # type: ignore[arg-type]
    extraction.refresh_from_db()
    assert extraction.state == ExtractionState.FAILED
    assert "the engine tripped" in extraction.error


def test_non_english_is_marked_not_extracted(article: Article) -> None:
    extraction = Extraction.objects.create(article=article)
    res = ArticleResult(text=BODY, language="de", sentences=3, claims=[])
    services.extraction_run(extraction_id=extraction.pk, engine=FixedEngine(res))  # type: ignore[arg-type]
    extraction.refresh_from_db()
    article.refresh_from_db()
    assert article.language == "de"
    assert extraction.error_code == "language"


def test_stuck_runs_are_found(article: Article) -> None:
    from datetime import timedelta

    from django.utils import timezone

    old = ExtractionFactory.create(article=article, state=ExtractionState.QUEUED)
    Extraction.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    ExtractionFactory.create(
        article=ArticleFactory.create(), state=ExtractionState.QUEUED
    )  # fresh: its message is in flight
    assert len(services.extraction_requeue_stuck()) == 1


def test_reextract_outdated_queues_only_articles_of_older_engines(alice: User) -> None:
    from io import StringIO

    from django.core.management import call_command

    from verification.extraction import ENGINE_VERSION

    old = ExtractionFactory.create(engine_version="0.1").article
    ExtractionFactory.create(engine_version=ENGINE_VERSION)
    out = StringIO()
    call_command("reextract", "--outdated", stdout=out)
    assert "Queued 1 article" in out.getvalue()
    assert old.extractions.count() == 2
    assert old.extractions.order_by("-id").first().state == ExtractionState.QUEUED  # type: ignore[union-attr]
    call_command("reextract", "--outdated", stdout=out)  # the queued run is left alone
    assert old.extractions.count() == 2


def test_editor_is_offered_re_extraction_with_a_newer_engine(editor_client, reviewer_client) -> None:
    extraction = ExtractionFactory.create(engine_version="0.1")
    url = extraction.article.get_absolute_url()
    assert "Re-extract" in editor_client.get(url).content.decode()
    assert "Re-extract" not in reviewer_client.get(url).content.decode()
