"""Storing a run's result cheaply without giving anything up: a bounded number of queries whatever
the number of claims, speakers looked up together, two runs of one article storing one set of
claims, the lease's quick commit kept to the lease, and the worker's database connection kept
between tasks but replaced after an error."""

from __future__ import annotations

import functools
import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import at_once
from tests.factories import ArticleFactory
from verification import services
from verification.extraction import ArticleResult
from verification.extraction import Claim as ExClaim
from verification.extraction import Flag as ExFlag
from verification.models import Article, Claim, Extraction, ExtractionState, Flag, Speaker
from verification.services.extraction import _lease

SENTENCE = "NATO said it saw tanks. "


def body_of(n: int) -> str:
    return "".join(f"{SENTENCE[:-2]} {i}. " for i in range(n))


def result_of(body: str, n: int, speakers: list[str | None] | None = None) -> ArticleResult:
    claims = []
    start = 0
    for i in range(n):
        text = f"{SENTENCE[:-2]} {i}."
        speaker = speakers[i % len(speakers)] if speakers else "NATO"
        claim = ExClaim(index=i, text=text, start=start, end=start + len(text), speaker=speaker, cue="say")
        if i % 3 == 0:
            claim.flags.append(ExFlag("hedged", "said", start + 5, start + 9, "Hedged."))
        if i > 0 and i % 4 == 0:
            claim.disputed_by.append(i - 1)
        claims.append(claim)
        start += len(text) + 1
    return ArticleResult(text=body, language="en", sentences=n, claims=claims)


class FixedEngine:
    def __init__(self, res: ArticleResult) -> None:
        self.res = res

    def extract(self, text: str) -> ArticleResult:
        return self.res


def queries_to_run(alice: User, n: int, speakers: list[str | None], tag: str = "") -> int:
    body = body_of(n) + tag
    article = ArticleFactory.create(body=body, submitted_by=alice, language="")
    run = Extraction.objects.create(article=article)
    with CaptureQueriesContext(connection) as queries:
        outcome = services.extraction_run(extraction_id=run.pk, engine=FixedEngine(result_of(body, n, speakers)))  # type: ignore[arg-type]
    assert outcome == "done"
    assert Claim.objects.filter(article=article).count() == n
    return len(queries)


@pytest.mark.django_db
def test_a_first_extraction_costs_the_same_queries_for_5_claims_as_for_40(alice: User) -> None:
    names: list[str | None] = ["NATO", "Russia", None, "the Kremlin"]
    with_new_speakers = queries_to_run(alice, 5, names, tag="First.")
    few = queries_to_run(alice, 5, names)
    many = queries_to_run(alice, 40, names)  # (SQLite splits inserts above 999 parameters)
    assert few == many
    assert few < with_new_speakers <= few + 2  # the new ones are inserted together and read back
    # Lease, load, lock, the claims so far, speakers, three inserts, done (and the savepoints the
    # test's transaction adds): not one per claim or per speaker.
    assert many <= 16


@pytest.mark.django_db
def test_speakers_are_looked_up_together_one_per_key_and_reused(alice: User) -> None:
    Speaker.objects.create(key="kremlin", name="Kremlin")
    body = body_of(4)
    article = ArticleFactory.create(body=body, submitted_by=alice)
    services.claims_store(article=article, result=result_of(body, 4, ["NATO", "the NATO", "Nato", "The Kremlin"]))
    assert sorted(Speaker.objects.values_list("key", "name")) == [("kremlin", "Kremlin"), ("nato", "NATO")]
    claims = list(Claim.objects.filter(article=article).order_by("index").select_related("speaker"))
    assert [c.speaker.key if c.speaker else None for c in claims] == ["nato", "nato", "nato", "kremlin"]
    assert Flag.objects.filter(claim__article=article).count() == 2  # claims 0 and 3


@pytest.mark.django_db
def test_re_extraction_replaces_flags_and_disputes(alice: User) -> None:
    body = body_of(9)
    article = ArticleFactory.create(body=body, submitted_by=alice)
    services.claims_store(article=article, result=result_of(body, 9))
    first = set(Claim.objects.filter(article=article).values_list("pk", flat=True))
    res = result_of(body, 9)
    for claim in res.claims:
        claim.flags.clear()
        claim.disputed_by.clear()
    res.claims[1].flags.append(ExFlag("unattributed", "NATO", 30, 34, "Nobody says it."))
    services.claims_store(article=article, result=res)
    assert set(Claim.objects.filter(article=article).values_list("pk", flat=True)) == first  # the same claims
    assert list(Flag.objects.filter(claim__article=article).values_list("code", flat=True)) == ["unattributed"]
    assert not Claim.disputed_by.through.objects.filter(from_claim__article=article).exists()


def codes_by_flags(article: Article) -> dict[int, str]:
    """Each claim's flag codes as its flag rows give them: what Claim.flag_codes must hold."""
    return {c.pk: " ".join(sorted({f.code for f in c.flags.all()})) for c in article.claims.prefetch_related("flags")}


@pytest.mark.django_db
def test_flag_codes_on_the_claim_follow_its_flags_through_re_extraction(alice: User, bob: User) -> None:
    """The search filters flags by Claim.flag_codes: it must say what the flag rows say, always."""
    body = body_of(6)
    article = ArticleFactory.create(body=body, submitted_by=alice)
    first = result_of(body, 6)
    first.claims[0].flags.append(ExFlag("unattributed", "NATO", 0, 4, "Nobody says it."))
    services.claims_store(article=article, result=first)
    stored = dict(Claim.objects.filter(article=article).values_list("pk", "flag_codes"))
    assert stored == codes_by_flags(article)
    assert sorted(stored.values()) == ["", "", "", "", "hedged", "hedged unattributed"]
    # Re-extraction: other flags, and claim 3 (flagged, worked on by a reviewer) gone from the text.
    gone = Claim.objects.get(article=article, index=3)
    services.claim_set_status(claim=gone, user=bob, status="false", rationale="Wrong.", expected_version=None)
    second = result_of(body, 6)
    del second.claims[3]
    for claim in second.claims:
        claim.flags.clear()
    second.claims[1].flags.append(ExFlag("denial", "NATO", 30, 34, "Denied."))
    services.claims_store(article=article, result=second)
    stored = dict(Claim.objects.filter(article=article).values_list("pk", "flag_codes"))
    assert stored == codes_by_flags(article)
    assert stored[gone.pk] == "" and not Claim.objects.get(pk=gone.pk).in_text
    assert sorted(stored.values()) == ["", "", "", "", "", "denial"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrent sessions are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_two_runs_of_one_article_at_once_store_one_set_of_claims(alice: User) -> None:
    """A retry queued while a run is under way: both runs finish the engine, then store at once."""
    body = body_of(12)
    article = ArticleFactory.create(body=body, submitted_by=alice)
    runs = [Extraction.objects.create(article=article) for _ in range(2)]
    both_extracted = threading.Barrier(2, timeout=30)

    class MeetingEngine(FixedEngine):
        def extract(self, text: str) -> ArticleResult:
            both_extracted.wait()
            return self.res

    outcomes: list[str] = []

    def run(extraction: Extraction) -> None:
        engine = MeetingEngine(result_of(body, 12))
        outcomes.append(services.extraction_run(extraction_id=extraction.pk, engine=engine))  # type: ignore[arg-type]

    at_once(*[functools.partial(run, r) for r in runs])
    assert outcomes == ["done", "done"]
    indexes = sorted(Claim.objects.filter(article=article).values_list("index", flat=True))
    assert indexes == list(range(12))  # one set: the second run matched the first's claims
    assert Flag.objects.filter(claim__article=article).count() == 4  # claims 0, 3, 6, 9: once each
    assert all(r.state == ExtractionState.DONE for r in Extraction.objects.filter(article=article))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="synchronous_commit is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_the_leases_quick_commit_stays_with_the_lease(alice: User) -> None:
    article: Article = ArticleFactory.create(submitted_by=alice)
    run = Extraction.objects.create(article=article)
    assert _lease(run.pk, "message-1")
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("on",)  # the result's commit waits for the disk as before
    run.refresh_from_db()
    assert run.state == ExtractionState.EXTRACTING and run.attempts == 1 and run.leased_by == "message-1"


@pytest.mark.django_db
def test_new_rows_are_stored_whole_with_their_ids_and_the_models_defaults(alice: User) -> None:
    # On PostgreSQL the store inserts by COPY, not bulk_create: the rows must read back as the ORM
    # would have written them, and the objects must carry their ids for the flags and disputes.
    from verification.extraction.types import Entity

    body = body_of(5)
    article = ArticleFactory.create(body=body, submitted_by=alice)
    res = result_of(body, 5)
    res.claims[2].entities.append(Entity('O\'Neil "Tip"\\ \u00e9', "PERSON", 3, 9))
    res.claims[2].quote = '"'
    services.claims_store(article=article, result=res)
    claims = list(Claim.objects.filter(article=article).order_by("index"))
    assert [c.index for c in claims] == [0, 1, 2, 3, 4]
    assert claims[2].entities == [{"text": 'O\'Neil "Tip"\\ \u00e9', "label": "PERSON", "start": 3, "end": 9}]
    assert claims[2].quote == '"'
    assert {(c.evidence_status, c.workflow_state, c.rationale, c.version, c.in_text) for c in claims} == {
        ("unreviewed", "open", "", 0, True)
    }
    assert all(c.updated_at is not None and c.engine_version for c in claims)
    assert [c.flag_codes for c in claims] == ["hedged", "", "", "hedged", ""]
    assert sorted(Flag.objects.filter(claim__article=article).values_list("claim__index", "code")) == [
        (0, "hedged"),
        (3, "hedged"),
    ]
    assert list(
        Claim.disputed_by.through.objects.filter(from_claim__article=article).values_list(
            "from_claim__index", "to_claim__index"
        )
    ) == [(4, 3)]
    # The ids drawn for the COPY are the sequence's: the next claim saved the ORM's way gets a new one.
    later = Claim.objects.create(article=article, index=9, start=0, end=1, text="x")
    assert later.pk > max(c.pk for c in claims)
