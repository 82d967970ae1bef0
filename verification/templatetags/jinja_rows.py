"""{% jinja_rows "verification/desk/my_claim_rows.jinja" claims=mine.claims %}: rows drawn by Jinja2
inside a Django page (verification/jinja2.py says why)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from verification.jinja2 import render_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def jinja_rows(context: template.Context, template_name: str, **values: Any) -> SafeString:
    # The page's own CSRF token, so every form on the page carries the same one.
    return render_rows(template_name, values, request=context.get("request"), csrf_token=context.get("csrf_token"))
