"""Roles are Django groups with permissions; views ask for the permission, never the group name."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

EDITOR = "Editor"
REVIEWER = "Reviewer"

# What each role may do, as permission codenames of the verification app.
ROLE_PERMISSIONS = {
    EDITOR: ["submit_article", "review_claim", "view_article", "view_claim", "manage_desk"],
    REVIEWER: ["review_claim", "view_article", "view_claim"],
}

PERM_SUBMIT = "verification.submit_article"
PERM_REVIEW = "verification.review_claim"
PERM_READ = "verification.view_article"
PERM_MANAGE_DESK = "verification.manage_desk"


def can_read(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.has_perm(PERM_READ)


def can_submit(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.has_perm(PERM_SUBMIT)


def can_review(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.has_perm(PERM_REVIEW)


def can_manage_desk(user: User | AnonymousUser) -> bool:
    """Create queues, assign, reassign, auto-assign: editors."""
    return user.is_authenticated and user.has_perm(PERM_MANAGE_DESK)


def role_name(user: User | AnonymousUser) -> str:
    """The role the navigation names: the highest the user's permissions give, or "" for none."""
    if can_manage_desk(user):
        return EDITOR
    if can_review(user):
        return REVIEWER
    return ""
