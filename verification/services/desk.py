"""The desk's writes: queues, assignment (one claim or many), taking work, auto-assign, notifications.

Every change to where a claim sits is written to the claim's append-only ReviewEvent history
(fields "queue", "assignee", "priority", "due_on"). Assignment changes do not bump the claim's
review version: they are not the verdict, and a reviewer's open form must not turn into a
conflict because an editor moved the claim to another desk.
"""

from __future__ import annotations

import datetime
import enum
import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from .. import roles
from ..models import (
    Assignment,
    Claim,
    Notification,
    NotificationKind,
    Priority,
    Queue,
    ReviewEvent,
    WorkflowState,
)
from ..selectors.desk import priority_rank
from .review import ReviewError, claim_set_status, claim_set_workflow


class DeskError(Exception):
    """A desk action that cannot be done as asked; the message is for the editor or reviewer."""


class Keep(enum.Enum):
    """Marks "leave this as it is" for the optional arguments of claims_assign."""

    KEEP = "keep"


KEEP = Keep.KEEP


def _queue_label(queue: Queue | None) -> str:
    return queue.name if queue else ""


def _user_label(user: User | None) -> str:
    return user.username if user else ""


def _date_label(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


# --- Queues -----------------------------------------------------------------------------------


def queue_create(*, user: User, name: str, description: str = "", members: Iterable[User] = ()) -> Queue:
    name = " ".join(name.split())
    if not name:
        raise DeskError("Give the queue a name, for example “Politics”.")
    with transaction.atomic():
        if Queue.objects.filter(name__iexact=name).exists():
            raise DeskError(f"A queue called “{name}” already exists.")
        queue = Queue.objects.create(name=name, description=description.strip(), created_by=user)
        queue.members.set(_reviewers_only(members))
    return queue


def queue_set_members(*, queue: Queue, user: User, members: Iterable[User]) -> Queue:
    """Staff a queue. Leaving members keep the claims already assigned to them."""
    queue.members.set(_reviewers_only(members))
    return queue


def _reviewers_only(users: Iterable[User]) -> list[User]:
    users = list(users)
    outsiders = [u.username for u in users if not roles.can_review(u)]
    if outsiders:
        raise DeskError(f"Only reviewers and editors can staff a queue: {', '.join(sorted(outsiders))} cannot review.")
    return users


# --- Assignment -------------------------------------------------------------------------------


@dataclass
class _Pending:
    """Notifications to create and emails to send once the assignment is committed."""

    assigned: dict[int, list[Claim]] = field(default_factory=lambda: defaultdict(list))
    users: dict[int, User] = field(default_factory=dict)


def claims_assign(
    *,
    claims: Sequence[Claim],
    user: User,
    assignee: User | Keep | None = KEEP,
    queue: Queue | Keep | None = KEEP,
    priority: str | Keep = KEEP,
    due_on: datetime.date | Keep | None = KEEP,
) -> list[Assignment]:
    """Put claims on the desk: to a reviewer, to a queue, or both, with a priority and due date.

    Arguments left as KEEP keep each claim's current value. Every change is one ReviewEvent on
    the claim; claims whose assignment does not change write nothing.
    """
    if priority is not KEEP and priority not in Priority.values:
        raise DeskError("Choose a priority: urgent, high or normal.")
    if isinstance(assignee, User) and not roles.can_review(assignee):
        raise DeskError(f"{assignee.username} is not a reviewer or an editor and cannot be given claims.")
    if isinstance(assignee, User) and isinstance(queue, Queue) and not queue.members.filter(pk=assignee.pk).exists():
        raise DeskError(f"{assignee.username} is not a member of the queue “{queue.name}”: add them to it first.")
    if not claims:
        raise DeskError("Select at least one claim.")
    now = timezone.now()
    pending = _Pending()
    with transaction.atomic():
        ids = [c.pk for c in claims]
        # Lock the claims' rows so two editors assigning the same claims queue up instead of
        # both creating the one assignment a claim may have.
        locked = list(Claim.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        current = {
            a.claim_id: a
            for a in Assignment.objects.filter(claim_id__in=ids).select_related("queue", "assignee", "claim")
        }
        events: list[ReviewEvent] = []
        to_create: list[Assignment] = []
        to_update: list[Assignment] = []
        for claim in locked:
            existing = current.get(claim.pk)
            a = existing or Assignment(
                claim=claim,
                assigned_at=now,
                done_at=claim.updated_at if claim.workflow_state == WorkflowState.DONE else None,
            )
            old_queue, old_assignee = (a.queue, a.assignee) if existing else (None, None)
            old_priority, old_due = (a.priority if existing else ""), a.due_on
            if queue is not KEEP:
                a.queue = queue
            if assignee is not KEEP:
                a.assignee = assignee
            if priority is not KEEP:
                a.priority = priority
            if due_on is not KEEP:
                a.due_on = due_on
            changes = [
                ("queue", _queue_label(old_queue), _queue_label(a.queue)),
                ("assignee", _user_label(old_assignee), _user_label(a.assignee)),
                ("priority", old_priority, a.priority),
                ("due_on", _date_label(old_due), _date_label(a.due_on)),
            ]
            changes = [c for c in changes if c[1] != c[2]]
            if existing and not changes:
                continue
            if a.assignee != old_assignee or a.due_on != old_due:
                a.due_soon_notified_at = None
                a.overdue_notified_at = None
            if a.assignee != old_assignee:
                a.assigned_by = user
                a.assigned_at = now
                if a.assignee is not None and a.assignee != user:
                    pending.assigned[a.assignee.pk].append(claim)
                    pending.users[a.assignee.pk] = a.assignee
            (to_update if existing else to_create).append(a)
            events += [
                ReviewEvent(claim=claim, user=user, created_at=now, field=name, old_value=o, new_value=n)
                for name, o, n in changes
            ]
        Assignment.objects.bulk_create(to_create)
        Assignment.objects.bulk_update(
            to_update,
            ["queue", "assignee", "priority", "due_on", "assigned_by", "assigned_at", "due_soon_notified_at",
             "overdue_notified_at"],
        )  # fmt: skip
        ReviewEvent.objects.bulk_create(events)
        _notify_assigned(pending, by=user)
    return to_create + to_update


def claims_unassign(*, claims: Sequence[Claim], user: User) -> list[Assignment]:
    """Take claims off their reviewer; they stay in their queue for someone to take."""
    return claims_assign(claims=claims, user=user, assignee=None)


def claim_take(*, claim: Claim, user: User) -> Assignment:
    """A member of the claim's queue takes it. Two people taking the same claim: the first wins."""
    with transaction.atomic():
        try:
            a = Assignment.objects.select_for_update(of=("self",)).select_related("queue").get(claim=claim)
        except Assignment.DoesNotExist:
            raise DeskError("This claim is not in a queue.") from None
        if a.queue is None:
            raise DeskError("This claim is not in a queue.")
        if not (a.queue.members.filter(pk=user.pk).exists() or _can_manage(user)):
            raise DeskError(f"You are not a member of the queue “{a.queue.name}”.")
        # Conditional update: only an unassigned claim is taken, whatever happened since the page loaded.
        taken = Assignment.objects.filter(pk=a.pk, assignee__isnull=True).update(
            assignee=user, assigned_by=user, assigned_at=timezone.now(), due_soon_notified_at=None,
            overdue_notified_at=None,
        )  # fmt: skip
        if not taken:
            holder = Assignment.objects.select_related("assignee").get(pk=a.pk).assignee
            raise DeskError(f"{_user_label(holder) or 'Someone'} took this claim first.")
        ReviewEvent.objects.create(claim=claim, user=user, field="assignee", old_value="", new_value=user.username)
        a.refresh_from_db()
    return a


def _can_manage(user: User) -> bool:
    from ..roles import can_manage_desk

    return can_manage_desk(user)


@dataclass(frozen=True)
class AutoAssignResult:
    queue: Queue
    per_member: dict[str, int]
    total: int

    @property
    def message(self) -> str:
        if not self.total:
            return f"Nothing to assign: “{self.queue.name}” has no unassigned open claims."
        shares = ", ".join(f"{name} {n}" for name, n in sorted(self.per_member.items()) if n)
        return f"Assigned {self.total} claim{'s' if self.total != 1 else ''} from “{self.queue.name}”: {shares}."


def queue_auto_assign(*, queue: Queue, user: User) -> AutoAssignResult:
    """Spread the queue's unassigned open claims over its members by their current load.

    Most pressing claims go first (priority, then due date, then check-worthiness); each goes to
    the member with the fewest open assigned claims, ties broken by username, so the same desk
    always gives the same answer.
    """
    members = sorted(queue.members.all(), key=lambda u: u.username)
    if not members:
        raise DeskError(f"“{queue.name}” has no members: add reviewers to the queue first.")
    with transaction.atomic():
        waiting = list(
            Claim.objects.select_for_update()
            .filter(assignment__queue=queue, assignment__assignee__isnull=True, in_text=True)
            .exclude(workflow_state=WorkflowState.DONE)
            .annotate(rank=priority_rank())
            .order_by("rank", "assignment__due_on", "-checkworthiness", "id")
        )  # fmt: skip
        load = Counter(
            Assignment.objects.filter(assignee__in=members)
            .exclude(claim__workflow_state=WorkflowState.DONE)
            .values_list("assignee_id", flat=True)
        )
        heap = [(load[m.pk], m.username, m.pk) for m in members]
        heapq.heapify(heap)
        by_member: dict[int, list[Claim]] = defaultdict(list)
        for claim in waiting:
            n, name, pk = heapq.heappop(heap)
            by_member[pk].append(claim)
            heapq.heappush(heap, (n + 1, name, pk))
        for member in members:
            if by_member[member.pk]:
                claims_assign(claims=by_member[member.pk], user=user, assignee=member)
    return AutoAssignResult(
        queue=queue, per_member={m.username: len(by_member[m.pk]) for m in members}, total=len(waiting)
    )


def claim_complete(
    *, claim: Claim, user: User, status: str, rationale: str = "", expected_version: int | None = None
) -> Claim:
    """Give a verdict and mark the claim done in one step (My queue's "Complete")."""
    with transaction.atomic():
        claim = claim_set_status(
            claim=claim, user=user, status=status, rationale=rationale, expected_version=expected_version
        )
        return claim_set_workflow(claim=claim, user=user, state=WorkflowState.DONE)


# --- Notifications ----------------------------------------------------------------------------


def _my_queue_url() -> str:
    return reverse("my_queue")


def _send_email(user: User, subject: str, body: str) -> None:
    if not user.email:
        return
    # After commit: a rolled-back assignment sends nothing.
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=True)
    )


def _claims_phrase(claims: Sequence[Claim]) -> str:
    if len(claims) == 1:
        return f"a claim (“{claims[0].text[:80]}”)"
    return f"{len(claims)} claims"


def _notify_assigned(pending: _Pending, *, by: User) -> None:
    rows = []
    for user_id, claims in pending.assigned.items():
        user = pending.users[user_id]
        message = f"{by.username} assigned you {_claims_phrase(claims)}."
        rows.append(Notification(user=user, kind=NotificationKind.ASSIGNED, message=message, url=_my_queue_url()))
        _send_email(user, f"[Verification desk] {message}", f"{message}\n\nSee your queue: {_my_queue_url()}\n")
    Notification.objects.bulk_create(rows)


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


@dataclass(frozen=True)
class DueResult:
    due_soon: int
    overdue: int


def notify_due(*, today: datetime.date | None = None) -> DueResult:
    """Tell assignees (and, when overdue, the editor who assigned) about work coming due.

    Once per assignment: each assignment is marked when told, and the marking is a conditional
    UPDATE on rows still unmarked, so two overlapping runs never tell anyone twice.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        return _notify_due(today)


def _notify_due(today: datetime.date) -> DueResult:
    open_work = Assignment.objects.filter(assignee__isnull=False, due_on__isnull=False).exclude(
        claim__workflow_state=WorkflowState.DONE
    )
    soon = _claim_batch(
        open_work.filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=1)),
        "due_soon_notified_at",
    )
    late = _claim_batch(open_work.filter(due_on__lt=today), "overdue_notified_at")
    rows: list[Notification] = []
    url = _my_queue_url()
    for assignee, items in _by_user(soon, "assignee").items():
        message = f"{len(items)} claim{'s are' if len(items) != 1 else ' is'} due by tomorrow."
        rows.append(Notification(user=assignee, kind=NotificationKind.DUE_SOON, message=message, url=url))
        _send_email(assignee, f"[Verification desk] {message}", f"{message}\n\nSee your queue: {url}\n")
    for assignee, items in _by_user(late, "assignee").items():
        message = f"{len(items)} of your claims {'are' if len(items) != 1 else 'is'} overdue."
        rows.append(Notification(user=assignee, kind=NotificationKind.OVERDUE, message=message, url=url))
        _send_email(assignee, f"[Verification desk] {message}", f"{message}\n\nSee your queue: {url}\n")
    overview = reverse("desk_overview")
    for editor, items in _by_user([a for a in late if a.assigned_by_id != a.assignee_id], "assigned_by").items():
        names = ", ".join(sorted({_user_label(a.assignee) for a in items}))
        several = len(items) != 1
        message = (
            f"{len(items)} claim{'s' if several else ''} you assigned {'are' if several else 'is'} overdue ({names})."
        )
        rows.append(Notification(user=editor, kind=NotificationKind.OVERDUE, message=message, url=overview))
    Notification.objects.bulk_create(rows)
    return DueResult(due_soon=len(soon), overdue=len(late))


def _claim_batch(candidates: QuerySet[Assignment], marker: str) -> list[Assignment]:
    """Mark and return the candidates not yet told; rows another run holds are left to it."""
    batch = list(
        candidates.filter(**{f"{marker}__isnull": True})
        .select_related("assignee", "assigned_by")
        .select_for_update(skip_locked=True, of=("self",))
    )
    Assignment.objects.filter(pk__in=[a.pk for a in batch]).update(**{marker: timezone.now()})
    return batch


def _by_user(assignments: Iterable[Assignment], attr: str) -> dict[User, list[Assignment]]:
    grouped: dict[User, list[Assignment]] = defaultdict(list)
    for a in assignments:
        person = getattr(a, attr)
        if person is not None:
            grouped[person].append(a)
    return grouped


__all__ = [
    "KEEP",
    "AutoAssignResult",
    "DeskError",
    "DueResult",
    "Keep",
    "ReviewError",
    "claim_complete",
    "claim_take",
    "claims_assign",
    "claims_unassign",
    "notifications_mark_read",
    "notify_due",
    "queue_auto_assign",
    "queue_create",
    "queue_set_members",
]
