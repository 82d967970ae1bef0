"""The review workspace as a fact-checker uses it: keyboard first, evidence, conflicts, shared searches."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import ArticleFactory, ClaimFactory, ExtractionFactory, FlagFactory, SpeakerFactory
from verification.models import Article, Claim, EvidenceStatus, ReviewEvent, WorkflowState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SENTENCES = [
    "NATO officials admit they have no credible evidence of troops crossing the border, the envoy said.",
    "The alliance has launched its jets twice as often as normal this year.",
    "Latvia, Lithuania and Estonia entered the military alliance in April 2004.",
]


@pytest.fixture
def article(alice: User) -> Article:
    body = "\n".join(SENTENCES)
    article = ArticleFactory.create(title="Baltic standoff", body=body, submitted_by=alice)
    ExtractionFactory.create(article=article)
    speaker = SpeakerFactory.create(name="Alexander Grushko")
    pos = 0
    for i, text in enumerate(SENTENCES):
        start = body.index(text, pos)
        pos = start + len(text)
        claim = ClaimFactory.create(article=article, index=i, start=start, end=pos, text=text, speaker=speaker)
        if i == 0:
            at = body.index("no credible evidence")
            FlagFactory.create(claim=claim, code="evidence_absent", text="no credible evidence", start=at, end=at + 20,
                               explanation="The sentence says there is no evidence for the claim.")  # fmt: skip
    return article


def logged_in_page(browser, live_server, username: str):
    page = browser.new_context().new_page()
    log_in(page, live_server.url, username)
    return page


def claims(article: Article) -> list[Claim]:
    return list(Claim.objects.filter(article=article).order_by("start"))


def test_keyboard_flow_through_an_article(browser, live_server, article: Article, bob: User) -> None:
    page = logged_in_page(browser, live_server, "bob")
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    first, second, third = claims(article)

    page.keyboard.press("?")
    assert page.locator("#shortcuts").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#shortcuts").is_visible()

    page.keyboard.press("j")
    expect(page.locator(f"#claim-{first.pk}")).to_be_focused()
    page.keyboard.press("2")  # Supported: no rationale needed, saved at once
    page.locator(f"#claim-{first.pk} [data-testid=status]", has_text="Supported").wait_for()
    expect(page.locator(f"#claim-{first.pk}")).to_be_focused()

    page.keyboard.press("j")
    expect(page.locator(f"#claim-{second.pk}")).to_be_focused()
    page.keyboard.press("5")  # False needs a rationale: the cursor goes there, once the panel is in
    expect(page.locator(f"#claim-{second.pk} textarea[name=rationale]")).to_be_focused()
    page.keyboard.type("Flight logs show the usual number of sorties.")
    page.keyboard.press("Control+Enter")
    page.locator(f"#claim-{second.pk} [data-testid=status]", has_text="False").wait_for()
    expect(page.locator(f"#claim-{second.pk}")).to_be_focused()  # saved: back on the claim
    page.keyboard.press("d")  # done, on the same claim: the place is kept after the swap
    page.locator(f"#claim-{second.pk} .workflow", has_text="Done").wait_for()

    page.keyboard.press("k")
    expect(page.locator(f"#claim-{first.pk}")).to_be_focused()
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(page.locator(f"#claim-{third.pk}")).to_be_focused()
    page.keyboard.press("e")
    expect(page.locator(f"#claim-{third.pk} input[name=url]")).to_be_focused()

    # Flagged words explain themselves on keyboard focus.
    page.locator(".flag-word").first.focus()
    assert page.locator(".flag-word .flag-tip").first.is_visible()
    assert "no evidence" in page.locator(".flag-word .flag-tip").first.inner_text()

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.evidence_status == EvidenceStatus.SUPPORTED
    assert (second.evidence_status, second.workflow_state) == (EvidenceStatus.FALSE, WorkflowState.DONE)
    assert second.rationale == "Flight logs show the usual number of sorties."


def test_attaching_evidence(browser, live_server, article: Article, bob: User) -> None:
    page = logged_in_page(browser, live_server, "bob")
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    claim = claims(article)[1]
    card = page.locator(f"#claim-{claim.pk}")
    card.get_by_role("link", name=re.compile("^Review")).click()
    card.get_by_text("Attach evidence").click()
    card.get_by_label("URL").fill("https://www.nato.int/cps/en/natohq/news.htm")
    card.get_by_label("Title").fill("NATO press release <b>bold</b>")
    card.get_by_label("Contradicts").check()
    card.get_by_label(re.compile("^Quoted excerpt")).fill("Air policing sorties were at their usual level.")
    card.get_by_role("button", name="Attach").click()
    page.locator(f"#claim-{claim.pk} .evidence-item").wait_for()
    item = page.locator(f"#claim-{claim.pk} .evidence-item")
    assert "NATO press release <b>bold</b>" in item.inner_text()  # shown as text, never as HTML
    assert item.get_by_role("link").get_attribute("href") == "https://www.nato.int/cps/en/natohq/news.htm"
    page.reload()
    page.locator(f"#claim-{claim.pk}").get_by_role("link", name=re.compile("^Review")).click()
    page.locator(f"#claim-{claim.pk} .evidence-item").wait_for()
    assert "Contradicts" in (page.locator(f"#claim-{claim.pk} .evidence-item .stance").text_content() or "")
    assert claim.evidence.get().added_by == bob
    assert ReviewEvent.objects.filter(claim=claim, field="evidence").count() == 1


def test_conflict_between_two_reviewers_is_shown_not_overwritten(
    browser, live_server, article: Article, alice: User, bob: User
) -> None:
    claim = claims(article)[0]
    url = f"{live_server.url}{article.get_absolute_url()}"
    first = logged_in_page(browser, live_server, "alice")
    second = logged_in_page(browser, live_server, "bob")
    first.goto(url)
    second.goto(url)
    for page in (first, second):
        page.locator(f"#claim-{claim.pk}").get_by_role("link", name=re.compile("^Review")).click()
        page.locator(f"#claim-{claim.pk} .claim-panel").wait_for()
    first.locator(f"#claim-{claim.pk}").get_by_label("Evidence status").select_option("supported")
    first.locator(f"#claim-{claim.pk}").get_by_role("button", name="Save").click()
    first.locator(f"#claim-{claim.pk} [data-testid=status]", has_text="Supported").wait_for()

    card = second.locator(f"#claim-{claim.pk}")
    card.get_by_label("Evidence status").select_option("unverifiable")
    card.get_by_role("button", name="Save").click()
    warning = second.locator(f"#claim-{claim.pk} .notice-warning")
    warning.wait_for()
    assert "Someone else changed this claim" in warning.inner_text()
    assert "alice" in warning.inner_text()
    claim.refresh_from_db()
    assert claim.evidence_status == EvidenceStatus.SUPPORTED  # nothing overwritten unseen
    # bob decides: his choice is still selected, and saving again now replaces it knowingly.
    assert second.locator(f"#claim-{claim.pk}").get_by_label("Evidence status").input_value() == "unverifiable"
    second.locator(f"#claim-{claim.pk}").get_by_role("button", name="Save").click()
    second.locator(f"#claim-{claim.pk} [data-testid=status]", has_text="Unverifiable").wait_for()
    claim.refresh_from_db()
    assert claim.evidence_status == EvidenceStatus.UNVERIFIABLE


def test_a_search_is_shared_by_url(browser, live_server, article: Article, alice: User, bob: User) -> None:
    page = logged_in_page(browser, live_server, "bob")
    page.goto(f"{live_server.url}/claims/")
    page.get_by_label("Words").fill("alliance")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"q=alliance"))
    page.get_by_label("Evidence status").select_option("unreviewed")
    page.wait_for_url(re.compile(r"status=unreviewed"))
    page.locator("#results .result").first.wait_for()
    shared = page.url
    found = page.locator("#results .result").count()
    assert found == 2

    colleague = logged_in_page(browser, live_server, "alice")
    colleague.goto(shared)
    assert colleague.locator("#results .result").count() == found
    assert colleague.get_by_label("Words").input_value() == "alliance"
    assert colleague.get_by_label("Evidence status").input_value() == "unreviewed"
