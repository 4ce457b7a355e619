"""Field widgets shared by every app's forms and filters."""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A ``<select>`` rendered in Python: the markup of Django's template (name, attributes,
    ``selected``), without one template render per option — staff see hundreds."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        chosen = {str(v) for v in self.format_value(value)}
        parts = [f'<select name="{escape(name)}"{flatatt(final)}>']
        for option_value, label in self._options():
            if isinstance(option_value, ModelChoiceIteratorValue):
                option_value = option_value.value
            v = "" if option_value is None else str(option_value)
            selected = " selected" if v in chosen else ""
            parts.append(f'<option value="{escape(v)}"{selected}>{escape(label)}</option>')
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above

    def _options(self):
        choices = self.choices
        if not isinstance(choices, ModelChoiceIterator):
            return choices
        # A plain query: ModelChoiceIterator would use .iterator(), i.e. a server-side
        # cursor WITH HOLD, which PostgreSQL materialises — several round trips each.
        field = choices.field
        options = [("", field.empty_label)] if field.empty_label is not None else []
        options += [
            (field.prepare_value(o), field.label_from_instance(o)) for o in choices.queryset
        ]
        return options


class ScopedChoices(ModelChoiceIterator):
    """The options of a ModelChoiceField drawn from a narrower queryset than it validates."""

    def __init__(self, field, queryset):
        super().__init__(field)
        self.queryset = queryset
