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
)

__all__ = [
    "FLAG_LABELS",
    "RATIONALE_REQUIRED",
    "Article",
    "Claim",
    "EvidenceItem",
    "EvidenceStatus",
    "Extraction",
    "ExtractionState",
    "Flag",
    "ReviewEvent",
    "Speaker",
    "Stance",
    "WorkflowState",
]
