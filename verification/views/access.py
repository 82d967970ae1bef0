"""Access rules shared by the views: login, then the role the view needs (403 without it)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def role_required(check: Callable[[Any], bool]) -> Callable[[View], View]:
    """Logged in, and holding the role the view needs (403 otherwise)."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise PermissionDenied("Your account has no role that allows this. Ask an editor or an administrator.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
