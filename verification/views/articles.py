"""Articles: the list, pasting one, its page (with the live extraction fragment), retrying."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect
from django_ratelimit.decorators import ratelimit

from .. import roles, selectors, services
from ..extraction import ENGINE_VERSION
from ..forms import ArticleForm
from ..models import Article, EvidenceStatus, ExtractionState
from ..presentation import SORTS, annotate_text, sort_claims
from .access import role_required


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not roles.can_read(request.user):
        return render(request, "verification/no_role.html", status=403)
    return redirect("article_list")


@role_required(roles.can_read)
def article_list(request: HttpRequest) -> HttpResponse:
    articles = selectors.article_list(user=request.user)[:200]
    return render(request, "verification/article_list.html", {"articles": articles})


@role_required(roles.can_submit)
@require_http_methods(["GET", "POST"])
@ratelimit(key="user", rate=lambda group, request: settings.ARTICLE_SUBMIT_RATE, method="POST", block=False)
def article_create(request: HttpRequest) -> HttpResponse:
    if getattr(request, "limited", False):
        return rate_limited(request)
    form = ArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        article, created = services.article_submit(
            user=request.user,  # type: ignore[arg-type]
            title=data["title"],
            outlet=data["outlet"],
            url=data["url"],
            published_on=data["published_on"],
            body=data["body"],
            original_html=form.original_html,
        )
        if not created:
            messages.info(request, "This article was already submitted; here it is.")
        return redirect(article)
    return render(request, "verification/article_form.html", {"form": form})


PERIODS = {"s": "second", "m": "minute", "h": "hour", "d": "day"}


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    count, _, period = settings.ARTICLE_SUBMIT_RATE.partition("/")
    rate = f"{count} per {PERIODS.get(period[-1:], period)}"
    return render(request, "429.html", {"rate": rate}, status=429)


def _article_context(article: Article, sort: str) -> dict[str, Any]:
    extraction = selectors.latest_extraction(article)
    claims = list(selectors.claims_for_article(article)) if extraction and extraction.is_finished else []
    in_text = [c for c in claims if c.in_text]
    return {
        "article": article,
        "extraction": extraction,
        "claims": sort_claims(claims, sort),
        "sort": sort,
        "sorts": SORTS,
        "segments": annotate_text(article.body, in_text),
        "claim_count": len(in_text),
        "flagged_count": sum(1 for c in in_text if c.flags.all()),
        "reviewed_count": sum(1 for c in in_text if c.evidence_status != EvidenceStatus.UNREVIEWED),
        "engine_version": ENGINE_VERSION,
    }


@role_required(roles.can_read)
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_get_for_user(user=request.user, pk=pk)
    sort = request.GET.get("sort", "position")
    context = _article_context(article, sort if sort in SORTS else "position")
    part = request.GET.get("part") if request.htmx else None  # type: ignore[attr-defined]
    if part in ("extraction", "claims"):
        return render(request, f"verification/article_detail.html#{part}", context)
    return render(request, "verification/article_detail.html", context)


@role_required(roles.can_submit)
@require_POST
def article_retry(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_get_for_user(user=request.user, pk=pk)
    latest = selectors.latest_extraction(article)
    if latest is None or latest.state in (ExtractionState.DONE, ExtractionState.FAILED):
        services.extraction_retry(article=article)
        messages.success(request, "Extraction queued again. Reviewers' work on the claims is kept.")
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(article.get_absolute_url())
    return redirect(article)
