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
    #: Organisations that give the promise together with the parties (a housing company,
    #: the rescue service…): named by the promise only, never parties to the agreement.
    partners = models.ManyToManyField(
        Organisation,
        verbose_name=_("partners in the promise"),
        blank=True,
        related_name="+",
        through="PromisePartner",
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

    def givers(self) -> list[Organisation]:
        """Who gives the promise, each signing it: the agreement's parties named by the
        promise (or all of them, in the document's order), then its partners."""
        parties = list(self.parties.all()) or self.agreement.parties
        order = {org.pk: index for index, org in enumerate(self.agreement.parties)}
        parties.sort(key=lambda org: order.get(org.pk, len(order)))
        partners = [row.organisation for row in self.partner_rows.all()]
        return parties + [org for org in partners if org not in parties]

    def clean(self):
        super().clean()
        if (
            self.agreement_id
            and self.year
            and not (self.agreement.valid_from.year <= self.year <= self.agreement.valid_to.year)
        ):
            raise ValidationError({"year": _("The year must fall within the agreement's period.")})


class PromisePartner(DomainModel):
    """An organisation that gives a citizen promise together with the agreement's parties
    (the rows behind ``CitizenPromise.partners``). It is a partner in the promise, not a
    party to the agreement: it appears neither in "Mellan …", the initials boxes nor the
    agreement PDF's author."""

    agreement_path = "promise__agreement"

    promise = models.ForeignKey(
        CitizenPromise,
        verbose_name=_("citizen promise"),
        on_delete=models.CASCADE,
        related_name="partner_rows",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)

    objects = OpenScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner in the promise")
        verbose_name_plural = _("partners in the promise")
        ordering = ["promise", "position", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "organisation"],
                name="promisepartner_unique_organisation",
                violation_error_message=_("The organisation is already a partner in the promise."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} – {self.promise_id}"

    def get_absolute_url(self) -> str:
        return self.promise.get_absolute_url()
