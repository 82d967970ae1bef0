"""Claim search across articles: words and filters, as a reviewer shares them in a URL.

Words use PostgreSQL full-text search (websearch syntax: "quoted phrases", -exclusions, or)
where the database is PostgreSQL, and a plain every-word-appears match on SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate

from .. import roles
from ..models import Article, Claim, Speaker

SEARCH_CONFIG = "english"


@dataclass(frozen=True)
class ClaimFilters:
    q: str = ""
    status: str = ""
    workflow: str = ""
    flag: str = ""
    speaker: int | None = None
    outlet: str = ""
    article: int | None = None
    assignee: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    min_checkworthiness: float | None = None


def claim_vector() -> SearchVector:
    """The expression the GIN index covers (migration 0005), so the search can use it."""
    return SearchVector("text", config=SEARCH_CONFIG)


def _words(qs: QuerySet[Claim], q: str) -> QuerySet[Claim]:
    if connection.vendor == "postgresql":
        query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
        return (
            qs.annotate(search=claim_vector(), rank=SearchRank(claim_vector(), query))
            .filter(search=query)
            .order_by("-rank", "-article__created_at", "start")
        )
    for word in q.split():
        qs = qs.filter(text__icontains=word.strip("\"'-"))
    return qs


_article_date = Article.objects.annotate(day=Coalesce(F("published_on"), TruncDate("created_at")))


def claim_search(*, user: User | AnonymousUser, filters: ClaimFilters) -> QuerySet[Claim]:
    if not roles.can_read(user):
        return Claim.objects.none()
    qs: QuerySet[Claim] = (
        Claim.objects.filter(in_text=True)
        .select_related("article", "speaker")
        .prefetch_related("flags")
        # A subquery, not a join: evaluated for the rows of the page only, and the paginator's
        # COUNT(*) then needs no join to articles (at a million claims, half its time).
        .annotate(article_date=Subquery(_article_date.filter(pk=OuterRef("article_id")).values("day")[:1]))
        .order_by("-article__created_at", "article_id", "start")
    )
    if filters.status:
        qs = qs.filter(evidence_status=filters.status)
    if filters.workflow:
        qs = qs.filter(workflow_state=filters.workflow)
    if filters.flag:
        qs = qs.filter(flags__code=filters.flag).distinct()
    if filters.speaker:
        qs = qs.filter(speaker_id=filters.speaker)
    if filters.outlet:
        qs = qs.filter(article__outlet__iexact=filters.outlet)
    if filters.article:
        qs = qs.filter(article_id=filters.article)
    if filters.assignee:
        qs = qs.filter(assignment__assignee_id=filters.assignee)
    # article_date is the annotation above; django-stubs cannot see annotations on a widened QuerySet.
    if filters.date_from:
        qs = qs.filter(article_date__gte=filters.date_from)  # type: ignore[misc]
    if filters.date_to:
        qs = qs.filter(article_date__lte=filters.date_to)  # type: ignore[misc]
    if filters.min_checkworthiness is not None:
        qs = qs.filter(checkworthiness__gte=filters.min_checkworthiness)
    if filters.q.strip():
        qs = _words(qs, filters.q.strip())
    return qs


def outlets() -> list[str]:
    return list(Article.objects.order_by("outlet").values_list("outlet", flat=True).distinct()[:500])


def assignees() -> list[User]:
    """People who can be assigned claims: members of the Editor or Reviewer group."""
    return list(
        User.objects.filter(is_active=True, groups__name__in=[roles.EDITOR, roles.REVIEWER])
        .distinct()
        .order_by("username")
        .only("id", "username")[:500]
    )


def speaker_list(*, user: User | AnonymousUser) -> QuerySet[Speaker]:
    if not roles.can_read(user):
        return Speaker.objects.none()
    return (
        Speaker.objects.annotate(
            claim_count=Count("claims", filter=Q(claims__in_text=True)),
            article_count=Count("claims__article", filter=Q(claims__in_text=True), distinct=True),
        )
        .filter(claim_count__gt=0)
        .order_by("-claim_count", "name")
    )
