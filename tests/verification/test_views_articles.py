from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ArticleFactory, ExtractionFactory
from verification.models import Article, Extraction, ExtractionState

pytestmark = pytest.mark.django_db

GOOD = {
    "title": "Minister on schools",
    "outlet": "The Daily Test",
    "body": "The minister said on Monday that 40 schools would close. Critics said that was not true.",
}


def test_login_required_everywhere(client: Client) -> None:
    for url in [reverse("home"), reverse("article_list"), reverse("article_create")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_outsider_sees_nothing(outsider_client: Client, make_article) -> None:
    article = make_article()
    assert outsider_client.get(reverse("home")).status_code == 403
    assert outsider_client.get(reverse("article_list")).status_code == 403
    assert outsider_client.get(reverse("article_create")).status_code == 403
    assert outsider_client.get(reverse("article_detail", args=[article.pk])).status_code == 403


def test_reviewer_cannot_submit(reviewer_client: Client) -> None:
    assert reviewer_client.get(reverse("article_create")).status_code == 403
    assert reviewer_client.post(reverse("article_create"), GOOD).status_code == 403
    assert not Article.objects.exists()


def test_editor_submits_and_lands_on_article(editor_client: Client, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = editor_client.post(reverse("article_create"), GOOD)
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    assert article.extractions.get().state == ExtractionState.QUEUED
    assert len(callbacks) == 1  # the task is queued once, when the transaction commits
    page = editor_client.get(article.get_absolute_url())
    assert b"Queued" in page.content
    assert b"every 1s" in page.content  # the page polls until extraction ends


def test_same_article_twice_leads_to_existing(editor_client: Client) -> None:
    first = editor_client.post(reverse("article_create"), GOOD)
    second = editor_client.post(
        reverse("article_create"), {**GOOD, "title": "Another title", "body": GOOD["body"] + "  "}
    )
    assert Article.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert Extraction.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "the body is empty"),
        ("   \n\t  ", "the body is empty"),
        ("x" * 300_001, "the limit is 300,000"),
        ("PK\x03\x04\x00\x00binary\x00\x01\x02", "binary data"),
        ("!!! ??? ... 123 456", "No sentences were found"),
        ("<div><script>alert(1)</script></div>", "No article text was found"),
    ],
)
def test_bad_bodies_say_what_is_wrong_and_save_nothing(editor_client: Client, body: str, message: str) -> None:
    response = editor_client.post(reverse("article_create"), {**GOOD, "body": body})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.exists()
    assert not Extraction.objects.exists()


def test_html_paste_becomes_text_and_is_kept_unrendered(editor_client: Client) -> None:
    html = (
        "<html><body><article><h1>Schools</h1><p>The minister said on Monday that 40 schools would close.</p>"
        "<p>Critics said <b>that</b> was not true.<img src=x onerror=alert(1)></p>"
        "<script>alert('x')</script></article></body></html>"
    )
    editor_client.post(reverse("article_create"), {**GOOD, "body": html})
    article = Article.objects.get()
    assert "40 schools would close" in article.body
    assert "<" not in article.body and "alert" not in article.body
    assert article.original_html == html
    page = editor_client.get(article.get_absolute_url()).content.decode()
    assert "onerror" not in page and "<script>alert" not in page


def test_javascript_url_is_refused(editor_client: Client) -> None:
    response = editor_client.post(reverse("article_create"), {**GOOD, "url": "javascript:alert(1)"})
    assert response.status_code == 200
    assert not Article.objects.exists()


def test_hostile_title_is_escaped(editor_client: Client, alice) -> None:
    article = ArticleFactory.create(title="<img src=x onerror=alert(1)>", submitted_by=alice)
    ExtractionFactory.create(article=article)
    for url in [reverse("article_list"), article.get_absolute_url()]:
        content = editor_client.get(url).content.decode()
        assert "<img src=x" not in content
        assert "&lt;img src=x onerror=alert(1)&gt;" in content


def test_list_shows_states(reviewer_client: Client) -> None:
    done = ExtractionFactory.create(state=ExtractionState.DONE).article
    failed = ExtractionFactory.create(state=ExtractionState.FAILED, error="crashed: boom").article
    content = reviewer_client.get(reverse("article_list")).content.decode()
    assert done.title in content and failed.title in content
    assert "Failed" in content and "Done" in content


def test_polling_fragment_stops_when_done(reviewer_client: Client) -> None:
    extraction = ExtractionFactory.create(state=ExtractionState.EXTRACTING)
    url = extraction.article.get_absolute_url() + "?part=extraction"
    running = reviewer_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert running.lstrip().startswith('<section id="extraction"')
    assert "every 1s" in running and "<html" not in running
    extraction.state = ExtractionState.DONE
    extraction.save()
    done = reviewer_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "every 1s" not in done


def test_unknown_article_is_404(reviewer_client: Client) -> None:
    assert reviewer_client.get(reverse("article_detail", args=[999999])).status_code == 404


def test_retry_is_for_editors_only(editor_client: Client, reviewer_client: Client) -> None:
    extraction = ExtractionFactory.create(state=ExtractionState.FAILED, error="crashed: boom")
    url = reverse("article_retry", args=[extraction.article.pk])
    assert reviewer_client.post(url).status_code == 403
    assert editor_client.post(url).status_code == 302
    assert extraction.article.extractions.count() == 2
    newest = extraction.article.extractions.first()
    assert newest is not None and newest.state == ExtractionState.QUEUED


def test_language_not_supported_is_shown(reviewer_client: Client) -> None:
    extraction = ExtractionFactory.create(error="language: Language not supported (de).")
    content = reviewer_client.get(extraction.article.get_absolute_url()).content.decode()
    assert "Language not supported" in content
