"""The admin shows the engine's output and people's verdicts without letting them be edited
behind the audit trail or the claim's copy of its flag codes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ClaimFactory, FlagFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_claims_flags_are_shown_in_the_admin_but_not_editable() -> None:
    claim = ClaimFactory.create()
    FlagFactory.create(claim=claim, code="hedged", text="reportedly")
    client = Client()
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:verification_claim_change", args=[claim.pk])).content.decode()
    assert "reportedly" in page and "hedged" in page
    assert 'name="flags-0-code"' not in page and 'name="flags-0-DELETE"' not in page
    assert 'name="flags-MAX_NUM_FORMS" value="0"' in page  # none can be added
