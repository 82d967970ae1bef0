"""`manage.py seed_load`: a desk at scale for the load benchmarks (issue 6, "Load and scale").

    manage.py seed_load --articles 50000 --claims-per-article 20 [--seed 6] [--reset]

Articles with a finished extraction, claims with speakers, flags, evidence statuses and workflow
states, queues with members, assignments with priorities and due dates (some overdue), evidence
items and review events on reviewed claims, and the editors and reviewers who log in during the
load test (password LOAD_PASSWORD). The same seed gives the same data. A second run refuses
while seeded articles exist; --reset deletes them (and only them) first.

On PostgreSQL the large tables are written with COPY, rows numbered here so that related rows
can point at them without a round trip; elsewhere (SQLite, for a small run in the tests) with
bulk_create. The claim search's GIN index is rebuilt once after the load rather than updated row
by row, which is several times faster.
"""

from __future__ import annotations

import datetime
import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from verification import roles
from verification.models import (
    Article,
    Assignment,
    Claim,
    EvidenceItem,
    EvidenceStatus,
    Extraction,
    Flag,
    Notification,
    Queue,
    ReviewEvent,
    Speaker,
    WorkflowState,
    flag_codes_of,
)

# Published here and in docs/performance.md: these accounts exist only in a load-test database.
LOAD_PASSWORD = "load-test-password"  # noqa: S105
PREFIX = "load-"
EDITORS = 4
REVIEWERS = 16
QUEUES = ["Politics", "Economy", "Health", "Europe", "Breaking", "Climate"]
QUEUE_MARK = "Load test queue"
FTS_INDEX = "verification_claim_search_vector"  # migration 0010
# Articles per chunk: one transaction, one COPY per table.
CHUNK = 1000

FIRST = ["Anna", "Jonas", "Maria", "Pavel", "Sofia", "David", "Elena", "Tomas", "Laura", "Marek", "Ines", "Omar"]
LAST = ["Kowalski", "Berg", "Rossi", "Novak", "Dubois", "Schmidt", "Larsen", "Silva", "Horvat", "Ivanova"]
ORGS = ["the Ministry of Defence", "NATO", "the European Commission", "the central bank", "the health ministry",
        "the opposition party", "Greenpeace", "the IMF", "the police", "the city council"]  # fmt: skip
TOPICS = ["unemployment", "inflation", "defence spending", "hospital waiting times", "carbon emissions",
          "the budget deficit", "school funding", "migration", "energy prices", "crime"]  # fmt: skip
VERBS = ["rose", "fell", "doubled", "would fall", "had risen", "will increase", "dropped", "more than tripled"]
CUES = ["say", "claim", "tell", "announce", "warn", "insist", "deny", "accord"]
KINDS = ["quantity", "prediction", "comparison", "causal", "policy", "other"]
OUTLETS = ["The Daily Ledger", "Morning Post", "Baltic Times", "Sputnik", "Reuters", "Le Monde", "The Herald"]
FLAG_CODES = ["evidence_absent", "denial", "hedged", "unnamed_source", "secondhand", "unattributed"]
FILLER = [
    "The figures were published on Monday.",
    "Reporters were not allowed to ask questions.",
    "The debate continued late into the evening.",
    "Several officials declined to comment.",
]

# Verdicts on reviewed claims, weighted as a desk gives them.
VERDICTS = [
    (EvidenceStatus.SUPPORTED, 30),
    (EvidenceStatus.PARTLY_SUPPORTED, 15),
    (EvidenceStatus.UNSUPPORTED, 20),
    (EvidenceStatus.FALSE, 10),
    (EvidenceStatus.UNVERIFIABLE, 15),
    (EvidenceStatus.NOT_A_CLAIM, 10),
]


@dataclass
class Ids:
    """The next primary key of each table, taken once: rows are numbered here, not by the database."""

    next: dict[type[models.Model], int] = field(default_factory=dict)

    def take(self, model: type[models.Model]) -> int:
        if model not in self.next:
            self.next[model] = (model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0) + 1
        value = self.next[model]
        self.next[model] = value + 1
        return value


@dataclass
class Tables:
    """One chunk's rows, per table, as tuples in COLUMNS order."""

    rows: dict[type[models.Model], list[tuple[Any, ...]]] = field(default_factory=dict)

    def add(self, model: type[models.Model], row: tuple[Any, ...]) -> None:
        self.rows.setdefault(model, []).append(row)


COLUMNS: dict[type[models.Model], list[str]] = {
    Article: ["id", "title", "outlet", "url", "published_on", "body", "original_html", "language", "content_hash",
              "submitted_by_id", "created_at"],
    Extraction: ["id", "article_id", "state", "engine_version", "attempts", "error", "sentences", "headlines",
                 "created_at", "started_at", "finished_at", "leased_until", "engine_seconds", "save_seconds"],
    Claim: ["id", "article_id", "index", "start", "end", "text", "speaker_id", "speaker_mention", "cue", "quote",
            "kind", "checkworthiness", "entities", "in_text", "engine_version", "flag_codes", "evidence_status",
            "workflow_state", "rationale", "version", "updated_at"],
    Flag: ["id", "claim_id", "code", "text", "start", "end", "explanation"],
    Assignment: ["id", "claim_id", "queue_id", "assignee_id", "priority", "due_on", "assigned_by_id", "assigned_at",
                 "due_soon_notified_at", "overdue_notified_at", "done_at"],
    ReviewEvent: ["id", "claim_id", "user_id", "created_at", "field", "old_value", "new_value", "rationale"],
    EvidenceItem: ["id", "claim_id", "url", "title", "excerpt", "stance", "note", "added_by_id", "created_at"],
}  # fmt: skip
# Parents before children.
ORDER = [Article, Extraction, Claim, Flag, Assignment, ReviewEvent, EvidenceItem]


def _write(model: type[models.Model], rows: Sequence[tuple[Any, ...]]) -> None:
    if not rows:
        return
    columns = COLUMNS[model]
    # Fields added after this command was written get their defaults, so it keeps working.
    extra = [f for f in model._meta.concrete_fields if f.attname not in columns]
    if extra:
        columns = columns + [f.attname for f in extra]
        defaults = tuple(f.get_default() for f in extra)
        rows = [row + defaults for row in rows]
    if connection.vendor == "postgresql":
        json_columns = {f.attname for f in model._meta.concrete_fields if isinstance(f, models.JSONField)}
        as_json = [i for i, c in enumerate(columns) if c in json_columns]
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor: COPY is not part of the DB-API
            with raw.copy(f"COPY {model._meta.db_table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    if as_json:
                        values = list(row)
                        for i in as_json:
                            values[i] = json.dumps(values[i])
                        copy.write_row(values)
                    else:
                        copy.write_row(row)
    else:
        model._default_manager.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=500
        )


def _weighted(rng: random.Random, choices: Sequence[tuple[str, int]]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


class Command(BaseCommand):
    help = "Fill the database with a large, realistic desk for the load benchmarks (deterministic)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--articles", type=int, default=5000)
        parser.add_argument("--claims-per-article", type=int, default=20)
        parser.add_argument("--seed", type=int, default=6)
        parser.add_argument("--reset", action="store_true", help="Delete earlier seeded data first.")

    def handle(self, *args: Any, **options: Any) -> None:
        n_articles: int = options["articles"]
        per_article: int = options["claims_per_article"]
        if n_articles < 1 or per_article < 1:
            raise CommandError("--articles and --claims-per-article must be at least 1.")
        started = time.perf_counter()
        seeded = Article.objects.filter(submitted_by__username__startswith=PREFIX)
        if seeded.exists():
            if not options["reset"]:
                raise CommandError(
                    f"{seeded.count()} seeded articles are already there; run with --reset to replace them."
                )
            self._reset()
        rng = random.Random(options["seed"])
        editors, reviewers = self._users()
        queues = self._queues(editors[0], reviewers)
        speakers = self._speakers()
        ids = Ids()
        totals: dict[str, int] = {}
        # Worth it for a large load only, and impossible inside a caller's transaction (PostgreSQL
        # refuses CREATE INDEX on a table with deferred constraint checks pending).
        fts = connection.vendor == "postgresql" and n_articles >= 5000 and not connection.in_atomic_block
        if fts:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP INDEX IF EXISTS {FTS_INDEX}")
        try:
            done = 0
            while done < n_articles:
                size = min(CHUNK, n_articles - done)
                tables = self._chunk(
                    rng, ids, first=done, size=size, per_article=per_article,
                    editors=editors, reviewers=reviewers, queues=queues, speakers=speakers,
                )  # fmt: skip
                with transaction.atomic():
                    for model in ORDER:
                        rows = tables.rows.get(model, [])
                        _write(model, rows)
                        totals[model.__name__] = totals.get(model.__name__, 0) + len(rows)
                done += size
                if done % 10_000 == 0 or done == n_articles:
                    self.stderr.write(f"  {done:,} articles ({time.perf_counter() - started:.0f}s)")
        finally:
            if fts:
                self._restore_search_index()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), ORDER):
                    cursor.execute(sql)
                cursor.execute("ANALYZE")
        self._notifications(reviewers)
        elapsed = time.perf_counter() - started
        made = ", ".join(f"{n:,} {name}" for name, n in totals.items())
        self.stdout.write(
            f"seed_load: {made}; {len(editors)} editors, {len(reviewers)} reviewers, {len(queues)} queues, "
            f"{len(speakers)} speakers on {connection.vendor} in {elapsed:.1f}s"
        )
        self.stdout.write(
            f"Log in as {editors[0].username} (editor) or {reviewers[0].username} (reviewer), password {LOAD_PASSWORD}"
        )

    # --- People, queues, speakers ------------------------------------------------------------

    def _users(self) -> tuple[list[User], list[User]]:
        # One hash for every load account: hashing twenty passwords would cost seconds for nothing.
        password = make_password(LOAD_PASSWORD)
        made: dict[str, list[User]] = {}
        for role, count, name in ((roles.EDITOR, EDITORS, "editor"), (roles.REVIEWER, REVIEWERS, "reviewer")):
            group = Group.objects.get(name=role)
            users = []
            for i in range(1, count + 1):
                user, _ = User.objects.get_or_create(
                    username=f"{PREFIX}{name}-{i}", defaults={"password": password, "first_name": name.title()}
                )
                user.groups.add(group)
                users.append(user)
            made[role] = users
        return made[roles.EDITOR], made[roles.REVIEWER]

    def _queues(self, editor: User, reviewers: list[User]) -> list[Queue]:
        queues = []
        for i, name in enumerate(QUEUES):
            queue, _ = Queue.objects.get_or_create(
                name=f"{name} (load)", defaults={"created_by": editor, "description": QUEUE_MARK}
            )
            # Every reviewer sits on two or three desks.
            queue.members.set([r for j, r in enumerate(reviewers) if j % len(QUEUES) in (i, (i + 1) % len(QUEUES))])
            queues.append(queue)
        return queues

    def _speakers(self) -> list[Speaker]:
        names = [f"{f} {last}" for f in FIRST for last in LAST] + [o.capitalize() for o in ORGS]
        Speaker.objects.bulk_create(
            [Speaker(name=n, key=Speaker.key_for(n)) for n in names], ignore_conflicts=True, batch_size=500
        )
        return list(Speaker.objects.filter(key__in=[Speaker.key_for(n) for n in names]).order_by("key"))

    def _notifications(self, reviewers: list[User]) -> None:
        Notification.objects.bulk_create(
            Notification(user=r, kind="assigned", message=f"Claims assigned to you ({n})", url="/desk/mine/")
            for r in reviewers
            for n in range(20)
        )

    # --- One chunk of articles ---------------------------------------------------------------

    def _chunk(
        self,
        rng: random.Random,
        ids: Ids,
        *,
        first: int,
        size: int,
        per_article: int,
        editors: list[User],
        reviewers: list[User],
        queues: list[Queue],
        speakers: list[Speaker],
    ) -> Tables:
        tables = Tables()
        now = timezone.now()
        today = timezone.localdate()
        for n in range(first, first + size):
            article_id = ids.take(Article)
            # Older articles first: ids grow with time, as they do on a real desk.
            created = now - datetime.timedelta(minutes=(50_000 - n % 50_000) * 3 + rng.randint(0, 120))
            editor = editors[n % len(editors)]
            parts: list[str] = []
            offset = 0
            claim_rows: list[tuple[Any, ...]] = []
            for index in range(per_article):
                speaker = rng.choice(speakers) if rng.random() < 0.75 else None
                who = speaker.name if speaker else rng.choice(["Officials", "Critics", "Analysts", "Sources"])
                text = (
                    f"{who} said that {rng.choice(TOPICS)} {rng.choice(VERBS)} by {rng.randint(2, 90)} per cent "
                    f"in {rng.randint(2009, 2025)}."
                )
                filler = rng.choice(FILLER) if index % 3 == 2 else ""
                start = offset
                parts.append(text)
                offset += len(text) + 1
                if filler:
                    parts.append(filler)
                    offset += len(filler) + 1
                claim_rows.append(
                    self._claim(
                        rng, ids, tables, article_id=article_id, index=index, start=start, text=text,
                        speaker=speaker, created=created, now=now, today=today,
                        editor=editor, reviewers=reviewers, queues=queues,
                    )
                )  # fmt: skip
            body = " ".join(parts)
            title = f"{rng.choice(TOPICS).capitalize()}: {rng.choice(ORGS)} under scrutiny ({n + 1})"
            tables.add(
                Article,
                (
                    article_id, title, OUTLETS[n % len(OUTLETS)], f"https://news.example/{n + 1}",
                    created.date(), body, "", "en", f"{n:016x}{rng.getrandbits(192):048x}", editor.pk, created,
                ),
            )  # fmt: skip
            tables.rows.setdefault(Claim, []).extend(claim_rows)
            finished = created + datetime.timedelta(seconds=2)
            tables.add(
                Extraction,
                (
                    ids.take(Extraction), article_id, "done", "load", 1, "", per_article + per_article // 3, [],
                    created, created, finished, None, 1.2, 0.1,
                ),
            )  # fmt: skip
        return tables

    def _claim(
        self,
        rng: random.Random,
        ids: Ids,
        tables: Tables,
        *,
        article_id: int,
        index: int,
        start: int,
        text: str,
        speaker: Speaker | None,
        created: datetime.datetime,
        now: datetime.datetime,
        today: datetime.date,
        editor: User,
        reviewers: list[User],
        queues: list[Queue],
    ) -> tuple[Any, ...]:
        claim_id = ids.take(Claim)
        reviewed = rng.random() < 0.3
        status = _weighted(rng, VERDICTS) if reviewed else EvidenceStatus.UNREVIEWED
        if reviewed:
            workflow = WorkflowState.DONE if rng.random() < 0.8 else WorkflowState.IN_REVIEW
        else:
            workflow = WorkflowState.IN_REVIEW if rng.random() < 0.1 else WorkflowState.OPEN
        rationale = "The cited figures do not match the official statistics." if status in (
            EvidenceStatus.PARTLY_SUPPORTED, EvidenceStatus.UNSUPPORTED, EvidenceStatus.FALSE) else ""  # fmt: skip
        # Reviews happened after the article came in, at most two weeks later and never in the future.
        reviewed_at = min(now, created + datetime.timedelta(minutes=rng.randint(10, 20_000)))
        reviewer = rng.choice(reviewers)

        codes: list[str] = []
        if rng.random() < 0.35:
            for _ in range(rng.choice([1, 1, 2])):
                code = rng.choice(FLAG_CODES)
                codes.append(code)
                tables.add(Flag, (ids.take(Flag), claim_id, code, "said", start, start + 4, f"Flagged: {code}"))
        # A third of the claims are on the desk; of those, most have someone and a deadline.
        if reviewed or rng.random() < 0.2:
            assignee = reviewer if reviewed or rng.random() < 0.7 else None
            due = today + datetime.timedelta(days=rng.randint(-10, 14)) if rng.random() < 0.7 else None
            tables.add(
                Assignment,
                (
                    ids.take(Assignment), claim_id, rng.choice(queues).pk, assignee.pk if assignee else None,
                    rng.choices(["urgent", "high", "normal"], weights=[10, 25, 65])[0], due, editor.pk, created,
                    None, None, reviewed_at if workflow == WorkflowState.DONE else None,
                ),
            )  # fmt: skip
        if reviewed:
            tables.add(
                ReviewEvent,
                (ids.take(ReviewEvent), claim_id, reviewer.pk, reviewed_at, "evidence_status",
                 EvidenceStatus.UNREVIEWED, status, rationale),
            )  # fmt: skip
            if workflow == WorkflowState.DONE:
                tables.add(
                    ReviewEvent,
                    (ids.take(ReviewEvent), claim_id, reviewer.pk, reviewed_at, "workflow_state",
                     WorkflowState.IN_REVIEW, WorkflowState.DONE, ""),
                )  # fmt: skip
            if rng.random() < 0.4:
                tables.add(
                    EvidenceItem,
                    (ids.take(EvidenceItem), claim_id, f"https://stats.example/{claim_id}", "Official statistics",
                     "The figure for the year was lower.", rng.choice(["supports", "contradicts", "context"]), "",
                     reviewer.pk, reviewed_at),
                )  # fmt: skip
        return (
            claim_id, article_id, index, start, start + len(text), text, speaker.pk if speaker else None,
            speaker.name if speaker else "", rng.choice(CUES), rng.choice(["direct", "indirect"]),
            rng.choice(KINDS), round(rng.random(), 3), [], True, "load", flag_codes_of(codes), status, workflow,
            rationale, 2 if reviewed else 0, reviewed_at if reviewed else created,
        )  # fmt: skip

    # --- Reset and the search index ----------------------------------------------------------

    def _reset(self) -> None:
        """Delete the seeded articles and everything under them, in SQL: the ORM's cascade would
        load a million rows into memory first."""
        started = time.perf_counter()
        users = f"SELECT id FROM auth_user WHERE username LIKE '{PREFIX}%'"  # noqa: S608
        articles = f"SELECT id FROM {Article._meta.db_table} WHERE submitted_by_id IN ({users})"  # noqa: S608
        claims = f"SELECT id FROM {Claim._meta.db_table} WHERE article_id IN ({articles})"  # noqa: S608
        through = Claim.disputed_by.through._meta.db_table
        statements = [
            f"DELETE FROM {Flag._meta.db_table} WHERE claim_id IN ({claims})",  # noqa: S608
            f"DELETE FROM {EvidenceItem._meta.db_table} WHERE claim_id IN ({claims})",  # noqa: S608
            f"DELETE FROM {ReviewEvent._meta.db_table} WHERE claim_id IN ({claims})",  # noqa: S608
            f"DELETE FROM {Assignment._meta.db_table} WHERE claim_id IN ({claims})",  # noqa: S608
            f"DELETE FROM {through} WHERE from_claim_id IN ({claims}) OR to_claim_id IN ({claims})",  # noqa: S608
            f"DELETE FROM {Claim._meta.db_table} WHERE article_id IN ({articles})",  # noqa: S608
            f"DELETE FROM {Extraction._meta.db_table} WHERE article_id IN ({articles})",  # noqa: S608
            f"DELETE FROM {Article._meta.db_table} WHERE submitted_by_id IN ({users})",  # noqa: S608
            f"DELETE FROM {Notification._meta.db_table} WHERE user_id IN ({users})",  # noqa: S608
        ]
        # Table names come from the models and the prefix is a constant: nothing here is user input.
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
        self.stderr.write(f"  reset: earlier seeded data deleted ({time.perf_counter() - started:.1f}s)")

    def _restore_search_index(self) -> None:
        """The same index as migration 0005, built in one pass."""
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {FTS_INDEX} ON verification_claim USING gin (search_vector)")
        self.stderr.write(f"  search index rebuilt ({time.perf_counter() - started:.1f}s)")
