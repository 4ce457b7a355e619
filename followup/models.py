"""Follow-up: reports per period, reviewed activity updates, and the lägesbild's indicators."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from actionplans.models import ActionPlan, Activity
from agreements.choices import OrganisationKind
from agreements.models import (
    Agreement,
    Area,
    MunicipalityOwnedQuerySet,
    OpenScopedQuerySet,
    Organisation,
    SubGoal,
)
from core.choices import ReviewState
from core.models import DomainModel, RecordLocked
from forums.models import Forum

from .choices import DEVIATING_STATUSES, IndicatorSource, ReportStatus, Rhythm, UpdateStatus


class FollowUpRhythm(DomainModel):
    """How often an agreement is followed up, when reports are due and where they are presented."""

    agreement_path = "agreement"

    agreement = models.OneToOneField(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="followup_rhythm",
    )
    rhythm = models.CharField(
        _("rhythm"), max_length=20, choices=Rhythm.choices, default=Rhythm.INTERIM_AND_ANNUAL
    )
    custom_months = models.CharField(
        _("months that end a period"),
        max_length=40,
        blank=True,
        validators=[
            RegexValidator(
                r"^\s*(1[0-2]|[1-9])(\s*,\s*(1[0-2]|[1-9]))*\s*$",
                _("Write month numbers 1–12 separated by commas, for example 4, 8, 12."),
            )
        ],
        help_text=_("Only for a custom rhythm: the months in which a period ends, e.g. 6, 12."),
    )
    due_days = models.PositiveSmallIntegerField(
        _("days until due"),
        default=30,
        validators=[MaxValueValidator(180, _("At most 180 days after the period ends."))],
        help_text=_("How many days after the end of the period the report is due."),
    )
    forum = models.ForeignKey(
        Forum,
        verbose_name=_("presented to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    annual_forum = models.ForeignKey(
        Forum,
        verbose_name=_("full-year report presented to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave empty to present the full-year report to the same forum."),
    )

    objects = OpenScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up rhythm")
        verbose_name_plural = _("follow-up rhythms")
        ordering = ["agreement"]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.get_rhythm_display()}"

    def get_absolute_url(self) -> str:
        return reverse("followup:rhythm", args=[self.agreement_id])

    @property
    def end_months(self) -> list[int]:
        """The months (1–12) in which a follow-up period ends."""
        fixed = {
            Rhythm.QUARTERLY: [3, 6, 9, 12],
            Rhythm.TERTIAL: [4, 8, 12],
            Rhythm.INTERIM_AND_ANNUAL: [8, 12],
            Rhythm.YEARLY: [12],
        }
        if self.rhythm in fixed:
            return fixed[self.rhythm]
        months = sorted({int(m) for m in self.custom_months.replace(" ", "").split(",") if m})
        return months or [12]

    def clean(self):
        super().clean()
        if self.rhythm == Rhythm.CUSTOM and not self.custom_months.strip():
            raise ValidationError(
                {"custom_months": _("A custom rhythm needs the months that end a period.")}
            )
        municipality_id = self.agreement.municipality_id if self.agreement_id else None
        for name in ("forum", "annual_forum"):
            forum = getattr(self, name)
            if forum is not None and forum.municipality_id != municipality_id:
                raise ValidationError({name: _("Choose a forum of the agreement's municipality.")})


class FollowUpReport(DomainModel):
    """A follow-up report for a period ("Delår 2 2025", "Helår 2025", "Kvartal 3")."""

    agreement_path = "agreement"

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="reports"
    )
    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    presented_to = models.ForeignKey(
        Forum,
        verbose_name=_("presented to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    summary = models.TextField(_("summary"), blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    #: The activities the report covered when it was approved; ``None`` while it is open.
    frozen_activity_ids = models.JSONField(
        _("activities at approval"), null=True, blank=True, editable=False
    )
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True, editable=False)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reopened by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True, editable=False)
    #: What the report showed when it was approved (``followup.snapshot``); ``None`` while open.
    snapshot = models.JSONField(_("contents at approval"), null=True, blank=True, editable=False)
    approved_pdf = models.FileField(
        _("approved PDF"), upload_to="followup/approved/", blank=True, editable=False
    )
    approved_pdf_sha256 = models.CharField(
        _("SHA-256 of the approved PDF"), max_length=64, blank=True, editable=False
    )

    objects = OpenScopedQuerySet.as_manager()

    #: What approval and reopening may change on an approved report; nothing else may.
    LIFECYCLE_FIELDS = frozenset(
        {
            "status",
            "approved_at",
            "approved_by",
            "frozen_activity_ids",
            "reopened_at",
            "reopened_by",
            "reopen_reason",
            "snapshot",
            "approved_pdf",
            "approved_pdf_sha256",
        }
    )

    class Meta:
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")
        ordering = ["agreement", "-period_end", "pk"]
        indexes = [
            models.Index(fields=["agreement", "-period_end"]),
            # The staff report list (newest first) and the review queue (by due date).
            models.Index(fields=["-period_end", "id"], name="report_period_end_desc"),
            models.Index(fields=["due_date"], name="report_due_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="report_period_ends_after_start",
                violation_error_message=_("The period must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("followup:report-detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.agreement_id and self.period_start and self.period_end:
            a = self.agreement
            if self.period_start < a.valid_from or self.period_end > a.valid_to:
                raise ValidationError(
                    {"period_end": _("The period must lie within the agreement's period.")}
                )
        if self.agreement_id and self.plan_id and self.plan.agreement_id != self.agreement_id:
            raise ValidationError({"plan": _("The action plan belongs to another agreement.")})
        if (
            self.agreement_id
            and self.presented_to_id
            and self.presented_to.municipality_id != self.agreement.municipality_id
        ):
            raise ValidationError(
                {"presented_to": _("Choose a forum of the agreement's municipality.")}
            )

    def _guard_approved(self) -> None:
        """An approved report is a record: nothing in it changes, by any path that saves.
        Only reopening (by a coordinator, with a reason: ``report_reopen``) moves it on."""
        if self.pk is None:
            return
        stored = type(self)._base_manager.filter(pk=self.pk).first()
        if stored is None or stored.status != ReportStatus.APPROVED:
            return
        changed = {
            f.attname
            for f in self._meta.concrete_fields
            if f.attname not in {"version", "updated_at", "created_at"}
            and getattr(stored, f.attname) != getattr(self, f.attname)
        }
        lifecycle = {
            f"{name}_id" if name.endswith("_by") else name for name in self.LIFECYCLE_FIELDS
        }
        reopening = self.status != ReportStatus.APPROVED and bool(self.reopen_reason.strip())
        if changed - lifecycle or (changed and not reopening):
            raise RecordLocked(
                _(
                    "The report is approved and cannot be changed. A coordinator can reopen it, "
                    "with a reason."
                )
            )

    def save(self, *args, **kwargs):
        self._guard_approved()
        moved = self.pk is not None and (
            type(self)._base_manager.filter(pk=self.pk).exclude(period_end=self.period_end).exists()
        )
        super().save(*args, **kwargs)
        if moved:
            # Another update of an activity may now be its latest one.
            ActivityUpdate.objects.refresh_latest(
                ActivityUpdate.objects.filter(report_id=self.pk).values("activity_id")
            )

    def delete(self, *args, **kwargs):
        if type(self)._base_manager.filter(pk=self.pk, status=ReportStatus.APPROVED).exists():
            raise RecordLocked(_("An approved report cannot be deleted."))
        return super().delete(*args, **kwargs)

    @classmethod
    def locked_among(cls, reports) -> list:
        """Those of ``reports`` that are approved as stored (the admin refuses to delete them)."""
        approved = set(
            cls._base_manager.filter(
                pk__in=[r.pk for r in reports], status=ReportStatus.APPROVED
            ).values_list("pk", flat=True)
        )
        return [r for r in reports if r.pk in approved]

    def activities(self):
        """The activities this report follows up: its plan's, or all plans' of the agreement.
        Once approved, those it covered then — activities added later are not in it."""
        if self.frozen_activity_ids is not None:
            return Activity.objects.filter(pk__in=self.frozen_activity_ids)
        if self.plan_id:
            return Activity.objects.filter(plan_id=self.plan_id)
        return Activity.objects.filter(plan__agreement_id=self.agreement_id)

    @property
    def is_open(self) -> bool:
        """Updates may still be written (the report is not approved)."""
        return self.status != ReportStatus.APPROVED


class ActivityUpdateQuerySet(OpenScopedQuerySet):
    def refresh_latest(self, activity_ids) -> None:
        """Recompute ``is_latest`` for the updates of ``activity_ids`` (ids or a subquery).

        The latest update of an activity is the one of the report with the latest
        ``period_end`` (ties: the newest row) — the same order as everywhere else.
        A derived cache, so written with ``update()``: no history row, no version bump.
        """
        if isinstance(activity_ids, (list, set, tuple)):
            activity_ids = list(activity_ids)
            if not activity_ids:
                return
        latest = (
            ActivityUpdate._base_manager.filter(activity_id=models.OuterRef("activity_id"))
            .order_by("-report__period_end", "-pk")
            .values("pk")[:1]
        )
        ActivityUpdate._base_manager.filter(activity_id__in=activity_ids).update(
            is_latest=models.ExpressionWrapper(
                Q(pk=models.Subquery(latest)), output_field=models.BooleanField()
            )
        )


class ActivityUpdate(DomainModel):
    """What happened in an activity during a report's period; reviewed before it counts.

    ``is_latest`` marks each activity's latest update (by its report's period end); it is
    kept current on every save and delete of an update and on a change of a report's
    period, so the deviations list can find the latest status with an index.
    """

    agreement_path = "report__agreement"

    report = models.ForeignKey(
        FollowUpReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="updates"
    )
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="updates"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=UpdateStatus.choices, default=UpdateStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"),
        default=0,
        validators=[
            MinValueValidator(0, _("Progress cannot be below 0.")),
            MaxValueValidator(100, _("Progress cannot exceed 100.")),
        ],
    )
    done = models.TextField(_("what was done"), blank=True)
    collaborated_with = models.TextField(_("who collaborated"), blank=True)
    effects = models.TextField(_("observed effects"), blank=True)
    deviation = models.TextField(_("deviation"), blank=True)
    remedy = models.TextField(_("remedy"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    review_state = models.CharField(
        _("review state"),
        max_length=20,
        choices=ReviewState.choices,
        default=ReviewState.DRAFT,
        db_index=True,
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    #: Set when a coordinator records, with a reason, that the activity is not reported
    #: in this report (so that the report can be approved without it).
    not_reported_reason = models.TextField(_("reason it is not reported"), blank=True)
    is_latest = models.BooleanField(
        _("latest update of the activity"), default=False, editable=False
    )

    objects = ActivityUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity update")
        verbose_name_plural = _("activity updates")
        ordering = ["report", "activity__position", "pk"]
        indexes = [
            models.Index(fields=["activity", "status"]),
            # The deviations list: each activity's latest update, by status.
            models.Index(
                fields=["status", "activity"],
                condition=Q(is_latest=True),
                name="update_latest_status",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "activity"],
                name="update_unique_per_report",
                violation_error_message=_("The activity already has an update in this report."),
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="update_progress_0_100",
                violation_error_message=_("Progress must be between 0 and 100 %."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.activity}"

    def get_absolute_url(self) -> str:
        return f"{self.report.get_absolute_url()}#update-{self.pk}"

    def _guard_approved_report(self) -> None:
        if (
            self.report_id
            and FollowUpReport._base_manager.filter(
                pk=self.report_id, status=ReportStatus.APPROVED
            ).exists()
        ):
            raise RecordLocked(
                _("The report is approved; its updates cannot be changed. Reopen it first.")
            )

    def save(self, *args, **kwargs):
        self._guard_approved_report()
        super().save(*args, **kwargs)
        type(self).objects.refresh_latest([self.activity_id])
        self.is_latest = (
            type(self)._base_manager.filter(pk=self.pk).values_list("is_latest", flat=True).get()
        )

    def delete(self, *args, **kwargs):
        self._guard_approved_report()
        return super().delete(*args, **kwargs)

    @classmethod
    def locked_among(cls, updates) -> list:
        """Those of ``updates`` in an approved report (the admin refuses to delete them)."""
        approved = set(
            FollowUpReport._base_manager.filter(
                pk__in={u.report_id for u in updates}, status=ReportStatus.APPROVED
            ).values_list("pk", flat=True)
        )
        return [u for u in updates if u.report_id in approved]

    def clean(self):
        super().clean()
        if self.report_id and self.activity_id:
            plan = self.activity.plan
            if plan.agreement_id != self.report.agreement_id or (
                self.report.plan_id and plan.pk != self.report.plan_id
            ):
                raise ValidationError(_("The activity does not belong to the report's plan."))

    @property
    def is_not_reported(self) -> bool:
        return bool(self.not_reported_reason)

    @property
    def is_deviating(self) -> bool:
        return self.status in DEVIATING_STATUSES

    @property
    def is_editable_state(self) -> bool:
        """Drafts and returned updates may be edited; submitted and approved ones wait or count."""
        return self.review_state in (ReviewState.DRAFT, ReviewState.RETURNED)


class ReportReminder(models.Model):
    """A reminder sent to the reporters of a unit that had not reported (a log, never changed)."""

    report = models.ForeignKey(
        FollowUpReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["report", "-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.report}: {self.unit}"


class Indicator(DomainModel):
    """A measure in the lägesbild (trygghetsindex, anmälda våldsbrott, …)."""

    municipality = models.ForeignKey(
        Organisation,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="indicators",
        limit_choices_to={"kind": OrganisationKind.MUNICIPALITY},
    )
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(
        _("source"), max_length=30, choices=IndicatorSource.choices, default=IndicatorSource.OTHER
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    baseline_year = models.PositiveIntegerField(_("baseline year"), null=True, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    target_year = models.PositiveIntegerField(_("target year"), null=True, blank=True)
    sub_goals = models.ManyToManyField(
        SubGoal, verbose_name=_("sub-goals"), blank=True, related_name="indicators"
    )
    source_limits = models.TextField(
        _("limits of the source"),
        blank=True,
        help_text=_("What the figures can and cannot say: sample, coverage, changes in method."),
    )
    description = models.TextField(_("description"), blank=True)

    # The lägesbild is shared: the municipality's members and the parties of its agreements
    # read it; its coordinators edit it.
    objects = MunicipalityOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="indicator_unique_name",
                violation_error_message=_(
                    "The municipality already has an indicator with this name."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("followup:indicator-detail", args=[self.pk])


class IndicatorValue(DomainModel):
    """One measured value of an indicator for a period, optionally for an area."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "period_start", "area__name"]
        indexes = [models.Index(fields=["indicator", "period_start"])]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period_start", "period_end"],
                nulls_distinct=False,
                name="indicatorvalue_unique_period",
                violation_error_message=_("There is already a value for this period and area."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="indicatorvalue_period_order",
                violation_error_message=_("The period must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period_start:%Y}: {self.value}"

    def get_absolute_url(self) -> str:
        return self.indicator.get_absolute_url()


@receiver(post_delete, sender=ActivityUpdate, dispatch_uid="followup_update_deleted")
def _update_deleted(sender, instance, **kwargs):
    """An earlier update becomes the latest when the latest one goes."""
    if instance.is_latest:
        ActivityUpdate.objects.refresh_latest([instance.activity_id])
