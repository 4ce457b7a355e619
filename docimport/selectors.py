"""Reads of the document import, always with the user."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from .models import DocumentImport


def document_import_get(*, user, pk: int) -> DocumentImport:
    """An import of a municipality ``user`` coordinates; 404 for everyone else."""
    return get_object_or_404(
        DocumentImport.objects.managed_by(user).select_related(
            "municipality", "police_area", "agreement"
        ),
        pk=pk,
    )
