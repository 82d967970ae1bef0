"""Writes. Every change to the database goes through a function here (views, tasks and commands call them)."""

from .articles import article_submit, content_hash
from .extraction import (
    LEASE,
    MAX_ATTEMPTS,
    ExtractionCrashed,
    claims_store,
    extraction_queue,
    extraction_requeue_stuck,
    extraction_retry,
    extraction_run,
)
from .review import (
    ReviewConflict,
    ReviewError,
    claim_set_rationale,
    claim_set_status,
    claim_set_workflow,
    evidence_add,
)

__all__ = [
    "LEASE",
    "MAX_ATTEMPTS",
    "ExtractionCrashed",
    "ReviewConflict",
    "ReviewError",
    "article_submit",
    "claim_set_rationale",
    "claim_set_status",
    "claim_set_workflow",
    "claims_store",
    "content_hash",
    "evidence_add",
    "extraction_queue",
    "extraction_requeue_stuck",
    "extraction_retry",
    "extraction_run",
]
