"""Attachments (bilagor) of an agreement: the lägesbild, the action plan, a map…

Stored through Django's storage API (a ``FileField``), so another storage backend can be
configured later; the SHA-256 is kept beside each file and printed in the agreement's PDF.
Locked with the agreement once it is signed (model layer and, on PostgreSQL, a trigger).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import DomainModel

from ..locking import LockedTreeModel
from .agreement import Agreement
from .scoping import LockedScopedQuerySet


class AttachmentKind(models.TextChoices):
    """The file types an attachment may have (checked by content, not by name)."""

    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"
    XLSX = "xlsx", "Excel (XLSX)"
    PNG = "png", "PNG"
    JPEG = "jpeg", "JPEG"


#: How each kind is served.
CONTENT_TYPES = {
    AttachmentKind.PDF: "application/pdf",
    AttachmentKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    AttachmentKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    AttachmentKind.PNG: "image/png",
    AttachmentKind.JPEG: "image/jpeg",
}
EXTENSIONS = {
    AttachmentKind.PDF: "pdf",
    AttachmentKind.DOCX: "docx",
    AttachmentKind.XLSX: "xlsx",
    AttachmentKind.PNG: "png",
    AttachmentKind.JPEG: "jpg",
}


class Attachment(LockedTreeModel, DomainModel):
    """A file attached to an agreement ("Bilaga 1 Lägesbild"), with its SHA-256."""

    agreement_path = "agreement"

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    position = models.PositiveIntegerField(_("position"), default=1)
    title = models.CharField(
        _("title"), max_length=200, help_text=_("For example “Bilaga 1 Lägesbild”.")
    )
    file = models.FileField(_("file"), upload_to="agreements/attachments/")
    kind = models.CharField(_("file type"), max_length=10, choices=AttachmentKind.choices)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = LockedScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["agreement", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agreements:attachment-download", args=[self.pk])

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.kind]
