"""Django's ModelBackend, with a user's permissions read in one query instead of two.

Every page asks what its user may do (the navigation, the view's own check), so ModelBackend
loads the user's permissions once per request: one query for those given to the user, one for
those of the user's groups (the roles). This reads both at once; the rest is ModelBackend's,
and the result is cached on the user object for the request exactly as ModelBackend caches it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class RoleBackend(ModelBackend):
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                # Two subqueries on this user's rows, not two joins over every user's and group's.
                own = Permission.user_set.through.objects.filter(user_id=user_obj.pk)
                roles = Permission.group_set.through.objects.filter(group__user=user_obj)
                permissions = permissions.filter(
                    Q(id__in=own.values("permission_id")) | Q(id__in=roles.values("permission_id"))
                )
            rows = permissions.order_by().values_list("content_type__app_label", "codename")
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in rows}
        return user_obj._perm_cache
