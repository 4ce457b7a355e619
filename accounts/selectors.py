"""Reads of the accounts app, always with the user."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from agreements.access import get_access
from agreements.models import Organisation, served_municipality_ids


def municipality_for(user, pk: int) -> tuple[Organisation, bool]:
    """The one door to a municipality's people pages: (municipality, may manage) or 404."""
    access = get_access(user)
    qs = Organisation.objects.municipalities()
    if not access.sees_everything:
        qs = qs.filter(pk__in=served_municipality_ids(access))
    municipality = get_object_or_404(qs, pk=pk)
    may_manage = Organisation.objects.managed_by(user).filter(pk=municipality.pk).exists()
    return municipality, may_manage
