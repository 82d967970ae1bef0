"""Every URL that takes an id, tried by people who must not get in (DOMAIN.md's roles table)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import ClaimFactory, ExtractionFactory, FlagFactory
from verification.models import Claim
from verification.services import desk as desk_services

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


def kind_of(name: str) -> str:
    """Which object a URL's id names, from the URL's name: every route names its id `pk`."""
    kind = name.partition("_")[0]
    assert kind in ("article", "claim", "speaker", "queue"), f"{name}: which object does its id name?"
    return kind


def url_for(name: str, route: str, ids: dict[str, int]) -> str:
    return "/" + re.sub(r"<int:\w+>", lambda m: str(ids[kind_of(name)]), route)


@pytest.fixture
def ids(alice) -> dict[str, int]:
    """One existing object of each kind, so that an answer of 404 cannot hide a missing check."""
    claim = ClaimFactory.create()
    ExtractionFactory.create(article=claim.article)
    FlagFactory.create(claim=claim)
    assert claim.speaker is not None
    queue = desk_services.queue_create(user=alice, name="Politics", members=[])
    return {"claim": claim.pk, "article": claim.article.pk, "speaker": claim.speaker.pk, "queue": queue.pk}


def test_the_walk_reaches_real_objects(editor_client: Client, ids: dict[str, int]) -> None:
    """Each page that shows an object opens for an editor with the ids the walk uses."""
    shown = 0
    for name, route in walk(get_resolver().url_patterns):
        if "<int:" in route:
            response = editor_client.get(url_for(name, route, ids))
            assert response.status_code in (200, 405), (name, response.status_code)
            shown += response.status_code == 200
    assert shown >= 4


def test_every_page_needs_a_login(client: Client, ids: dict[str, int]) -> None:
    routes = walk(get_resolver().url_patterns)
    assert len(routes) >= 10
    for name, route in routes:
        for method in ("get", "post"):
            response = getattr(client, method)(url_for(name, route, ids))
            assert response.status_code in (302, 403, 404, 405), (name, method, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith("/login/"), (name, method)


def test_no_role_gets_nothing_anywhere(outsider_client: Client, ids: dict[str, int]) -> None:
    for name, route in walk(get_resolver().url_patterns):
        for method in ("get", "post"):
            response = getattr(outsider_client, method)(url_for(name, route, ids), {"evidence_status": "false"})
            # Every object exists: the answer is a refusal, never a 404 that would hide a missing check.
            assert response.status_code in (403, 405), (name, method, response.status_code)
    assert Claim.objects.get(pk=ids["claim"]).evidence_status == "unreviewed"


def test_unknown_ids_are_404_for_people_with_a_role(reviewer_client: Client, ids: dict[str, int]) -> None:
    missing = {key: 987_654 for key in ids}
    for name, route in walk(get_resolver().url_patterns):
        if "<int:" not in route:
            continue
        response = reviewer_client.get(url_for(name, route, missing))
        assert response.status_code in (403, 404, 405), (name, response.status_code)
