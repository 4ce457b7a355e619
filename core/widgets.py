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
        return self.render_options(name, value, attrs, self._options())

    def render_options(self, name, value, attrs, options):
        final = self.build_attrs(self.attrs, attrs)
        chosen = {str(v) for v in self.format_value(value)}
        parts = [f'<select name="{escape(name)}"{flatatt(final)}>']
        for option_value, label in options:
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


class OnDemandSelect(FastSelect):
    """A ``<select>`` whose options load when it is used (issue 20): the page carries the
    empty option and the chosen one; ``static/js/app.js`` fetches the rest as JSON from
    ``choices_url`` (``data-choices``) when the select first gets focus, with the form's
    current values, so the options are scoped exactly as the page's would be.

    ``all_choices`` renders every option instead (the page's no-script fallback).
    """

    def __init__(self, attrs=None, choices=(), *, choices_url: str = "", all_choices=False):
        super().__init__(attrs, choices)
        self.choices_url = choices_url
        self.all_choices = all_choices

    def render(self, name, value, attrs=None, renderer=None):
        if self.all_choices or not isinstance(self.choices, ModelChoiceIterator):
            return super().render(name, value, attrs, renderer)
        attrs = {**(attrs or {}), "data-choices": self.choices_url}
        chosen = [str(v) for v in self.format_value(value) if v not in (None, "")]
        field = self.choices.field
        options = [("", field.empty_label)] if field.empty_label is not None else []
        if chosen:
            # The chosen option only, from the options the page would list (its scope).
            queryset = self.choices.queryset.filter(pk__in=[c for c in chosen if c.isdigit()])
            options += [(field.prepare_value(o), field.label_from_instance(o)) for o in queryset]
        return self.render_options(name, value, attrs, options)

    def option_list(self) -> list[tuple[str, str]]:
        """Every option (value, label) the page would list, for the JSON endpoint."""
        return [
            ("" if v is None else str(getattr(v, "value", v)), str(label))
            for v, label in self._options()
        ]
