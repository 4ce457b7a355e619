"""How a change in history reads: one presenter for every app's "Historik".

simple-history keeps a row per save; these functions turn two rows into the field-by-field
changes a person reads ("Status: Planerad → Pågår"), with foreign keys by name (one query
per related model, however many rows) and choices by label.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import chain

from django.utils import formats, timezone
from django.utils.translation import gettext as _

#: Bookkeeping fields no one needs to read about.
HIDDEN_FIELDS = frozenset({"version", "created_at", "updated_at", "id"})


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


def related_labels(*groups) -> dict[tuple[type, object], str]:
    """Names of the objects the records' foreign keys point to, one query per model."""
    needed: dict[type, set] = defaultdict(set)
    for record in chain(*groups):
        if record is None:
            continue
        for f in record.instance_type._meta.concrete_fields:
            if f.is_relation and f.name not in HIDDEN_FIELDS:
                value = getattr(record, f.attname, None)
                if value is not None:
                    needed[f.related_model].add(value)
    labels = {}
    for model, pks in needed.items():
        for obj in model._base_manager.filter(pk__in=pks):
            labels[(model, obj.pk)] = str(obj)
    return labels


def display_value(model, name: str, value, labels) -> str:
    """A stored value as a person reads it."""
    if value in (None, ""):
        return "–"
    f = model._meta.get_field(name)
    if f.is_relation:
        return labels.get((f.related_model, value), f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if hasattr(value, "strftime") and hasattr(value, "hour"):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    return str(value)


def field_changes(record, previous, labels) -> list[FieldChange]:
    """What ``record`` changed since ``previous``; for a creation, every field it set."""
    model = record.instance_type
    changes: list[FieldChange] = []
    if previous is not None and record.history_type == "~":
        delta = record.diff_against(previous, excluded_fields=HIDDEN_FIELDS)
        for change in delta.changes:
            f = model._meta.get_field(change.field)
            changes.append(
                FieldChange(
                    label=str(f.verbose_name),
                    old=display_value(model, change.field, change.old, labels),
                    new=display_value(model, change.field, change.new, labels),
                )
            )
    elif record.history_type == "+":
        for f in model._meta.concrete_fields:
            if f.name in HIDDEN_FIELDS or not hasattr(record, f.attname):
                continue
            value = getattr(record, f.attname)
            if value not in (None, ""):
                changes.append(
                    FieldChange(
                        label=str(f.verbose_name),
                        old="",
                        new=display_value(model, f.name, value, labels),
                    )
                )
    return changes
