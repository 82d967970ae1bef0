from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def percent(value: float) -> int:
    return round(float(value or 0) * 100)


@register.filter
def http_url(value: str) -> str:
    """The URL if it is http(s), else an empty string: a stored javascript: or data: link never
    becomes a live link, whatever got into the database."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else ""
