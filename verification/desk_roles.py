"""The desk's permission: editors run the desk (create queues, assign, auto-assign).

Kept beside roles.py until it is folded in: ROLE_PERMISSIONS there rebuilds the groups in tests.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from . import roles

PERM_MANAGE_DESK = "verification.manage_desk"

# Added to the groups by migration 0004_desk_permissions.
DESK_PERMISSIONS = {roles.EDITOR: ["manage_desk"]}


def can_manage_desk(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.has_perm(PERM_MANAGE_DESK)
