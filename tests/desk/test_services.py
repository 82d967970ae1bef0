from __future__ import annotations

import datetime

import pytest
from django.core import mail

from tests.desk.factories import AssignmentFactory, QueueFactory
from verification import services
from verification.models import (
    Assignment,
    Notification,
    NotificationKind,
    Priority,
    ReviewEvent,
    WorkflowState,
)

pytestmark = pytest.mark.django_db


def test_assign_records_history_and_notifies(alice, bob, make_claims, django_capture_on_commit_callbacks) -> None:
    bob.email = "bob@example.org"
    bob.save()
    claims = make_claims(3)
    due = datetime.date.today() + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.claims_assign(claims=claims, user=alice, assignee=bob, priority=Priority.HIGH, due_on=due)
    assert Assignment.objects.filter(assignee=bob, priority="high", due_on=due, assigned_by=alice).count() == 3
    events = ReviewEvent.objects.filter(claim=claims[0]).values_list("field", "old_value", "new_value")
    assert set(events) == {("assignee", "", "bob"), ("priority", "", "high"), ("due_on", "", due.isoformat())}
    # One notification and one email for the whole batch, not one per claim.
    note = Notification.objects.get(user=bob)
    assert note.kind == NotificationKind.ASSIGNED
    assert note.message == "alice assigned you 3 claims."
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["bob@example.org"]


def test_assigning_the_same_again_writes_nothing(alice, bob, make_claims) -> None:
    claims = make_claims(2)
    services.claims_assign(claims=claims, user=alice, assignee=bob, priority="normal", due_on=None)
    before = ReviewEvent.objects.count()
    services.claims_assign(claims=claims, user=alice, assignee=bob, priority="normal", due_on=None)
    assert ReviewEvent.objects.count() == before
    assert Notification.objects.filter(user=bob).count() == 1


def test_reassign_and_unassign_keep_the_history(alice, bob, rita, politics, make_claims) -> None:
    (claim,) = make_claims(1)
    services.claims_assign(claims=[claim], user=alice, assignee=bob, queue=politics)
    services.claims_assign(claims=[claim], user=alice, assignee=rita)
    services.claims_unassign(claims=[claim], user=alice)
    a = Assignment.objects.get(claim=claim)
    assert a.assignee is None
    assert a.queue == politics  # unassigned work stays in its queue
    trail = list(
        ReviewEvent.objects.filter(claim=claim, field="assignee")
        .order_by("created_at", "id")
        .values_list("old_value", "new_value")
    )
    assert trail == [("", "bob"), ("bob", "rita"), ("rita", "")]
    assert ReviewEvent.objects.filter(claim=claim, field="queue", new_value="Politics").exists()
    claim.refresh_from_db()
    assert claim.version == 0  # desk moves are not review changes: no conflict for an open form


def test_assign_refuses_a_non_member_of_the_queue_and_an_outsider(alice, sam, charlie, politics, make_claims) -> None:
    claims = make_claims(1)
    with pytest.raises(services.DeskError, match="not a member"):
        services.claims_assign(claims=claims, user=alice, assignee=sam, queue=politics)
    with pytest.raises(services.DeskError, match="not a reviewer"):
        services.claims_assign(claims=claims, user=alice, assignee=charlie)
    with pytest.raises(services.DeskError, match="priority"):
        services.claims_assign(claims=claims, user=alice, assignee=sam, priority="whenever")
    assert not Assignment.objects.exists()


def test_take_is_first_come_first_served(alice, bob, rita, sam, politics, make_claims) -> None:
    (claim,) = make_claims(1)
    services.claims_assign(claims=[claim], user=alice, queue=politics, assignee=None)
    services.claim_take(claim=claim, user=bob)
    with pytest.raises(services.DeskError, match="bob took this claim first"):
        services.claim_take(claim=claim, user=rita)
    (other,) = make_claims(1)
    services.claims_assign(claims=[other], user=alice, queue=politics, assignee=None)
    with pytest.raises(services.DeskError, match="not a member"):
        services.claim_take(claim=other, user=sam)
    assert Assignment.objects.get(claim=claim).assignee == bob


def test_auto_assign_spreads_by_load_and_explains(alice, bob, rita, sam, make_claims) -> None:
    queue = QueueFactory.create(name="Breaking", created_by=alice, members=[bob, rita, sam])
    # bob already has 3 open claims, rita 1 (and 1 done, which does not count), sam none.
    for claim in make_claims(3):
        AssignmentFactory.create(claim=claim, assignee=bob)
    AssignmentFactory.create(claim=make_claims(1)[0], assignee=rita)
    AssignmentFactory.create(claim=make_claims(1, workflow_state=WorkflowState.DONE)[0], assignee=rita)
    waiting = make_claims(8)
    services.claims_assign(claims=waiting, user=alice, queue=queue, assignee=None)

    result = services.queue_auto_assign(queue=queue, user=alice)

    # Loads start at bob 3, rita 1, sam 0; 8 claims even them out to bob 3+1, rita 1+3, sam 0+4
    # (ties go to the earlier username).
    assert result.per_member == {"bob": 1, "rita": 3, "sam": 4}
    assert result.message == "Assigned 8 claims from “Breaking”: bob 1, rita 3, sam 4."
    assert not Assignment.objects.filter(queue=queue, assignee__isnull=True).exists()
    # Predictable: the most check-worthy... and the same answer for the same desk.
    assert services.queue_auto_assign(queue=queue, user=alice).total == 0


def test_auto_assign_gives_most_pressing_first(alice, bob, make_claims) -> None:
    queue = QueueFactory.create(name="Solo", created_by=alice, members=[bob])
    normal, urgent = make_claims(2)
    services.claims_assign(claims=[normal], user=alice, queue=queue, assignee=None, priority="normal")
    services.claims_assign(claims=[urgent], user=alice, queue=queue, assignee=None, priority="urgent")
    result = services.queue_auto_assign(queue=queue, user=alice)
    assert result.per_member == {"bob": 2}


def test_auto_assign_without_members_is_explained(alice) -> None:
    queue = QueueFactory.create(name="Empty", created_by=alice)
    with pytest.raises(services.DeskError, match="no members"):
        services.queue_auto_assign(queue=queue, user=alice)


def test_notify_due_once_per_assignment(alice, bob, make_claims, today, django_capture_on_commit_callbacks) -> None:
    bob.email = "bob@example.org"
    bob.save()
    late, soon, later, finished = make_claims(4)
    finished.evidence_status, finished.workflow_state = "supported", WorkflowState.DONE
    finished.save()
    AssignmentFactory.create(claim=late, assignee=bob, assigned_by=alice, due_on=today - datetime.timedelta(days=1))
    AssignmentFactory.create(claim=soon, assignee=bob, assigned_by=alice, due_on=today + datetime.timedelta(days=1))
    AssignmentFactory.create(claim=later, assignee=bob, assigned_by=alice, due_on=today + datetime.timedelta(days=9))
    AssignmentFactory.create(claim=finished, assignee=bob, assigned_by=alice, due_on=today - datetime.timedelta(days=3))

    with django_capture_on_commit_callbacks(execute=True):
        result = services.notify_due(today=today)
    assert (result.due_soon, result.overdue) == (1, 1)
    kinds = sorted(Notification.objects.filter(user=bob).values_list("kind", flat=True))
    assert kinds == [NotificationKind.DUE_SOON, NotificationKind.OVERDUE]
    # The editor who assigned it hears about overdue work too.
    assert Notification.objects.get(user=alice).message == "1 claim you assigned is overdue (bob)."
    assert len(mail.outbox) == 2

    # A second run tells nobody again.
    assert services.notify_due(today=today) == services.DueResult(due_soon=0, overdue=0)
    assert Notification.objects.count() == 3
    # A new due date is a new reminder.
    services.claims_assign(claims=[late], user=alice, due_on=today)
    assert services.notify_due(today=today).due_soon == 1


def test_complete_sets_verdict_and_done(bob, make_claims) -> None:
    (claim,) = make_claims(1)
    with pytest.raises(services.ReviewError, match="rationale"):
        services.claim_complete(claim=claim, user=bob, status="false")
    done = services.claim_complete(claim=claim, user=bob, status="false", rationale="The figures say 4.")
    assert (done.evidence_status, done.workflow_state) == ("false", WorkflowState.DONE)


def test_queue_create_refuses_duplicates_and_non_reviewers(alice, bob, charlie) -> None:
    services.queue_create(user=alice, name="  Politics ", members=[bob])
    with pytest.raises(services.DeskError, match="already exists"):
        services.queue_create(user=alice, name="politics")
    with pytest.raises(services.DeskError, match="charlie cannot review"):
        services.queue_create(user=alice, name="Sport", members=[charlie])


def test_the_assignment_mirrors_when_its_claim_was_done(alice, bob, politics, make_claims, reviewer_client) -> None:
    """My queue reads open work from Assignment.done_at: every way a claim's state changes keeps it in step."""
    from django.urls import reverse

    done_earlier, claim = make_claims(2)
    done_earlier.evidence_status, done_earlier.workflow_state = "supported", WorkflowState.DONE
    done_earlier.updated_at -= datetime.timedelta(days=3)
    done_earlier.save()
    # Assigning a claim that is already done: the new row says so.
    services.claims_assign(claims=[done_earlier, claim], user=alice, queue=politics, assignee=bob)
    assert Assignment.objects.get(claim=done_earlier).done_at == done_earlier.updated_at
    assert Assignment.objects.get(claim=claim).done_at is None

    def open_count() -> str:
        return reviewer_client.get(reverse("my_queue")).content.decode()

    assert "<strong>1</strong> open" in open_count()
    claim = services.claim_complete(claim=claim, user=bob, status="false", rationale="The figures are wrong.")
    done_at = Assignment.objects.get(claim=claim).done_at
    assert done_at is not None and done_at == claim.updated_at
    page = open_count()
    assert "<strong>0</strong> open" in page and "2 done today" not in page and "1 done today" in page
    # Reopened: open again, and no longer done.
    services.claim_set_workflow(claim=claim, user=bob, state=WorkflowState.IN_REVIEW)
    assert Assignment.objects.get(claim=claim).done_at is None
    assert "<strong>1</strong> open" in open_count()
    # A change that leaves the state alone leaves the mirror alone.
    claim = services.claim_set_workflow(claim=claim, user=bob, state=WorkflowState.DONE)
    first_done = Assignment.objects.get(claim=claim).done_at
    services.claim_set_rationale(claim=claim, user=bob, rationale="Checked against the ONS release.")
    assert Assignment.objects.get(claim=claim).done_at == first_done
