"""Forums where the parties meet, who sits in them, their meetings and attendance.

Forums depend on agreements only. Activities and follow-up reports point at a
forum from their own apps; the forum reaches them through reverse relations.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.access import get_access
from agreements.choices import LOCKED_STATUSES, OrganisationKind
from agreements.locking import AgreementLocked
from agreements.models import Agreement, MunicipalityOwnedQuerySet, Organisation
from core.models import DomainModel

from .choices import ForumKind, Frequency


class ForumQuerySet(MunicipalityOwnedQuerySet):
    """Forums are seen by members of the municipality, of a party seated in the forum, or of
    a party to an agreement naming it; the municipality's coordinators edit them."""

    def visible_to(self, user):
        access = get_access(user)
        if access.sees_everything:
            return self
        if not access.org_ids:
            return self.none()
        orgs = list(access.org_ids)
        named = Agreement.objects.visible_to(user).filter(forums=models.OuterRef("pk"))
        seated = ForumSeat.objects.filter(forum=models.OuterRef("pk"), organisation_id__in=orgs)
        return self.filter(
            Q(municipality_id__in=orgs) | Q(models.Exists(seated)) | Q(models.Exists(named))
        )


class Forum(DomainModel):
    """A forum in which the parties meet (KUG, KSG, BRÅ, SSPF, EST, …)."""

    municipality = models.ForeignKey(
        Organisation,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="forums",
        limit_choices_to={"kind": OrganisationKind.MUNICIPALITY},
    )
    name = models.CharField(_("name"), max_length=200)
    abbreviation = models.CharField(_("abbreviation"), max_length=30, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=30, choices=ForumKind.choices, default=ForumKind.WORKING_GROUP
    )
    kind_label = models.CharField(
        _("own kind"),
        max_length=100,
        blank=True,
        help_text=_(
            "For the kind “Other”: what the group is, e.g. crisis management council or EST group."
        ),
    )
    frequency = models.CharField(
        _("meeting frequency"),
        max_length=20,
        choices=Frequency.choices,
        blank=True,
        default="",
        help_text=_("Leave empty when the document does not say how often the forum meets."),
    )
    convener = models.ForeignKey(
        Organisation,
        verbose_name=_("convened by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The organisation that calls the forum's meetings."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    chair = models.CharField(_("chair"), max_length=200, blank=True, help_text=_("By function."))
    agreements = models.ManyToManyField(
        Agreement, verbose_name=_("agreements"), blank=True, related_name="forums"
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ForumQuerySet.as_manager()

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["municipality__name", "name"]
        indexes = [models.Index(fields=["municipality", "name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name

    def get_absolute_url(self) -> str:
        return reverse("forums:detail", args=[self.pk])

    @property
    def is_statutory_council(self) -> bool:
        return self.kind == ForumKind.STRATEGIC_COUNCIL

    @property
    def kind_display(self) -> str:
        """The kind as printed: a forum of the kind "Other" names its own."""
        if self.kind == ForumKind.OTHER and self.kind_label:
            return self.kind_label
        return self.get_kind_display()

    def clean(self):
        super().clean()
        if self.kind == ForumKind.OTHER and not self.kind_label.strip():
            raise ValidationError({"kind_label": _("Say what kind of group the forum is.")})
        node, seen = self.parent, {self.pk}
        while node is not None:
            if node.pk in seen:
                raise ValidationError({"parent": _("A forum cannot report to itself.")})
            seen.add(node.pk)
            node = node.parent


class ForumScopedQuerySet(models.QuerySet):
    """Rows below a forum (seats, meetings) are seen and edited with their forum."""

    forum_path = "forum"

    def visible_to(self, user):
        return self.filter(
            **{f"{self.forum_path}__in": Forum.objects.visible_to(user).values("pk")}
        )

    def editable_by(self, user):
        return self.filter(
            **{f"{self.forum_path}__in": Forum.objects.editable_by(user).values("pk")}
        )


class MeetingScopedQuerySet(ForumScopedQuerySet):
    forum_path = "meeting__forum"


class ForumSeat(DomainModel):
    """Who a party is expected to send to a forum, by function.

    A seat is expected at the meetings held while it is active (``active_from`` –
    ``active_until``, open ends allowed); attendance rates are measured against that.
    """

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="seats"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    function = models.CharField(_("function"), max_length=200)
    required = models.BooleanField(_("required"), default=True)
    position = models.PositiveIntegerField(_("position"), default=1)
    active_from = models.DateField(
        _("active from"), null=True, blank=True, help_text=_("Leave empty if always.")
    )
    active_until = models.DateField(
        _("active until"), null=True, blank=True, help_text=_("Leave empty if still active.")
    )

    objects = ForumScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["forum", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_from__isnull=True)
                | Q(active_until__isnull=True)
                | Q(active_until__gte=models.F("active_from")),
                name="forumseat_active_period",
                violation_error_message=_("The seat cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.function} ({self.organisation})"

    def get_absolute_url(self) -> str:
        return self.forum.get_absolute_url()

    def is_active_on(self, day) -> bool:
        """Whether the seat was expected at a meeting held on ``day``."""
        return (self.active_from is None or self.active_from <= day) and (
            self.active_until is None or day <= self.active_until
        )


class Meeting(DomainModel):
    """One meeting of a forum."""

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(
        _("minutes"), blank=True, help_text=_("No personal data about individuals.")
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)

    objects = ForumScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["forum", "starts_at"]
        indexes = [models.Index(fields=["forum", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.forum} {timezone.localtime(self.starts_at):%Y-%m-%d}"

    @property
    def local_date(self):
        return timezone.localtime(self.starts_at).date()

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_held(self) -> bool:
        """Held: not cancelled and already begun — the meetings attendance is measured on."""
        return not self.cancelled and self.is_past

    def get_absolute_url(self) -> str:
        return reverse("forums:meeting-detail", args=[self.pk])


class MeetingDecision(DomainModel):
    """A decision recorded in a meeting's minutes."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    position = models.PositiveIntegerField(_("position"), default=1)
    text = models.TextField(_("decision"), help_text=_("No personal data about individuals."))

    objects = MeetingScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return self.meeting.get_absolute_url()


class Attendance(DomainModel):
    """Whether a seat (or another organisation's representative) attended a meeting."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    seat = models.ForeignKey(
        ForumSeat,
        verbose_name=_("seat"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendances",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.CharField(
        _("attended as"), max_length=200, blank=True, help_text=_("Function, not a private person.")
    )
    present = models.BooleanField(_("present"), default=True)

    objects = MeetingScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["meeting", "seat__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "seat"],
                name="attendance_unique_seat",
                violation_error_message=_("Attendance for this seat is already recorded."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.organisation}"

    def get_absolute_url(self) -> str:
        return self.meeting.get_absolute_url()

    def clean(self):
        super().clean()
        if self.seat_id and self.meeting_id and self.seat.forum_id != self.meeting.forum_id:
            raise ValidationError({"seat": _("The seat belongs to another forum.")})


class CalendarToken(models.Model):
    """A secret address with which a user's calendar program reads the user's forum meetings.

    Only a SHA-256 hash of the secret is stored; the address is shown once when
    created. Creating a new one replaces the old (which then stops working);
    deleting it revokes the subscription.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="forum_calendar_token",
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.user)

    def get_absolute_url(self) -> str:
        return reverse("forums:calendar")


def _guard_signed_agreement_links(sender, instance, action, reverse, **kwargs):
    """The forums of a signed agreement are part of what was signed: the links are frozen."""
    if action not in {"pre_add", "pre_remove", "pre_clear"}:
        return
    locked = Agreement._base_manager.filter(status__in=LOCKED_STATUSES)
    if reverse:  # agreement.forums.add(...)
        if locked.filter(pk=instance.pk).exists():
            raise AgreementLocked(instance)
        return
    if action == "pre_clear":
        locked = locked.filter(forums=instance)
    else:
        locked = locked.filter(pk__in=kwargs.get("pk_set") or set())
    if locked.exists():
        raise AgreementLocked()


models.signals.m2m_changed.connect(
    _guard_signed_agreement_links, sender=Forum.agreements.through, dispatch_uid="forum_agreements"
)
