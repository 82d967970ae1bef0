from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def percent(value: float) -> int:
    return round(float(value or 0) * 100)
