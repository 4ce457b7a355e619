"""Geographic areas of a municipality, with the Police's classification."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import DomainModel

from ..choices import (
    OrganisationKind,
    PoliceClassification,
)
from .organisations import Organisation
from .scoping import MunicipalityOwnedQuerySet


class Area(DomainModel):
    """A geographic area of a municipality, with the Police's classification."""

    municipality = models.ForeignKey(
        Organisation,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="areas",
        limit_choices_to={"kind": OrganisationKind.MUNICIPALITY},
    )
    name = models.CharField(_("name"), max_length=200)
    police_classification = models.CharField(
        _("police classification"),
        max_length=30,
        choices=PoliceClassification.choices,
        default=PoliceClassification.NONE,
    )
    socioeconomic_challenges = models.BooleanField(
        _("socio-economic challenges (Boverket)"), default=False
    )
    description = models.TextField(_("description"), blank=True)

    objects = MunicipalityOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="area_unique_name",
                violation_error_message=_("The municipality already has an area with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("dashboard:organisation", args=[self.municipality_id])
