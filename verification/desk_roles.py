"""The desk's permission, as migration 0004_desk_permissions granted it (roles.py holds the rules now)."""

from __future__ import annotations

from . import roles
from .roles import PERM_MANAGE_DESK, can_manage_desk

# Read by migration 0004_desk_permissions: keep it as it was when that migration was written.
DESK_PERMISSIONS = {roles.EDITOR: ["manage_desk"]}

__all__ = ["DESK_PERMISSIONS", "PERM_MANAGE_DESK", "can_manage_desk"]
