"""Reads of the followup app. Every function takes the user and returns only what they may see."""

from __future__ import annotations

import datetime
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Prefetch, Subquery
from django.utils import timezone

from actionplans.models import Activity
from actionplans.selectors import visible_activities_for_lists
from agreements import access
from core.choices import ReviewState

from .choices import DEVIATING_STATUSES, ReportStatus, UpdateStatus
from .models import ActivityUpdate, FollowUpReport, Indicator, IndicatorValue

# ---------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------


def reports_visible(user):
    return FollowUpReport.objects.visible_to(user).select_related(
        "agreement", "presented_to", "plan"
    )


def report_completeness(report: FollowUpReport) -> tuple[int, dict[str, int]]:
    """How many activities lack an update, and how many updates are in each review state."""
    activity_count = report.activities().count()
    states = dict(report.updates.values_list("review_state").annotate(n=Count("pk")).order_by())
    return max(activity_count - sum(states.values()), 0), states


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
    """Every activity of the report's plan with its update (saved or pre-filled)."""
    activities = list(
        report.activities()
        .select_related("focus_area", "responsible")
        .order_by("plan_id", "position", "pk")
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
    """Everything the council's report page shows, in a bounded number of queries."""
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
        if update is None:
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
        status = update.status if update else NOT_REPORTED
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
        indicators=indicator_trends(
            report.agreement.municipality_id, until=report.period_end, user=user
        ),
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
        .annotate(latest_status=F("updates__status"), latest_update_id=F("updates__pk"))
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
    return qs.select_related("report", "activity").order_by("report__due_date", "pk")[:limit]
