"""Template filters of the followup app."""

from django import template

from ..charts import format_number, period_label

register = template.Library()


@register.filter
def num(value):
    """A number in Swedish notation without trailing zeros; – when empty."""
    return format_number(value)


@register.filter(name="period_label")
def period_label_filter(value):
    """How an indicator value's period is named: "2024", or "2024-01–2024-06"."""
    return period_label(value)
