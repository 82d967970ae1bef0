"""As an editor runs the desk: bulk-assign three claims with a due date; the reviewer finds them in
My queue and completes one in place; the editor's overview shows the progress."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests.browser.conftest import log_in
from tests.factories import ArticleFactory, ClaimFactory, ExtractionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_assigns_reviewer_completes_overview_shows_progress(browser, live_server, alice: User,
                                                                    bob: User) -> None:  # fmt: skip
    body = "One. Two. Three. Four."
    article = ArticleFactory.create(submitted_by=alice, title="Schools to close", body=body)
    ExtractionFactory.create(article=article)
    for i, (start, end) in enumerate([(0, 4), (5, 9), (10, 16), (17, 22)]):
        ClaimFactory.create(article=article, index=i, start=start, end=end, text=body[start:end])
    due = timezone.localdate() + datetime.timedelta(days=2)
    base = live_server.url

    editor = browser.new_context()
    page = editor.new_page()
    log_in(page, base, "alice")
    page.get_by_role("link", name="Desk", exact=True).click()
    page.get_by_role("row", name="Schools to close").get_by_role("link", name="Assign").click()
    for n in (1, 2, 3):
        page.get_by_label(f"Claim {n}", exact=True).check()
    page.get_by_label("Reviewer").select_option(label="bob")
    page.get_by_label("Priority").select_option("high")
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_role("button", name="Assign selected", exact=True).click()
    page.get_by_text("Assigned 3 claims to bob").wait_for()
    assert page.locator(".assignee", has_text="bob").count() == 3

    reviewer = browser.new_context()
    page = reviewer.new_page()
    log_in(page, base, "bob")
    assert page.get_by_test_id("unread-count").inner_text().startswith("1")
    page.get_by_role("link", name="My queue").click()
    rows = page.get_by_test_id("my-claim")
    assert rows.count() == 3
    assert page.get_by_test_id("my-counts").inner_text().startswith("3 open")
    page.evaluate("window.__stillTheSamePage = true")
    first = rows.first
    row_id = first.get_attribute("id")
    first.get_by_label("Verdict").select_option("supported")
    first.get_by_role("button", name="Complete").click()
    page.locator(f"#{row_id}", has_text="Done: Supported.").wait_for()
    assert page.evaluate("window.__stillTheSamePage") is True  # completed in place, no page load
    reviewer.close()

    page = editor.pages[0]
    page.get_by_role("link", name="Desk", exact=True).click()
    progress = page.get_by_test_id("article-progress").filter(has_text="Schools to close")
    assert "1 / 4 reviewed · 1 done" in progress.inner_text()
    assert "4 claims, 0 flagged; 1 reviewed: 1 supported" in progress.get_by_test_id("article-summary").inner_text()
    reviewers = page.locator("section", has=page.get_by_role("heading", name="Reviewers"))
    bobs = reviewers.get_by_role("row").filter(has=page.get_by_role("rowheader", name="bob")).locator("td")
    # 2 still open, none overdue, ..., 1 completed today, 1 in the last 7 days.
    cells = bobs.all_inner_texts()
    assert (cells[0], cells[1], cells[-2], cells[-1]) == ("2", "0", "1", "1")
    editor.close()
