"""seed_load on a small run: the desk it builds is consistent, a second run refuses, --reset replaces it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db.models import F
from django.test import Client

from verification import roles
from verification.management.commands.seed_load import LOAD_PASSWORD
from verification.models import Article, Assignment, Claim, EvidenceStatus, Extraction, ReviewEvent, WorkflowState

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_load", "--articles", "5", "--claims-per-article", "20", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_seeds_a_consistent_desk() -> None:
    output = seed()

    assert "5 Article" in output and "100 Claim" in output
    assert Article.objects.count() == 5
    assert Extraction.objects.filter(state="done").count() == 5
    assert Claim.objects.count() == 100
    for claim in Claim.objects.select_related("article"):
        assert claim.article.body[claim.start : claim.end] == claim.text
    # The same seed always gives the same desk; a desk with every kind of work on it.
    assert Claim.objects.exclude(evidence_status=EvidenceStatus.UNREVIEWED).exists()
    assert Claim.objects.filter(workflow_state=WorkflowState.DONE).exists()
    assert Assignment.objects.filter(assignee__isnull=False).exists()
    reviewed = Claim.objects.exclude(evidence_status=EvidenceStatus.UNREVIEWED)
    assert ReviewEvent.objects.filter(claim__in=reviewed, field="evidence_status").count() == reviewed.count()
    assert not Claim.objects.filter(end__lte=F("start")).exists()
    # The search filters flags by the codes on the claim: they say what the flag rows say.
    for claim in Claim.objects.prefetch_related("flags"):
        assert claim.flag_codes == " ".join(sorted({f.code for f in claim.flags.all()}))
    assert Claim.objects.exclude(flag_codes="").exists()
    # Most claims have a speaker, several speakers share the desk, and the attribution is filled in.
    attributed = Claim.objects.filter(speaker__isnull=False)
    assert attributed.count() > Claim.objects.count() / 2
    assert attributed.values("speaker").distinct().count() >= 5
    assert not attributed.filter(speaker_mention="").exists()


def test_accounts_log_in_with_their_roles() -> None:
    seed()

    editor = User.objects.get(username="load-editor-1")
    reviewer = User.objects.get(username="load-reviewer-16")
    assert roles.can_submit(editor) and not roles.can_submit(reviewer) and roles.can_review(reviewer)
    client = Client()
    response = client.post("/login/", {"username": "load-reviewer-1", "password": LOAD_PASSWORD})
    assert response.status_code == 302
    assert client.get("/desk/mine/").status_code == 200


def test_a_second_run_refuses_and_reset_replaces() -> None:
    seed()
    first = set(Claim.objects.values_list("text", flat=True))

    with pytest.raises(CommandError, match="--reset"):
        seed()
    seed("--reset")

    assert Article.objects.count() == 5
    assert Claim.objects.count() == 100
    assert set(Claim.objects.values_list("text", flat=True)) == first
