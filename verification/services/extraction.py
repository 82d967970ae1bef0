"""Extraction runs: queued on commit, leased by one worker, stored so that people's work survives."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Model, Q
from django.utils import timezone

from ..extraction import ENGINE_VERSION, ArticleResult, Engine
from ..extraction import Claim as ExtractedClaim
from ..models import (
    Article,
    Claim,
    EvidenceStatus,
    Extraction,
    ExtractionState,
    Flag,
    Speaker,
    WorkflowState,
    flag_codes_of,
)
from ..selectors.runs import runs_lost

logger = logging.getLogger(__name__)

# A run is owned by the worker that leased it until the lease ends; a worker that dies leaves
# the lease to expire, and the sweep (or the redelivered message) takes the run over.
LEASE = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
# An article that crashes the engine this many times is failed for good instead of retried.
MAX_ATTEMPTS = 3


class ExtractionCrashed(Exception):
    """The engine raised on this article; the run was given back to be tried again."""


def extraction_queue(*, article: Article) -> Extraction:
    """A new extraction run, queued when the transaction commits (never before the row is visible)."""
    extraction = Extraction.objects.create(article=article, state=ExtractionState.QUEUED)
    transaction.on_commit(lambda: _send_extraction(extraction.pk))
    return extraction


def _send_extraction(extraction_id: int) -> bool:
    from ..tasks import extract_article

    try:
        extract_article.delay(extraction_id)
    except Exception:
        # The broker is down. The run stays queued in the database, and the sweep sends it again.
        logger.warning("Could not queue extraction %s; the sweep will retry", extraction_id, exc_info=True)
        return False
    return True


def extraction_retry(*, article: Article) -> Extraction:
    with transaction.atomic():
        return extraction_queue(article=article)


def extraction_requeue_stuck(
    *, older_than: timedelta = timedelta(minutes=2), in_broker: Collection[int] | None = None
) -> list[int]:
    """Send again the runs whose message is lost: waiting for a while with no message in the broker
    (Redis was down when it was sent, or flushed since), or leased by a worker that died. Returns
    the ids of the runs sent (a send that failed is left to the next sweep).

    `in_broker` holds the runs that still have a message (verification.broker); a waiting run among
    them is left alone, so a backlog is not sent twice. None means the broker could not be read:
    every waiting run is sent again, and the duplicates are skipped by the lease.
    """
    return extraction_send_again(runs_lost(older_than=older_than, in_broker=in_broker))


def extraction_send_again(ids: Sequence[int]) -> list[int]:
    """Queue these runs again; returns those sent (a send that failed is left to the next sweep)."""
    sent = [pk for pk in ids if _send_extraction(pk)]
    if ids:
        logger.info("Sent %d of %d lost extraction runs again: %s", len(sent), len(ids), sent[:20])
    return sent


def _lease(extraction_id: int, holder: str) -> bool:
    """Take the run with one conditional UPDATE, so two workers never both run it.

    A run is free when queued, when its lease ran out (its worker died and nobody redelivered the
    message), or when the message holding it comes back: Celery redelivers a message only when the
    worker that had it is gone, so that earlier run is dead.
    """
    now = timezone.now()
    free = Q(state=ExtractionState.QUEUED) | Q(state=ExtractionState.EXTRACTING, leased_until__lt=now)
    if holder:
        free |= Q(state=ExtractionState.EXTRACTING, leased_by=holder)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The lease is committed (visible to every other worker, and its attempt counted even
            # if this worker dies next) without waiting for the disk: only a crash of PostgreSQL
            # itself could lose it, and then the run is simply queued again. Saves one flush per
            # article; the result is stored with a normal, durable commit.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        taken = (
            Extraction.objects.filter(pk=extraction_id)
            .filter(free)
            .update(
                state=ExtractionState.EXTRACTING,
                started_at=now,
                leased_until=now + LEASE,
                leased_by=holder,
                attempts=F("attempts") + 1,
            )
        )
    return taken == 1


def extraction_run(*, extraction_id: int, engine: Engine, holder: str = "") -> str:
    """Run the engine over the article and store its claims. Idempotent: safe to run again.

    `holder` names the message running it (the Celery task id), see _lease.
    """
    if not _lease(extraction_id, holder):
        return "skipped"
    extraction = Extraction.objects.select_related("article").get(pk=extraction_id)
    article = extraction.article
    if extraction.attempts > MAX_ATTEMPTS:
        _fail(extraction, f"crashed: the engine failed on this article {MAX_ATTEMPTS} times; see the worker log.")
        return "failed"
    started = time.perf_counter()
    try:
        result = engine.extract(article.body)
    except Exception as exc:
        logger.exception("Extraction %s failed", extraction_id)
        if extraction.attempts >= MAX_ATTEMPTS:
            _fail(extraction, f"crashed: {type(exc).__name__}: {exc}"[:2000])
            return "failed"
        # Give the run back for another attempt (a transient fault); the task retries it.
        Extraction.objects.filter(pk=extraction_id).update(state=ExtractionState.QUEUED, leased_until=None)
        raise ExtractionCrashed(str(exc)) from exc
    engine_seconds = time.perf_counter() - started
    saved = time.perf_counter()
    with transaction.atomic():
        # One query locks the run and its article: the run is still this message's (or another
        # took it over and its result stands), and two runs of one article (a retry while one is
        # under way) store one at a time, so the second matches the first's claims instead of
        # adding a second set. NO KEY: rows that merely point at the article are not held up.
        locked = (
            Extraction.objects.select_for_update(no_key=True)
            .select_related("article")
            .only("state", "leased_by", "article__language")
            .get(pk=extraction_id)
        )
        if locked.state != ExtractionState.EXTRACTING or locked.leased_by != holder:
            return "skipped"  # another run took it over meanwhile: its result stands
        claims_store(article=article, result=result)
        if locked.article.language != result.language:
            Article.objects.filter(pk=article.pk).update(language=result.language)
        Extraction.objects.filter(pk=extraction_id).update(
            state=ExtractionState.DONE,
            engine_version=ENGINE_VERSION,
            sentences=result.sentences,
            headlines=list(result.headlines),
            error="" if result.language == "en" else f"language: Language not supported ({result.language}).",
            finished_at=timezone.now(),
            leased_until=None,
            engine_seconds=engine_seconds,
            save_seconds=time.perf_counter() - saved,
        )
    return "done"


def _fail(extraction: Extraction, reason: str) -> None:
    extraction.state = ExtractionState.FAILED
    extraction.error = reason
    extraction.finished_at = timezone.now()
    extraction.leased_until = None
    extraction.save(update_fields=["state", "error", "finished_at", "leased_until"])


def _speakers_for(names: list[str | None]) -> dict[str, Speaker]:
    """The speaker of each of these names (the same key is one speaker), created when new: one
    query when they all exist already, three when some are new."""
    keys: dict[str, str] = {}  # name -> key
    for name in names:
        if name and name not in keys:
            key = Speaker.key_for(name)[:200]
            if key:
                keys[name] = key
    if not keys:
        return {}
    found = {s.key: s for s in Speaker.objects.filter(key__in=set(keys.values()))}
    missing: dict[str, Speaker] = {}
    for name, key in keys.items():
        if key not in found and key not in missing:
            missing[key] = Speaker(key=key, name=name[:200])  # named as first mentioned
    if missing:
        # Another run may create the same speaker at the same moment: then its row is the one taken.
        Speaker.objects.bulk_create(missing.values(), ignore_conflicts=True)
        found.update((s.key, s) for s in Speaker.objects.filter(key__in=list(missing)))
    return {name: found[key] for name, key in keys.items()}


def _match(new: ExtractedClaim, by_text: dict[str, list[Claim]]) -> Claim | None:
    """The existing claim this one is: same text, nearest position (claim identity survives re-extraction)."""
    candidates = by_text.get(new.text)
    if not candidates:
        return None
    best = min(candidates, key=lambda c: abs(c.start - new.start))
    candidates.remove(best)
    return best


# What the engine owns on a claim; everything else on it (status, rationale, workflow state,
# version) is people's work, which storing an extraction never writes.
ENGINE_FIELDS = [
    "index",
    "start",
    "end",
    "text",
    "speaker",
    "speaker_mention",
    "cue",
    "quote",
    "kind",
    "checkworthiness",
    "entities",
    "in_text",
    "engine_version",
    "flag_codes",
]


def claims_store(*, article: Article, result: ArticleResult) -> None:
    """Store the engine's claims, matched to those already there. People's work is never lost:
    a matched claim keeps its status, rationale, evidence and history (only the engine's fields
    are written, so a reviewer saving at the same moment is not overwritten); an unmatched claim
    that somebody worked on is kept and marked as no longer in the text; only untouched ones go.

    Called under the lock of the article's run (extraction_run), so nothing else stores claims of
    this article meanwhile. A first extraction (no claims yet) is two or three inserts."""
    existing = list(Claim.objects.filter(article=article))
    by_text: dict[str, list[Claim]] = defaultdict(list)
    for old in existing:
        by_text[old.text].append(old)
    speakers = _speakers_for([new.speaker for new in result.claims])
    kept: dict[int, Claim] = {}
    matched: list[Claim] = []
    created: list[Claim] = []
    for new in result.claims:
        claim: Claim | None = _match(new, by_text)
        if claim is None:
            claim = Claim(article=article)
            created.append(claim)
        else:
            matched.append(claim)
        claim.index = new.index
        claim.start, claim.end, claim.text = new.start, new.end, new.text
        claim.speaker = speakers.get(new.speaker) if new.speaker else None
        claim.speaker_mention = (new.speaker_mention or "")[:300]
        claim.cue = (new.cue or "")[:60]
        claim.quote = new.quote or ""
        claim.kind = new.kind or ""
        claim.checkworthiness = float(new.checkworthiness)
        claim.entities = [{"text": e.text, "label": e.label, "start": e.start, "end": e.end} for e in new.entities]
        claim.in_text = True
        claim.engine_version = ENGINE_VERSION
        claim.flag_codes = flag_codes_of(f.code for f in new.flags)
        kept[new.index] = claim
    if existing:
        # Flags and disputes are the engine's own output: replaced on every run. (They hang off
        # claims, so an article with none yet has none to replace.)
        old_ids = [c.pk for c in existing]
        Flag.objects.filter(claim_id__in=old_ids).delete()
        Claim.disputed_by.through.objects.filter(from_claim_id__in=old_ids).delete()
    if matched:
        Claim.objects.bulk_update(matched, ENGINE_FIELDS, batch_size=500)
    if created:
        _insert(Claim, created, with_ids=True)
    leftover = [c.pk for claims in by_text.values() for c in claims]
    if leftover:
        # Judged by the rows as they are now, not as loaded: a reviewer may have started on one since.
        untouched = Claim.objects.filter(
            pk__in=leftover,
            evidence_status=EvidenceStatus.UNREVIEWED,
            workflow_state=WorkflowState.OPEN,
            rationale="",
            version=0,
            events__isnull=True,
            evidence__isnull=True,
        )
        Claim.objects.filter(pk__in=list(untouched.values_list("pk", flat=True))).delete()
        Claim.objects.filter(pk__in=leftover).update(in_text=False, flag_codes="")  # their flags went above
    flags = [
        Flag(
            claim=kept[new.index],
            code=f.code,
            text=f.text[:500],
            start=f.start,
            end=f.end,
            explanation=f.explanation[:500],
        )
        for new in result.claims
        for f in new.flags
    ]
    if flags:
        _insert(Flag, flags)
    through = Claim.disputed_by.through
    disputes = [
        through(from_claim_id=kept[new.index].pk, to_claim_id=kept[i].pk)
        for new in result.claims
        for i in new.disputed_by
        if i in kept
    ]
    if disputes:
        _insert(through, disputes)


def _insert(model: type[Model], objs: Sequence[Model], *, with_ids: bool = False) -> None:
    """Insert new rows, as bulk_create does, setting their ids when asked.

    On PostgreSQL by COPY, ids drawn from the table's sequence first: bulk_create sends the rows
    as arrays, which psycopg quotes in Python element by element (every quote in a claim's
    entities escaped by a regular expression), and prepares each value through the ORM's insert
    compiler; that was a third of the pool process's own CPU per article (issue 6). The values
    still come from each field (pre_save, get_db_prep_save), and every concrete column is written
    (not the generated ones), so a field added to the model is stored without a change here."""
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=500)  # sets ids (SQLite >= 3.35)
        return
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    fields = [f for f in meta.concrete_fields if not f.generated and f is not pk]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if with_ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, len(objs)],
            )
            for obj, (pk_value,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = pk_value
            fields.insert(0, pk)
        sql = f"COPY {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
        started = time.monotonic()
        # psycopg's own cursor, under Django's error wrapper as every ORM statement is: a dropped
        # connection raises django.db.OperationalError (which the task retries) and marks the
        # connection unusable, instead of escaping as psycopg's AdminShutdown.
        with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
            for obj in objs:
                copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
        if connection.queries_logged:  # counted and shown like any other statement (tests, debug toolbar)
            connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
