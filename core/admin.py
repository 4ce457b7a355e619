"""Admin building blocks shared by the apps."""

from __future__ import annotations

from django.contrib.admin.utils import NestedObjects
from django.db import router


class RefuseLockedDeletionMixin:
    """An admin delete that would take a record which may never change with it — an approved
    report, the updates it consists of — is shown on the admin's own "cannot be deleted" page,
    listing what stands in the way, instead of failing in the database with a server error.

    Models say which of their rows are locked with a classmethod ``locked_among(instances)``
    (one query for all of them); the mixin asks every model the delete would reach."""

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        collector = NestedObjects(using=router.db_for_write(self.model))
        collector.collect(objs)
        locked = []
        for model, instances in collector.data.items():
            locked_among = getattr(model, "locked_among", None)
            if locked_among is not None:
                locked.extend(
                    f"{model._meta.verbose_name}: {obj}" for obj in locked_among(instances)
                )
        return to_delete, model_count, perms_needed, [*protected, *locked]
