from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.desk.factories import AssignmentFactory, QueueFactory
from tests.factories import FlagFactory
from verification import services
from verification.models import Assignment, Claim, Notification, Queue, ReviewEvent, WorkflowState

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Pages per persona -------------------------------------------------------------------------

EDITOR_PAGES = ["desk_overview"]
REVIEWER_PAGES = ["my_queue", "queue_list", "notifications"]


@pytest.mark.parametrize("name", EDITOR_PAGES + REVIEWER_PAGES)
def test_editor_sees_every_desk_page(editor_client: Client, name: str) -> None:
    assert editor_client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", REVIEWER_PAGES)
def test_reviewer_sees_their_pages(reviewer_client: Client, name: str) -> None:
    assert reviewer_client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", EDITOR_PAGES)
def test_reviewer_cannot_open_the_editors_overview(reviewer_client: Client, name: str) -> None:
    assert reviewer_client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", [*EDITOR_PAGES, *REVIEWER_PAGES, "desk_export"])
def test_no_role_sees_nothing(outsider_client: Client, name: str) -> None:
    assert outsider_client.get(reverse(name)).status_code == 403


def test_anonymous_is_sent_to_log_in(client: Client) -> None:
    response = client.get(reverse("my_queue"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_nav_shows_desk_links_and_unread_count(editor_client: Client, reviewer_client: Client, alice, bob) -> None:
    Notification.objects.create(user=bob, kind="assigned", message="alice assigned you 2 claims.")
    page = reviewer_client.get(reverse("my_queue")).content.decode()
    assert "My queue" in page
    assert 'data-testid="unread-count">1<' in page
    overview_link = f'href="{reverse("desk_overview")}"'
    assert overview_link not in page  # the editors' link is not offered to reviewers
    assert overview_link in editor_client.get(reverse("my_queue")).content.decode()


# --- Queues ------------------------------------------------------------------------------------


def test_editor_creates_a_queue_with_members(editor_client: Client, bob, rita) -> None:
    response = editor_client.post(
        reverse("queue_create"), {"name": "Breaking", "description": "Live news", "members": [bob.pk, rita.pk]}
    )
    queue = Queue.objects.get(name="Breaking")
    assert response.status_code == 302
    assert response["Location"] == reverse("queue_detail", args=[queue.pk])
    assert set(queue.members.values_list("username", flat=True)) == {"bob", "rita"}
    again = editor_client.post(reverse("queue_create"), {"name": "breaking"})
    assert again.status_code == 400
    assert "already exists" in again.content.decode()


def test_reviewer_cannot_create_queues_or_staff_them(reviewer_client: Client, politics, bob) -> None:
    assert reviewer_client.post(reverse("queue_create"), {"name": "Mine"}).status_code == 403
    assert reviewer_client.post(reverse("queue_members", args=[politics.pk]), {"members": [bob.pk]}).status_code == 403
    assert reviewer_client.post(reverse("queue_auto_assign", args=[politics.pk])).status_code == 403
    assert not Queue.objects.filter(name="Mine").exists()


def test_queue_page_for_member_non_member_and_editor(
    editor_client: Client, reviewer_client: Client, sam, politics, make_claims, alice
) -> None:
    claims = make_claims(2)
    services.claims_assign(claims=claims, user=alice, queue=politics, assignee=None)
    member_page = reviewer_client.get(reverse("queue_detail", args=[politics.pk]))
    assert member_page.status_code == 200
    assert "Take" in member_page.content.decode()
    assert "Assign selected" not in member_page.content.decode()  # bob is a reviewer
    assert "Assign selected" in editor_client.get(reverse("queue_detail", args=[politics.pk])).content.decode()
    # sam is a reviewer but not a member: the queue does not exist for him.
    assert client_for(sam).get(reverse("queue_detail", args=[politics.pk])).status_code == 404
    assert client_for(sam).get(reverse("desk_export"), {"queue": politics.pk}).status_code == 404
    assert "Politics" not in client_for(sam).get(reverse("queue_list")).content.decode()


def test_queue_page_as_htmx_fragment(reviewer_client: Client, politics, make_claims, alice) -> None:
    services.claims_assign(claims=make_claims(1), user=alice, queue=politics, assignee=None)
    html = reviewer_client.get(reverse("queue_detail", args=[politics.pk]), {"part": "claims"}, headers=HTMX)
    text = html.content.decode()
    assert text.lstrip().startswith('<section id="queue-claims"')
    assert "<html" not in text


def test_editor_staffs_a_queue(editor_client: Client, politics, sam) -> None:
    editor_client.post(reverse("queue_members", args=[politics.pk]), {"members": [sam.pk]})
    assert list(politics.members.values_list("username", flat=True)) == ["sam"]


def test_auto_assign_tells_the_editor_what_it_did(editor_client: Client, politics, make_claims, alice) -> None:
    services.claims_assign(claims=make_claims(3), user=alice, queue=politics, assignee=None)
    response = editor_client.post(reverse("queue_auto_assign", args=[politics.pk]), follow=True)
    assert "Assigned 3 claims from “Politics”: bob 2, rita 1." in response.content.decode()


# --- Assignment --------------------------------------------------------------------------------


def test_editor_bulk_assigns_chosen_claims(editor_client: Client, bob, make_claims, today) -> None:
    claims = make_claims(4)
    due = today + datetime.timedelta(days=3)
    page = editor_client.get(reverse("article_assign", args=[claims[0].article_id])).content.decode()
    assert "Claim 4" in page and "Assign selected" in page
    response = editor_client.post(
        reverse("desk_assign"),
        {
            "action": "assign",
            "claims": [c.pk for c in claims[:3]],
            "assignee": bob.pk,
            "priority": "urgent",
            "due_on": due.isoformat(),
            "next": reverse("article_assign", args=[claims[0].article_id]),
        },
        follow=True,
    )
    assert f"Assigned 3 claims to bob (priority urgent, due {due:%-d %b %Y})." in response.content.decode()
    assert set(Assignment.objects.values_list("claim_id", flat=True)) == {c.pk for c in claims[:3]}


def test_editor_assigns_a_whole_article_and_sends_another_to_a_queue(
    editor_client: Client, bob, politics, make_claims
) -> None:
    first = make_claims(3)
    second = make_claims(2)
    editor_client.post(
        reverse("desk_assign"),
        {
            "action": "assign",
            "whole_article": "on",
            "article": first[0].article_id,
            "assignee": bob.pk,
            "priority": "normal",
        },
    )
    editor_client.post(
        reverse("desk_assign"),
        {
            "action": "queue",
            "whole_article": "on",
            "article": second[0].article_id,
            "queue": politics.pk,
            "priority": "high",
        },
    )
    assert Assignment.objects.filter(assignee=bob).count() == 3
    assert Assignment.objects.filter(queue=politics, assignee=None, priority="high").count() == 2


def test_assign_form_errors_are_explained(editor_client: Client, make_claims, today) -> None:
    claims = make_claims(1)
    response = editor_client.post(
        reverse("desk_assign"), {"action": "assign", "claims": [claims[0].pk], "priority": "normal"}, follow=True
    )
    assert "Choose the reviewer to assign to." in response.content.decode()
    past = (today - datetime.timedelta(days=1)).isoformat()
    response = editor_client.post(
        reverse("desk_assign"),
        {"action": "queue", "claims": [claims[0].pk], "priority": "normal", "due_on": past},
        follow=True,
    )
    assert "The due date is in the past" in response.content.decode()
    assert not Assignment.objects.exists()


def test_reviewer_cannot_assign(reviewer_client: Client, bob, make_claims) -> None:
    claims = make_claims(1)
    response = reviewer_client.post(
        reverse("desk_assign"), {"action": "assign", "claims": [claims[0].pk], "assignee": bob.pk, "priority": "high"}
    )
    assert response.status_code == 403
    assert reviewer_client.get(reverse("article_assign", args=[claims[0].article_id])).status_code == 403
    assert not Assignment.objects.exists()


def test_unknown_claim_ids_are_404(editor_client: Client, bob, make_claims) -> None:
    claims = make_claims(1)
    response = editor_client.post(
        reverse("desk_assign"),
        {"action": "assign", "claims": [claims[0].pk, 999999], "assignee": bob.pk, "priority": "normal"},
    )
    assert response.status_code == 404
    assert not Assignment.objects.exists()


# --- My queue ----------------------------------------------------------------------------------


def test_my_queue_orders_by_priority_due_date_and_checkworthiness(
    reviewer_client: Client, bob, make_claims, today
) -> None:
    normal, urgent_late, urgent_soon, high = make_claims(4)
    AssignmentFactory.create(claim=normal, assignee=bob, priority="normal")
    AssignmentFactory.create(claim=urgent_late, assignee=bob, priority="urgent", due_on=today + datetime.timedelta(9))
    AssignmentFactory.create(claim=urgent_soon, assignee=bob, priority="urgent", due_on=today - datetime.timedelta(1))
    AssignmentFactory.create(claim=high, assignee=bob, priority="high")
    page = reviewer_client.get(reverse("my_queue")).content.decode()
    order = [page.index(f'id="desk-claim-{c.pk}"') for c in (urgent_soon, urgent_late, high, normal)]
    assert order == sorted(order)
    assert 'data-testid="overdue">Overdue<' in page
    assert "1 Overdue" in page


def test_my_queue_lists_a_page_of_claims_and_counts_them_all(reviewer_client: Client, bob, make_claims) -> None:
    from verification.selectors.desk import MY_PAGE

    claims = make_claims(MY_PAGE + 5)
    for i, claim in enumerate(claims):
        AssignmentFactory.create(claim=claim, assignee=bob, priority="urgent" if i < MY_PAGE else "normal")
    first = reviewer_client.get(reverse("my_queue")).content.decode()
    assert first.count('data-testid="my-claim"') == MY_PAGE
    assert f"<strong>{MY_PAGE + 5}</strong> open" in first  # the counts are over every claim, not the page
    assert f"Claims 1–{MY_PAGE}" in first and 'rel="next"' in first and 'rel="prev"' not in first
    assert f"Next {MY_PAGE} →" in first
    assert f'id="desk-claim-{claims[MY_PAGE].pk}"' not in first  # the normal ones come after the urgent
    second = reviewer_client.get(reverse("my_queue"), {"page": "2", "priority": "", "state": "active"})
    text = second.content.decode()
    assert text.count('data-testid="my-claim"') == 5 and f"Claims {MY_PAGE + 1}–{MY_PAGE + 5}" in text
    assert 'rel="prev"' in text and 'rel="next"' not in text
    assert 'href="?state=active&amp;page=1"' in text  # the filters are kept
    beyond = reviewer_client.get(reverse("my_queue"), {"page": "9"}).content.decode()
    assert "No more claims." in beyond


def test_waiting_work_is_counted_up_to_a_cap(
    reviewer_client: Client, bob, politics, make_claims, alice, monkeypatch: pytest.MonkeyPatch
) -> None:
    from verification.selectors import desk

    monkeypatch.setattr(desk, "TAKEABLE", 1)
    monkeypatch.setattr(desk, "WAITING_CAP", 2)
    services.claims_assign(claims=make_claims(3), user=alice, queue=politics, assignee=None)
    page = reviewer_client.get(reverse("my_queue")).content.decode()
    assert "Showing the 1 most pressing of more than 2." in page
    monkeypatch.setattr(desk, "WAITING_CAP", 3)
    page = reviewer_client.get(reverse("my_queue")).content.decode()
    assert "Showing the 1 most pressing of 3." in page


def test_waiting_count_leaves_out_claims_gone_from_the_text_and_done_ones(
    reviewer_client: Client, bob, politics, make_claims, alice, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The count is read from the assignments; what cannot be taken is still not counted."""
    from verification.selectors import desk

    monkeypatch.setattr(desk, "TAKEABLE", 1)
    claims = make_claims(5)
    services.claims_assign(claims=claims, user=alice, queue=politics, assignee=None)
    Claim.objects.filter(pk=claims[0].pk).update(in_text=False)  # a re-extraction no longer finds it
    services.claim_complete(claim=claims[1], user=alice, status="supported", rationale="", expected_version=None)
    page = reviewer_client.get(reverse("my_queue")).content.decode()
    assert "Showing the 1 most pressing of 3." in page


def test_flagged_claims_are_marked_in_my_queue_and_counted_on_the_article_list(
    reviewer_client: Client, bob, make_claims
) -> None:
    """Read off the claim's flag codes (Claim.flag_codes), not the flags' table: both must agree."""
    flagged, plain = make_claims(2)
    FlagFactory.create(claim=flagged, code="hedged")
    FlagFactory.create(claim=flagged, code="unnamed_source")
    for claim in (flagged, plain):
        AssignmentFactory.create(claim=claim, assignee=bob)
    page = reviewer_client.get(reverse("my_queue")).content.decode()
    rows = {c.pk: page[page.index(f'id="desk-claim-{c.pk}"') :][:3000] for c in (flagged, plain)}
    assert "Flagged" in rows[flagged.pk].split("</li>")[0]
    assert "Flagged" not in rows[plain.pk].split("</li>")[0]
    listing = reviewer_client.get(reverse("article_list")).content.decode()
    assert re.search(r'<td class="num">2</td>\s*<td class="num">1</td>', listing)  # 2 claims, 1 flagged


def test_my_queue_as_htmx_fragment(reviewer_client: Client, bob, make_claims) -> None:
    AssignmentFactory.create(claim=make_claims(1)[0], assignee=bob)
    response = reviewer_client.get(reverse("my_queue"), {"part": "claims"}, headers=HTMX)
    text = response.content.decode()
    assert text.lstrip().startswith('<section id="my-claims"')
    assert "<html" not in text and 'data-testid="my-claim"' in text


def test_reviewer_takes_an_unassigned_claim_from_their_queue(
    reviewer_client: Client, bob, sam, politics, make_claims, alice
) -> None:
    (claim,) = make_claims(1)
    services.claims_assign(claims=[claim], user=alice, queue=politics, assignee=None)
    page = reviewer_client.get(reverse("my_queue")).content.decode()
    assert reverse("claim_take", args=[claim.pk]) in page
    # sam is not a member: the claim is a 404 to him.
    assert client_for(sam).post(reverse("claim_take", args=[claim.pk])).status_code == 404
    response = reviewer_client.post(reverse("claim_take", args=[claim.pk]), follow=True)
    assert "You took claim 1" in response.content.decode()
    assert Assignment.objects.get(claim=claim).assignee == bob


def test_complete_from_my_queue_in_place(reviewer_client: Client, bob, make_claims) -> None:
    (claim,) = make_claims(1)
    AssignmentFactory.create(claim=claim, assignee=bob)
    url = reverse("claim_complete", args=[claim.pk])
    refused = reviewer_client.post(url, {"evidence_status": "false", "version": 0}, headers=HTMX).content.decode()
    assert refused.lstrip().startswith("<li") and "A rationale is required" in refused
    done = reviewer_client.post(url, {"evidence_status": "supported", "version": 0}, headers=HTMX).content.decode()
    assert "Done: Supported." in done
    claim.refresh_from_db()
    assert claim.workflow_state == WorkflowState.DONE
    assert ReviewEvent.objects.filter(claim=claim, field="workflow_state", new_value="done", user=bob).exists()


def test_complete_without_htmx_redirects(reviewer_client: Client, bob, make_claims) -> None:
    (claim,) = make_claims(1)
    response = reviewer_client.post(reverse("claim_complete", args=[claim.pk]), {"evidence_status": "supported"})
    assert response.status_code == 302
    assert response["Location"] == reverse("my_queue")


def test_complete_needs_a_role(outsider_client: Client, make_claims) -> None:
    (claim,) = make_claims(1)
    assert (
        outsider_client.post(reverse("claim_complete", args=[claim.pk]), {"evidence_status": "supported"}).status_code
        == 403
    )


# --- Overview ----------------------------------------------------------------------------------


def test_overview_shows_progress_summary_chart_loads_and_overdue(
    editor_client: Client, bob, politics, make_claims, today, alice
) -> None:
    claims = make_claims(4)
    FlagFactory.create(claim=claims[0])
    services.claims_assign(
        claims=claims[:2],
        user=alice,
        assignee=bob,
        queue=politics,
        due_on=today - datetime.timedelta(days=1) + datetime.timedelta(days=1),
    )
    Assignment.objects.filter(claim=claims[1]).update(due_on=today - datetime.timedelta(days=2))
    services.claim_complete(claim=claims[0], user=bob, status="unsupported", rationale="No such data.")
    page = editor_client.get(reverse("desk_overview")).content.decode()
    assert "1 / 4 reviewed" in page
    assert "4 claims, 1 flagged; 1 reviewed: 1 unsupported" in page
    assert "<svg" in page and "Unreviewed: 3; Supported: 0" in page
    assert 'hx-trigger="every 15s"' in page
    assert "1 Overdue" in page
    assert '<td class="num">1</td>' in page  # bob's open load


def test_overview_live_fragment(editor_client: Client, make_claims) -> None:
    make_claims(2)
    response = editor_client.get(reverse("desk_overview"), {"part": "live"}, headers=HTMX)
    text = response.content.decode()
    assert text.lstrip().startswith('<div id="desk-live"')
    assert "<html" not in text and "2 claims, 0 flagged; none reviewed yet" in text


def test_overview_figures_are_reused_until_the_desk_changes(editor_client: Client, make_claims, bob, alice) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    claims = make_claims(3)
    first = editor_client.get(reverse("desk_overview"))
    assert 'data-testid="figures-as-of">Figures as of <time' in first.content.decode()
    with CaptureQueriesContext(connection) as counted:
        again = editor_client.get(reverse("desk_overview"))
    assert again.context["overview"].computed_at == first.context["overview"].computed_at
    assert len(counted) < 8  # the version query and the page's own, not the counts
    services.claim_complete(claim=claims[0], user=alice, status="supported", rationale="")
    # A page load after a change counts again: an editor who just acted sees it.
    after = editor_client.get(reverse("desk_overview"))
    assert after.context["overview"].computed_at > first.context["overview"].computed_at
    assert "1 / 3 reviewed" in after.content.decode()


def test_overview_counts_again_when_a_member_leaves_a_queue(
    editor_client: Client, make_claims, alice, bob, rita, sam
) -> None:
    """Removing a membership that is not the newest changes no "latest" row; the figures still follow it."""
    make_claims(2)
    queue = QueueFactory.create(name="Economy", created_by=alice, members=[bob, rita, sam])
    first = editor_client.get(reverse("desk_overview"))
    assert "bob" in {r.name for r in first.context["overview"].reviewers}
    services.queue_set_members(queue=queue, user=alice, members=[rita, sam])
    after = editor_client.get(reverse("desk_overview"))
    assert after.context["overview"].computed_at > first.context["overview"].computed_at
    assert "bob" not in {r.name for r in after.context["overview"].reviewers}


def test_the_live_poll_may_show_figures_a_few_seconds_old(editor_client: Client, make_claims, alice) -> None:
    claims = make_claims(2)
    editor_client.get(reverse("desk_overview"))
    services.claim_complete(claim=claims[0], user=alice, status="supported", rationale="")
    poll = editor_client.get(reverse("desk_overview"), {"part": "live"}, headers=HTMX).content.decode()
    assert "0 / 2 reviewed" in poll and "Figures as of" in poll  # the poll's figures say when they were counted
    assert "1 / 2 reviewed" in editor_client.get(reverse("desk_overview")).content.decode()


def test_article_summary_include(make_claims, bob) -> None:
    from django.template.loader import render_to_string

    claims = make_claims(3)
    services.claim_set_status(claim=claims[0], user=bob, status="false", rationale="Wrong.")
    html = render_to_string("verification/desk/_article_summary.html", {"article": claims[0].article})
    assert "3 claims, 0 flagged; 1 reviewed: 1 false" in html


# --- Notifications -----------------------------------------------------------------------------


def test_notifications_list_and_mark_read(reviewer_client: Client, bob, alice, make_claims) -> None:
    services.claims_assign(claims=make_claims(2), user=alice, assignee=bob)
    page = reviewer_client.get(reverse("notifications")).content.decode()
    assert "alice assigned you 2 claims." in page
    reviewer_client.post(reverse("notifications_read"))
    assert not Notification.objects.filter(user=bob, read_at__isnull=True).exists()
