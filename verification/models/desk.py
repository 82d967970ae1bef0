"""The editor desk: review queues, who checks which claim by when, and the notifications about it.

An Assignment is the claim's *current* place on the desk (one per claim); every change to it is
also written to the claim's append-only ReviewEvent history ("queue", "assignee", "priority",
"due_on"), so reassigning never loses who had it before.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone

from .claims import Claim, WorkflowState


class Priority(models.TextChoices):
    URGENT = "urgent", "Urgent"
    HIGH = "high", "High"
    NORMAL = "normal", "Normal"


# For Assignment.get_priority_display: Django's generated one rebuilds the choices dict on every call.
PRIORITY_LABELS: dict[str, str] = dict(Priority.choices)

# Most pressing first: used to order work in SQL.
PRIORITY_ORDER = [Priority.URGENT, Priority.HIGH, Priority.NORMAL]


def priority_rank(prefix: str = "") -> Case:
    """Urgent first: the priority as a sortable number in SQL (no assignment sorts last).

    The desk orders by this expression and two partial indexes of Assignment hold it, so the
    database reads the most pressing work in index order: keep it the same in both places.
    """
    return Case(
        *(When(**{f"{prefix}priority": p}, then=Value(i)) for i, p in enumerate(PRIORITY_ORDER)),
        default=Value(len(PRIORITY_ORDER)),
        output_field=IntegerField(),
    )


class Queue(models.Model):
    """A named review desk ("Politics", "Breaking") staffed by its members."""

    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="desk_queues", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        permissions = [("manage_desk", "Can create queues and assign claims")]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """Where a claim sits on the desk now: a queue, a reviewer, or both, with a priority and a due date.

    A row with a queue and no assignee is unassigned work anyone in the queue may take.
    """

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="assignment")
    queue = models.ForeignKey(Queue, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="desk_assignments"
    )
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    due_on = models.DateField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    # notify_due tells people once per assignment: set when told, cleared when the assignee or
    # the due date changes (a new deadline deserves a new reminder).
    due_soon_notified_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    # When the claim's work was done: set when its workflow state becomes done, cleared when it is
    # reopened (services.review keeps it). The claim's state, mirrored here so a reviewer's open
    # work is read, in order, from one partial index of this table instead of a join to every
    # one of their claims.
    done_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        indexes = [
            # My queue: a reviewer's open work, most pressing first, read in index order.
            models.Index(
                F("assignee"), priority_rank(), F("due_on"), name="assignment_open_mine", condition=Q(done_at=None)
            ),
            # My queue's counts (open, overdue, done today) from this index alone.
            models.Index(fields=["assignee", "done_at"], include=["due_on"], name="assignment_done_mine"),
            # The open, unassigned work waiting in a queue, most pressing first.
            models.Index(
                F("queue"),
                priority_rank(),
                F("due_on"),
                name="assignment_open_waiting",
                condition=Q(done_at=None, assignee=None),
            ),
            models.Index(fields=["assignee", "due_on"]),
            models.Index(fields=["queue", "assignee"]),
            models.Index(fields=["due_on"]),
            # My queue's counts read a reviewer's assignments from the index alone (PostgreSQL).
            models.Index(fields=["assignee"], include=["claim", "due_on"], name="assignment_assignee_cover"),
            # The unassigned work waiting in a reviewer's queues.
            models.Index(
                fields=["queue"],
                include=["claim"],
                condition=models.Q(assignee__isnull=True),
                name="assignment_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"claim {self.claim_id} -> {self.assignee_id or 'unassigned'}"

    def get_priority_display(self) -> str:  # type: ignore[no-redef]  # django-stubs declares the generated one
        return PRIORITY_LABELS.get(self.priority, self.priority)

    def is_overdue_on(self, today: datetime.date) -> bool:
        return self.due_on is not None and self.due_on < today and self.claim.workflow_state != WorkflowState.DONE

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"


class Notification(models.Model):
    """A message in the app for one person; unread until they open their notifications."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=12, choices=NotificationKind.choices)
    message = models.CharField(max_length=500)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.message
