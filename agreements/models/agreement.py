"""The agreement and everything signed with it: parties, focus areas, sub-goals, causes, commitments and signatories."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import DomainModel

from .. import access as rules
from ..choices import (
    EDITABLE_STATUSES,
    LOCKED_STATUSES,
    AgreementStatus,
    FocusAreaKind,
    InForce,
    OrganisationKind,
)
from ..locking import AgreementLocked, LockedTreeModel, LockedTreeQuerySet
from .areas import Area
from .organisations import Organisation, _Historied
from .scoping import LockedScopedQuerySet

# ---------------------------------------------------------------------------
# The agreement
# ---------------------------------------------------------------------------


class AgreementQuerySet(LockedTreeQuerySet):
    """Agreements, with the access helpers every view uses."""

    def with_document_tree(self, *, causes: bool = True, forums: bool = True) -> AgreementQuerySet:
        """Everything the agreement's document shows, in a fixed number of queries: the
        parties, focus areas with sub-goals (and causes), commitments with their party,
        signatories (and the forums), each in its own order. The page, the public page and
        the PDF read the same tree."""
        below = [
            Prefetch("sub_goals", queryset=SubGoal.objects.order_by("position", "pk")),
            Prefetch("areas", queryset=Area.objects.order_by("name")),
        ]
        if causes:
            below.append(Prefetch("causes", queryset=Cause.objects.order_by("position", "pk")))
        lookups = [
            "other_parties",
            Prefetch("areas", queryset=Area.objects.order_by("name")),
            Prefetch(
                "party_rows",
                queryset=AgreementParty.objects.select_related("organisation").order_by(
                    "position", "organisation__name"
                ),
            ),
            Prefetch(
                "focus_areas",
                queryset=FocusArea.objects.order_by("position", "pk").prefetch_related(*below),
            ),
            Prefetch(
                "commitments",
                queryset=Commitment.objects.select_related("party").order_by("position", "pk"),
            ),
            Prefetch(
                "signatories",
                queryset=Signatory.objects.select_related("organisation").order_by(
                    "position", "pk"
                ),
            ),
            Prefetch(
                "attachments",
                queryset=apps.get_model("agreements", "Attachment").objects.order_by(
                    "position", "pk"
                ),
            ),
        ]
        if forums:
            # Forums live in the forums app (downstream): reached by name, never imported.
            lookups += ["forums__convener", "forums__seats__organisation"]
        return self.select_related("municipality", "police_area").prefetch_related(*lookups)

    def visible_to(self, user) -> AgreementQuerySet:
        return self.filter(rules.sees(user))

    def editable_by(self, user) -> AgreementQuerySet:
        return self.filter(rules.edits_agreements(user))

    def managed_by(self, user) -> AgreementQuerySet:
        """Agreements whose lifecycle ``user`` may move (any status)."""
        return self.filter(rules.edits_agreements(user, any_status=True))

    def remiss_open_to(self, user) -> AgreementQuerySet:
        """Agreements whose remiss ``user`` takes part in (coordinator or the area's police)."""
        return self.filter(rules.takes_part_in_remiss(user))

    def public(self) -> AgreementQuerySet:
        return self.filter(status=AgreementStatus.SIGNED, is_public=True)

    def in_force(self, value: str, today: datetime.date | None = None) -> AgreementQuerySet:
        today = today or timezone.localdate()
        if value == InForce.CURRENT:
            return self.filter(valid_from__lte=today, valid_to__gte=today)
        if value == InForce.UPCOMING:
            return self.filter(valid_from__gt=today)
        if value == InForce.EXPIRED:
            return self.filter(valid_to__lt=today)
        return self


class Agreement(LockedTreeModel, DomainModel):
    """A samverkansöverenskommelse between a municipality and the Police.

    Lifecycle: draft → review → approved → signed → superseded. Signed and
    superseded agreements, and everything under them, are immutable; changes
    are made in a revision (``agreements.services.agreement_create_revision``).
    """

    agreement_path = ""
    # Fields that may still change on a signed agreement: its lifecycle and
    # the stored proof of what was signed.
    #: Lifecycle fields that, once set on a signed agreement, never change again.
    WRITE_ONCE_FIELDS = frozenset(
        {"signed_at", "signed_pdf", "signed_pdf_sha256", "signed_scan", "signed_scan_sha256"}
    )
    LIFECYCLE_FIELDS = frozenset(
        {
            "status",
            "is_public",
            "signed_at",
            "signed_pdf",
            "signed_pdf_sha256",
            "signed_scan",
            "signed_scan_sha256",
            "version",
            "updated_at",
        }
    )

    title = models.CharField(_("title"), max_length=300)
    reference = models.CharField(
        _("reference number"),
        max_length=60,
        blank=True,
        help_text=_("The registration number (diarienummer), if any."),
    )
    municipality = models.ForeignKey(
        Organisation,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="municipality_agreements",
        limit_choices_to={"kind": OrganisationKind.MUNICIPALITY},
    )
    police_area = models.ForeignKey(
        Organisation,
        verbose_name=_("local police area"),
        on_delete=models.PROTECT,
        related_name="police_agreements",
        limit_choices_to={
            "kind__in": [OrganisationKind.POLICE_AREA, OrganisationKind.POLICE_REGION]
        },
    )
    municipality_position = models.PositiveSmallIntegerField(
        _("municipality's place among the parties"),
        default=1,
        help_text=_("Parties are listed in the document's order: 1 first."),
    )
    municipality_short_name = models.CharField(
        _("municipality's short name in the text"),
        max_length=60,
        blank=True,
        help_text=_("For example “Kommunen”, where the document uses it in running text."),
    )
    police_area_position = models.PositiveSmallIntegerField(
        _("police area's place among the parties"), default=2
    )
    police_area_short_name = models.CharField(
        _("police area's short name in the text"),
        max_length=60,
        blank=True,
        help_text=_("For example “Polisen” (“Polisen förbinder sig att …”)."),
    )
    other_parties = models.ManyToManyField(
        Organisation,
        verbose_name=_("other parties"),
        blank=True,
        related_name="party_agreements",
        through="AgreementParty",
    )
    areas = models.ManyToManyField(
        Area,
        verbose_name=_("areas"),
        blank=True,
        related_name="agreements",
        through="AgreementArea",
        help_text=_("The areas the agreement concerns, e.g. the police's utsatta områden."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AgreementStatus.choices,
        default=AgreementStatus.DRAFT,
        db_index=True,
    )
    background = models.TextField(
        _("background and situation picture"),
        blank=True,
        help_text=_("The lägesbild the agreement rests on. No personal data about individuals."),
    )
    situation_sources = models.TextField(
        _("sources of the situation picture"),
        blank=True,
        help_text=_("Surveys, statistics and dialogues the situation picture is based on."),
    )
    purpose = models.TextField(_("purpose"), blank=True)
    overall_goal = models.TextField(_("overall goal"), blank=True)
    organisation_text = models.TextField(_("organisation and forums"), blank=True)
    followup_text = models.TextField(_("follow-up"), blank=True)
    budget_text = models.TextField(_("budget and resources"), blank=True)
    communication_text = models.TextField(_("communication"), blank=True)
    decision_body = models.CharField(_("decided by"), max_length=200, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_condition = models.TextField(
        _("condition of the decision"),
        blank=True,
        help_text=_("For example: valid provided that the municipal council approves."),
    )
    revision_of = models.ForeignKey(
        "self",
        verbose_name=_("revision of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
    )
    revision_number = models.PositiveIntegerField(_("revision"), default=1)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Show the signed agreement on the public pages.")
    )
    numeric_signing_dates = models.BooleanField(
        _("numeric signing dates"),
        default=False,
        help_text=_(
            "Print each signatory's date as 2021-06-18 instead of “Eslöv den 18 juni 2021”."
        ),
    )
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    signed_pdf = models.FileField(_("signed PDF"), upload_to="agreements/signed/", blank=True)
    signed_pdf_sha256 = models.CharField(_("SHA-256 of the signed PDF"), max_length=64, blank=True)
    signed_scan = models.FileField(
        _("scanned signed copy"), upload_to="agreements/scans/", blank=True
    )
    signed_scan_sha256 = models.CharField(
        _("SHA-256 of the scanned copy"), max_length=64, blank=True
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-valid_from", "title", "pk"]
        indexes = [
            models.Index(fields=["municipality", "-valid_from"]),
            models.Index(fields=["police_area", "-valid_from"]),
            models.Index(fields=["valid_from", "valid_to"]),
            models.Index(fields=["-valid_from", "title", "id"], name="agreement_list_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gt=models.F("valid_from")),
                name="agreement_period_ends_after_start",
                violation_error_message=_("The period must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agreements:detail", args=[self.pk])

    @property
    def agreement(self) -> Agreement:
        return self

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    @property
    def is_editable_status(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def identifier(self) -> str:
        """How the agreement is referred to on every printed page."""
        return self.reference or f"SÖ-{self.pk or 0:05d}"

    def in_force(self, today: datetime.date | None = None) -> str:
        today = today or timezone.localdate()
        if self.valid_from > today:
            return InForce.UPCOMING
        if self.valid_to < today:
            return InForce.EXPIRED
        return InForce.CURRENT

    def get_in_force_display(self) -> str:
        return InForce(self.in_force()).label

    @property
    def signing_date(self) -> datetime.date | None:
        """The date the agreement was signed: the day its last signatory signed.

        Not the day the signing was recorded in the system (``signed_at``), which is
        only the fallback when no signatory has a date.
        """
        dates = [s.signed_on for s in self.signatories.all() if s.signed_on]
        if dates:
            return max(dates)
        if self.signed_at:
            return timezone.localtime(self.signed_at).date()
        return None

    def document_parties(self) -> list[DocumentParty]:
        """The parties in the document's order, each with the short name the text uses."""
        rows = [
            DocumentParty(
                self.municipality, self.municipality_position, self.municipality_short_name
            ),
            DocumentParty(self.police_area, self.police_area_position, self.police_area_short_name),
        ]
        if self.pk:
            rows += [
                DocumentParty(row.organisation, row.position, row.short_name)
                for row in self.party_rows.all()
            ]
        # sorted() is stable: equal positions keep municipality, police, further parties.
        return sorted(rows, key=lambda party: party.position)

    @property
    def parties(self) -> list[Organisation]:
        """The parties' organisations in the document's order."""
        return [party.organisation for party in self.document_parties()]

    def party_ids(self) -> set[int]:
        return {
            self.municipality_id,
            self.police_area_id,
            *self.other_parties.values_list("pk", flat=True),
        }

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise ValidationError({"valid_to": _("The period must end after it starts.")})
        if self.municipality_id and self.municipality.kind != OrganisationKind.MUNICIPALITY:
            raise ValidationError({"municipality": _("Choose a municipality.")})

    def locked_in_db(self) -> bool:
        if self.pk is None:
            return False
        return type(self)._base_manager.filter(pk=self.pk, status__in=LOCKED_STATUSES).exists()

    def check_writable(self) -> None:
        """A signed agreement may only change its lifecycle fields."""
        if self.pk is None:
            return
        old = type(self)._base_manager.filter(pk=self.pk).first()
        if old is None or old.status not in LOCKED_STATUSES:
            return
        changed = {
            f.attname
            for f in self._meta.concrete_fields
            if getattr(old, f.attname) != getattr(self, f.attname)
        }
        if changed - self.LIFECYCLE_FIELDS:
            raise AgreementLocked(old)
        # The proof of what was signed is written once: never replaced or cleared.
        for name in changed & self.WRITE_ONCE_FIELDS:
            if getattr(old, name) not in (None, ""):
                raise AgreementLocked(old)
        # Once signed, the status only moves forward: signed → superseded.
        if self.status not in LOCKED_STATUSES or (
            old.status == AgreementStatus.SUPERSEDED and self.status != old.status
        ):
            raise AgreementLocked(old)


@dataclass(frozen=True)
class DocumentParty:
    """A party as the agreement's document presents it: its place in the order of parties
    and the short name used in running text and headings ("Polisen förbinder sig att")."""

    organisation: Organisation
    position: int
    short_name: str = ""

    @property
    def pk(self) -> int:
        return self.organisation.pk

    @property
    def name(self) -> str:
        return self.organisation.name

    @property
    def label(self) -> str:
        """The short name where the document uses one, else the full name."""
        return self.short_name or self.organisation.name

    def __str__(self) -> str:
        return self.organisation.name


class AgreementParty(LockedTreeModel, _Historied):
    """A further party to an agreement (the rows behind ``Agreement.other_parties``).

    Explicit so that the rows themselves refuse changes once the agreement is
    signed, also when written directly (``AgreementParty.objects.create()``).
    """

    agreement_path = "agreement"

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="party_rows"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(
        _("place among the parties"),
        default=3,
        help_text=_("Parties are listed in the document's order: 1 first."),
    )
    short_name = models.CharField(
        _("short name in the text"),
        max_length=60,
        blank=True,
        help_text=_("Where the document uses a short form in running text."),
    )

    objects = LockedTreeQuerySet.as_manager()

    class Meta:
        db_table = "agreements_agreement_other_parties"
        verbose_name = _("further party")
        verbose_name_plural = _("further parties")
        ordering = ["agreement", "position", "organisation__name"]
        unique_together = [("agreement", "organisation")]

    def __str__(self) -> str:
        return f"{self.organisation_id} – {self.agreement_id}"

    def get_absolute_url(self) -> str:
        return reverse("agreements:detail", args=[self.agreement_id])


class FocusArea(LockedTreeModel, DomainModel):
    """A focus area (fokusområde / samverkansområde) of an agreement."""

    agreement_path = "agreement"

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="focus_areas"
    )
    position = models.PositiveIntegerField(_("position"), default=1)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=FocusAreaKind.choices, default=FocusAreaKind.BOTH
    )
    areas = models.ManyToManyField(
        Area,
        verbose_name=_("areas"),
        blank=True,
        related_name="focus_areas",
        through="FocusAreaArea",
    )

    objects = LockedScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["agreement", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "position"],
                name="focusarea_unique_position",
                deferrable=models.Deferrable.DEFERRED,
                violation_error_message=_("Two focus areas cannot have the same position."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{self.agreement.get_absolute_url()}#focus-{self.pk}"


class AreaLinkQuerySet(LockedScopedQuerySet):
    """Links between an agreement (or focus area) and areas, written one row at a time."""

    def set_for(self, owner, areas) -> None:
        """Make ``owner``'s areas exactly ``areas``: rows added and removed one by one, so
        that each link is in the history and each write passes the signed-agreement lock."""
        field = self.model.owner_field
        wanted = {area.pk: area for area in areas}
        for link in self.filter(**{field: owner}):
            if link.area_id not in wanted:
                link.delete()
            else:
                wanted.pop(link.area_id)
        for area in wanted.values():
            link = self.model(**{field: owner, "area": area})
            link.full_clean()
            link.save()


class AgreementArea(LockedTreeModel, DomainModel):
    """An area the agreement concerns (the rows behind ``Agreement.areas``)."""

    agreement_path = "agreement"
    owner_field = "agreement"

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="area_links"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )

    objects = AreaLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("area of the agreement")
        verbose_name_plural = _("areas of the agreement")
        ordering = ["agreement", "area__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "area"],
                name="agreementarea_unique",
                violation_error_message=_("The area is already linked."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.area_id} – {self.agreement_id}"

    def get_absolute_url(self) -> str:
        return reverse("agreements:detail", args=[self.agreement_id])

    def clean(self):
        super().clean()
        if (
            self.area_id
            and self.agreement_id
            and self.area.municipality_id != self.agreement.municipality_id
        ):
            raise ValidationError({"area": _("Choose an area of the agreement's municipality.")})


class FocusAreaArea(LockedTreeModel, DomainModel):
    """An area a focus area concerns (the rows behind ``FocusArea.areas``)."""

    agreement_path = "focus_area__agreement"
    owner_field = "focus_area"

    focus_area = models.ForeignKey(
        FocusArea, verbose_name=_("focus area"), on_delete=models.CASCADE, related_name="area_links"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )

    objects = AreaLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("area of the focus area")
        verbose_name_plural = _("areas of the focus area")
        ordering = ["focus_area", "area__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["focus_area", "area"],
                name="focusareaarea_unique",
                violation_error_message=_("The area is already linked."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.area_id} – {self.focus_area_id}"

    def get_absolute_url(self) -> str:
        return self.focus_area.get_absolute_url()

    def clean(self):
        super().clean()
        if (
            self.area_id
            and self.focus_area_id
            and self.area.municipality_id != self.focus_area.agreement.municipality_id
        ):
            raise ValidationError({"area": _("Choose an area of the agreement's municipality.")})


class SubGoal(LockedTreeModel, DomainModel):
    """A delimited, measurable sub-goal (delmål) of a focus area."""

    agreement_path = "focus_area__agreement"

    focus_area = models.ForeignKey(
        FocusArea, verbose_name=_("focus area"), on_delete=models.CASCADE, related_name="sub_goals"
    )
    position = models.PositiveIntegerField(_("position"), default=1)
    text = models.TextField(_("sub-goal"))
    measured_by = models.TextField(
        _("measured by"),
        blank=True,
        help_text=_("How the sub-goal is measured; link indicators in the situation picture."),
    )

    objects = LockedScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("sub-goal")
        verbose_name_plural = _("sub-goals")
        ordering = ["focus_area", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["focus_area", "position"],
                name="subgoal_unique_position",
                deferrable=models.Deferrable.DEFERRED,
                violation_error_message=_("Two sub-goals cannot have the same position."),
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return f"{self.focus_area.agreement.get_absolute_url()}#subgoal-{self.pk}"


class Cause(LockedTreeModel, DomainModel):
    """A cause (orsak) found in the causal analysis of a focus area."""

    agreement_path = "focus_area__agreement"

    focus_area = models.ForeignKey(
        FocusArea, verbose_name=_("focus area"), on_delete=models.CASCADE, related_name="causes"
    )
    position = models.PositiveIntegerField(_("position"), default=1)
    text = models.TextField(_("cause"))

    objects = LockedScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("cause")
        verbose_name_plural = _("causes")
        ordering = ["focus_area", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return f"{self.focus_area.agreement.get_absolute_url()}#cause-{self.pk}"


class Commitment(LockedTreeModel, DomainModel):
    """What a party undertakes ("Polisen förbinder sig att…"); no party = joint ("Vi åtar oss…")."""

    agreement_path = "agreement"

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="commitments"
    )
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("focus area"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commitments",
    )
    party = models.ForeignKey(
        Organisation,
        verbose_name=_("party"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        help_text=_("Leave empty for a joint commitment."),
    )
    position = models.PositiveIntegerField(_("position"), default=1)
    text = models.TextField(_("commitment"))

    objects = LockedScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["agreement", "party_id", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return f"{self.agreement.get_absolute_url()}#commitment-{self.pk}"

    @property
    def is_joint(self) -> bool:
        return self.party_id is None

    def clean(self):
        super().clean()
        if self.party_id and self.agreement_id and self.party_id not in self.agreement.party_ids():
            raise ValidationError({"party": _("The party must be one of the agreement's parties.")})
        if (
            self.focus_area_id
            and self.agreement_id
            and self.focus_area.agreement_id != self.agreement_id
        ):
            raise ValidationError({"focus_area": _("The focus area belongs to another agreement.")})


class Signatory(LockedTreeModel, DomainModel):
    """A person who signs the agreement for one of its parties."""

    agreement_path = "agreement"

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="signatories"
    )
    position = models.PositiveIntegerField(_("position"), default=1)
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("place"), max_length=100, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)

    objects = LockedScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["agreement", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.name}, {self.title}"

    def get_absolute_url(self) -> str:
        return f"{self.agreement.get_absolute_url()}#signatory-{self.pk}"

    def clean(self):
        super().clean()
        if (
            self.organisation_id
            and self.agreement_id
            and self.organisation_id not in self.agreement.party_ids()
        ):
            raise ValidationError(
                {"organisation": _("The signatory must represent one of the agreement's parties.")}
            )


def _guard_party_changes(sender, instance, action, reverse, **kwargs):
    """Parties of a signed agreement cannot be added or removed."""
    if action not in {"pre_add", "pre_remove", "pre_clear"}:
        return
    if reverse:
        pks = kwargs.get("pk_set") or set()
        locked = Agreement._base_manager.filter(status__in=LOCKED_STATUSES)
        if action == "pre_clear":
            locked = locked.filter(other_parties=instance)
        else:
            locked = locked.filter(pk__in=pks)
        if locked.exists():
            raise AgreementLocked()
    elif instance.locked_in_db():
        raise AgreementLocked(instance)


models.signals.m2m_changed.connect(
    _guard_party_changes, sender=AgreementParty, dispatch_uid="agreement_parties"
)


#: What the history page can restore (items of an agreement that is still a draft).
