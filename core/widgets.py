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


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes for a many-to-many choice, one ``<fieldset>`` with a ``<legend>`` per
    group (a sub-goal's focus area), every option's whole text as its label — instead of a
    Ctrl-click list whose long texts are cut off at its edge.

    ``group_of(instance)`` names an option's group (``None``: the options without one,
    under ``ungrouped_label``). The field itself is a fieldset with the field's label as
    its legend (``use_fieldset``; see ``templates/includes/_field.html``). Rendered in
    Python like :class:`FastSelect`; every piece is escaped.
    """

    def __init__(self, group_of, *, ungrouped_label="", empty_text="", summary="", attrs=None):
        super().__init__(attrs=attrs)
        self.group_of = group_of
        self.ungrouped_label = ungrouped_label
        self.empty_text = empty_text
        #: When given, the groups fold behind a ``<summary>`` saying this (and how many are
        #: chosen), open when any box is ticked.
        self.summary = summary

    def id_for_label(self, id_, index=None):
        # The error summary links to the first box (Django's default links to none).
        return f"{id_}_0" if id_ and index is None else super().id_for_label(id_, index)

    def _grouped(self) -> dict[str, list[tuple[str, str]]]:
        choices = self.choices
        groups: dict[str, list[tuple[str, str]]] = {}
        if isinstance(choices, ModelChoiceIterator):
            field = choices.field
            for instance in choices.queryset:
                group = self.group_of(instance)
                label = str(self.ungrouped_label) if group is None else str(group)
                groups.setdefault(label, []).append(
                    (str(field.prepare_value(instance)), field.label_from_instance(instance))
                )
        else:
            for value, label in choices:
                groups.setdefault(str(self.ungrouped_label), []).append((str(value), label))
        return groups

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        base_id = final.pop("id", None) or f"id_{name}"
        final.pop("aria-describedby", None)  # on the field's fieldset instead
        chosen = {str(v) for v in self.format_value(value)}
        groups = self._grouped()
        if not groups:
            return mark_safe(  # noqa: S308 - escaped
                f'<p class="choice-groups__empty muted" id="{escape(base_id)}">'
                f"{escape(self.empty_text)}</p>"
            )
        parts = [f'<div class="choice-groups" id="{escape(base_id)}">']
        if self.summary:
            count = sum(1 for options in groups.values() for v, _label in options if v in chosen)
            summary = f"{self.summary} ({count})" if count else str(self.summary)
            parts.append(
                f'<details class="choice-groups__fold"{" open" if count else ""}>'
                f"<summary>{escape(summary)}</summary>"
            )
        index = 0
        for group, options in groups.items():
            parts.append(f'<fieldset class="choice-group"><legend>{escape(group)}</legend>')
            for option_value, label in options:
                option_id = f"{base_id}_{index}"
                index += 1
                checked = " checked" if option_value in chosen else ""
                parts.append(
                    f'<div class="choice"><input type="checkbox" name="{escape(name)}" '
                    f'value="{escape(option_value)}" id="{escape(option_id)}"{flatatt(final)}'
                    f'{checked}> <label for="{escape(option_id)}">{escape(label)}</label></div>'
                )
            parts.append("</fieldset>")
        if self.summary:
            parts.append("</details>")
        parts.append("</div>")
        return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


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
