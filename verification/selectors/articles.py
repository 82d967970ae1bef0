"""Articles and their claims, as a reader with a role may see them."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from .. import roles
from ..models import Article, Claim, EvidenceItem, Extraction, ReviewEvent, flagged


def latest_extraction(article: Article) -> Extraction | None:
    return article.extractions.order_by("-created_at", "-id").first()


def article_list(*, user: User | AnonymousUser) -> QuerySet[Article]:
    if not roles.can_read(user):
        return Article.objects.none()
    latest = Extraction.objects.filter(article=OuterRef("pk")).order_by("-created_at", "-id")
    return Article.objects.select_related("submitted_by").annotate(
        extraction_state=Subquery(latest.values("state")[:1]),
        extraction_error=Subquery(latest.values("error")[:1]),
        claim_count=Count("claims", filter=Q(claims__in_text=True), distinct=True),
        flagged_count=Count("claims", filter=Q(claims__in_text=True) & flagged("claims__"), distinct=True),
        reviewed_count=Count(
            "claims", filter=Q(claims__in_text=True) & ~Q(claims__evidence_status="unreviewed"), distinct=True
        ),
    )


def article_get_for_user(*, user: User | AnonymousUser, pk: int) -> Article:
    """The article if this user may read it; 404 otherwise, so ids reveal nothing."""
    if not roles.can_read(user):
        raise Http404("No such article")
    try:
        return Article.objects.select_related("submitted_by").get(pk=pk)
    except Article.DoesNotExist:
        raise Http404("No such article") from None


def claim_get_for_user(*, user: User | AnonymousUser, pk: int) -> Claim:
    if not roles.can_read(user):
        raise Http404("No such claim")
    try:
        return Claim.objects.select_related("article", "speaker").prefetch_related("flags").get(pk=pk)
    except Claim.DoesNotExist:
        raise Http404("No such claim") from None


def claims_for_article(article: Article) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(article=article)
        .select_related("speaker", "assignment__queue", "assignment__assignee")
        .prefetch_related(
            "flags",
            Prefetch("disputed_by", queryset=Claim.objects.only("id", "index", "article_id")),
            Prefetch("events", queryset=ReviewEvent.objects.select_related("user")),
            Prefetch("evidence", queryset=EvidenceItem.objects.select_related("added_by")),
        )
        .order_by("-in_text", "start", "id")
    )
