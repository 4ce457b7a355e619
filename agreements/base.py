"""Building blocks every domain model shares: history and optimistic concurrency.

Every domain model in Samverkan inherits :class:`DomainModel`. It gets

* ``history`` — a django-simple-history table (who, when, what); the request's
  user is recorded by ``HistoryRequestMiddleware``;
* ``version`` — a counter raised on every save. Edit forms carry the version
  they were loaded with; :func:`check_version` refuses a save based on an older
  one, so concurrent edits never silently overwrite each other.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class StaleVersionError(Exception):
    """Raised when a save is based on a version that is no longer current."""

    def __init__(self, instance: models.Model, expected: int, current: int):
        self.instance = instance
        self.expected = expected
        self.current = current
        super().__init__(f"{instance!r}: edited version {expected}, current {current}")


class DomainModel(models.Model):
    """Abstract base: history, timestamps and a version counter."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(inherit=True, excluded_fields=["updated_at"])

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("update_fields"):
            self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)


def check_version(instance: DomainModel, submitted_version: int | None) -> None:
    """Lock the row and raise :class:`StaleVersionError` if it moved on since ``submitted_version``.

    Call inside ``transaction.atomic()``; the row stays locked until commit, so two
    concurrent saves of the same version cannot both pass.
    """
    if instance.pk is None or submitted_version is None:
        return
    current = (
        type(instance)
        ._base_manager.select_for_update()
        .filter(pk=instance.pk)
        .values_list("version", flat=True)
        .first()
    )
    if current is not None and current != int(submitted_version):
        raise StaleVersionError(instance, int(submitted_version), current)
