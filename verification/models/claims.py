"""Claims with their flags and speakers, and the reviewers' work on them: status, evidence, history."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.utils import timezone

from .articles import Article


class EvidenceStatus(models.TextChoices):
    UNREVIEWED = "unreviewed", "Unreviewed"
    SUPPORTED = "supported", "Supported"
    PARTLY_SUPPORTED = "partly_supported", "Partly supported"
    UNSUPPORTED = "unsupported", "Unsupported"
    FALSE = "false", "False"
    UNVERIFIABLE = "unverifiable", "Unverifiable"
    NOT_A_CLAIM = "not_a_claim", "Not a claim"


# A verdict against the claim needs a reason a colleague can read.
RATIONALE_REQUIRED = frozenset({EvidenceStatus.PARTLY_SUPPORTED, EvidenceStatus.UNSUPPORTED, EvidenceStatus.FALSE})


class WorkflowState(models.TextChoices):
    OPEN = "open", "Open"
    IN_REVIEW = "in_review", "In review"
    DONE = "done", "Done"


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    CONTRADICTS = "contradicts", "Contradicts"
    CONTEXT = "context", "Context"


# The labels as plain dicts, for the get_FOO_display methods below: Django's generated ones rebuild
# the field's choices dict on every call, and list pages call them a few times per row (issue 6).
EVIDENCE_STATUS_LABELS: dict[str, str] = dict(EvidenceStatus.choices)
WORKFLOW_STATE_LABELS: dict[str, str] = dict(WorkflowState.choices)
STANCE_LABELS: dict[str, str] = dict(Stance.choices)


def flag_codes_of(codes: Iterable[str]) -> str:
    """Claim.flag_codes for a claim with flags of these codes."""
    return " ".join(sorted(set(codes)))


def flagged(prefix: str = "") -> models.Q:
    """Claims with at least one flag (prefix: the path to the claim, "claims__" from an article),
    read off Claim.flag_codes rather than the flags' table."""
    return models.Q(**{f"{prefix}flag_codes__gt": ""})


class Speaker(models.Model):
    """A canonical person or organisation: the same name across articles is one speaker."""

    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def key_for(name: str) -> str:
        words = name.replace("\u2019", "'").casefold().split()
        if words and words[0] == "the":
            words = words[1:]
        return " ".join(words)


class Claim(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    index = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    speaker = models.ForeignKey(Speaker, null=True, blank=True, on_delete=models.SET_NULL, related_name="claims")
    speaker_mention = models.CharField(max_length=300, blank=True)
    cue = models.CharField(max_length=60, blank=True)
    quote = models.CharField(max_length=10, blank=True)
    kind = models.CharField(max_length=20, blank=True)
    checkworthiness = models.FloatField(default=0.0)
    entities = models.JSONField(default=list, blank=True)
    disputed_by = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="disputes")
    # False when a re-extraction no longer finds the claim: kept, because people worked on it.
    in_text = models.BooleanField(default=True)
    engine_version = models.CharField(max_length=40, blank=True)
    # The codes of the claim's flags, sorted and space-separated ("hedged unattributed"): a copy the
    # extraction store writes with the flags, so the search can combine a flag with words from two
    # indexes on this table (PostgreSQL: a GIN index, migration 0013) instead of testing each word
    # match for a flag, 100 ms and more at a million claims. flag_codes_of() makes it.
    flag_codes = models.CharField(max_length=120, blank=True, default="", editable=False)

    # Reviewers' work.
    evidence_status = models.CharField(max_length=20, choices=EvidenceStatus.choices, default=EvidenceStatus.UNREVIEWED)
    workflow_state = models.CharField(max_length=12, choices=WorkflowState.choices, default=WorkflowState.OPEN)
    rationale = models.TextField(blank=True)
    # Optimistic locking: every review change increments it; a change made against an old
    # version is a conflict shown to the person, never a silent overwrite.
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["article", "start", "id"]
        permissions = [("review_claim", "Can set evidence status, rationale and evidence")]
        # No (article, start) index: an article's 20 to 30 claims are found by the foreign key's own
        # index and sorted in memory; PostgreSQL never chose it at a million claims, and every
        # claim stored paid for it (issue 6, fifth session).
        indexes = [
            models.Index(fields=["evidence_status"]),
            # The overview's and the summaries' counts by status cover claims still in the text:
            # an index-only scan of this instead of reading a million rows (issue 6).
            models.Index(fields=["evidence_status"], condition=models.Q(in_text=True), name="claim_status_in_text"),
            # My queue counts a reviewer's ~27,000 assignments by their claims' state: an index-only
            # lookup per assignment instead of reading the wide claim rows (PostgreSQL; migration 0008).
            models.Index(fields=["id"], include=["workflow_state", "updated_at", "in_text"], name="claim_desk_state"),
            # The few claims a re-extraction no longer finds in the text (kept for reviewers' work):
            # My queue takes them off its count of waiting work without joining every assignment.
            models.Index(fields=["id"], condition=models.Q(in_text=False), name="claim_out_of_text"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    # Django adds get_FOO_display only where the class does not define it.
    def get_evidence_status_display(self) -> str:  # type: ignore[no-redef]  # django-stubs declares the generated one
        return EVIDENCE_STATUS_LABELS.get(self.evidence_status, self.evidence_status)

    def get_workflow_state_display(self) -> str:  # type: ignore[no-redef]  # django-stubs declares the generated one
        return WORKFLOW_STATE_LABELS.get(self.workflow_state, self.workflow_state)


class Flag(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="flags")
    code = models.CharField(max_length=20)
    text = models.CharField(max_length=500)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    explanation = models.CharField(max_length=500)

    class Meta:
        # claim_id, not claim: ordering by the relation would follow Claim's own ordering and join
        # every flag to its claim (the search's flag prefetch spent most of its time on that join).
        ordering = ["claim_id", "start", "code"]
        # No index by code: the search's flag filter reads Claim.flag_codes (migration 0013), and an
        # unused index here cost every flag stored (migration 0014).

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"

    @property
    def label(self) -> str:
        return FLAG_LABELS.get(self.code, self.code)


FLAG_LABELS = {
    "evidence_absent": "No evidence",
    "denial": "Denial",
    "hedged": "Hedged",
    "unnamed_source": "Unnamed source",
    "secondhand": "Second-hand",
    "unattributed": "Unattributed judgement",
    "disputed": "Disputed in article",
}


class EvidenceItem(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    url = models.URLField(max_length=2000)
    title = models.CharField(max_length=300)
    excerpt = models.TextField(blank=True)
    stance = models.CharField(max_length=12, choices=Stance.choices)
    note = models.TextField(blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title

    def get_stance_display(self) -> str:  # type: ignore[no-redef]  # django-stubs declares the generated one
        return STANCE_LABELS.get(self.stance, self.stance)


class ReviewEvent(models.Model):
    """Append-only: every change to a claim's review. Never edited, never deleted."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="events")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(default=timezone.now)
    field = models.CharField(max_length=40)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    rationale = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} -> {self.new_value}"

    @property
    def field_label(self) -> str:
        return self.field.replace("_", " ")

    def _display(self, value: str) -> str:
        choices = {"evidence_status": EvidenceStatus, "workflow_state": WorkflowState}.get(self.field)
        if choices is not None and value in choices.values:
            return str(choices(value).label)
        return value

    @property
    def old_display(self) -> str:
        return self._display(self.old_value)

    @property
    def new_display(self) -> str:
        return self._display(self.new_value)
