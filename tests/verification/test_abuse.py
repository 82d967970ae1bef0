"""Bad input and hostile use: oversized pastes, floods, forged requests, password guessing, odd text."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.factories import PASSWORD, ClaimFactory, ExtractionFactory
from verification.forms import ArticleForm
from verification.models import Article, Extraction

pytestmark = pytest.mark.django_db

GOOD = {"title": "Schools", "outlet": "The Daily Test", "body": "The minister said 40 schools would close."}


def test_a_10_mb_paste_is_refused_at_once_with_413(editor_client: Client) -> None:
    body = "word " * 2_000_000  # 10 MB
    response = editor_client.post(reverse("article_create"), {**GOOD, "body": body})
    assert response.status_code == 413
    assert "too large to paste" in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert not Article.objects.exists() and not Extraction.objects.exists()


def test_413_comes_before_the_body_is_read(client: Client) -> None:
    # No login needed to be refused: the size is judged from the header alone.
    response = client.generic("POST", reverse("article_create"), b"x", CONTENT_LENGTH="50000000")
    assert response.status_code == 413


@override_settings(ARTICLE_SUBMIT_RATE="3/h")
def test_submissions_are_rate_limited_per_editor(editor_client: Client, reviewer_client: Client) -> None:
    cache.clear()
    for i in range(3):
        response = editor_client.post(reverse("article_create"), {**GOOD, "body": f"{GOOD['body']} Number {i}."})
        assert response.status_code == 302
    response = editor_client.post(reverse("article_create"), {**GOOD, "body": GOOD["body"] + " Again."})
    assert response.status_code == 429
    assert "3 per hour" in response.content.decode()
    assert Article.objects.count() == 3
    assert editor_client.get(reverse("article_create")).status_code == 200  # reading the form is not limited
    cache.clear()


def post_routes() -> list[str]:
    routes = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str = "") -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if not str(p.pattern).startswith("admin"):
                    walk(p.url_patterns, prefix + str(p.pattern))
            elif p.name not in ("login", "health"):
                routes.append("/" + prefix + str(p.pattern))

    walk(get_resolver().url_patterns)
    return routes


def test_every_post_needs_the_csrf_token(alice, bob) -> None:
    claim = ClaimFactory.create()
    ExtractionFactory.create(article=claim.article)
    for user in (alice, bob):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        for route in post_routes():
            import re

            url = re.sub(r"<int:\w+>", str(claim.pk), route)
            response = client.post(url, {"evidence_status": "false", "rationale": "x", **GOOD})
            assert response.status_code in (403, 404, 405), (url, response.status_code)
    claim.refresh_from_db()
    assert claim.evidence_status == "unreviewed"
    assert Article.objects.count() == 1


def test_logging_in_needs_the_csrf_token(alice) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_htmx_sends_the_token_from_the_page(reviewer_client: Client) -> None:
    page = reviewer_client.get(reverse("article_list")).content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in page


def test_password_guessing_locks_the_account(alice) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "alice", "password": "guess"})
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


class InlineScripts(HTMLParser):
    """Collects what a policy without 'unsafe-inline' would block: inline scripts, event handler
    attributes and javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "script" and not named.get("src"):
            self.found.append(self.get_starttag_text() or tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")


def test_no_page_needs_an_inline_script(editor_client: Client, reviewer_client: Client, alice, bob) -> None:
    """The policy forbids inline scripts; every page the desk uses works without one."""
    from verification.services import desk as desk_services

    claim = ClaimFactory.create()
    ExtractionFactory.create(article=claim.article)
    queue = desk_services.queue_create(user=alice, name="Politics", members=[bob])
    desk_services.claims_assign(user=alice, claims=[claim], queue=queue, assignee=bob)
    assert claim.speaker is not None
    pages = [
        reverse("article_list"),
        reverse("article_create"),
        claim.article.get_absolute_url(),
        reverse("claim_detail", args=[claim.pk]),
        reverse("claim_search") + "?q=minister",
        reverse("speaker_list"),
        reverse("speaker_detail", args=[claim.speaker.pk]),
        reverse("desk_overview"),
        reverse("my_queue"),
        reverse("queue_list"),
        reverse("queue_detail", args=[queue.pk]),
        reverse("notifications"),
    ]
    for url in pages:
        client = reviewer_client if url == reverse("my_queue") else editor_client
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, url
        assert "frame-ancestors 'none'" in policy
        parser = InlineScripts()
        parser.feed(response.content.decode())
        assert parser.found == [], (url, parser.found)  # every script is a file from static/


@given(
    title=st.text(max_size=400),
    outlet=st.text(max_size=250),
    body=st.one_of(
        st.text(max_size=3000),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=3000),
        st.builds(lambda s: f"<div>{s}</div><script>{s}</script>", st.text(max_size=500)),
    ),
    url=st.one_of(st.just(""), st.text(max_size=60), st.just("javascript:alert(1)")),
)
@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_paste_form_never_crashes(title: str, outlet: str, body: str, url: str) -> None:
    form = ArticleForm({"title": title, "outlet": outlet, "body": body, "url": url})
    if form.is_valid():
        text = form.cleaned_data["body"]
        assert text.strip() and "\x00" not in text
        assert "<script" not in text.lower()
        assert form.cleaned_data["url"] == "" or form.cleaned_data["url"].startswith(("http://", "https://"))
    else:
        for errors in form.errors.values():
            assert all(isinstance(e, str) and e for e in errors)
