"""As a newsroom uses it: an editor pastes, a worker extracts, a reviewer sets a status in place."""

from __future__ import annotations

import re
import subprocess

import pytest
from django.contrib.auth.models import User

from tests.browser.conftest import log_in
from tests.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SAMPLE = (ROOT / "demo" / "nato-baltic-2014.txt").read_text(encoding="utf-8")


def test_paste_watch_it_finish_then_review_in_place(
    browser, live_server, celery_worker_process: subprocess.Popen[bytes], alice: User, bob: User
) -> None:
    base = live_server.url
    editor = browser.new_context()
    page = editor.new_page()
    log_in(page, base, "alice")
    page.get_by_role("link", name="Paste an article").first.click()
    page.get_by_label("Title").fill("NATO Turns Baltic States Into De-Facto Area of Standoff")
    page.get_by_label("Outlet").fill("Sputnik")
    page.get_by_label("Article").fill(SAMPLE)
    page.get_by_role("button", name="Submit for extraction").click()
    page.wait_for_url(re.compile(r"/articles/\d+/$"))
    article_url = page.url
    # The state is shown live and polling stops when done: no reload by the test.
    page.locator(".extraction-status .state-done").wait_for(timeout=120_000)
    cards = page.locator(".claim-card")
    assert cards.count() >= 15
    assert page.locator(".flag").count() >= 1
    editor.close()

    reviewer = browser.new_context()
    page = reviewer.new_page()
    log_in(page, base, "bob")
    page.goto(article_url)
    page.evaluate("window.__stillTheSamePage = true")
    claim_id = page.locator(".claim-card").first.get_attribute("id")
    page.locator(f"#{claim_id}").get_by_role("link", name=re.compile("^Review")).click()
    page.locator(f"#{claim_id} .claim-panel").wait_for()
    first = page.locator(f"#{claim_id}")
    first.get_by_label("Evidence status").select_option("unsupported")
    first.get_by_role("button", name="Save").click()
    card = page.locator(f"#{claim_id}")
    # A rationale is required for Unsupported: the reviewer is told, in place.
    card.get_by_text("A rationale is required").wait_for()
    card.get_by_label(re.compile("^Rationale")).fill("The Alliance published satellite images.")
    card.get_by_role("button", name="Save").click()
    page.locator(f"#{claim_id} [data-testid=status]", has_text="Unsupported").wait_for()
    assert page.evaluate("window.__stillTheSamePage") is True  # updated in place, no page load

    page.reload()
    card = page.locator(f"#{claim_id}")
    assert card.locator("[data-testid=status]").inner_text() == "Unsupported"
    card.get_by_role("link", name=re.compile("^Review")).click()
    card.locator("summary", has_text="History").click()
    history = card.locator(".history").inner_text()
    assert "bob" in history
    assert "evidence status from “Unreviewed” to “Unsupported”" in history
    assert "The Alliance published satellite images." in history
    reviewer.close()
