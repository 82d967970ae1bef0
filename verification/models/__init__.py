"""The domain: articles, their extractions, claims with flags, speakers, evidence and the review trail.

Words follow DOMAIN.md. Reviewers' work (evidence status, rationale, workflow state, evidence items,
review events) lives on Claim and beside it, and no extraction ever deletes it.
"""

from __future__ import annotations

from .articles import Article, Extraction, ExtractionState
from .claims import (
    FLAG_LABELS,
    RATIONALE_REQUIRED,
    Claim,
    EvidenceItem,
    EvidenceStatus,
    Flag,
    ReviewEvent,
    Speaker,
    Stance,
    WorkflowState,
    flag_codes_of,
    flagged,
)
from .desk import PRIORITY_ORDER, Assignment, Notification, NotificationKind, Priority, Queue, priority_rank

__all__ = [
    "FLAG_LABELS",
    "PRIORITY_ORDER",
    "RATIONALE_REQUIRED",
    "Article",
    "Assignment",
    "Claim",
    "EvidenceItem",
    "EvidenceStatus",
    "Extraction",
    "ExtractionState",
    "Flag",
    "Notification",
    "NotificationKind",
    "Priority",
    "Queue",
    "ReviewEvent",
    "Speaker",
    "Stance",
    "WorkflowState",
    "flag_codes_of",
    "flagged",
    "priority_rank",
]
