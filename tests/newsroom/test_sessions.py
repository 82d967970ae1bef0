"""Sessions are read from the cache and kept in the database: a flushed cache logs nobody out."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.backends.cached_db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_session_survives_the_cache_being_flushed(bob: User) -> None:
    client = Client()
    assert client.post(reverse("login"), {"username": bob.username, "password": PASSWORD}).status_code == 302
    assert Session.objects.count() == 1  # written through to the database
    assert client.get(reverse("my_queue")).status_code == 200
    # As a restarted or flushed Redis would lose it (only this key: the broker shares the database).
    session_key = client.cookies["sessionid"].value
    assert cache.get(SessionStore(session_key).cache_key) is not None
    cache.delete(SessionStore(session_key).cache_key)
    assert client.get(reverse("my_queue")).status_code == 200  # still logged in: read back from the database
    client.post(reverse("logout"))
    assert Session.objects.count() == 0
    assert client.get(reverse("my_queue")).status_code == 302  # to the login page
