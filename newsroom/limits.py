"""Refuse oversized requests before reading them: a 10 MB paste gets 413 and a readable page at
once, with no row written, no task queued and no memory spent on the body."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            html = render_to_string(
                "413.html", {"limit_chars": settings.ARTICLE_MAX_CHARS, "size_mb": length / 1_000_000}
            )
            # No "Connection: close" here: WSGI forbids hop-by-hop headers from the application (Django's
            # own server, under `make run`, answered 500 to it). The servers deal with the unread body
            # themselves: gunicorn's sync workers close every connection after its response, and
            # Django's server reads the rest of the body and throws it away.
            return HttpResponse(html, status=413)
        return self.get_response(request)
