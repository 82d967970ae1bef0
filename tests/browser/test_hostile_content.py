"""Stored XSS: hostile HTML in every place a person can type, shown to a reviewer in a real browser.
No script may run: not from the pasted body, the title, the outlet, a rationale, an evidence title,
excerpt or note, nor from a javascript: link that got into the database by another road."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.browser.conftest import log_in
from tests.conftest import wait_for
from verification import services
from verification.models import Article, Claim, EvidenceItem, Stance
from verification.services import desk as desk_services

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ATTACKS = [
    '<img src=x onerror="window.__xss=(window.__xss||0)+1">',
    "<script>window.__xss=(window.__xss||0)+1</script>",
    '<svg onload="window.__xss=(window.__xss||0)+1"></svg>',
    '"><img src=x onerror=window.__xss=1>',
    '<a href="javascript:window.__xss=1">click</a>',
]
HOSTILE = " ".join(ATTACKS)


def test_no_script_runs_anywhere(browser, live_server, celery_worker_process, alice: User, bob: User) -> None:
    client = Client()
    client.force_login(alice)
    body = (
        "<html><body><article><h1>Hostile " + ATTACKS[0] + "</h1>"
        "<p>The minister said that 40 schools would close next year. " + HOSTILE + "</p>"
        "<p>Officials reportedly denied the report. " + ATTACKS[1] + "</p></article></body></html>"
    )
    response = client.post(
        reverse("article_create"),
        {"title": "Title " + HOSTILE, "outlet": "Outlet " + ATTACKS[2], "body": body, "url": "https://example.org/a"},
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert wait_for(article.claims.exists, timeout=120)
    claim = Claim.objects.filter(article=article).first()
    assert claim is not None
    services.claim_set_status(claim=claim, user=bob, status="false", rationale="Rationale " + HOSTILE)
    services.evidence_add(claim=claim, user=bob, url="https://example.org/e", title="Evidence " + HOSTILE,
                          stance="contradicts", excerpt="Excerpt " + HOSTILE, note="Note " + HOSTILE)  # fmt: skip
    # A javascript: link that bypassed the forms (an import, an old row): still never a live link.
    EvidenceItem.objects.create(claim=claim, url="javascript:window.__xss=1", title="Legacy link",
                                stance=Stance.CONTEXT, added_by=bob)  # fmt: skip
    Article.objects.filter(pk=article.pk).update(url="javascript:window.__xss=1")
    # The desk's pages (their rows rendered by Jinja2) show the same title and claim, and a queue name.
    queue = desk_services.queue_create(user=alice, name="Queue " + ATTACKS[0], members=[bob])
    desk_services.claims_assign(user=alice, claims=[claim], queue=queue, assignee=bob)

    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    violations: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("dialog", on_dialog)
    page.on("console", on_console)
    reviewer_pages = [
        "/articles/",
        article.get_absolute_url(),
        reverse("claim_detail", args=[claim.pk]),
        reverse("claim_search") + "?q=officials",
        reverse("my_queue"),
        reverse("queue_list"),
        reverse("queue_detail", args=[queue.pk]),
    ]
    for username, paths in [("alice", [reverse("desk_overview")]), ("bob", reviewer_pages)]:
        page.context.clear_cookies()
        log_in(page, live_server.url, username)
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            shown = page.locator("main").text_content() or ""
            assert "<img src=x" in shown, f"no hostile text shown on {path}: the page proves nothing"
            for link in page.locator("a[href^='javascript:']").all():
                pytest.fail(f"live javascript: link on {path}: {link.get_attribute('href')}")
            assert page.evaluate("window.__xss === undefined"), f"a script ran on {path}"
    page.goto(f"{live_server.url}{reverse('claim_detail', args=[claim.pk])}")
    assert "Evidence <img src=x" in page.locator(".evidence-item").first.inner_text()  # shown as text
    assert "Legacy link" in page.content() and "not http or https" in page.content()
    assert not dialogs
    # Nothing even tried: an escaped payload is text, so the policy had nothing to block. (The
    # policy is the second wall; escaping is the first, and this shows it held.)
    assert not violations, violations
    context.close()
