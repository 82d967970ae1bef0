"""The Jinja2 environment for the row templates of the busiest pages (templates/jinja2/, issue 6).

Page shells stay in the Django template language; only the parts repeated per row are Jinja2,
which renders them several times faster (docs/performance.md). The filters are Django's own
functions and output is escaped exactly as Django escapes it, so a row reads the same byte for
byte whichever engine drew it.
"""

from __future__ import annotations

import datetime
import functools
import html
from typing import Any

import jinja2
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import defaultfilters, engines
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from markupsafe import Markup

from .models import Assignment, Claim
from .templatetags.verification_tags import http_url, percent

# A pk no real row has, reversed once and cut out: the URL of any other pk is the same text around it.
_PK_MARK = 2_147_483_647
_url_parts: dict[tuple[str, str], tuple[str, str]] = {}


def pk_url(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for a route whose only argument is an <int:pk>, without resolving
    the route again for every row. Cached per script prefix, which can differ between requests."""
    key = (name, get_script_prefix())
    parts = _url_parts.get(key)
    if parts is None:
        before, _, after = reverse(name, args=[_PK_MARK]).partition(str(_PK_MARK))
        parts = _url_parts[key] = (before, after)
    return f"{parts[0]}{int(pk)}{parts[1]}"


def assignment_of(claim: Claim) -> Assignment | None:
    """The claim's assignment, or None where it has none (the template language's silence)."""
    try:
        return claim.assignment
    except ObjectDoesNotExist:
        return None


def date(value: Any, arg: str | None = None) -> str:
    # The template language converts an aware datetime to local time before this filter
    # (expects_localtime); do the same.
    if isinstance(value, datetime.datetime):
        if settings.USE_TZ and timezone.is_aware(value):
            value = timezone.localtime(value)
        return defaultfilters.date(value, arg)
    if isinstance(value, datetime.date):
        # Rows repeat the same few due dates: formatted once per day, format and language.
        return _date_of_day(value, arg, get_language())
    return defaultfilters.date(value, arg)


@functools.lru_cache(maxsize=2048)
def _date_of_day(value: datetime.date, arg: str | None, language: str | None) -> str:
    return defaultfilters.date(value, arg)


def escape(value: Any) -> Any:
    """Django's escape (html.escape: &#x27; and &quot;, where markupsafe writes &#39; and &#34;),
    as Jinja2's finalize: a value that is already safe (__html__) passes through unchanged."""
    if hasattr(value, "__html__"):
        return value
    return Markup(html.escape(str(value)))  # noqa: S704  (escaped here)


def environment(**options: Any) -> jinja2.Environment:
    # Django's escaping, not markupsafe's, so a row is the same text whichever engine drew it.
    options.setdefault("finalize", escape)
    # A misspelt name fails loudly instead of rendering as nothing, in DEBUG or not (Django's
    # default would differ between the two).
    options["undefined"] = jinja2.StrictUndefined
    options.pop("autoescape", None)  # always on, whatever a setting says
    env = jinja2.Environment(autoescape=True, **options)
    env.filters.update(
        date=date,
        floatformat=defaultfilters.floatformat,
        truncatechars=defaultfilters.truncatechars,
        pluralize=defaultfilters.pluralize,
        percent=percent,
        http_url=http_url,
    )
    env.globals.update(pk_url=pk_url, assignment_of=assignment_of)
    return env


def csrf_input(csrf_token: Any) -> str:
    """What {% csrf_token %} writes, computed once per render instead of once per row."""
    if not csrf_token or csrf_token == "NOTPROVIDED":  # noqa: S105  (Django's marker, not a secret)
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)


def render_rows(
    template_name: str, values: dict[str, Any], *, request: HttpRequest | None, csrf_token: Any = None
) -> SafeString:
    """A template of templates/jinja2/ rendered with `values`, `request` and `csrf_input`: the same
    call for the rows inside a Django page (the jinja_rows tag) and for an htmx fragment."""
    if csrf_token is None and request is not None:
        csrf_token = get_token(request)
    template = _environment().get_template(template_name)
    context = {**values, "request": request, "csrf_input": csrf_input(csrf_token)}
    if "today" not in context:
        context["today"] = timezone.localdate()  # once per render, not once per row's is_overdue
    return mark_safe(template.render(context))  # noqa: S308  (autoescaped)


def _environment() -> jinja2.Environment:
    return engines["jinja2"].env  # type: ignore[attr-defined]


def render_rows_response(request: HttpRequest, template_name: str, values: dict[str, Any]) -> HttpResponse:
    return HttpResponse(render_rows(template_name, values, request=request))
