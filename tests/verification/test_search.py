"""Search over all claims, speaker pages, and the article page's query budget."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import ArticleFactory, ClaimFactory, ExtractionFactory, FlagFactory, SpeakerFactory
from verification.models import Claim
from verification.views.search import PAGE_SIZE

pytestmark = pytest.mark.django_db


def make_claim(text: str, **kwargs: object) -> Claim:
    article = kwargs.pop("article", None) or ArticleFactory.create(body=text + " Filler sentence here.")
    return ClaimFactory.create(article=article, text=text, start=0, end=len(text), **kwargs)


@pytest.fixture
def corpus(alice) -> dict[str, Claim]:
    lavrov = SpeakerFactory.create(name="Sergei Lavrov")
    nato = SpeakerFactory.create(name="NATO")
    tanks = make_claim("NATO said it had observed Russian tanks crossing the border.", speaker=nato,
                       evidence_status="false", checkworthiness=0.9)  # fmt: skip
    FlagFactory.create(claim=tanks, code="disputed", text="observed", start=16, end=24)
    expansion = make_claim("Lavrov called NATO expansion a mistake.", speaker=lavrov, checkworthiness=0.3)
    weather = make_claim(
        "The weather in Riga was mild in November.",
        speaker=None,
        checkworthiness=0.2,
        article=ArticleFactory.create(outlet="Baltic Times", published_on=date(2014, 11, 1), body="x" * 60),
    )
    return {"tanks": tanks, "expansion": expansion, "weather": weather}


def results(client: Client, **params: str) -> set[int]:
    response = client.get(reverse("claim_search"), params)
    assert response.status_code == 200
    return {c.pk for c in response.context["page"].object_list}


def test_words_find_claims(reviewer_client: Client, corpus: dict[str, Claim]) -> None:
    assert results(reviewer_client, q="tanks border") == {corpus["tanks"].pk}
    assert results(reviewer_client, q="NATO") == {corpus["tanks"].pk, corpus["expansion"].pk}
    if connection.vendor == "postgresql":  # stemming and websearch syntax are PostgreSQL's
        assert results(reviewer_client, q="observing tank") == {corpus["tanks"].pk}
        assert results(reviewer_client, q="NATO -tanks") == {corpus["expansion"].pk}


def test_words_rank_best_match_first_then_newest_article_then_place(reviewer_client: Client) -> None:
    older = ArticleFactory.create(body="o" * 200)
    newer = ArticleFactory.create(body="n" * 200)
    weak = "Tariffs were discussed at length by the committee."
    weak_new = ClaimFactory.create(article=newer, index=0, text=weak, start=50, end=60)
    strong = ClaimFactory.create(
        article=older, index=0, text="Tariffs, tariffs and more tariffs: tariffs.", start=0, end=9
    )
    weak_old_late = ClaimFactory.create(article=older, index=2, text=weak, start=90, end=99)
    weak_old_early = ClaimFactory.create(article=older, index=1, text=weak, start=10, end=19)
    response = reviewer_client.get(reverse("claim_search"), {"q": "tariffs"})
    order = [c.pk for c in response.context["page"].object_list]
    if connection.vendor == "postgresql":  # ranking is PostgreSQL's; SQLite lists newest article first
        assert order == [strong.pk, weak_new.pk, weak_old_early.pk, weak_old_late.pk]
    else:
        assert set(order) == {strong.pk, weak_new.pk, weak_old_early.pk, weak_old_late.pk}


def test_filters_combine(reviewer_client: Client, corpus: dict[str, Claim]) -> None:
    assert results(reviewer_client, status="false") == {corpus["tanks"].pk}
    assert results(reviewer_client, flag="disputed") == {corpus["tanks"].pk}
    assert results(reviewer_client, speaker=str(corpus["expansion"].speaker_id)) == {corpus["expansion"].pk}
    assert results(reviewer_client, outlet="Baltic Times") == {corpus["weather"].pk}
    assert results(reviewer_client, min_checkworthiness="50") == {corpus["tanks"].pk}
    assert results(reviewer_client, date_from="2014-10-01", date_to="2014-11-30") == {corpus["weather"].pk}
    assert results(reviewer_client, q="NATO", status="unreviewed") == {corpus["expansion"].pk}


def test_results_fragment_for_htmx(reviewer_client: Client, corpus: dict[str, Claim]) -> None:
    html = reviewer_client.get(reverse("claim_search"), {"q": "tanks"}, headers={"HX-Request": "true"}).content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "observed Russian tanks" in html


def test_search_is_paginated_and_keeps_filters(reviewer_client: Client, alice) -> None:
    article = ArticleFactory.create(body="y" * 10_000)
    for i in range(60):
        ClaimFactory.create(article=article, index=i, start=i * 100, end=i * 100 + 10, text=f"budget claim {i}")
    first = reviewer_client.get(reverse("claim_search"), {"q": "budget"})
    assert len(first.context["page"].object_list) == PAGE_SIZE == 25
    assert "q=budget&amp;page=2" in first.content.decode()
    third = reviewer_client.get(reverse("claim_search"), {"q": "budget", "page": "3"})
    assert len(third.context["page"].object_list) == 60 - 2 * PAGE_SIZE


def test_speaker_page_is_a_track_record(reviewer_client: Client, corpus: dict[str, Claim]) -> None:
    nato = corpus["tanks"].speaker
    assert nato is not None
    response = reviewer_client.get(reverse("speaker_detail", args=[nato.pk]))
    html = response.content.decode()
    assert "observed Russian tanks" in html
    assert "False: 1" in html
    assert reviewer_client.get(reverse("speaker_list")).status_code == 200
    assert reviewer_client.get(reverse("speaker_detail", args=[999_999])).status_code == 404


def test_outsider_cannot_search(outsider_client: Client, corpus: dict[str, Claim]) -> None:
    assert outsider_client.get(reverse("claim_search"), {"q": "NATO"}).status_code == 403
    assert outsider_client.get(reverse("speaker_list")).status_code == 403


def test_article_page_with_300_claims_stays_within_15_queries(
    reviewer_client: Client, alice, django_assert_max_num_queries
) -> None:
    body = " ".join(f"Sentence number {i} says something checkable." for i in range(300))
    article = ArticleFactory.create(body=body, submitted_by=alice)
    ExtractionFactory.create(article=article)
    speakers = [SpeakerFactory.create(name=f"Speaker {i}") for i in range(20)]
    pos = 0
    claims = []
    for i in range(300):
        text = f"Sentence number {i} says something checkable."
        start = body.index(text, pos)
        pos = start + len(text)
        claims.append(
            Claim(article=article, index=i, start=start, end=pos, text=text, speaker=speakers[i % 20], cue="say")
        )
    Claim.objects.bulk_create(claims)
    for claim in Claim.objects.filter(article=article)[:100]:
        FlagFactory.create(claim=claim, code="hedged", text="says", start=claim.start, end=claim.start + 4)
    reviewer_client.get(article.get_absolute_url())  # warm the session and permission caches like a real visit
    with django_assert_max_num_queries(15):
        response = reviewer_client.get(article.get_absolute_url())
    assert response.content.decode().count('class="claim-card') == 300


def test_filter_by_assignee(reviewer_client: Client, corpus: dict[str, Claim], bob) -> None:
    from verification.models import Assignment

    Assignment.objects.create(claim=corpus["expansion"], assignee=bob)
    assert results(reviewer_client, assignee=str(bob.pk)) == {corpus["expansion"].pk}
    page = reviewer_client.get(reverse("claim_search"), {"assignee": str(bob.pk)}).content.decode()
    assert f'<option value="{bob.pk}" selected>bob</option>' in page


def test_a_large_match_is_counted_and_listed_up_to_the_cap(
    reviewer_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond the cap the page says "more than", lists only up to the cap, and still ranks by words."""
    from verification.selectors import search

    monkeypatch.setattr(search, "RESULT_CAP", 60)
    monkeypatch.setattr(search.CappedPaginator.__init__, "__defaults__", (60,))
    article = ArticleFactory.create(body="x" * 200)
    for i in range(70):
        ClaimFactory.create(article=article, index=i, text=f"Prices rose by {i} percent.", start=i, end=i + 1)
    response = reviewer_client.get(reverse("claim_search"), {"q": "prices"})
    page = response.context["page"]
    assert page.paginator.more and page.paginator.count == 60 and page.paginator.num_pages == 3  # 25 a page
    assert "More than 60 claims match; 60 of them are listed, best match first." in response.content.decode()
    pages = [reviewer_client.get(reverse("claim_search"), {"q": "prices", "page": n}).context["page"] for n in "23"]
    assert len(pages[-1].object_list) == 10
    assert len({c.pk for p in [page, *pages] for c in p.object_list}) == 60


def test_a_match_under_the_cap_is_counted_exactly(reviewer_client: Client, corpus: dict[str, Claim]) -> None:
    response = reviewer_client.get(reverse("claim_search"), {"q": "NATO"})
    assert not response.context["page"].paginator.more
    assert "2 claims" in response.content.decode()
