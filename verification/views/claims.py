"""Claims: the review actions, each answering htmx with the claim's card and plain forms with a redirect."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import roles, selectors, services
from ..forms import ClaimStatusForm
from ..models import FLAG_LABELS, Claim
from .access import role_required


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
