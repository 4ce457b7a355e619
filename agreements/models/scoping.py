"""Querysets that scope a model by its agreement or its municipality (the access door of each model)."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Q

from .. import access as rules
from ..access import get_access
from ..locking import LockedTreeQuerySet


def _model(name: str):
    """A model of this app looked up at call time (the modules import one way only)."""
    return apps.get_model("agreements", name)


# ---------------------------------------------------------------------------
# Visibility — the one place it is decided for everything under an agreement
# ---------------------------------------------------------------------------


class AgreementScopedQuerySet(models.QuerySet):
    """Queryset for models below an agreement; the model's ``agreement_path`` names the way up.

    Apps downstream (action plans, forums, follow-up) use this too, so that every
    object's visibility follows from its agreement's in one place.
    """

    #: Editing needs the agreement in an editable status (draft, review).
    edit_needs_open_agreement = True

    def _prefix(self) -> str:
        path = self.model.agreement_path
        return f"{path}__" if path else ""

    def visible_to(self, user):
        return self.filter(rules.sees(user, self._prefix()))

    def editable_by(self, user):
        return self.filter(
            rules.edits_agreements(
                user, self._prefix(), any_status=not self.edit_needs_open_agreement
            )
        )


class LockedScopedQuerySet(LockedTreeQuerySet, AgreementScopedQuerySet):
    """For the agreement's own tree: scoped, and immutable once signed."""


class OpenScopedQuerySet(AgreementScopedQuerySet):
    """For objects that live on after signing (plans, promises, reports)."""

    edit_needs_open_agreement = False


# ---------------------------------------------------------------------------
# Areas
# ---------------------------------------------------------------------------


class MunicipalityOwnedQuerySet(models.QuerySet):
    """For what a municipality owns (areas, forums, indicators).

    Its members read it, and so does every party to one of its agreements (the police
    of the local police area share the lägesbild and the geography); its coordinators
    edit it.
    """

    def visible_to(self, user):
        access = get_access(user)
        if access.sees_everything:
            return self
        if not access.org_ids:
            return self.none()
        shared = (
            _model("Agreement")
            .objects.visible_to(user)
            .filter(municipality_id=OuterRef("municipality_id"))
        )
        return self.filter(Q(municipality_id__in=list(access.org_ids)) | Q(Exists(shared)))

    def editable_by(self, user):
        return self.filter(rules.edits(user).q("municipality_id"))
