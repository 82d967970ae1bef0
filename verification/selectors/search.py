"""Claim search across articles: words and filters, as a reviewer shares them in a URL.

Words use PostgreSQL full-text search (websearch syntax: "quoted phrases", -exclusions, or)
where the database is PostgreSQL, and a plain every-word-appears match on SQLite.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import overload

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField, Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, TruncDate

from .. import roles
from ..models import Article, Claim, Speaker

SEARCH_CONFIG = "english"

# A search lists at most this many claims and counts no further ("more than 1,000 claims"): at a
# million claims one common word matches 100,000, and neither counting nor ranking all of them
# is worth seconds of a shared server for a list nobody pages through to the end.
RESULT_CAP = 1000


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


def claim_vector() -> RawSQL:
    """The claim's stored full-text vector (PostgreSQL only: the column of migration 0010, GIN-indexed).

    The database generates it from the text, so the search neither parses the text of every row
    it tests or ranks nor needs the model to know the column.
    """
    column = f'"{Claim._meta.db_table}"."search_vector"'
    return RawSQL(column, [], output_field=SearchVectorField())  # noqa: S611  (a constant: no input in it)


class RankedClaims(Sequence[Claim]):
    """A word search's matches in rank order: ranked once, their rows read a page at a time.

    The ids, ranks and sort keys of up to RESULT_CAP + 1 matches come from one query (the index
    finds them; the rank is computed on the rows that query reads anyway); the paginator then
    counts them and slices them without asking the database again, and only the rows of the
    page shown are read in full. Ranking 1,001 matches inside the page query cost four times as
    much: it read every candidate row a second time to rank it.
    """

    def __init__(self, ids: list[int], *, more: bool) -> None:
        self.ids = ids
        self.more = more

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Claim: ...
    @overload
    def __getitem__(self, index: slice) -> list[Claim]: ...
    def __getitem__(self, index: int | slice) -> Claim | list[Claim]:
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        ids = self.ids[index]
        rows = {claim.pk: claim for claim in _listed(Claim.objects.filter(pk__in=ids))}
        return [rows[pk] for pk in ids if pk in rows]


def _ranked(qs: QuerySet[Claim], q: str) -> RankedClaims:
    """PostgreSQL full-text search: best match first, then the newest article, then the claim's place in it."""
    query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
    # The first RESULT_CAP + 1 matches the index finds, not all of them: at a million claims one
    # common word matches 100,000. When there are fewer, this is every match and the order is the
    # full ranking; when there are more, the page says so ("more than 1,000") and lists the best
    # of those found first.
    matches = (
        qs.annotate(search=claim_vector())
        .filter(search=query)
        .order_by()
        .annotate(match_rank=SearchRank(claim_vector(), query), match_article=F("article_id"), match_start=F("start"))
        .values_list("id", "match_rank", "match_article", "match_start")[: RESULT_CAP + 1]
    )
    sql, params = matches.query.sql_with_params()
    # Ordered in the database around the capped matches (a subquery with a LIMIT is not merged
    # into the outer query), so only ids come back: parsing and sorting 1,001 rows with their
    # articles' dates in Python cost more than the search itself.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT m.id FROM ({sql}) AS m JOIN {Article._meta.db_table} AS a ON a.id = m.match_article "  # noqa: S608  (our own compiled SQL; the words are parameters)
            "ORDER BY m.match_rank DESC, a.created_at DESC, m.match_start, m.id",
            params,
        )
        ids = [row[0] for row in cursor.fetchall()]
    return RankedClaims(ids[:RESULT_CAP], more=len(ids) > RESULT_CAP)


_article_date = Article.objects.annotate(day=Coalesce(F("published_on"), TruncDate("created_at")))


def _listed(qs: QuerySet[Claim]) -> QuerySet[Claim]:
    """What a result row shows beside the claim."""
    return (
        qs.select_related("article", "speaker")
        .defer("entities", "article__body", "article__original_html")  # a result row shows neither
        .prefetch_related("flags")
        # A subquery, not a join: evaluated for the rows of the page only, and the paginator's
        # COUNT(*) then needs no join to articles (at a million claims, half its time).
        .annotate(article_date=Subquery(_article_date.filter(pk=OuterRef("article_id")).values("day")[:1]))
    )


def _flagged(code: str) -> Q | RawSQL:
    """Claims with a flag of this code, from the codes on the claim (Claim.flag_codes).

    On PostgreSQL in the form of the GIN index of migration 0013, so that with words the database
    intersects that index with the words' one.
    """
    if connection.vendor == "postgresql":
        column = f'"{Claim._meta.db_table}"."flag_codes"'
        return RawSQL(f"string_to_array({column}, ' ') @> ARRAY[%s]::text[]", (code,), output_field=BooleanField())  # noqa: S611
    return (
        Q(flag_codes=code)
        | Q(flag_codes__startswith=f"{code} ")
        | Q(flag_codes__endswith=f" {code}")
        | Q(flag_codes__contains=f" {code} ")
    )


def claim_search(*, user: User | AnonymousUser, filters: ClaimFilters) -> QuerySet[Claim] | RankedClaims:
    """The claims these filters select: newest article first or, with words, best match first."""
    qs = claims_filtered(user=user, filters=filters)
    q = filters.q.strip()
    if not q:
        return qs
    if connection.vendor == "postgresql":
        return _ranked(qs, q)
    for word in q.split():  # SQLite: every word appears
        qs = qs.filter(text__icontains=word.strip("\"'-"))
    return qs


def claims_filtered(*, user: User | AnonymousUser, filters: ClaimFilters) -> QuerySet[Claim]:
    """The claims these filters select, words aside, newest article first."""
    if not roles.can_read(user):
        return Claim.objects.none()
    qs = _listed(Claim.objects.filter(in_text=True)).order_by("-article__created_at", "article_id", "start")
    if filters.status:
        qs = qs.filter(evidence_status=filters.status)
    if filters.workflow:
        qs = qs.filter(workflow_state=filters.workflow)
    if filters.flag:
        qs = qs.filter(_flagged(filters.flag))
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
    return qs


class CappedPaginator(Paginator):
    """A paginator that counts at most `cap + 1` rows: `count` is min(matches, cap), `more` says there are more.

    The count is a COUNT(*) over a LIMITed subquery, so it stops at the cap instead of visiting
    every match; the pages stop at the cap too (Paginator ends the last page at `count`).
    """

    def __init__(self, object_list: QuerySet[Claim] | RankedClaims, per_page: int, cap: int = RESULT_CAP) -> None:
        super().__init__(object_list, per_page)
        self.results = object_list
        self.cap = cap

    @cached_property
    def _capped(self) -> int:
        if isinstance(self.results, RankedClaims):  # already capped and counted
            return len(self.results) + self.results.more
        return int(self.results.order_by().values("pk")[: self.cap + 1].count())

    @cached_property
    def count(self) -> int:
        return min(self._capped, self.cap)

    @property
    def more(self) -> bool:
        return self._capped > self.cap


OUTLETS_AGE = 600


def outlets() -> list[str]:
    """The outlet menu of every search page.

    A DISTINCT over every article costs tens of ms at 50,000 articles, so the list is cached,
    keyed on the newest article (one index lookup): a new article, the only way a new outlet
    appears, makes a new key.
    """
    newest = Article.objects.order_by("-pk").values_list("pk", "created_at").first()
    key = "search:outlets:" + (f"{newest[0]}:{newest[1].timestamp()}" if newest else "none")
    names: list[str] = cache.get_or_set(  # type: ignore[assignment]  # never None: it has a default
        key,
        lambda: list(Article.objects.order_by("outlet").values_list("outlet", flat=True).distinct()[:500]),
        OUTLETS_AGE,
    )
    return names


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
