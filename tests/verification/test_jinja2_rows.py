"""The rows the busiest pages draw with Jinja2 (verification/jinja2.py): escaped like Django's own
templates, and the same whether drawn in the page or alone by an htmx endpoint."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.desk.factories import AssignmentFactory
from tests.factories import ArticleFactory, ClaimFactory, ExtractionFactory, FlagFactory, SpeakerFactory
from verification.models import Claim

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
SCRIPT = "<script>alert('claim')</script>"
IMG = '<img src=x onerror="alert(1)">'
SCRIPT_ESCAPED = "&lt;script&gt;alert(&#x27;claim&#x27;)&lt;/script&gt;"


def _normal(html: str) -> str:
    html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1", html)
    return " ".join(re.sub(r">\s+<", "><", html).split())


def _element(html: str, start: str, end: str) -> str:
    match = re.search(re.escape(start) + r".*?" + re.escape(end), html, re.S)
    assert match, f"{start} not found"
    return _normal(match.group(0))


@pytest.fixture
def hostile_claim(alice, bob) -> Claim:
    body = f"Intro. {SCRIPT} said so."
    article = ArticleFactory.create(submitted_by=alice, title=IMG, outlet=IMG, body=body)
    ExtractionFactory.create(article=article)
    start = body.index(SCRIPT)
    claim = ClaimFactory.create(
        article=article,
        index=0,
        start=start,
        end=start + len(SCRIPT),
        text=SCRIPT,
        speaker=SpeakerFactory.create(name=IMG, key="img"),
        rationale=SCRIPT,
        cue=IMG,
    )
    FlagFactory.create(claim=claim, code="hedged", text=SCRIPT, start=start, end=start + 8, explanation=IMG)
    AssignmentFactory.create(claim=claim, assignee=bob)
    return claim


def _assert_inert(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert SCRIPT_ESCAPED in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


@pytest.mark.parametrize(
    "url",
    [
        lambda claim: reverse("my_queue"),
        lambda claim: reverse("claim_search"),
        lambda claim: reverse("article_detail", args=[claim.article_id]),
        lambda claim: reverse("claim_detail", args=[claim.pk]),
        lambda claim: reverse("speaker_detail", args=[claim.speaker_id]),
    ],
    ids=["my_queue", "search", "article", "claim", "speaker"],
)
def test_rows_show_hostile_text_as_text(reviewer_client: Client, hostile_claim: Claim, url) -> None:
    response = reviewer_client.get(url(hostile_claim))
    assert response.status_code == 200
    _assert_inert(response.content.decode())


def test_htmx_fragments_show_hostile_text_as_text(reviewer_client: Client, hostile_claim: Claim) -> None:
    card = reviewer_client.get(reverse("claim_detail", args=[hostile_claim.pk]) + "?part=card", headers=HTMX)
    _assert_inert(card.content.decode())
    complete = reverse("claim_complete", args=[hostile_claim.pk])
    refused = reviewer_client.post(complete, {"evidence_status": "false", "rationale": "", "version": 0}, headers=HTMX)
    _assert_inert(refused.content.decode())


def test_my_queue_row_from_htmx_is_the_row_of_the_page(reviewer_client: Client, bob, hostile_claim: Claim) -> None:
    url = reverse("claim_complete", args=[hostile_claim.pk])
    row = reviewer_client.post(url, {"evidence_status": "supported", "version": 0}, headers=HTMX).content.decode()
    page = reviewer_client.get(reverse("my_queue") + "?state=done").content.decode()
    start, end = f'<li class="desk-row is-done" id="desk-claim-{hostile_claim.pk}"', "</li>"
    assert "Done: Supported." in row
    assert _element(row, start, end) == _element(page, start, end)


def test_open_row_from_htmx_is_the_row_of_the_page(reviewer_client: Client, hostile_claim: Claim) -> None:
    """An open row has the Complete form: drawn alone after a refusal it differs from the page's
    only by the error and the reviewer's draft, taken back out here."""
    page = reviewer_client.get(reverse("my_queue")).content.decode()
    start, end = f'id="desk-claim-{hostile_claim.pk}"', "</li>"
    url = reverse("claim_complete", args=[hostile_claim.pk])
    stale = {"evidence_status": "false", "version": 99}
    refused = reviewer_client.post(url, stale, headers=HTMX).content.decode()
    assert '<p class="error" role="alert">' in refused
    without_error = re.sub(r'<p class="error" role="alert">.*?</p>', "", refused)
    without_draft = without_error.replace('value="false" selected>', 'value="false" >')
    without_draft = without_draft.replace('rows="1"></textarea>', f'rows="1">{SCRIPT_ESCAPED}</textarea>')
    assert _element(without_draft, start, end) == _element(page, start, end)


def test_claim_card_from_htmx_is_the_card_of_the_claim_page(reviewer_client: Client, hostile_claim: Claim) -> None:
    url = reverse("claim_detail", args=[hostile_claim.pk])
    fragment = reviewer_client.get(url + "?part=card", headers=HTMX).content.decode()
    page = reviewer_client.get(url).content.decode()
    start, end = '<article class="claim-card', "</article>"
    assert _element(fragment, start, end) == _element(page, start, end)
