"""Template helpers of the forums pages."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch

register = template.Library()


@register.filter
def link_or_empty(obj) -> str:
    """``obj.get_absolute_url()``, or "" when the page it points to does not exist (yet).

    Activities and reports live in apps downstream of forums; their pages are
    linked when those apps provide them.
    """
    try:
        return obj.get_absolute_url()
    except (NoReverseMatch, AttributeError):
        return ""
