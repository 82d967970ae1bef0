"""Every URL that takes an id, tried by people who must not get in (DOMAIN.md's roles table)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import ClaimFactory, ExtractionFactory, FlagFactory

pytestmark = pytest.mark.django_db

# Pages everyone may reach, logged in or not.
PUBLIC = {"login", "logout", "health"}


def walk(patterns: list[URLPattern | URLResolver], prefix: str = "") -> list[tuple[str, str]]:
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            if getattr(p, "app_name", None) == "admin" or str(p.pattern).startswith("admin"):
                continue
            found += walk(p.url_patterns, prefix + str(p.pattern))
        elif p.name and p.name not in PUBLIC:
            found.append((p.name, prefix + str(p.pattern)))
    return found


def url_for(route: str, ids: dict[str, int]) -> str:
    import re

    path = re.sub(r"<int:(\w+)>", lambda m: str(ids.get(m.group(1), ids["pk"])), route)
    return "/" + path


@pytest.fixture
def ids(alice) -> dict[str, int]:
    claim = ClaimFactory.create()
    ExtractionFactory.create(article=claim.article)
    FlagFactory.create(claim=claim)
    assert claim.speaker is not None
    return {"pk": claim.pk, "article": claim.article.pk, "speaker": claim.speaker.pk}


def test_every_page_needs_a_login(client: Client, ids: dict[str, int]) -> None:
    routes = walk(get_resolver().url_patterns)
    assert len(routes) >= 10
    for name, route in routes:
        for method in ("get", "post"):
            response = getattr(client, method)(url_for(route, ids))
            assert response.status_code in (302, 403, 404, 405), (name, method, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith("/login/"), (name, method)


def test_no_role_gets_nothing_anywhere(outsider_client: Client, ids: dict[str, int]) -> None:
    for name, route in walk(get_resolver().url_patterns):
        for method in ("get", "post"):
            response = getattr(outsider_client, method)(url_for(route, ids), {"evidence_status": "false"})
            assert response.status_code in (403, 404, 405), (name, method, response.status_code)
    from verification.models import Claim

    assert Claim.objects.get(pk=ids["pk"]).evidence_status == "unreviewed"


def test_unknown_ids_are_404_for_people_with_a_role(reviewer_client: Client, ids: dict[str, int]) -> None:
    missing = {key: 987_654 for key in ids}
    for name, route in walk(get_resolver().url_patterns):
        if "<int:" not in route:
            continue
        response = reviewer_client.get(url_for(route, missing))
        assert response.status_code in (403, 404, 405), (name, response.status_code)
