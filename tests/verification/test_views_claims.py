from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from verification.models import Claim, EvidenceStatus, ReviewEvent, WorkflowState

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def status_url(claim: Claim) -> str:
    return reverse("claim_status", args=[claim.pk])


def test_article_page_shows_claims_speaker_and_flags(reviewer_client: Client, extracted_claim: Claim) -> None:
    from tests.factories import FlagFactory

    FlagFactory.create(claim=extracted_claim, code="hedged", text="reportedly", explanation="Hedged by a hearsay word.")
    content = reviewer_client.get(extracted_claim.article.get_absolute_url()).content.decode()
    assert f'id="claim-{extracted_claim.pk}"' in content
    assert "Jane Minister" in content
    assert "Hedged by a hearsay word." in content
    assert f'href="#claim-{extracted_claim.pk}"' in content  # the highlighted span in the text


def test_reviewer_sets_status_in_place(reviewer_client: Client, extracted_claim: Claim, bob) -> None:
    response = reviewer_client.post(
        status_url(extracted_claim), {"evidence_status": "supported", "version": 0}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<article")  # a fragment, not a page
    assert "<html" not in html
    assert "Supported" in html
    extracted_claim.refresh_from_db()
    assert extracted_claim.evidence_status == EvidenceStatus.SUPPORTED
    assert extracted_claim.workflow_state == WorkflowState.IN_REVIEW
    event = ReviewEvent.objects.get(claim=extracted_claim, field="evidence_status")
    assert (event.user, event.old_value, event.new_value) == (bob, "unreviewed", "supported")
    # Reload: kept, with its history (in the claim's panel, its own page without JavaScript).
    page = reviewer_client.get(extracted_claim.article.get_absolute_url()).content.decode()
    assert "Supported" in page and "1 change" not in page  # status change + workflow change: 2 changes
    panel = reviewer_client.get(reverse("claim_detail", args=[extracted_claim.pk])).content.decode()
    assert "changed evidence status from “Unreviewed” to “Supported”" in panel


def test_rationale_required_for_a_verdict_against(reviewer_client: Client, extracted_claim: Claim) -> None:
    response = reviewer_client.post(
        status_url(extracted_claim), {"evidence_status": "false", "version": 0}, headers=HTMX
    )
    assert "A rationale is required" in response.content.decode()
    extracted_claim.refresh_from_db()
    assert extracted_claim.evidence_status == EvidenceStatus.UNREVIEWED
    assert not ReviewEvent.objects.exists()
    reviewer_client.post(
        status_url(extracted_claim),
        {"evidence_status": "false", "rationale": "Ministry data shows 4 closures.", "version": 0},
        headers=HTMX,
    )
    extracted_claim.refresh_from_db()
    assert extracted_claim.evidence_status == EvidenceStatus.FALSE
    assert extracted_claim.rationale == "Ministry data shows 4 closures."


def test_conflict_is_never_silent(reviewer_client: Client, editor_client: Client, extracted_claim: Claim) -> None:
    editor_client.post(status_url(extracted_claim), {"evidence_status": "supported", "version": 0}, headers=HTMX)
    stale = reviewer_client.post(
        status_url(extracted_claim), {"evidence_status": "unverifiable", "version": 0}, headers=HTMX
    )
    html = stale.content.decode()
    assert "Someone else changed this claim" in html
    assert "alice" in html
    extracted_claim.refresh_from_db()
    assert extracted_claim.evidence_status == EvidenceStatus.SUPPORTED


def test_without_javascript_the_form_still_works(reviewer_client: Client, extracted_claim: Claim) -> None:
    response = reviewer_client.post(status_url(extracted_claim), {"evidence_status": "unverifiable", "version": 0})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#claim-{extracted_claim.pk}")
    extracted_claim.refresh_from_db()
    assert extracted_claim.evidence_status == EvidenceStatus.UNVERIFIABLE


def test_outsider_cannot_review_or_read(outsider_client: Client, extracted_claim: Claim) -> None:
    assert outsider_client.post(status_url(extracted_claim), {"evidence_status": "supported"}).status_code == 403
    extracted_claim.refresh_from_db()
    assert extracted_claim.evidence_status == EvidenceStatus.UNREVIEWED


def test_unknown_claim_is_404(reviewer_client: Client) -> None:
    assert reviewer_client.post(reverse("claim_status", args=[424242]), {"evidence_status": "false"}).status_code == 404


def test_status_change_needs_post(reviewer_client: Client, extracted_claim: Claim) -> None:
    assert reviewer_client.get(status_url(extracted_claim)).status_code == 405


def test_csrf_is_enforced(bob, extracted_claim: Claim) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    assert client.post(status_url(extracted_claim), {"evidence_status": "supported"}).status_code == 403


def test_attach_evidence_records_history(reviewer_client: Client, extracted_claim: Claim, bob) -> None:
    url = reverse("claim_evidence", args=[extracted_claim.pk])
    response = reviewer_client.post(
        url,
        {"url": "https://stats.example.org/schools", "title": "School census", "stance": "contradicts",
         "excerpt": "4 schools closed", "note": "Official figures"},
        headers=HTMX,
    )  # fmt: skip
    html = response.content.decode()
    assert "School census" in html and "Contradicts" in html
    item = extracted_claim.evidence.get()
    assert (item.added_by, item.stance) == (bob, "contradicts")
    event = ReviewEvent.objects.get(claim=extracted_claim, field="evidence")
    assert "School census" in event.new_value


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "data:text/html,<script>x</script>", "ftp://x.org/a"])
def test_evidence_links_are_http_only(reviewer_client: Client, extracted_claim: Claim, bad: str) -> None:
    url = reverse("claim_evidence", args=[extracted_claim.pk])
    response = reviewer_client.post(url, {"url": bad, "title": "t", "stance": "supports"}, headers=HTMX)
    assert response.status_code == 200
    assert not extracted_claim.evidence.exists()
    assert "javascript:" not in response.content.decode().split("<form")[0]


def test_hostile_evidence_title_is_escaped(reviewer_client: Client, extracted_claim: Claim) -> None:
    url = reverse("claim_evidence", args=[extracted_claim.pk])
    reviewer_client.post(
        url, {"url": "https://x.org", "title": "<img src=x onerror=alert(1)>", "stance": "supports"}, headers=HTMX
    )
    page = reviewer_client.get(reverse("claim_detail", args=[extracted_claim.pk])).content.decode()
    assert "<img src=x onerror" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_workflow_is_separate_from_the_verdict(reviewer_client: Client, extracted_claim: Claim) -> None:
    url = reverse("claim_workflow", args=[extracted_claim.pk])
    early = reviewer_client.post(url, {"workflow_state": "done", "version": 0}, headers=HTMX).content.decode()
    assert "Set an evidence status before marking the claim done" in early
    reviewer_client.post(status_url(extracted_claim), {"evidence_status": "supported", "version": 0}, headers=HTMX)
    extracted_claim.refresh_from_db()
    reviewer_client.post(url, {"workflow_state": "done", "version": extracted_claim.version}, headers=HTMX)
    extracted_claim.refresh_from_db()
    assert extracted_claim.workflow_state == WorkflowState.DONE
    assert extracted_claim.evidence_status == EvidenceStatus.SUPPORTED
    assert ReviewEvent.objects.filter(claim=extracted_claim, field="workflow_state", new_value="done").exists()


def test_claim_panel_opens_in_place_and_as_a_page(reviewer_client: Client, extracted_claim: Claim) -> None:
    url = reverse("claim_detail", args=[extracted_claim.pk])
    article_page = reviewer_client.get(extracted_claim.article.get_absolute_url()).content.decode()
    assert f'hx-get="{url}?part=card"' in article_page  # the card opens its panel in place
    assert 'name="evidence_status"' not in article_page  # forms load with the panel, not for every claim
    fragment = reviewer_client.get(url, {"part": "card"}, headers=HTMX).content.decode()
    assert fragment.lstrip().startswith("<article") and 'name="evidence_status"' in fragment
    page = reviewer_client.get(url).content.decode()
    assert "<html" in page and 'name="evidence_status"' in page
