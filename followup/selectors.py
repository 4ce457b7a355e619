"""Reads of the followup app. Every function takes the user and returns only what they may see."""

from __future__ import annotations

import datetime
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from django.db.models import F, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from actionplans.models import Activity
from actionplans.selectors import visible_activities_for_lists
from agreements import access
from core.choices import ReviewState

from . import snapshot
from .choices import DEVIATING_STATUSES, ReportStatus, UpdateStatus
from .models import ActivityUpdate, FollowUpReport, Indicator, IndicatorValue

# ---------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------


def reports_visible(user):
    return FollowUpReport.objects.visible_to(user).select_related(
        "agreement", "presented_to", "plan"
    )


def report_activities_for(report: FollowUpReport, user):
    """The report's activities as ``user`` works with them: all of them, or for a reporter
    (who neither edits nor reviews the agreement) those their unit reports on."""
    activities = report.activities()
    if access.is_reporter_only(user, report.agreement):
        activities = activities.filter(access.reported_activities_q(user))
    return activities


def previous_updates(report: FollowUpReport, activity_ids) -> dict[int, ActivityUpdate]:
    """Each activity's latest update in an earlier report of the same agreement (two queries)."""
    latest = ActivityUpdate.objects.filter(
        activity=OuterRef("pk"),
        report__agreement_id=report.agreement_id,
        report__period_end__lt=report.period_end,
    ).order_by("-report__period_end", "-pk")
    pks = (
        Activity.objects.filter(pk__in=list(activity_ids))
        .annotate(prev=Subquery(latest.values("pk")[:1]))
        .exclude(prev=None)
        .values_list("prev", flat=True)
    )
    return {
        u.activity_id: u
        for u in ActivityUpdate.objects.filter(pk__in=list(pks)).select_related("report")
    }


PREFILL_FIELDS = (
    "status",
    "progress",
    "done",
    "collaborated_with",
    "effects",
    "deviation",
    "remedy",
)


def prefilled_update(report: FollowUpReport, activity: Activity, previous: ActivityUpdate | None):
    """A new (unsaved) update for the activity, pre-filled from its previous update."""
    update = ActivityUpdate(report=report, activity=activity)
    if previous is not None:
        for name in PREFILL_FIELDS:
            setattr(update, name, getattr(previous, name))
    return update


@dataclass
class FillRow:
    activity: Activity
    update: ActivityUpdate
    previous: ActivityUpdate | None
    editable: bool
    form: object = None

    @property
    def is_saved(self) -> bool:
        return self.update.pk is not None


def report_fill_rows(report: FollowUpReport, user) -> list[FillRow]:
    """Every activity of the report's plan with its update (saved or pre-filled); for a
    unit's reporter, only the activities the unit reports on."""
    activities = report_activities_for(report, user)
    activities = list(
        activities.select_related("focus_area", "responsible").order_by("plan_id", "position", "pk")
    )
    saved = {
        u.activity_id: u
        for u in report.updates.select_related("author", "reviewed_by").order_by("pk")
    }
    previous = previous_updates(report, [a.pk for a in activities if a.pk not in saved])
    rows = []
    for activity in activities:
        update = saved.get(activity.pk)
        prev = None
        if update is None:
            prev = previous.get(activity.pk)
            update = prefilled_update(report, activity, prev)
        else:
            update.report = report
            update.activity = activity
        editable = (
            report.is_open
            and update.is_editable_state
            and access.reports(user, report.agreement, activity)
        )
        rows.append(FillRow(activity, update, prev, editable))
    return rows


@dataclass
class FocusAreaStatus:
    title: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


NOT_REPORTED = "not_reported"


@dataclass
class ReportOverview:
    report: FollowUpReport
    previous: FollowUpReport | None
    updates: list[ActivityUpdate]
    not_reported: list[Activity]
    deviations: list[ActivityUpdate]
    done: list[ActivityUpdate]
    focus_areas: list[FocusAreaStatus]
    changes: list[dict]
    indicators: list[dict]
    review_counts: dict[str, int]


def report_overview(report: FollowUpReport, user) -> ReportOverview:
    """Everything the council's report page shows, in a bounded number of queries.

    An approved report is shown as it was approved: its activities and the indicator
    values it cites come from its snapshot (:mod:`followup.snapshot`), not from today's plan.
    """
    if report.snapshot:
        activities = snapshot.activities(report.snapshot)
    else:
        activities = list(
            report.activities()
            .select_related("focus_area", "responsible")
            .order_by("focus_area__position", "plan_id", "position", "pk")
        )
    updates_by_activity = {
        u.activity_id: u for u in report.updates.select_related("author", "reviewed_by")
    }
    updates, not_reported = [], []
    for activity in activities:
        update = updates_by_activity.get(activity.pk)
        if update is None or update.is_not_reported:
            # Shown with the coordinator's reason when it was marked as not reported.
            activity.not_reported_reason = update.not_reported_reason if update else ""
            not_reported.append(activity)
        else:
            update.activity = activity
            update.report = report
            updates.append(update)
    focus: OrderedDict[object, FocusAreaStatus] = OrderedDict()
    for activity in activities:
        key = activity.focus_area_id
        if key not in focus:
            title = str(activity.focus_area) if activity.focus_area else ""
            focus[key] = FocusAreaStatus(title=title)
        update = updates_by_activity.get(activity.pk)
        status = update.status if update and not update.is_not_reported else NOT_REPORTED
        focus[key].counts[status] = focus[key].counts.get(status, 0) + 1
    previous = (
        FollowUpReport.objects.filter(
            agreement_id=report.agreement_id, period_end__lt=report.period_end
        )
        .order_by("-period_end", "-pk")
        .first()
    )
    changes = []
    if previous is not None:
        before = dict(previous.updates.values_list("activity_id", "status"))
        labels = dict(UpdateStatus.choices)
        for update in updates:
            old = before.get(update.activity_id)
            if old != update.status:
                changes.append(
                    {
                        "activity": update.activity,
                        "before": labels.get(old, "") if old else None,
                        "after": update.get_status_display(),
                        "update": update,
                    }
                )
    deviations = [u for u in updates if u.status in DEVIATING_STATUSES]
    deviations.sort(key=lambda u: (u.status != UpdateStatus.DELAYED, u.activity.position))
    return ReportOverview(
        report=report,
        previous=previous,
        updates=updates,
        not_reported=not_reported,
        deviations=deviations,
        done=[u for u in updates if u.status == UpdateStatus.DONE],
        focus_areas=list(focus.values()),
        changes=changes,
        indicators=[trend_for(i, values) for i, values in snapshot.indicators(report.snapshot)]
        if report.snapshot
        else indicator_trends(report.agreement.municipality_id, until=report.period_end, user=user),
        review_counts=Counter(u.review_state for u in updates),
    )


# ---------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------


def indicators_visible(user):
    return Indicator.objects.visible_to(user).select_related("municipality")


def indicator_values(indicator: Indicator):
    return indicator.values.select_related("area").order_by(
        "period_start", "period_end", "area__name"
    )


def trend_for(indicator: Indicator, values) -> dict:
    """Latest and previous municipality-wide value and how they stand against the target."""
    series = [v for v in values if v.area_id is None]
    latest = series[-1] if series else None
    before = series[-2] if len(series) > 1 else None
    direction = None
    if latest is not None and before is not None:
        if latest.value == before.value:
            direction = "unchanged"
        else:
            up = latest.value > before.value
            direction = "better" if up == indicator.higher_is_better else "worse"
    target_met = None
    if latest is not None and indicator.target is not None:
        target_met = (
            latest.value >= indicator.target
            if indicator.higher_is_better
            else latest.value <= indicator.target
        )
    return {
        "indicator": indicator,
        "series": series,
        "latest": latest,
        "previous": before,
        "direction": direction,
        "target_met": target_met,
    }


def indicator_trends(
    municipality_id: int, until: datetime.date | None = None, *, user
) -> list[dict]:
    """The municipality's indicators the user may see, with their trend up to ``until``."""
    values = IndicatorValue.objects.filter(area__isnull=True).order_by("period_start", "period_end")
    if until is not None:
        values = values.filter(period_end__lte=until)
    indicators = Indicator.objects.visible_to(user).filter(municipality_id=municipality_id)
    indicators = indicators.prefetch_related(
        Prefetch("values", queryset=values, to_attr="series_values")
    )
    return [trend_for(i, i.series_values) for i in indicators]


# ---------------------------------------------------------------------------
# Deviations
# ---------------------------------------------------------------------------


def deviating_activities(user):
    """Activities the user may see whose latest update is at risk or delayed.

    Each activity's latest update carries ``is_latest`` (kept current by the model), so
    this is one join over a partial index instead of a subquery per visible activity.
    """
    return (
        visible_activities_for_lists(user)
        .filter(updates__is_latest=True, updates__status__in=DEVIATING_STATUSES)
        .annotate(latest_status=F("updates__status"))
        .select_related("plan", "plan__agreement", "focus_area", "responsible")
        .only(*DEVIATION_LIST_FIELDS)
        # Plan by plan, in the plan's order: walks the index (plan, position, id) and stops
        # after a page; sorting by the agreement's title sorted every activity in the country.
        .order_by("plan_id", "position", "pk")
    )


#: What the deviations page shows of an activity; the long texts stay in the table (every
#: deviating activity is joined and sorted before a page is cut).
DEVIATION_LIST_FIELDS = (
    "plan_id",
    "code",
    "position",
    "title",
    "status",
    "review_state",
    "plan__title",
    "plan__agreement_id",
    "plan__agreement__title",
    "plan__agreement__municipality_id",
    "plan__agreement__police_area_id",
    "plan__agreement__status",
    "focus_area__title",
    "responsible__name",
)


@dataclass
class Deviation:
    activity: Activity
    update: ActivityUpdate
    since_report: FollowUpReport
    reports_in_row: int

    @property
    def since(self) -> datetime.date:
        return self.since_report.period_end

    @property
    def days(self) -> int:
        return max((timezone.localdate() - self.since).days, 0)


def describe_deviations(activities) -> list[Deviation]:
    """For a page of deviating activities: the latest update and since when it has deviated.

    One query, whatever the number of activities: their updates, newest first; the
    deviation started at the earliest report of the unbroken run of deviating ones.
    """
    activities = list(activities)
    by_activity: dict[int, list[ActivityUpdate]] = {a.pk: [] for a in activities}
    updates = (
        ActivityUpdate.objects.filter(activity_id__in=list(by_activity))
        .select_related("report")
        .order_by("activity_id", "-report__period_end", "-pk")
    )
    for update in updates:
        by_activity[update.activity_id].append(update)
    result = []
    for activity in activities:
        history = by_activity[activity.pk]
        if not history or history[0].status not in DEVIATING_STATUSES:
            continue
        run = 0
        for update in history:
            if update.status not in DEVIATING_STATUSES:
                break
            run += 1
        history[0].activity = activity
        result.append(Deviation(activity, history[0], history[run - 1].report, run))
    return result


# ---------------------------------------------------------------------------
# Start page, reminders
# ---------------------------------------------------------------------------


def reports_due_soon(user, days: int = 30, limit: int = 10):
    """Open reports of agreements the user writes for, due within ``days``."""
    today = timezone.localdate()
    return (
        FollowUpReport.objects.visible_to(user)
        .filter(access.approves_updates_q(user, "agreement__"))
        .exclude(status=ReportStatus.APPROVED)
        .filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=days))
        .select_related("agreement")
        .order_by("due_date", "pk")[:limit]
    )


def updates_awaiting_review(user, limit: int = 10):
    """Submitted updates the user may approve (coordinator or kommunpolis of the agreement)."""
    qs = ActivityUpdate.objects.visible_to(user).filter(
        access.approves_updates_q(user, "report__agreement__"),
        review_state=ReviewState.SUBMITTED,
    )
    # Four eyes: what the user wrote or last changed is approved by someone else.
    qs = qs.exclude(author_id=getattr(user, "pk", None))
    return qs.select_related("report", "activity").order_by("report__due_date", "pk")[:limit]


@dataclass
class OwedUpdate:
    """An update a reporter is to write (or answer, when it was sent back)."""

    report: FollowUpReport
    activity: Activity
    update: ActivityUpdate | None

    @property
    def state(self) -> str:
        return self.update.review_state if self.update else ReviewState.DRAFT

    @property
    def is_returned(self) -> bool:
        return self.state == ReviewState.RETURNED

    @property
    def url(self) -> str:
        from django.urls import reverse

        return reverse("followup:update-edit", args=[self.report.pk, self.activity.pk])


def updates_to_write(user, limit: int = 20) -> list[OwedUpdate]:
    """What a unit's reporter still owes in open reports: activities of their unit with no
    update yet, a draft, or one sent back — sent-back ones first, then by due date.
    Three queries, whatever the number of reports."""
    if not access.get_access(user).reporter_unit_ids:
        return []
    reports = list(
        FollowUpReport.objects.visible_to(user)
        .exclude(status=ReportStatus.APPROVED)
        .select_related("agreement")
        .order_by("due_date", "period_end", "pk")[:10]
    )
    if not reports:
        return []
    plans = {r.plan_id for r in reports if r.plan_id}
    agreements = {r.agreement_id for r in reports if not r.plan_id}
    activities = list(
        Activity.objects.filter(access.reported_activities_q(user))
        .filter(Q(plan_id__in=plans) | Q(plan__agreement_id__in=agreements))
        .select_related("plan")
        .order_by("plan_id", "position", "pk")
    )
    updates = {
        (u.report_id, u.activity_id): u
        for u in ActivityUpdate.objects.filter(
            report__in=reports, activity__in=[a.pk for a in activities]
        )
    }
    owed = []
    for report in reports:
        for activity in activities:
            if activity.plan_id != report.plan_id and not (
                report.plan_id is None and activity.plan.agreement_id == report.agreement_id
            ):
                continue
            update = updates.get((report.pk, activity.pk))
            if update is not None and not update.is_editable_state:
                continue
            owed.append(OwedUpdate(report, activity, update))
    owed.sort(key=lambda o: not o.is_returned)  # stable: due dates stay in order
    return owed[:limit]


@dataclass
class UnitReporting:
    """Per responsible unit of a report: how far its reporting has come."""

    unit: object
    activities: list = field(default_factory=list)  # (activity, review state or None)
    reporters: list = field(default_factory=list)
    last_reminder: object = None

    @property
    def handed_in(self) -> int:
        return sum(
            1
            for _a, state in self.activities
            if state in (ReviewState.SUBMITTED, ReviewState.APPROVED)
        )

    @property
    def owed(self) -> int:
        return len(self.activities) - self.handed_in


def reporting_by_unit(report: FollowUpReport) -> list[UnitReporting]:
    """Who has reported and who has not: the report's activities grouped by responsible
    unit, each with its review states, its reporters and the last reminder sent (four
    queries)."""
    from agreements.choices import Role
    from agreements.models import Membership

    from .models import ReportReminder

    activities = list(
        report.activities()
        .filter(responsible__isnull=False)
        .select_related("responsible__parent")
        .order_by("responsible__name", "position", "pk")
    )
    states = dict(report.updates.values_list("activity_id", "review_state"))
    units: OrderedDict[int, UnitReporting] = OrderedDict()
    for activity in activities:
        unit = units.setdefault(activity.responsible_id, UnitReporting(activity.responsible))
        unit.activities.append((activity, states.get(activity.pk)))
    if not units:
        return []
    chains = {
        pk: {pk, u.unit.parent_id, getattr(u.unit.parent, "parent_id", None)} - {None}
        for pk, u in units.items()
    }
    memberships = (
        Membership.objects.filter(
            role=Role.REPORTER,
            organisation_id__in=set().union(*chains.values()),
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    for membership in memberships:
        for pk, chain in chains.items():
            if membership.organisation_id in chain and membership.user not in units[pk].reporters:
                units[pk].reporters.append(membership.user)
    for reminder in ReportReminder.objects.filter(report=report, unit_id__in=list(units)).order_by(
        "unit_id", "-sent_at", "-pk"
    ):
        if units[reminder.unit_id].last_reminder is None:
            units[reminder.unit_id].last_reminder = reminder
    return list(units.values())


def latest_approved_reports(user, limit: int = 5):
    """The newest approved reports the user may read (the council's start page)."""
    return (
        FollowUpReport.objects.visible_to(user)
        .filter(status=ReportStatus.APPROVED)
        .select_related("agreement")
        .order_by("-approved_at", "-period_end", "-pk")[:limit]
    )
