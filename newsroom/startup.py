"""Checks that the long-running processes (web, worker) make before serving anything."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_secret_key() -> None:
    try:
        key = settings.SECRET_KEY  # Django itself raises on an empty key, with a vaguer message
    except ImproperlyConfigured:
        key = ""
    if not key:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it in the environment (production), or use `make run` on a laptop."
        )
