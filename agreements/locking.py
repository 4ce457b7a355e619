"""Immutability of signed agreements, guarded where every write passes.

A signed (or superseded) agreement and everything under it — focus areas,
sub-goals, causes, commitments, signatories — cannot change. The guard sits in

* ``save()`` and ``delete()`` of each model (views, forms, the admin, a shell),
* the queryset's ``update()`` and ``delete()`` (``bulk_update`` goes through
  ``update()``),
* ``bulk_create()`` (which skips ``save()``),
* ``m2m_changed`` and the through table's ``pre_save``/``pre_delete`` for the
  agreement's parties (see :mod:`agreements.models`).

A locked agreement's status may only move forward (signed → superseded); it can
never be unlocked by setting its status back, whether through ``save()`` or
``update()``.

Each model names the way up to its agreement in ``agreement_path`` ("" for the
agreement itself).
"""

from __future__ import annotations

from django.db import models, transaction
from django.utils.translation import gettext as _

from core.models import RecordLocked

from .choices import LOCKED_STATUSES


class AgreementLocked(RecordLocked):
    """Raised on any attempt to change a signed agreement or anything under it."""

    def __init__(self, agreement=None):
        self.agreement = agreement
        super().__init__(
            _("The agreement is signed and cannot be changed. Create a revision instead.")
        )


def _status_path(model) -> str:
    path = model.agreement_path
    return f"{path}__status__in" if path else "status__in"


def _agreement_id_path(model) -> str:
    path = model.agreement_path
    return f"{path}__pk" if path else "pk"


def _first_hop(model):
    """The foreign key field that leads from ``model`` towards its agreement (None for it)."""
    path = model.agreement_path
    if not path:
        return None
    return model._meta.get_field(path.split("__")[0])


def _parents_locked(model, parent_ids) -> bool:
    """True when any of ``parent_ids`` (values of the first hop) lies in a locked agreement."""
    field = _first_hop(model)
    ids = {pk for pk in parent_ids if pk is not None}
    if field is None or not ids:
        return False
    path = model.agreement_path
    rest = path.split("__", 1)[1] if "__" in path else ""
    lookup = f"{rest}__status__in" if rest else "status__in"
    return field.related_model._base_manager.filter(
        pk__in=ids, **{lookup: LOCKED_STATUSES}
    ).exists()


class LockedTreeQuerySet(models.QuerySet):
    """Refuses bulk writes that would touch a locked agreement's tree."""

    def _touches_locked(self) -> bool:
        return self.filter(**{_status_path(self.model): LOCKED_STATUSES}).exists()

    def update(self, **kwargs):
        lifecycle = getattr(self.model, "LIFECYCLE_FIELDS", frozenset())
        if not set(kwargs) <= lifecycle and self._touches_locked():
            raise AgreementLocked()
        write_once = set(kwargs) & getattr(self.model, "WRITE_ONCE_FIELDS", frozenset())
        for name in write_once:
            empty = models.Q(**{f"{name}__isnull": True})
            if not isinstance(self.model._meta.get_field(name), models.DateTimeField):
                empty |= models.Q(**{name: ""})
            already = self.filter(**{_status_path(self.model): LOCKED_STATUSES}).exclude(empty)
            if already.exists():
                raise AgreementLocked()
        if "status" in kwargs and self.model.agreement_path == "" and self._touches_locked():
            new = kwargs["status"]
            if not isinstance(new, str) or new not in LOCKED_STATUSES:
                # A signed agreement cannot be unlocked by setting its status back.
                raise AgreementLocked()
        hop = _first_hop(self.model)
        if hop is None or not ({hop.name, hop.attname} & set(kwargs)):
            return super().update(**kwargs)
        target = kwargs.get(hop.name, kwargs.get(hop.attname))
        target = getattr(target, "pk", target)
        if _parents_locked(self.model, {target}):
            raise AgreementLocked()  # before the database's own guard refuses it
        # The rows are moved to another parent: refuse if any lands in a locked agreement.
        with transaction.atomic(using=self.db):
            pks = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            moved = self.model._base_manager.filter(pk__in=pks).values_list(hop.attname, flat=True)
            if _parents_locked(self.model, set(moved)):
                raise AgreementLocked()
            return count

    update.alters_data = True

    def delete(self):
        if self._touches_locked():
            raise AgreementLocked()
        return super().delete()

    delete.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        hop = _first_hop(self.model)
        if hop is not None and _parents_locked(self.model, {getattr(o, hop.attname) for o in objs}):
            raise AgreementLocked()
        return super().bulk_create(objs, *args, **kwargs)

    bulk_create.alters_data = True


class LockedTreeModel(models.Model):
    """Mixin: ``save()`` and ``delete()`` refuse when the agreement is locked."""

    agreement_path = ""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.check_writable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if type(self).agreement_path == "":
            if self.locked_in_db():
                raise AgreementLocked(self)
        else:
            self.check_writable()
        return super().delete(*args, **kwargs)

    def _locked_agreement_ids(self) -> bool:
        """True when the row's agreement, as stored or as about to be stored, is locked."""
        model = type(self)
        field = _first_hop(model)
        if field is None:
            return False
        candidates = {getattr(self, field.attname)}
        if self.pk is not None:
            candidates.add(
                model._base_manager.filter(pk=self.pk).values_list(field.attname, flat=True).first()
            )
        return _parents_locked(model, candidates)

    def check_writable(self) -> None:
        if self._locked_agreement_ids():
            raise AgreementLocked()
