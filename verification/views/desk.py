"""The editor desk: the overview, My queue, queues, assignment, notifications and the CSV export.

Editors (manage_desk) run the desk; reviewers see their own work and the queues they belong to;
a user with no role gets 403 on every page, and an id they may not see is a 404.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from .. import roles, selectors, services
from ..desk_forms import AssignForm, CompleteForm, MembersForm, QueueForm
from ..jinja2 import render_rows_response
from ..models import Claim, EvidenceStatus, Priority, WorkflowState
from ..roles import can_manage_desk
from ..selectors import DeskFilters
from .access import role_required

# The verdicts My queue's Complete offers: every evidence status but Unreviewed.
COMPLETE_CHOICES = [c for c in EvidenceStatus.choices if c[0] != EvidenceStatus.UNREVIEWED]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _back(request: HttpRequest, default: str) -> str:
    """Where to return after a form: the page it came from, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _filter_context(filters: DeskFilters, user: User) -> dict[str, Any]:
    return {
        "filters": filters,
        "filter_query": filters.as_query(),
        "filter_queues": selectors.queues_for_user(user=user),
        "priority_choices": Priority.choices,
        "workflow_choices": WorkflowState.choices,
        "today": timezone.localdate(),
    }


# --- The overview and My queue ----------------------------------------------------------------


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "")
    return min(int(value), 10_000) if value.isdigit() and int(value) > 0 else 1


@role_required(can_manage_desk)
def desk_overview(request: HttpRequest) -> HttpResponse:
    filters = DeskFilters.from_query(request.GET)
    live = bool(request.htmx and request.GET.get("part") == "live")  # type: ignore[attr-defined]
    overview = selectors.desk.overview_cached(user=_user(request), filters=filters, poll=live)
    context = {
        **_filter_context(filters, _user(request)),
        "filter_queues": overview.queues,  # the same queues, already loaded
        "overview": overview,
        "now": timezone.localtime(overview.computed_at),
    }
    if live:
        return render(request, "verification/desk/overview.html#live", context)
    return render(request, "verification/desk/overview.html", context)


@role_required(roles.can_review)
def my_queue(request: HttpRequest) -> HttpResponse:
    filters = DeskFilters.from_query(request.GET, state="active")
    context = {
        **_filter_context(filters, _user(request)),
        "mine": selectors.my_queue(user=_user(request), filters=filters, page=_page_number(request)),
        "complete_choices": COMPLETE_CHOICES,
    }
    if request.htmx and request.GET.get("part") == "claims":  # type: ignore[attr-defined]
        return render(request, "verification/desk/my_queue.html#my-claims", context)
    return render(request, "verification/desk/my_queue.html", context)


@role_required(roles.can_review)
@require_POST
def claim_complete(request: HttpRequest, pk: int) -> HttpResponse:
    """Give a verdict and mark done in one step, from My queue."""
    claim = selectors.claim_get_for_user(user=request.user, pk=pk)
    form = CompleteForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.claim_complete(
                claim=claim,
                user=_user(request),
                status=form.cleaned_data["evidence_status"],
                rationale=form.cleaned_data["rationale"],
                expected_version=form.cleaned_data["version"],
            )
        except services.ReviewError as exc:
            error = str(exc)
    else:
        error = "Choose the verdict before completing the claim."
    if not request.htmx:  # type: ignore[attr-defined]
        if error:
            messages.error(request, error)
        else:
            messages.success(request, "Claim completed.")
        return redirect(_back(request, reverse("my_queue")))
    row = selectors.desk_claims(user=request.user, filters=DeskFilters()).get(pk=pk)
    context = {
        "claims": [row],
        "error": error,
        "draft": request.POST if error else {},
        "today": timezone.localdate(),
        "complete_choices": COMPLETE_CHOICES,
    }
    # The same template as the page's rows (verification/jinja2.py).
    return render_rows_response(request, "verification/desk/my_claim_rows.jinja", context)


@role_required(roles.can_review)
@require_POST
def claim_take(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get_for_user(user=request.user, pk=pk)
    # Only from a queue this user can see: any other id is a 404, as if it did not exist.
    if not selectors.queues_for_user(user=request.user).filter(assignments__claim=claim).exists():
        raise Http404("No such claim")
    try:
        services.claim_take(claim=claim, user=_user(request))
        messages.success(request, f"You took claim {claim.index + 1} of “{claim.article.title}”.")
    except services.DeskError as exc:
        messages.error(request, str(exc))
    return redirect(_back(request, reverse("my_queue")))


# --- Queues -----------------------------------------------------------------------------------


@role_required(roles.can_review)
def queue_list(request: HttpRequest) -> HttpResponse:
    context = {
        "queues": selectors.queues_with_load(user=request.user, today=timezone.localdate()),
        "form": QueueForm() if can_manage_desk(request.user) else None,
    }
    return render(request, "verification/desk/queue_list.html", context)


@role_required(can_manage_desk)
@require_POST
def queue_create(request: HttpRequest) -> HttpResponse:
    form = QueueForm(request.POST)
    if form.is_valid():
        try:
            queue = services.queue_create(
                user=_user(request),
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                members=form.cleaned_data["members"],
            )
        except services.DeskError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, f"Queue “{queue.name}” created.")
            return redirect("queue_detail", pk=queue.pk)
    queues = selectors.queues_with_load(user=request.user, today=timezone.localdate())
    return render(request, "verification/desk/queue_list.html", {"queues": queues, "form": form}, status=400)


@role_required(roles.can_review)
def queue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    queue = selectors.queue_get_for_user(user=request.user, pk=pk)
    filters = DeskFilters.from_query(request.GET, state="active")
    filters = replace(filters, queue=queue.pk)
    claims = list(selectors.desk_claims(user=request.user, filters=filters, queue=queue)[: selectors.desk.PAGE])
    members = list(queue.members.order_by("username"))
    manage = can_manage_desk(request.user)
    context = {
        **_filter_context(filters, _user(request)),
        "queue": queue,
        "members": members,
        "is_member": any(m.pk == request.user.pk for m in members),
        "claims": claims,
        "assign_form": AssignForm(initial={"queue": queue.pk}) if manage else None,
        "members_form": MembersForm(initial={"members": [m.pk for m in members]}) if manage else None,
    }
    if request.htmx and request.GET.get("part") == "claims":  # type: ignore[attr-defined]
        return render(request, "verification/desk/queue_detail.html#queue-claims", context)
    return render(request, "verification/desk/queue_detail.html", context)


@role_required(can_manage_desk)
@require_POST
def queue_members(request: HttpRequest, pk: int) -> HttpResponse:
    queue = selectors.queue_get_for_user(user=request.user, pk=pk)
    form = MembersForm(request.POST)
    if form.is_valid():
        try:
            services.queue_set_members(queue=queue, user=_user(request), members=form.cleaned_data["members"])
            messages.success(request, f"Members of “{queue.name}” saved.")
        except services.DeskError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, "Choose members from the list.")
    return redirect("queue_detail", pk=queue.pk)


@role_required(can_manage_desk)
@require_POST
def queue_auto_assign(request: HttpRequest, pk: int) -> HttpResponse:
    queue = selectors.queue_get_for_user(user=request.user, pk=pk)
    try:
        result = services.queue_auto_assign(queue=queue, user=_user(request))
        messages.success(request, result.message)
    except services.DeskError as exc:
        messages.error(request, str(exc))
    return redirect("queue_detail", pk=queue.pk)


# --- Assignment -------------------------------------------------------------------------------


@role_required(can_manage_desk)
def article_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """An article's claims with checkboxes: assign some or all of them."""
    article = selectors.article_get_for_user(user=request.user, pk=pk)
    context = {
        "article": article,
        "claims": selectors.article_claims_for_assignment(article),
        "assign_form": AssignForm(initial={"article": article.pk}),
        "today": timezone.localdate(),
    }
    return render(request, "verification/desk/article_assign.html", context)


@role_required(can_manage_desk)
@require_http_methods(["POST"])
def desk_assign(request: HttpRequest) -> HttpResponse:
    form = AssignForm(request.POST)
    back = _back(request, reverse("desk_overview"))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(back)
    data = form.cleaned_data
    claims: list[Claim] = []
    if data.get("whole_article") and data.get("article"):
        article = selectors.article_get_for_user(user=request.user, pk=data["article"])
        claims += selectors.article_claims_for_assignment(article)
    if data["claims"]:
        known = {c.pk for c in claims}
        claims += [c for c in selectors.claims_by_ids(user=request.user, ids=data["claims"]) if c.pk not in known]
    try:
        message = _apply_assignment(data, claims, _user(request))
    except services.DeskError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, message)
    return redirect(back)


def _apply_assignment(data: dict[str, Any], claims: list[Claim], user: User) -> str:
    n = len(claims)
    what = f"{n} claim{'s' if n != 1 else ''}"
    if data["action"] == "unassign":
        services.claims_unassign(claims=claims, user=user)
        return f"Unassigned {what}; they stay in their queue."
    due = data["due_on"]
    terms = f"priority {Priority(data['priority']).label.lower()}" + (f", due {due:%-d %b %Y}" if due else "")
    if data["action"] == "queue":
        services.claims_assign(
            claims=claims, user=user, queue=data["queue"], assignee=None, priority=data["priority"], due_on=due
        )
        return f"Sent {what} to “{data['queue'].name}” ({terms})."
    services.claims_assign(
        claims=claims,
        user=user,
        assignee=data["assignee"],
        queue=data["queue"] or services.KEEP,
        priority=data["priority"],
        due_on=due,
    )
    return f"Assigned {what} to {data['assignee'].username} ({terms})."


# --- Notifications ----------------------------------------------------------------------------


@role_required(roles.can_read)
def notifications(request: HttpRequest) -> HttpResponse:
    return render(
        request, "verification/desk/notifications.html", {"items": selectors.notifications_for(_user(request))}
    )


@role_required(roles.can_read)
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_read(user=_user(request))
    return redirect(_back(request, reverse("notifications")))


# --- CSV export -------------------------------------------------------------------------------

CSV_COLUMNS = [
    "claim_id", "article_id", "article_title", "outlet", "claim_number", "claim_text", "speaker", "flagged",
    "checkworthiness", "evidence_status", "workflow_state", "rationale", "queue", "assignee", "priority",
    "due_on", "overdue", "in_text", "url",
]  # fmt: skip

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(request: HttpRequest, claims: Iterator[Claim]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    today = timezone.localdate()
    yield writer.writerow(CSV_COLUMNS)
    for c in claims:
        a = getattr(c, "assignment", None)
        row = [
            c.pk, c.article_id, c.article.title, c.article.outlet, c.index + 1, c.text,
            c.speaker.name if c.speaker else "", "yes" if getattr(c, "has_flags", False) else "no",
            f"{c.checkworthiness:.2f}", c.evidence_status, c.workflow_state, c.rationale,
            a.queue.name if a and a.queue else "", a.assignee.username if a and a.assignee else "",
            a.priority if a else "", a.due_on.isoformat() if a and a.due_on else "",
            "yes" if a and a.is_overdue_on(today) else "no", "yes" if c.in_text else "no",
            request.build_absolute_uri(f"{c.article.get_absolute_url()}#claim-{c.pk}"),
        ]  # fmt: skip
        yield writer.writerow([csv_safe(v) for v in row])


@role_required(roles.can_read)
def desk_export(request: HttpRequest) -> HttpResponse:
    """The claims the current filters select, as CSV, streamed so a large export never sits in memory."""
    filters = DeskFilters.from_query(request.GET)
    claims = selectors.desk_claims(user=request.user, filters=filters).iterator(chunk_size=2000)
    response = StreamingHttpResponse(_csv_rows(request, claims), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="claims-{timezone.localdate():%Y-%m-%d}.csv"'
    return response  # type: ignore[return-value]  # role_required wraps views returning HttpResponse
