"""Organisations (kommun, lokalpolisområde, förvaltning…) and the memberships access is decided from."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import DomainModel

from .. import access as rules
from ..access import Access, get_access
from ..choices import (
    OrganisationKind,
    Role,
)


def _model(name: str):
    """A model of this app looked up at call time (the modules import one way only)."""
    return apps.get_model("agreements", name)


# ---------------------------------------------------------------------------
# Organisations and memberships
# ---------------------------------------------------------------------------


def tree_q(municipality_ids, prefix: str = "") -> Q:
    """A ``Q`` for organisations (through ``prefix``) in the trees of these municipalities."""
    return rules.in_subtrees_q(municipality_ids, prefix)


def served_municipality_ids(access: Access) -> set[int]:
    """The municipalities ``access`` works for: those it is a member of (directly or through
    a unit), and for the police, the municipalities their local police area serves."""
    if not access.org_ids:
        return set()
    orgs = list(access.org_ids)
    linked = Organisation._base_manager.filter(kind=OrganisationKind.MUNICIPALITY).filter(
        Q(pk__in=orgs)
        | Q(police_area_id__in=orgs)
        | Q(
            pk__in=_model("Agreement")
            ._base_manager.filter(police_area_id__in=orgs)
            .values("municipality_id")
        )
    )
    return set(linked.values_list("pk", flat=True))


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user) -> OrganisationQuerySet:
        """Organisations are not secret: every signed-in user may pick among them."""
        access = get_access(user)
        if not access.is_authenticated:
            return self.none()
        return self.filter(is_active=True) if not access.sees_everything else self

    def municipalities(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.MUNICIPALITY)

    def in_trees_of(self, municipality_ids) -> OrganisationQuerySet:
        """The municipalities and their units (down to ``access.TREE_DEPTH`` levels)."""
        return self.filter(tree_q(municipality_ids))

    def partners_of_municipalities(self, municipality_ids) -> OrganisationQuerySet:
        """What a municipality works with: its own tree, its local police area and the
        parties of its agreements. Dropdowns offer these, never another municipality's."""
        ids = list(municipality_ids)
        own = Organisation._base_manager.filter(pk__in=ids)
        agreements = _model("Agreement")._base_manager.filter(municipality_id__in=ids)
        parties = _model("AgreementParty")._base_manager.filter(agreement__municipality_id__in=ids)
        return self.filter(
            tree_q(ids)
            | Q(pk__in=own.values("police_area_id"))
            | Q(pk__in=agreements.values("police_area_id"))
            | Q(pk__in=parties.values("organisation_id"))
        )

    def partners_of(self, user) -> OrganisationQuerySet:
        """The active organisations ``user`` may pick in a dropdown (see above)."""
        access = get_access(user)
        if not access.is_authenticated:
            return self.none()
        if access.sees_everything:
            return self.filter(is_active=True)
        return self.filter(is_active=True).partners_of_municipalities(
            served_municipality_ids(access)
        )

    def managed_by(self, user) -> OrganisationQuerySet:
        """Municipalities whose organisation, areas and people ``user`` manages
        (:func:`agreements.access.manages`)."""
        return self.municipalities().filter(rules.manages(user).q("pk"))

    def served_by(self, user) -> OrganisationQuerySet:
        """Municipalities ``user`` works for: as a member (directly or through a unit) or as
        the police of an area serving them; staff and superusers: every municipality."""
        access = get_access(user)
        if access.sees_everything:
            return self.municipalities()
        return self.municipalities().filter(pk__in=sorted(served_municipality_ids(access)))

    def police_areas(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.POLICE_AREA)

    def edited_by(self, user) -> OrganisationQuerySet:
        """Municipalities whose content ``user`` edits (:func:`agreements.access.edits`)."""
        return self.municipalities().filter(rules.edits(user).q("pk"))


class Organisation(DomainModel):
    """A party or a responsible unit: a kommun, a lokalpolisområde, a förvaltning…

    Responsible units ("Gata-trafik-park inom Miljö och samhällsbyggnad") are
    organisations with a ``parent``; membership of a unit counts for its parents.
    """

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.OTHER
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(
        _("municipality code"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{4}$", _("Enter the four-digit municipality code."))],
        help_text=_("SCB's four-digit code, for municipalities."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    police_area = models.ForeignKey(
        "self",
        verbose_name=_("local police area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities_served",
        limit_choices_to={"kind": OrganisationKind.POLICE_AREA},
        help_text=_("For a municipality: the local police area it works with."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="organisation_not_own_parent",
                violation_error_message=_("An organisation cannot be part of itself."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("dashboard:organisation", args=[self.pk])

    def clean(self):
        super().clean()
        seen = {self.pk} if self.pk else set()
        node = self.parent
        while node is not None:
            if node.pk in seen:
                raise ValidationError({"parent": _("The organisation tree must not loop.")})
            seen.add(node.pk)
            node = node.parent
        depth = len(seen) - (1 if self.pk else 0)  # levels above this organisation
        if depth + self._levels_below() > rules.TREE_DEPTH:
            raise ValidationError(
                {
                    "parent": _(
                        "An organisation tree can be at most four levels deep "
                        "(e.g. kommun › förvaltning › avdelning › enhet)."
                    )
                }
            )

    def _levels_below(self) -> int:
        """How many levels of units lie below this organisation (0 for a leaf or a new one)."""
        levels, current = 0, [self.pk] if self.pk else []
        while current and levels <= rules.TREE_DEPTH:
            current = list(
                type(self)._base_manager.filter(parent_id__in=current).values_list("pk", flat=True)
            )
            levels += bool(current)
        return levels

    @property
    def root(self) -> Organisation:
        node = self
        while node.parent_id is not None:
            node = node.parent
        return node


class _Historied(models.Model):
    """History declared on an abstract base, so that simple-history puts the history model in
    this module (where ``manage.py shell`` and the admin look for it), as it does for the
    models built on ``core.models.DomainModel``."""

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


class Membership(_Historied):
    """A user's role in an organisation. Access is decided from memberships."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                name="membership_unique_role",
                violation_error_message=_("The user already has this role in the organisation."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    def get_absolute_url(self) -> str:
        return reverse("dashboard:organisation", args=[self.organisation_id])
