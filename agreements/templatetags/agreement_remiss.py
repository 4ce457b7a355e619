"""The remiss beside each item of the agreement page."""

from django import template

register = template.Library()


@register.simple_tag
def remiss_for(remiss, key) -> list:
    """The comments on the item ``key`` (``focus_area:12``, ``section:background``…)."""
    return (remiss or {}).get(str(key), [])


@register.simple_tag
def remiss_key(kind, pk) -> str:
    """The key of an item: ``focus_area:12``, ``section:background``…"""
    return f"{kind}:{pk}"
