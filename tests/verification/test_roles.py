"""What each person may do comes from their roles (groups) and their own permissions, read in one
query per request (verification/auth.py), and the navigation names their role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from verification import roles

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # no permissions cached on it yet


def test_permissions_of_the_roles_and_of_the_user_are_both_read_in_one_query() -> None:
    reviewer = UserFactory.create(role=roles.REVIEWER)
    reviewer.user_permissions.add(Permission.objects.get(codename="submit_article"))
    user = fresh(reviewer)
    with CaptureQueriesContext(connection) as queries:
        assert roles.can_review(user) and roles.can_read(user)  # from the group
        assert roles.can_submit(user)  # given to this user alone
        assert not roles.can_manage_desk(user)
    assert len(queries.captured_queries) == 1
    assert user.get_all_permissions() == {
        "verification.review_claim", "verification.view_article", "verification.view_claim",
        "verification.submit_article",
    }  # fmt: skip


def test_no_role_no_permission_and_inactive_or_superuser_as_django_has_them() -> None:
    assert fresh(UserFactory.create()).get_all_permissions() == set()
    editor = UserFactory.create(role=roles.EDITOR)
    User.objects.filter(pk=editor.pk).update(is_active=False)
    assert not roles.can_read(fresh(editor))
    admin = UserFactory.create(is_superuser=True)
    assert roles.can_manage_desk(fresh(admin)) and fresh(admin).has_perm("auth.delete_user")


def test_a_role_taken_away_applies_at_the_next_request() -> None:
    editor = UserFactory.create(role=roles.EDITOR)
    client = Client()
    client.force_login(editor)
    assert client.get(reverse("desk_overview")).status_code == 200
    editor.groups.clear()
    assert client.get(reverse("desk_overview")).status_code == 403


@pytest.mark.parametrize(("role", "label"), [(roles.EDITOR, "Editor"), (roles.REVIEWER, "Reviewer"), (None, "")])
def test_the_navigation_names_the_role(role: str | None, label: str) -> None:
    client = Client()
    client.force_login(UserFactory.create(role=role))
    page = client.get(reverse("home"), follow=True).content.decode()
    if label:
        assert f'<span class="role">{label}</span>' in page
    else:
        assert 'class="role"' not in page
