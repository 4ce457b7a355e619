"""The action plan (åtgärdsplan / handlingsplan): activities, who does what, and reviews."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements import access
from agreements.models import (
    Agreement,
    Area,
    Cause,
    FocusArea,
    OpenScopedQuerySet,
    Organisation,
    SubGoal,
)
from core.choices import ReviewDecision, ReviewState
from core.models import DomainModel
from forums.models import Forum

from .choices import ActivityKind, ActivityStatus, EffectHorizon, PartyRole, PlanStatus


class ActionPlan(DomainModel):
    """The action plan of an agreement for a period."""

    agreement_path = "agreement"

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="plans"
    )
    title = models.CharField(_("title"), max_length=300)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)

    objects = OpenScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["agreement", "-valid_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gt=models.F("valid_from")),
                name="actionplan_period_ends_after_start",
                violation_error_message=_("The period must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actionplans:plan-detail", args=[self.pk])


class ActivityQuerySet(OpenScopedQuerySet):
    """Activities: visible with their agreement; the municipality's coordinators edit them.

    The police review activities and report on those they lead (follow-up updates), but
    the plan itself is the coordinator's (DESIGN.md, *Access*).
    """

    def editable_by(self, user):
        return self.filter(access.edits(user).q("plan__agreement__municipality_id"))

    def all_editable_in(self, user, plan) -> bool:
        """Whether ``user`` edits the activities of ``plan``: :meth:`editable_by`'s rule,
        which depends on the plan's municipality alone (all of a plan's rows or none)."""
        return plan.agreement.municipality_id in access.edits(user)

    def reviewable_by(self, user):
        return self.filter(access.reviews(user).q("plan__agreement__police_area_id"))


class Activity(DomainModel):
    """One row of the action plan: what is done, by whom, when, and how it is followed up."""

    agreement_path = "plan__agreement"

    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    code = models.CharField(
        _("code"), max_length=20, blank=True, help_text=_("For example 1.3; used when importing.")
    )
    position = models.PositiveIntegerField(_("position"), default=1)
    title = models.CharField(
        _("activity"), max_length=300, help_text=_("What is done, in a few words.")
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("No personal data about individuals.")
    )
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("focus area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    sub_goals = models.ManyToManyField(
        SubGoal, verbose_name=_("sub-goals"), blank=True, related_name="activities"
    )
    causes = models.ManyToManyField(
        Cause, verbose_name=_("causes acted on"), blank=True, related_name="activities"
    )
    effect_goal = models.TextField(_("effect goal"), blank=True)
    responsible = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_activities",
    )
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    schedule = models.CharField(
        _("schedule"),
        max_length=200,
        blank=True,
        help_text=_("For example: ongoing, every spring."),
    )
    followup_method = models.TextField(_("how it is followed up"), blank=True)
    communication = models.TextField(_("communication"), blank=True)
    areas = models.ManyToManyField(Area, verbose_name=_("areas"), blank=True, related_name="+")
    forum = models.ForeignKey(
        Forum,
        verbose_name=_("coordinating forum"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    kind = models.CharField(
        _("kind of prevention"), max_length=20, choices=ActivityKind.choices, blank=True
    )
    horizon = models.CharField(
        _("expected effect"), max_length=10, choices=EffectHorizon.choices, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ActivityStatus.choices,
        default=ActivityStatus.PLANNED,
        db_index=True,
    )
    review_state = models.CharField(
        _("review state"),
        max_length=20,
        choices=ReviewState.choices,
        default=ReviewState.DRAFT,
        db_index=True,
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["plan", "position", "pk"]
        indexes = [
            # The plan page and the activity list's order (plan, position, pk).
            models.Index(fields=["plan", "position", "id"], name="activity_plan_order"),
            models.Index(fields=["responsible", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_start",
                violation_error_message=_("The activity cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["plan", "code"],
                condition=~Q(code=""),
                name="activity_unique_code",
                violation_error_message=_("Another activity in the plan has this code."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("actionplans:activity-detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The activity cannot end before it starts.")})
        if (
            self.focus_area_id
            and self.plan_id
            and self.focus_area.agreement_id != self.plan.agreement_id
        ):
            raise ValidationError({"focus_area": _("The focus area belongs to another agreement.")})


class ActivityRole(DomainModel):
    """A party's role in an activity — the Strängnäs table's Kommun / Polis / Kommunikation columns."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="roles"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)
    text = models.TextField(_("what the party does"), blank=True)

    class Meta:
        verbose_name = _("role in activity")
        verbose_name_plural = _("roles in activities")
        ordering = ["activity", "organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "organisation", "role"],
                name="activityrole_unique",
                violation_error_message=_(
                    "The organisation already has this role in the activity."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_role_display()}"

    def get_absolute_url(self) -> str:
        return self.activity.get_absolute_url()


class Review(DomainModel):
    """The community police officer's decision on an activity."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.CharField(_("decision"), max_length=20, choices=ReviewDecision.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["activity", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision=ReviewDecision.RETURNED) | ~Q(comment=""),
                name="review_changes_need_comment",
                violation_error_message=_("Say what should be changed."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.get_decision_display()}"

    def get_absolute_url(self) -> str:
        return self.activity.get_absolute_url()
