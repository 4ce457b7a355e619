"""The configuration, the per-municipality plan and the bulk writer with history."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from actionplans.models import ActionPlan, Activity
from agreements.models import (
    Agreement,
    Area,
    Cause,
    FocusArea,
    Organisation,
    SubGoal,
)
from forums.models import Forum

from .vocabulary import BATCH, PHRASES, PREFIXES, REASON, SUFFIXES


@dataclass
class ScaleConfig:
    municipalities: int = 290
    activities_per_plan: int = 50
    years: int = 4
    seed: int = 1
    today: datetime.date | None = None
    chunk: int = 12  # municipalities per transaction; a multiple of 3 (police areas)
    workers: int = 2  # processes (PostgreSQL only; one inside a transaction)


@dataclass
class Municipality:
    """Everything generated for one municipality, handed from step to step."""

    index: int
    rng: random.Random
    name: str
    base: str
    code: str
    region: Organisation
    org: Organisation | None = None
    police: Organisation | None = None
    departments: list[Organisation] = field(default_factory=list)
    company: Organisation | None = None
    coordinator: object = None
    officer: object = None
    council: object = None
    areas: list[Area] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)  # previous, current[, revision]
    focus_areas: dict[int, list[FocusArea]] = field(default_factory=dict)
    sub_goals: dict[int, list[SubGoal]] = field(default_factory=dict)  # by focus area pk
    causes: dict[int, list[Cause]] = field(default_factory=dict)
    forums: list[Forum] = field(default_factory=list)  # KUG, KSG, EST
    plans: list[ActionPlan] = field(default_factory=list)  # previous, current
    activities: dict[int, list[Activity]] = field(default_factory=dict)  # by plan pk

    @property
    def previous(self) -> Agreement:
        return self.agreements[0]

    @property
    def current(self) -> Agreement:
        return self.agreements[1]


def municipality_names(count: int, seed: int) -> list[str]:
    names = [p + s.lower() if p.endswith("ö") else p + s for p in PREFIXES for s in SUFFIXES]
    names = [n[0].upper() + n[1:].lower() for n in names]
    random.Random(f"names:{seed}").shuffle(names)
    out, n = [], 0
    while len(out) < count:
        base = names[n % len(names)]
        round_ = n // len(names)
        out.append(base if round_ == 0 else f"{base} {round_ + 1}")
        n += 1
    return out


@contextmanager
def manual_timestamps():
    """Let generated rows carry their own created/updated times (auto_now off meanwhile)."""
    patched = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add):
                patched.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in patched:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _snapshot(obj):
    """A shallow copy of a model instance: its field values at this moment."""
    copy = obj.__class__.__new__(obj.__class__)
    copy.__dict__ = obj.__dict__.copy()
    return copy


def _aware(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _weighted(rng: random.Random, options: list[tuple[str, int]]) -> str:
    return rng.choices([o for o, _w in options], weights=[w for _o, w in options])[0]


def _text(rng: random.Random, sentences: int = 2) -> str:
    return " ".join(rng.sample(PHRASES, sentences))


def _quarters(start: datetime.date, today: datetime.date, end: datetime.date):
    """(start, end) of every quarter from ``start`` that has begun by ``today``."""
    y, m = start.year, start.month
    while True:
        q_start = datetime.date(y, m, 1)
        if q_start > today or q_start > end:
            return
        ny, nm = (y, m + 3) if m <= 9 else (y + 1, m - 9)
        q_end = datetime.date(ny, nm, 1) - datetime.timedelta(days=1)
        yield q_start, q_end
        y, m = ny, nm


class Writer:
    """Bulk writes that leave history rows dated and signed as real use would."""

    def stamp(self, obj, when: datetime.datetime, user=None):
        """Set the object's own timestamps and who/when for its "+" history row."""
        if hasattr(obj, "created_at"):
            obj.created_at = when
        if hasattr(obj, "updated_at"):
            obj.updated_at = when
        obj._history_date = when
        obj._history_user = user
        return obj

    def later(self, obj, when: datetime.datetime, user, reason: str, **changes):
        """Record a later change of ``obj`` (a "~" history row); the row is stored as it ends."""
        obj.__dict__.setdefault("_story", []).append((when, user, reason, changes))
        return obj

    def create(self, model, objs: list, reason: str = REASON, *, defer: bool = False) -> list:
        """Insert ``objs`` with their history: a "+" row each, and "~" rows for their story.

        Objects are stored in their final state (after the changes recorded with
        :meth:`later`); the history holds every state on its own date and user,
        as ``bulk_create_with_history`` followed by ``bulk_update_with_history``
        would have left it, without the UPDATE round trips.
        """
        if not objs:
            return objs
        if not hasattr(model, "history"):
            objs = model._default_manager.bulk_create(objs, batch_size=BATCH)
            self.counts[model._meta.label] += len(objs)
            return objs
        if defer or not any("_story" in o.__dict__ for o in objs):
            objs = bulk_create_with_history(
                objs, model, batch_size=BATCH, default_change_reason=reason
            )
            self.counts[model._meta.label] += len(objs)
            self.counts[f"{model._meta.label} history"] += len(objs)
            return objs
        firsts, steps = [], []
        for obj in objs:
            firsts.append(_snapshot(obj))
            for when, user, why, changes in obj.__dict__.pop("_story", ()):
                for name, value in changes.items():
                    setattr(obj, name, value)
                obj.version += 1
                obj.updated_at = when
                snap = _snapshot(obj)
                snap._history_date, snap._history_user, snap._change_reason = when, user, why
                steps.append((obj, snap))
        with transaction.atomic(savepoint=False):
            objs = model._default_manager.bulk_create(objs, batch_size=BATCH)
            for obj, first in zip(objs, firsts, strict=True):
                first.pk = obj.pk
            for obj, snap in steps:
                snap.pk = obj.pk
            history = model.history
            history.bulk_history_create(firsts, batch_size=BATCH, default_change_reason=reason)
            history.bulk_history_create([s for _o, s in steps], batch_size=BATCH, update=True)
        self.counts[model._meta.label] += len(objs)
        self.counts[f"{model._meta.label} history"] += len(firsts) + len(steps)
        return objs

    def settle(self, model, objs: list) -> None:
        """Play the recorded stories of rows created with ``defer=True``: UPDATE and "~" rows.

        Used for agreements, whose children must exist before they are signed.
        """
        changed, snaps, fields = [], [], {"version", "updated_at"}
        for obj in objs:
            story = obj.__dict__.pop("_story", ())
            for when, user, why, changes in story:
                for name, value in changes.items():
                    setattr(obj, name, value)
                fields.update(changes)
                obj.version += 1
                obj.updated_at = when
                snap = _snapshot(obj)
                snap._history_date, snap._history_user, snap._change_reason = when, user, why
                snaps.append(snap)
            if story:
                changed.append(obj)
        if changed:
            model._default_manager.bulk_update(changed, sorted(fields), batch_size=BATCH)
            model.history.bulk_history_create(snaps, batch_size=BATCH, update=True)
            self.counts[f"{model._meta.label} history"] += len(snaps)

    def link(self, m2m_field, pairs: Iterable[tuple[int, int]]) -> None:
        """Bulk-create rows of an auto-created many-to-many table."""
        through = m2m_field.remote_field.through
        src = m2m_field.m2m_field_name()
        dst = m2m_field.m2m_reverse_field_name()
        rows = [through(**{f"{src}_id": a, f"{dst}_id": b}) for a, b in pairs]
        through.objects.bulk_create(rows, batch_size=BATCH)
        self.counts[through._meta.label] += len(rows)

    # -- the run --------------------------------------------------------------
