"""The parsed document kept between upload and creation (not in the session)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements import access
from agreements.choices import OrganisationKind
from agreements.models import Agreement, Organisation


class DocumentImportQuerySet(models.QuerySet):
    def managed_by(self, user) -> DocumentImportQuerySet:
        """Imports of municipalities ``user`` coordinates (superusers: all)."""
        return self.filter(access.edits(user).q("municipality_id"))


class DocumentImport(models.Model):
    """An uploaded agreement document, what was recognised in it, and the draft made of it."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    municipality = models.ForeignKey(
        Organisation,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrganisationKind.MUNICIPALITY},
    )
    police_area = models.ForeignKey(
        Organisation,
        verbose_name=_("local police area"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    original = models.FileField(_("original file"), upload_to="docimport/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    schema_version = models.PositiveSmallIntegerField(_("schema version"), default=1)
    tree = models.JSONField(_("recognised structure"), default=dict)
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = DocumentImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("document import")
        verbose_name_plural = _("document imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("docimport:review", args=[self.pk])
