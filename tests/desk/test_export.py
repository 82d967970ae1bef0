from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.desk.factories import AssignmentFactory
from tests.factories import ArticleFactory, ClaimFactory, ExtractionFactory
from verification.models import Notification
from verification.views.desk import csv_safe

pytestmark = pytest.mark.django_db


def rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_export_honours_the_filters(reviewer_client: Client, bob, rita, politics, make_claims, today) -> None:
    mine_late, mine_ok, ritas, loose = make_claims(4)
    AssignmentFactory.create(claim=mine_late, assignee=bob, queue=politics, due_on=today - datetime.timedelta(1))
    AssignmentFactory.create(claim=mine_ok, assignee=bob, queue=politics, priority="urgent")
    AssignmentFactory.create(claim=ritas, assignee=rita, queue=politics)
    loose.evidence_status = "supported"
    loose.save()

    everything = rows(reviewer_client.get(reverse("desk_export")))
    assert len(everything) == 4
    assert {r["claim_id"] for r in rows(reviewer_client.get(reverse("desk_export"), {"assignee": "me"}))} == {
        str(mine_late.pk),
        str(mine_ok.pk),
    }
    overdue = rows(reviewer_client.get(reverse("desk_export"), {"overdue": "1"}))
    assert [(r["claim_id"], r["overdue"], r["assignee"]) for r in overdue] == [(str(mine_late.pk), "yes", "bob")]
    assert [r["claim_id"] for r in rows(reviewer_client.get(reverse("desk_export"), {"status": "supported"}))] == [
        str(loose.pk)
    ]
    by_queue = rows(reviewer_client.get(reverse("desk_export"), {"queue": politics.pk, "assignee": "rita"}))
    assert [(r["claim_id"], r["queue"]) for r in by_queue] == [(str(ritas.pk), "Politics")]
    assert [r["claim_id"] for r in rows(reviewer_client.get(reverse("desk_export"), {"priority": "urgent"}))] == [
        str(mine_ok.pk)
    ]


def test_export_is_safe_from_formula_injection(editor_client: Client, alice) -> None:
    body = '=HYPERLINK("http://evil.example","click") said the minister. +1 more. -2 less. @SUM(A1)'
    article = ArticleFactory.create(submitted_by=alice, title="=cmd|' /C calc'!A0", body=body)
    ExtractionFactory.create(article=article)
    ClaimFactory.create(article=article, start=0, end=len(body), text=body, rationale="@SUM(1+1)")
    (row,) = rows(editor_client.get(reverse("desk_export")))
    assert row["article_title"] == "'=cmd|' /C calc'!A0"
    assert row["claim_text"].startswith("'=HYPERLINK(")
    assert row["rationale"] == "'@SUM(1+1)"
    for value in row.values():
        assert not value.startswith(("=", "+", "-", "@"))


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@x", "\tx", "\rx"])
def test_csv_safe_prefixes_formula_starts(value: str) -> None:
    assert csv_safe(value) == "'" + value
    assert csv_safe("plain") == "plain"
    assert csv_safe(3) == 3


def test_notify_due_command(bob, alice, make_claims, today) -> None:
    (claim,) = make_claims(1)
    AssignmentFactory.create(claim=claim, assignee=bob, assigned_by=alice, due_on=today)
    out = io.StringIO()
    call_command("notify_due", stdout=out)
    assert "Due soon: 1 assignment(s); overdue: 0 assignment(s)." in out.getvalue()
    call_command("notify_due", stdout=io.StringIO())
    assert Notification.objects.filter(user=bob, kind="due_soon").count() == 1
    later = io.StringIO()
    call_command("notify_due", "--today", (today + datetime.timedelta(days=2)).isoformat(), stdout=later)
    assert "overdue: 1" in later.getvalue()


def test_notify_due_task_runs_the_service(bob, alice, make_claims, today) -> None:
    from verification.desk_tasks import notify_due

    (claim,) = make_claims(1)
    AssignmentFactory.create(claim=claim, assignee=bob, assigned_by=alice, due_on=today - datetime.timedelta(1))
    assert notify_due() == "due soon 0, overdue 1"
