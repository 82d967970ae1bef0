"""Function views: check access, call a selector or service, render a page or its htmx fragment."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from . import roles, selectors, services
from .forms import ArticleForm, ClaimStatusForm
from .models import FLAG_LABELS, Article, Claim, ExtractionState
from .templatetags.verification_tags import annotate_text

View = Callable[..., HttpResponse]


def role_required(check: Callable[[Any], bool]) -> Callable[[View], View]:
    """Logged in, and holding the role the view needs (403 otherwise)."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise PermissionDenied("Your account has no role that allows this. Ask an editor or an administrator.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


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
def article_create(request: HttpRequest) -> HttpResponse:
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


def _article_context(article: Article) -> dict[str, Any]:
    extraction = selectors.latest_extraction(article)
    claims = list(selectors.claims_for_article(article)) if extraction and extraction.is_finished else []
    return {
        "article": article,
        "extraction": extraction,
        "claims": claims,
        "segments": annotate_text(article.body, [c for c in claims if c.in_text]),
        "flagged_count": sum(1 for c in claims if c.in_text and c.flags.all()),
        "gone_claims": [c for c in claims if not c.in_text],
        "flag_labels": FLAG_LABELS,
        "status_form": ClaimStatusForm(),
    }


@role_required(roles.can_read)
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_get_for_user(user=request.user, pk=pk)
    context = _article_context(article)
    if request.htmx and request.GET.get("part") == "extraction":  # type: ignore[attr-defined]
        return render(request, "verification/article_detail.html#extraction", context)
    return render(request, "verification/article_detail.html", context)


@role_required(roles.can_submit)
@require_POST
def article_retry(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_get_for_user(user=request.user, pk=pk)
    latest = selectors.latest_extraction(article)
    if latest is None or latest.state in (ExtractionState.DONE, ExtractionState.FAILED):
        services.extraction_retry(article=article)
        messages.success(request, "Extraction queued again.")
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(article.get_absolute_url())
    return redirect(article)


@role_required(roles.can_review)
@require_POST
def claim_status(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get_for_user(user=request.user, pk=pk)
    form = ClaimStatusForm(request.POST)
    error = conflict = None
    if form.is_valid():
        try:
            claim = services.claim_set_status(
                claim=claim,
                user=request.user,  # type: ignore[arg-type]
                status=form.cleaned_data["evidence_status"],
                rationale=form.cleaned_data["rationale"],
                expected_version=form.cleaned_data["version"],
            )
        except services.ReviewConflict as exc:
            conflict, claim = exc, exc.claim
        except services.ReviewError as exc:
            error = str(exc)
    else:
        error = "Choose one of the evidence statuses."
    if not request.htmx:  # type: ignore[attr-defined]
        if error or conflict:
            messages.error(request, error or str(conflict))
        return redirect(reverse("article_detail", args=[claim.article_id]) + f"#claim-{claim.pk}")
    claim = selectors.claims_for_article(claim.article).get(pk=claim.pk)
    context = {"claim": claim, "error": error, "conflict": conflict, "draft": request.POST, "flag_labels": FLAG_LABELS}
    return render(request, "verification/article_detail.html#claim-card", context, status=200)


def claim_anchor(claim: Claim) -> str:
    return reverse("article_detail", args=[claim.article_id]) + f"#claim-{claim.pk}"
