"""Claims: the review actions, each answering htmx with the claim's card and plain forms with a redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import roles, selectors, services
from ..context_processors import role_flags
from ..forms import ClaimStatusForm, EvidenceForm, WorkflowForm
from ..jinja2 import render_rows_response
from ..models import Claim
from .access import role_required


def _review_action(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.Form],
    apply: Callable[[Claim, User, dict[str, Any]], object],
) -> HttpResponse:
    """The shape every review action shares: check access, validate, apply through a service,
    answer htmx with the claim's card (errors and conflicts inside it) or redirect a plain form."""
    claim = selectors.claim_get_for_user(user=request.user, pk=pk)
    form = form_class(request.POST)
    error: str | None = None
    conflict: services.ReviewConflict | None = None
    if form.is_valid():
        try:
            apply(claim, request.user, form.cleaned_data)  # type: ignore[arg-type]
        except services.ReviewConflict as exc:
            conflict = exc
        except services.ReviewError as exc:
            error = str(exc)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if not request.htmx:  # type: ignore[attr-defined]
        if error or conflict:
            messages.error(request, error or str(conflict))
        return redirect(claim_anchor(claim))
    card = selectors.claims_for_article(claim.article).get(pk=claim.pk)
    draft = request.POST if error or conflict else {}
    return card_response(request, card, error=error, conflict=conflict, draft=draft)


@role_required(roles.can_read)
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One claim with its review panel open: the card htmx opens in place, or a page of its own."""
    claim = selectors.claim_get_for_user(user=request.user, pk=pk)
    card = selectors.claims_for_article(claim.article).get(pk=claim.pk)
    if request.htmx and request.GET.get("part") == "card":  # type: ignore[attr-defined]
        return card_response(request, card)
    return render(request, "verification/claim_detail.html", {"claim": card, "article": claim.article, "open": True})


def card_response(request: HttpRequest, card: Claim, **values: Any) -> HttpResponse:
    """The claim's card with its review panel open, alone: the same template as the article page's
    cards (verification/jinja2.py), given what the page's context processors give it there."""
    flags = role_flags(request)
    context = {
        "claims": [card],
        "open": True,
        "can_review": flags["can_review"],
        "status_choices": flags["status_choices"],
        "stance_choices": flags["stance_choices"],
        **values,
    }
    return render_rows_response(request, "verification/claim_cards.jinja", context)


@role_required(roles.can_review)
@require_POST
def claim_status(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_action(
        request,
        pk,
        ClaimStatusForm,
        lambda claim, user, data: services.claim_set_status(
            claim=claim,
            user=user,
            status=data["evidence_status"],
            rationale=data["rationale"],
            expected_version=data["version"],
        ),
    )


@role_required(roles.can_review)
@require_POST
def claim_workflow(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_action(
        request,
        pk,
        WorkflowForm,
        lambda claim, user, data: services.claim_set_workflow(
            claim=claim, user=user, state=data["workflow_state"], expected_version=data["version"]
        ),
    )


@role_required(roles.can_review)
@require_POST
def claim_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_action(
        request,
        pk,
        EvidenceForm,
        lambda claim, user, data: services.evidence_add(
            claim=claim,
            user=user,
            url=data["url"],
            title=data["title"],
            stance=data["stance"],
            excerpt=data["excerpt"],
            note=data["note"],
        ),
    )


def claim_anchor(claim: Claim) -> str:
    return f"{claim.article.get_absolute_url()}#claim-{claim.pk}"
