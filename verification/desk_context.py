"""What the navigation shows about the desk: the editors' link and the unread notification count."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import selectors
from .roles import can_manage_desk


def desk(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "can_manage_desk": can_manage_desk(user),
        # A callable: counted only when a page renders the navigation, never for an htmx fragment.
        "unread_notifications": lambda: selectors.unread_notification_count(user),
    }
