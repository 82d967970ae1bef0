"""The desk's reads: who may see which queue, My queue, the overview, the article summary, the export.

Each page's reads are a fixed number of queries whatever the data size (aggregates in SQL,
lists cut to a page), because the desk is read all day and issue 6 measures it at a million claims.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import TruncDate
from django.http import Http404, QueryDict
from django.utils import timezone

from .. import roles
from ..models import (
    Article,
    Assignment,
    Claim,
    EvidenceStatus,
    Notification,
    Priority,
    Queue,
    ReviewEvent,
    WorkflowState,
    flagged,
)
from ..models import priority_rank as assignment_priority_rank
from ..roles import can_manage_desk

# How many rows a desk page lists at most; the counts beside them are always complete.
PAGE = 200
# My queue lists its claims 25 at a time, each with its verdict form: a busy reviewer has
# 10,000 open claims; 200 rows with forms made a 475 KB page, and rendering the forms is most of
# what the page costs the server. A reviewer works from the top of the list.
MY_PAGE = 25
# A desk list shows the article's title, never its text: leave the long columns in the database.
LIST_DEFER = ("article__body", "article__original_html", "entities")
OVERVIEW_ARTICLES = 25
OVERDUE_LIST = 50
# The most pressing unassigned claims My queue offers to take (a reviewer takes from the top).
TAKEABLE = 10
WAITING_CAP = 1000
CHART_WIDTH = 230
DAYS = 7

# The order statuses are named in a summary: verdicts against first, as an editor reads them.
SUMMARY_ORDER = [
    EvidenceStatus.UNSUPPORTED,
    EvidenceStatus.FALSE,
    EvidenceStatus.PARTLY_SUPPORTED,
    EvidenceStatus.SUPPORTED,
    EvidenceStatus.UNVERIFIABLE,
    EvidenceStatus.NOT_A_CLAIM,
]


def has_flags() -> ExpressionWrapper:
    """Whether a claim has flags, as an annotation for the rows' "Flagged" label."""
    return ExpressionWrapper(flagged(), output_field=BooleanField())


def priority_rank(prefix: str = "assignment__") -> Case:
    """Urgent first, for claims: the same expression as the Assignment indexes hold."""
    return assignment_priority_rank(prefix)


# --- Queues -----------------------------------------------------------------------------------


def queues_for_user(*, user: User | AnonymousUser) -> QuerySet[Queue]:
    """Editors see every queue; reviewers the queues they belong to; anyone else none."""
    if can_manage_desk(user):
        return Queue.objects.all()
    if roles.can_review(user):
        return Queue.objects.filter(members=user)  # type: ignore[misc]
    return Queue.objects.none()


def queue_get_for_user(*, user: User | AnonymousUser, pk: int) -> Queue:
    try:
        return queues_for_user(user=user).get(pk=pk)
    except Queue.DoesNotExist:
        raise Http404("No such queue") from None


def queues_with_load(*, user: User | AnonymousUser, today: datetime.date) -> QuerySet[Queue]:
    not_done = ~Q(assignments__claim__workflow_state=WorkflowState.DONE)
    return (
        queues_for_user(user=user)
        .annotate(
            open_count=Count("assignments", filter=not_done & Q(assignments__assignee__isnull=False)),
            unassigned_count=Count("assignments", filter=not_done & Q(assignments__assignee__isnull=True)),
            overdue_count=Count("assignments", filter=not_done & Q(assignments__due_on__lt=today)),
        )
        .prefetch_related("members")
    )


def assignable_users() -> QuerySet[User]:
    """Everyone who may be given claims: holders of the review permission, by group or directly."""
    perm = Q(content_type__app_label="verification", codename="review_claim")
    from django.contrib.auth.models import Permission

    perms = Permission.objects.filter(perm)
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__permissions__in=perms) | Q(user_permissions__in=perms) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )


# --- Filters shared by My queue, the overview, the queue page and the CSV export --------------


@dataclass(frozen=True)
class DeskFilters:
    queue: int | None = None
    assignee: str = ""  # "", "me", "none" or a username
    status: str = ""  # an evidence status
    state: str = ""  # a workflow state, or "active" for anything not done
    priority: str = ""
    overdue: bool = False
    article: int | None = None

    @classmethod
    def from_query(cls, data: QueryDict, **defaults: Any) -> DeskFilters:
        """Read the filters from a query string; values that make no sense are ignored, not errors."""

        def number(name: str) -> int | None:
            value = data.get(name, "")
            return int(value) if value.isdigit() else None

        values: dict[str, Any] = dict(defaults)
        for name in ("queue", "article"):
            if name in data:
                values[name] = number(name)
        if "assignee" in data:
            values["assignee"] = data.get("assignee", "").strip()[:150]
        if data.get("status") in EvidenceStatus.values or data.get("status") == "":
            values["status"] = data["status"]
        if data.get("state") in [*WorkflowState.values, "active", ""]:
            values["state"] = data["state"]
        if data.get("priority") in [*Priority.values, ""]:
            values["priority"] = data["priority"]
        if "overdue" in data:
            values["overdue"] = data["overdue"] in ("1", "on", "true", "yes")
        return cls(**values)

    def as_query(self, **changes: Any) -> str:
        """The filters as a query string (empty ones left out), for links that keep them."""
        current = replace(self, **changes)
        pairs = []
        for f in fields(current):
            value = getattr(current, f.name)
            if value in (None, "", False):
                continue
            pairs.append((f.name, "1" if value is True else str(value)))
        return urlencode(pairs)

    @property
    def active(self) -> bool:
        return bool(self.as_query())


def desk_claims(
    *,
    user: User | AnonymousUser,
    filters: DeskFilters,
    today: datetime.date | None = None,
    queue: Queue | None = None,
) -> QuerySet[Claim]:
    """Claims on the desk as these filters select them, most pressing first.

    A queue the user may not see is a 404, like any object they have no access to. `queue` is
    that queue when the caller already checked it.
    """
    if not roles.can_read(user):
        raise Http404("No claims")
    today = today or timezone.localdate()
    claims = Claim.objects.all()
    if filters.queue is not None:
        if queue is None or queue.pk != filters.queue:
            queue = queue_get_for_user(user=user, pk=filters.queue)
        claims = claims.filter(assignment__queue=queue)
    if filters.assignee == "me":
        claims = claims.filter(assignment__assignee=user)  # type: ignore[misc]
    elif filters.assignee == "none":
        claims = claims.filter(Q(assignment__isnull=True) | Q(assignment__assignee__isnull=True))
    elif filters.assignee:
        claims = claims.filter(assignment__assignee__username=filters.assignee)
    if filters.status:
        claims = claims.filter(evidence_status=filters.status)
    if filters.state == "active":
        # Both: the assignment's mirror of the state lets the database read open desk work from
        # the partial indexes of Assignment; a claim with no assignment has only its own state.
        claims = claims.exclude(workflow_state=WorkflowState.DONE).filter(assignment__done_at=None)
    elif filters.state:
        claims = claims.filter(workflow_state=filters.state)
    if filters.priority:
        claims = claims.filter(assignment__priority=filters.priority)
    if filters.overdue:
        claims = claims.filter(assignment__due_on__lt=today, assignment__done_at=None).exclude(
            workflow_state=WorkflowState.DONE
        )
    if filters.article is not None:
        claims = claims.filter(article_id=filters.article)
    return (
        claims.select_related("article", "speaker", "assignment__queue", "assignment__assignee")
        .annotate(rank=priority_rank(), has_flags=has_flags())
        .order_by("rank", F("assignment__due_on").asc(nulls_last=True), "-checkworthiness", "article_id", "start", "id")
    )


# --- My queue ---------------------------------------------------------------------------------


@dataclass
class MyQueue:
    claims: list[Claim]
    open_count: int
    overdue_count: int
    done_today: int
    takeable: Sequence[Claim]
    takeable_count: int
    queues: list[Queue]
    page: int = 1
    has_next: bool = False

    @property
    def takeable_more(self) -> bool:
        return self.takeable_count > WAITING_CAP

    @property
    def waiting_cap(self) -> int:
        return WAITING_CAP

    @property
    def page_size(self) -> int:
        return MY_PAGE

    @property
    def first(self) -> int:
        return (self.page - 1) * MY_PAGE + 1

    @property
    def last(self) -> int:
        return (self.page - 1) * MY_PAGE + len(self.claims)


def my_queue(*, user: User, filters: DeskFilters, today: datetime.date | None = None, page: int = 1) -> MyQueue:
    """The reviewer's counts, one page of their claims (most pressing first) and the work they may take."""
    today = today or timezone.localdate()
    mine = Assignment.objects.filter(assignee=user)
    start_of_day = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    # Counted from the assignments alone (done_at mirrors the claim's state), from one covering
    # index: the ~27,000 assignments of a busy reviewer are not joined to their claims.
    counts = mine.aggregate(
        open_count=Count("assignee", filter=Q(done_at=None)),
        overdue_count=Count("assignee", filter=Q(done_at=None, due_on__lt=today)),
        done_today=Count("assignee", filter=Q(done_at__gte=start_of_day)),
    )
    page = max(1, page)
    offset = (page - 1) * MY_PAGE
    rows = list(
        desk_claims(user=user, filters=replace(filters, assignee="me"), today=today).defer(*LIST_DEFER)[
            offset : offset + MY_PAGE + 1
        ]
    )
    claims = rows[:MY_PAGE]
    queues = list(Queue.objects.filter(members=user))
    visible_queues = [q for q in queues if filters.queue in (None, q.pk)]
    waiting = (
        Claim.objects.filter(
            assignment__queue__in=visible_queues,
            assignment__assignee__isnull=True,
            assignment__done_at=None,
            in_text=True,
        )
        .exclude(workflow_state=WorkflowState.DONE)
        .select_related("article", "speaker", "assignment__queue")
        .defer(*LIST_DEFER)
        .annotate(rank=priority_rank(), has_flags=has_flags())
        .order_by("rank", F("assignment__due_on").asc(nulls_last=True), "-checkworthiness", "id")
    )  # fmt: skip
    takeable = _most_pressing(waiting, visible_queues)
    return MyQueue(
        claims=claims,
        open_count=counts["open_count"],
        overdue_count=counts["overdue_count"],
        done_today=counts["done_today"],
        takeable=takeable,
        takeable_count=_waiting_count(visible_queues) if len(takeable) == TAKEABLE else len(takeable),
        queues=queues,
        page=page,
        has_next=len(rows) > MY_PAGE,
    )


def _waiting_count(queues: list[Queue]) -> int:
    """How many claims wait unassigned in these queues, counted up to WAITING_CAP + 1 ("more than 1,000").

    Only when the list of takeable claims is cut: a queue of a busy desk holds tens of thousands.
    Counted from the assignments alone (the assignment_open_waiting index; done_at mirrors the
    claim's state), not by joining each to its claim (20 ms at 14,000 waiting): the claims a
    re-extraction no longer finds in the text, which are not takeable, are few and counted apart
    (the claim_out_of_text index) and taken off.
    """
    open_waiting = Assignment.objects.filter(queue__in=queues, assignee=None, done_at=None).order_by()
    gone = open_waiting.filter(claim__in_text=False).count()
    return int(open_waiting[: WAITING_CAP + 1 + gone].count()) - gone


def _most_pressing(waiting: QuerySet[Claim], queues: list[Queue]) -> list[Claim]:
    """The TAKEABLE most pressing of `waiting` over these queues.

    One queue's work is read in the order of the assignment_open_waiting index and stops at
    TAKEABLE; over several queues the database would sort all of them (14,000 rows on a busy
    desk), so where it can (PostgreSQL) it takes the first TAKEABLE of each queue, in one UNION
    ALL query, and orders only those.
    """
    if not queues:
        return []
    if len(queues) == 1 or not connection.features.supports_slicing_ordering_in_compound:
        return list(waiting[:TAKEABLE])
    firsts = [waiting.filter(assignment__queue=q).values_list("pk", flat=True)[:TAKEABLE] for q in queues]
    ids = list(firsts[0].union(*firsts[1:], all=True))
    return list(waiting.filter(pk__in=ids)[:TAKEABLE])


# --- The overview -----------------------------------------------------------------------------


@dataclass
class ArticleProgress:
    article: Article
    total: int
    reviewed: int
    done: int
    flagged: int
    overdue: int
    counts: dict[str, int]

    @property
    def summary(self) -> str:
        return summary_text(total=self.total, flagged=self.flagged, counts=self.counts)

    @property
    def percent(self) -> int:
        return round(100 * self.reviewed / self.total) if self.total else 0


@dataclass
class Load:
    pk: int
    name: str
    open: int = 0
    unassigned: int = 0
    overdue: int = 0
    completed: list[int] = field(default_factory=list)
    members: list[str] = field(default_factory=list)

    @property
    def completed_total(self) -> int:
        return sum(self.completed)


@dataclass
class Bar:
    """One bar of the server-rendered SVG chart, in the chart's own units (integers: no locale in SVG)."""

    status: str
    label: str
    count: int
    percent: int
    y: int
    length: int

    @property
    def value_x(self) -> int:
        return 130 + self.length + 6


@dataclass
class Overview:
    today: datetime.date
    articles: list[ArticleProgress]
    queues: list[Load]
    reviewers: list[Load]
    days: list[datetime.date]
    chart: list[Bar]
    chart_height: int
    claims_total: int
    overdue: list[Claim]
    overdue_more: bool
    computed_at: datetime.datetime = field(default_factory=timezone.now)


# The overview's exact counts cost about 2 s at a million claims, and every open overview polls
# every 15 s. They are kept in the cache (Redis in production), shared by every editor for the
# same queue filter and day, and reused while nothing on the desk changed (the latest review
# event, the latest claim, queues and their members: one cheap query), for at most
# OVERVIEW_MAX_AGE seconds. The live poll also takes figures up to OVERVIEW_POLL_AGE seconds old
# when the desk did change, so a busy desk is not recounted for every open overview; a page load
# never does, so an editor who just acted sees it. While one request counts, others that may
# use the previous figures do (no stampede of 2 s counts). The page says when they were counted.
OVERVIEW_MAX_AGE = 600
OVERVIEW_POLL_AGE = 10
OVERVIEW_CACHE_KEY = "desk:overview:v1"


def _desk_version() -> tuple[Any, ...]:
    """Changes whenever something the overview counts changes (one query of four index lookups)."""
    latest = Claim.objects.order_by("-pk").values("pk", "updated_at")
    event = ReviewEvent.objects.order_by("-pk")
    membership = Queue.members.through.objects.order_by("-pk")
    # The newest membership says one was added; their number, that one was removed (a queue has
    # a handful of members, so counting them is an index scan of a few rows).
    memberships = Queue.members.through.objects.order_by().values(n=Func(F("pk"), function="COUNT"))
    row = (
        latest.annotate(
            event=Subquery(event.values("pk")[:1]),
            event_at=Subquery(event.values("created_at")[:1]),
            queue=Subquery(Queue.objects.order_by("-pk").values("pk")[:1]),
            membership=Subquery(membership.values("pk")[:1]),
            memberships=Subquery(memberships[:1]),
        )
        .values_list("pk", "updated_at", "event", "event_at", "queue", "membership", "memberships")
        .first()
    )
    # No claims at all: nothing worth caching, and no row to hang the other figures on.
    return tuple(row) if row else ("no claims", timezone.now())


def overview_cached(
    *, user: User, filters: DeskFilters, today: datetime.date | None = None, poll: bool = False
) -> Overview:
    """The overview, counted at most once per desk change (or per OVERVIEW_POLL_AGE seconds for a poll)."""
    from django.core.cache import cache

    today = today or timezone.localdate()
    if not can_manage_desk(user):  # every editor sees every queue, so the figures can be shared
        return overview(user=user, filters=filters, today=today)
    queue = None
    if filters.queue is not None:
        queue = queue_get_for_user(user=user, pk=filters.queue)  # an unknown queue is a 404, cached or not
    key = f"{OVERVIEW_CACHE_KEY}:{today.isoformat()}:{filters.queue or ''}"
    version = _desk_version()
    cached = cache.get(key)
    if cached is not None:
        cached_version, figures = cached
        age = (timezone.now() - figures.computed_at).total_seconds()
        if cached_version == version or (poll and age < OVERVIEW_POLL_AGE):
            return figures
        if poll and not cache.add(f"{key}:counting", 1, 30):
            return figures  # another request is counting these figures right now
    figures = overview(user=user, filters=filters, today=today, queue=queue)
    cache.set(key, (version, figures), OVERVIEW_MAX_AGE)
    cache.delete(f"{key}:counting")
    return figures


def overview(
    *, user: User, filters: DeskFilters, today: datetime.date | None = None, queue: Queue | None = None
) -> Overview:
    """Everything the editors' overview shows, in a fixed handful of queries.

    `queue` is the filter's queue when the caller already checked it.
    """
    today = today or timezone.localdate()
    days = [today - datetime.timedelta(days=n) for n in range(DAYS - 1, -1, -1)]
    scope: dict[str, Any] = {"in_text": True}
    if filters.queue is not None:
        if queue is None or queue.pk != filters.queue:
            queue = queue_get_for_user(user=user, pk=filters.queue)
        scope["assignment__queue"] = queue
    claims = Claim.objects.filter(**scope)

    articles = _article_progress(scope, today)
    queues = {
        q.pk: Load(
            pk=q.pk,
            name=q.name,
            open=q.open_count,  # type: ignore[attr-defined]
            unassigned=q.unassigned_count,  # type: ignore[attr-defined]
            overdue=q.overdue_count,  # type: ignore[attr-defined]
            completed=[0] * DAYS,
            members=[m.username for m in q.members.all()],
        )
        for q in queues_with_load(user=user, today=today)
    }
    reviewers = _reviewer_load(today)
    for q in queues.values():
        for name in q.members:
            reviewers.setdefault(name, Load(pk=0, name=name, completed=[0] * DAYS))
    _completed_per_day(days, queues, reviewers)

    distribution = dict(claims.order_by().values_list("evidence_status").annotate(n=Count("id")))
    total = sum(distribution.values())
    most = max(distribution.values(), default=0)
    chart = [
        Bar(
            status=value,
            label=str(label),
            count=distribution.get(value, 0),
            percent=round(100 * distribution.get(value, 0) / total) if total else 0,
            y=i * 28,
            # Scaled to the largest bar, so small counts stay visible; the numbers carry the meaning.
            length=round(CHART_WIDTH * distribution.get(value, 0) / most) if most else 0,
        )
        for i, (value, label) in enumerate(EvidenceStatus.choices)
    ]
    overdue = list(
        desk_claims(user=user, filters=replace(filters, overdue=True, assignee=""), today=today, queue=queue)[
            : OVERDUE_LIST + 1
        ]
    )
    return Overview(
        today=today,
        articles=articles,
        queues=list(queues.values()),
        reviewers=sorted(reviewers.values(), key=lambda r: r.name),
        days=days,
        chart=chart,
        chart_height=len(chart) * 28,
        claims_total=total,
        overdue=overdue[:OVERDUE_LIST],
        overdue_more=len(overdue) > OVERDUE_LIST,
    )


def _article_progress(scope: dict[str, Any], today: datetime.date) -> list[ArticleProgress]:
    """The latest articles that have claims in scope, each with its counts, in one query."""
    latest = (
        Article.objects.filter(Exists(Claim.objects.filter(article=OuterRef("pk"), **scope)))
        .order_by("-created_at", "-id")
        .values("pk")[:OVERVIEW_ARTICLES]
    )
    in_scope = Q(**{f"claims__{name}": value for name, value in scope.items()})
    not_done = ~Q(claims__workflow_state=WorkflowState.DONE)
    status_counts = {
        f"n_{s}": Count("claims", filter=in_scope & Q(claims__evidence_status=s), distinct=True) for s in SUMMARY_ORDER
    }
    rows = (
        Article.objects.filter(pk__in=Subquery(latest))
        .annotate(
            total=Count("claims", filter=in_scope, distinct=True),
            reviewed=Count(
                "claims", filter=in_scope & ~Q(claims__evidence_status=EvidenceStatus.UNREVIEWED), distinct=True
            ),
            done=Count("claims", filter=in_scope & Q(claims__workflow_state=WorkflowState.DONE), distinct=True),
            flagged=Count("claims", filter=in_scope & flagged("claims__"), distinct=True),
            overdue=Count(
                "claims", filter=in_scope & not_done & Q(claims__assignment__due_on__lt=today), distinct=True
            ),
            **status_counts,
        )
        .order_by("-created_at", "-id")
    )
    return [
        ArticleProgress(
            article=a,
            total=a.total,  # type: ignore[attr-defined]
            reviewed=a.reviewed,  # type: ignore[attr-defined]
            done=a.done,  # type: ignore[attr-defined]
            flagged=a.flagged,  # type: ignore[attr-defined]
            overdue=a.overdue,  # type: ignore[attr-defined]
            counts={s: getattr(a, f"n_{s}") for s in SUMMARY_ORDER},
        )
        for a in rows
    ]


def _reviewer_load(today: datetime.date) -> dict[str, Load]:
    rows = (
        Assignment.objects.filter(assignee__isnull=False)
        .exclude(claim__workflow_state=WorkflowState.DONE)
        .values("assignee_id", "assignee__username")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))
    )
    return {
        r["assignee__username"]: Load(
            pk=r["assignee_id"], name=r["assignee__username"], open=r["open"], overdue=r["overdue"],
            completed=[0] * DAYS,
        )
        for r in rows
    }  # fmt: skip


def _completed_per_day(days: list[datetime.date], queues: dict[int, Load], reviewers: dict[str, Load]) -> None:
    """Claims marked done per day, per reviewer (who marked it) and per queue (where it sits now)."""
    start = timezone.make_aware(datetime.datetime.combine(days[0], datetime.time.min))
    index = {day: i for i, day in enumerate(days)}
    rows = (
        ReviewEvent.objects.filter(field="workflow_state", new_value=WorkflowState.DONE, created_at__gte=start)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day", "user__username", "claim__assignment__queue_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        i = index.get(row["day"])
        if i is None:
            continue
        name = row["user__username"]
        if name:
            reviewers.setdefault(name, Load(pk=0, name=name, completed=[0] * DAYS)).completed[i] += row["n"]
        queue = queues.get(row["claim__assignment__queue_id"])
        if queue:
            queue.completed[i] += row["n"]


# --- The article summary ----------------------------------------------------------------------


def summary_text(*, total: int, flagged: int, counts: dict[str, int]) -> str:
    """ "17 claims, 5 flagged; 6 reviewed: 2 unsupported, 1 false, 3 supported" """
    reviewed = sum(counts.get(s, 0) for s in SUMMARY_ORDER)
    head = f"{total} claim{'s' if total != 1 else ''}, {flagged} flagged"
    if not reviewed:
        return f"{head}; none reviewed yet"
    parts = ", ".join(f"{counts[s]} {EvidenceStatus(s).label.lower()}" for s in SUMMARY_ORDER if counts.get(s))
    return f"{head}; {reviewed} reviewed: {parts}"


def article_summary(article: Article) -> str:
    """The line an editor pastes into a note about this article (one query)."""
    counts = Claim.objects.filter(article=article, in_text=True).aggregate(
        total=Count("id"),
        flagged_n=Count("id", filter=flagged()),
        **{f"n_{s}": Count("id", filter=Q(evidence_status=s)) for s in SUMMARY_ORDER},
    )
    return summary_text(
        total=counts["total"], flagged=counts["flagged_n"], counts={s: counts[f"n_{s}"] for s in SUMMARY_ORDER}
    )


# --- Notifications ----------------------------------------------------------------------------


def unread_notification_count(user: User | AnonymousUser) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(user: User) -> list[Notification]:
    return list(Notification.objects.filter(user=user)[:100])


def claims_by_ids(*, user: User | AnonymousUser, ids: list[int]) -> list[Claim]:
    """The claims a desk action names, all readable by the user; an unknown id is a 404."""
    if not roles.can_read(user) or not ids:
        raise Http404("No such claim")
    claims = list(Claim.objects.filter(pk__in=ids).select_related("article"))
    if len(claims) != len(set(ids)):
        raise Http404("No such claim")
    return claims


def article_claims_for_assignment(article: Article) -> list[Claim]:
    return list(
        Claim.objects.filter(article=article, in_text=True)
        .select_related("speaker", "assignment__queue", "assignment__assignee")
        .annotate(has_flags=has_flags())
        .order_by("start", "id")
    )
