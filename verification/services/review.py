"""Reviewers' changes to claims, each recorded in the append-only history.

Every change goes through `_change`: it locks the claim row, refuses a change made against a
version somebody else has changed since (optimistic locking: the person is shown what changed
and decides), writes one ReviewEvent per field and bumps the version, all in one transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from ..models import (
    RATIONALE_REQUIRED,
    Assignment,
    Claim,
    EvidenceItem,
    EvidenceStatus,
    ReviewEvent,
    Stance,
    WorkflowState,
)


class ReviewError(Exception):
    """A review change that cannot be made as asked; the message is for the reviewer."""


class ReviewConflict(ReviewError):
    def __init__(self, claim: Claim, events: list[ReviewEvent]) -> None:
        self.claim = claim
        self.events = events
        super().__init__("Someone else changed this claim while you were looking at it.")


def _change(
    *,
    claim: Claim,
    user: User,
    fields: dict[str, str],
    rationale: str = "",
    expected_version: int | None,
    also: Callable[[Claim], list[tuple[str, str, str]]] | None = None,
) -> Claim:
    """Set `fields` on the claim; `also` may write related rows and return extra (field, old, new) events."""
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if expected_version is not None and locked.version != expected_version:
            newer = list(locked.events.select_related("user").order_by("-created_at", "-id")[:10])
            raise ReviewConflict(locked, newer)
        changes = [(name, getattr(locked, name), new) for name, new in fields.items() if getattr(locked, name) != new]
        for name, _old, new in changes:
            setattr(locked, name, new)
        extra = also(locked) if also else []
        if not changes and not extra:
            return locked
        now = timezone.now()
        locked.version += 1
        locked.updated_at = now
        locked.save(update_fields=[name for name, _, _ in changes] + ["version", "updated_at"])
        if any(name == "workflow_state" for name, _, _ in changes):
            _mirror_done(locked, now)
        ReviewEvent.objects.bulk_create(
            ReviewEvent(claim=locked, user=user, created_at=now, field=name, old_value=old, new_value=new,
                        rationale=rationale)
            for name, old, new in [*changes, *extra]
        )  # fmt: skip
    return locked


def _mirror_done(claim: Claim, now: datetime.datetime) -> None:
    """Keep the claim's desk row in step: Assignment.done_at says when its work was done (null while not)."""
    done_at = now if claim.workflow_state == WorkflowState.DONE else None
    Assignment.objects.filter(claim=claim).update(done_at=done_at)


def claim_set_status(
    *,
    claim: Claim,
    user: User,
    status: str,
    rationale: str = "",
    expected_version: int | None = None,
) -> Claim:
    """Set a claim's evidence status (with its rationale). Starting a verdict puts an open claim in review."""
    if status not in EvidenceStatus.values:
        raise ReviewError("Choose one of the evidence statuses.")
    rationale = rationale.strip()
    if status in RATIONALE_REQUIRED and not rationale and not claim.rationale:
        raise ReviewError(f"A rationale is required for “{EvidenceStatus(status).label}”: say what the evidence shows.")
    fields = {"evidence_status": status}
    if rationale:
        fields["rationale"] = rationale
    if claim.workflow_state == WorkflowState.OPEN and status != EvidenceStatus.UNREVIEWED:
        fields["workflow_state"] = WorkflowState.IN_REVIEW
    return _change(claim=claim, user=user, fields=fields, rationale=rationale, expected_version=expected_version)


def claim_set_rationale(*, claim: Claim, user: User, rationale: str, expected_version: int | None = None) -> Claim:
    rationale = rationale.strip()
    if not rationale and claim.evidence_status in RATIONALE_REQUIRED:
        raise ReviewError(
            f"“{claim.get_evidence_status_display()}” needs a rationale: it cannot be emptied. Change the status first."
        )
    return _change(
        claim=claim, user=user, fields={"rationale": rationale}, rationale=rationale, expected_version=expected_version
    )


def claim_set_workflow(*, claim: Claim, user: User, state: str, expected_version: int | None = None) -> Claim:
    """Move a claim between open, in review and done; a claim is done only with a verdict."""
    if state not in WorkflowState.values:
        raise ReviewError("Choose open, in review or done.")
    if state == WorkflowState.DONE and claim.evidence_status == EvidenceStatus.UNREVIEWED:
        raise ReviewError("Set an evidence status before marking the claim done.")
    return _change(claim=claim, user=user, fields={"workflow_state": state}, expected_version=expected_version)


def evidence_add(
    *,
    claim: Claim,
    user: User,
    url: str,
    title: str,
    stance: str,
    excerpt: str = "",
    note: str = "",
) -> EvidenceItem:
    """Attach a source to a claim. Evidence is never edited away: the history records each addition."""
    if not url.lower().startswith(("http://", "https://")):
        raise ReviewError("Evidence links must start with http:// or https://.")
    if stance not in Stance.values:
        raise ReviewError("Say whether the source supports, contradicts or gives context.")
    created: list[EvidenceItem] = []

    def attach(locked: Claim) -> list[tuple[str, str, str]]:
        item = EvidenceItem.objects.create(
            claim=locked, url=url, title=title.strip() or url, stance=stance, excerpt=excerpt, note=note, added_by=user
        )
        created.append(item)
        return [("evidence", "", f"{Stance(stance).label}: {item.title} <{url}>")]

    _change(claim=claim, user=user, fields={}, rationale=note, expected_version=None, also=attach)
    return created[0]
