"""Immutability of signed agreements, guarded where every write passes.

A signed (or superseded) agreement and everything under it — focus areas,
sub-goals, causes, commitments, signatories — cannot change. The guard sits in

* ``save()`` and ``delete()`` of each model (views, forms, the admin, a shell),
* the queryset's ``update()`` and ``delete()`` (``bulk_update`` goes through
  ``update()``),
* ``m2m_changed`` for the agreement's parties.

Each model names the way up to its agreement in ``agreement_path`` ("" for the
agreement itself).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from .choices import LOCKED_STATUSES


class AgreementLocked(PermissionDenied):
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


class LockedTreeQuerySet(models.QuerySet):
    """Refuses bulk writes that would touch a locked agreement's tree."""

    def _touches_locked(self) -> bool:
        return self.filter(**{_status_path(self.model): LOCKED_STATUSES}).exists()

    def update(self, **kwargs):
        lifecycle = getattr(self.model, "LIFECYCLE_FIELDS", frozenset())
        if not set(kwargs) <= lifecycle and self._touches_locked():
            raise AgreementLocked()
        return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        if self._touches_locked():
            raise AgreementLocked()
        return super().delete()

    delete.alters_data = True


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
        path = model.agreement_path
        if not path:
            return False
        first_hop = path.split("__")[0]
        field = model._meta.get_field(first_hop)
        parent_id = getattr(self, field.attname)
        rest = path.split("__", 1)[1] if "__" in path else ""
        parent_model = field.related_model
        status_lookup = f"{rest}__status__in" if rest else "status__in"
        candidates = {parent_id} if parent_id is not None else set()
        if self.pk is not None:
            stored = (
                model._base_manager.filter(pk=self.pk).values_list(field.attname, flat=True).first()
            )
            if stored is not None:
                candidates.add(stored)
        if not candidates:
            return False
        return parent_model._base_manager.filter(
            pk__in=candidates, **{status_lookup: LOCKED_STATUSES}
        ).exists()

    def check_writable(self) -> None:
        if self._locked_agreement_ids():
            raise AgreementLocked()
