"""Medborgarlöften: the yearly promises the police and the municipality make to citizens."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import DomainModel

from ..choices import (
    PromiseStatus,
)
from .agreement import Agreement
from .areas import Area
from .organisations import Organisation
from .scoping import OpenScopedQuerySet


class CitizenPromise(DomainModel):
    """A yearly citizen promise (medborgarlöfte) made under an agreement.

    Promises are made each year after signing, so they are not locked with it.
    """

    agreement_path = "agreement"

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="citizen_promises",
    )
    year = models.PositiveIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("promise"))
    areas = models.ManyToManyField(Area, verbose_name=_("areas"), blank=True, related_name="+")
    parties = models.ManyToManyField(
        Organisation, verbose_name=_("parties"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PromiseStatus.choices, default=PromiseStatus.PLANNED
    )

    objects = OpenScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("citizen promise")
        verbose_name_plural = _("citizen promises")
        ordering = ["agreement", "-year", "title", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("agreements:promise-detail", args=[self.pk])

    def clean(self):
        super().clean()
        if (
            self.agreement_id
            and self.year
            and not (self.agreement.valid_from.year <= self.year <= self.agreement.valid_to.year)
        ):
            raise ValidationError({"year": _("The year must fall within the agreement's period.")})
