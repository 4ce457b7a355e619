"""Reads of the actionplans app. Every selector takes the user and goes through ``visible_to``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, QuerySet, Sum
from django.utils import timezone

from agreements import access
from agreements.access import get_access
from agreements.choices import AgreementStatus
from agreements.models import Agreement, FocusArea, Organisation, SubGoal
from core.choices import ReviewDecision, ReviewState
from core.history import field_changes, related_labels

from .choices import ActivityStatus, PartyRole, PlanStatus
from .models import ActionPlan, Activity, ActivityRole, Review
from .progress import APPROVED_UPDATE_STATE, Rollup, activity_progress, rollup


def plans_visible_to(user) -> QuerySet[ActionPlan]:
    return ActionPlan.objects.visible_to(user).select_related(
        "agreement", "agreement__municipality", "agreement__police_area"
    )


def _current_rank(plan: ActionPlan, today: datetime.date) -> tuple:
    """How well ``plan`` answers "the plan we work by now" (higher is better): in force
    today, then the next one to come (earliest first), then the last one that ran (latest
    end first); within that a plan of a live agreement before one of a superseded agreement,
    an adopted plan before a draft, the later start first."""
    if plan.valid_from <= today <= plan.valid_to:
        period = (2, plan.valid_from.toordinal())
    elif plan.valid_from > today:
        period = (1, -plan.valid_from.toordinal())
    else:
        period = (0, plan.valid_to.toordinal())
    return (
        period[0],
        plan.agreement.status != AgreementStatus.SUPERSEDED,
        plan.status == PlanStatus.ADOPTED,
        period[1],
        plan.pk,
    )


def current_plans(user, *, today: datetime.date | None = None) -> list[ActionPlan]:
    """The plan the user works by now, one per municipality — what "Åtgärdsplan" in the
    main menu opens (a chooser when there are several, a page that says so when none).

    The municipalities are the user's own (:func:`agreements.access.works_on`): a
    coordinator's, reporter's or reader's kommun, the kommuner of a police officer's area.
    Never another municipality's plan by itself: a member of a further party only, and
    staff without memberships, have none of their own (they choose from the list of the
    plans they read). Only plans the user may read (``visible_to``) are considered. Per municipality the best
    by :func:`_current_rank`, ordered by the municipality's name.
    """
    today = today or timezone.localdate()
    visible = plans_visible_to(user).order_by("agreement__municipality__name", "pk")
    best: dict[int, ActionPlan] = {}
    for plan in visible.filter(access.works_on(user, "agreement__")):
        key = plan.agreement.municipality_id
        if key not in best or _current_rank(plan, today) > _current_rank(best[key], today):
            best[key] = plan
    return list(best.values())  # in the database's (Swedish) order of the names


def plan_is_editable(*, user, plan: ActionPlan) -> bool:
    return ActionPlan.objects.editable_by(user).filter(pk=plan.pk).exists()


def agreements_managed_by(user) -> QuerySet[Agreement]:
    return Agreement.objects.managed_by(user).select_related("municipality", "police_area")


def _approved_updates_prefetch() -> list:
    """Prefetch the approved follow-up updates when the follow-up app provides them.

    The follow-up app sits downstream, so it is reached through the reverse
    relation ``activity.updates`` rather than imported.
    """
    try:
        related = Activity._meta.get_field("updates").related_model
    except Exception:  # noqa: BLE001 - no follow-up app installed
        return []
    # Only the latest approved update of each activity, and only what progress needs (a
    # window function per activity): a plan's activities have many updates each.
    queryset = (
        related._default_manager.filter(review_state=APPROVED_UPDATE_STATE)
        .select_related("report")
        .order_by("-report__period_end", "-updated_at", "-pk")
        .only("pk", "activity_id", "progress", "status", "report__id", "report__title")[:1]
    )
    return [Prefetch("updates", queryset=queryset, to_attr="approved_updates")]


def roles_prefetch() -> Prefetch:
    return Prefetch(
        "roles",
        queryset=ActivityRole.objects.select_related(
            # The whole tree up to its root (access.TREE_DEPTH), for party_of.
            "organisation__parent__parent__parent"
        ),
    )


def activities_with_related(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    return queryset.select_related(
        "plan",
        "plan__agreement",
        "plan__agreement__municipality",
        "plan__agreement__police_area",
        "focus_area",
        "responsible",
        "forum",
    ).prefetch_related(roles_prefetch(), "sub_goals", "areas", *_approved_updates_prefetch())


def visible_activities_for_lists(user) -> QuerySet[Activity]:
    """``Activity.objects.visible_to(user)`` with the visible plans also given as a list.

    With the access rule's ``OR`` inside the join, PostgreSQL guesses half the plans are
    visible and scans every activity; the list of plan ids lets it use the index. Not for
    staff who see everything (no rule to misjudge, and 600 ids cost more than they save).
    """
    activities = Activity.objects.visible_to(user)
    if get_access(user).sees_everything:
        return activities
    plan_ids = list(ActionPlan.objects.visible_to(user).values_list("pk", flat=True))
    return activities.filter(plan_id__in=plan_ids)


#: The activity list's order: plan by plan, each in its own order. Served by the index
#: (plan, position, id), so a page of the list reads only its own rows (sorting by the
#: municipality's name through three joins sorted every visible row).
ACTIVITY_LIST_ORDER = ("plan_id", "position", "pk")


def activity_list(user) -> QuerySet[Activity]:
    """The activity list: only what its table shows (plan, focus area, responsible, roles)."""
    return (
        visible_activities_for_lists(user)
        .select_related("plan", "focus_area", "responsible")
        .prefetch_related(
            Prefetch("roles", queryset=ActivityRole.objects.select_related("organisation"))
        )
        .order_by(*ACTIVITY_LIST_ORDER)
    )


# ---------------------------------------------------------------------------
# The plan table
# ---------------------------------------------------------------------------


@dataclass
class PartyColumn:
    organisation: Organisation
    label: str


class PartyCell(list):
    """One party's roles in a row of the plan table, with the party's column label
    (a narrow screen shows each cell under its label)."""

    def __init__(self, roles, label: str = ""):
        super().__init__(roles)
        self.label = label


@dataclass
class PlanRow:
    activity: Activity
    cells: list[PartyCell]
    other_roles: list[ActivityRole]
    progress: int | None
    can_edit: bool = False
    #: the row's URLs (detail, row_edit, move, submit), set by the view (views.RowUrls)
    urls: dict[str, str] = field(default_factory=dict)
    progress_text: str = ""


@dataclass
class SubGoalRollup:
    sub_goal: object
    rollup: Rollup


@dataclass
class PlanGroup:
    focus_area: FocusArea | None
    rows: list[PlanRow] = field(default_factory=list)
    rollup: Rollup = field(default_factory=Rollup)
    sub_goals: list[SubGoalRollup] = field(default_factory=list)


def party_of(role: ActivityRole, party_ids: list[int]) -> int | None:
    """The party (an agreement party's id) an organisation belongs to, looking up the tree
    (as deep as a tree may be, ``access.TREE_DEPTH``)."""
    org = role.organisation
    for _level in range(access.TREE_DEPTH + 1):
        if org is None:
            return None
        if org.pk in party_ids:
            return org.pk
        org = org.parent
    return None


def party_columns(agreement: Agreement, labels: dict[str, str]) -> list[PartyColumn]:
    columns = [
        PartyColumn(agreement.municipality, labels["municipality"]),
        PartyColumn(agreement.police_area, labels["police"]),
    ]
    for other in agreement.other_parties.all():
        columns.append(PartyColumn(other, other.short_name or other.name))
    return columns


def label_activities(activities) -> list[Activity]:
    """Set ``status_label``, ``review_label`` and each role's ``role_label``.

    Tables show these instead of ``get_*_display``: each of those resolves a lazy
    translation, and a table of 50–100 rows calls them hundreds of times. Here each
    label is translated once. Roles must be prefetched.
    """
    roles = {value: str(label) for value, label in PartyRole.choices}
    statuses = {value: str(label) for value, label in ActivityStatus.choices}
    reviews = {value: str(label) for value, label in ReviewState.choices}
    activities = list(activities)
    for activity in activities:
        activity.status_label = statuses.get(activity.status, activity.status)
        activity.review_label = reviews.get(activity.review_state, activity.review_state)
        for role in activity.roles.all():
            role.role_label = roles.get(role.role, role.role)
    return activities


def build_rows(activities, columns: list[PartyColumn], editable_ids: set[int]) -> list[PlanRow]:
    """The plan table's rows, with labels (``label_activities``) for the template."""
    party_ids = [c.organisation.pk for c in columns]
    labels = {c.organisation.pk: c.label for c in columns}
    rows = []
    for activity in label_activities(activities):
        cells: dict[int, list[ActivityRole]] = {pk: [] for pk in party_ids}
        others: list[ActivityRole] = []
        for role in activity.roles.all():
            party = party_of(role, party_ids)
            (cells[party] if party is not None else others).append(role)
        rows.append(
            PlanRow(
                activity=activity,
                cells=[PartyCell(cells[pk], labels[pk]) for pk in party_ids],
                other_roles=others,
                progress=activity_progress(activity),
                can_edit=activity.pk in editable_ids,
            )
        )
    return rows


def plan_table(*, user, plan: ActionPlan, labels: dict[str, str], all_editable: bool) -> dict:
    """Everything the plan page shows, in a constant number of queries.

    ``all_editable``: whether the user edits every row (``Activity.objects.all_editable_in``);
    the page edits rows in place only for such a user (the others edit an activity on its
    own page)."""
    agreement = plan.agreement
    columns = party_columns(agreement, labels)
    # The plan and its agreement are known: join only what each row shows.
    activities = list(
        plan.activities.select_related("focus_area", "responsible", "forum").prefetch_related(
            roles_prefetch(), "sub_goals", "areas", *_approved_updates_prefetch()
        )
    )
    for activity in activities:
        activity.plan = plan
    editable_ids = {a.pk for a in activities} if all_editable else set()
    rows = build_rows(activities, columns, editable_ids)
    focus_areas = list(FocusArea.objects.filter(agreement=agreement).prefetch_related("sub_goals"))
    by_focus: dict[int | None, list[PlanRow]] = {}
    for row in rows:
        by_focus.setdefault(row.activity.focus_area_id, []).append(row)
    by_sub_goal: dict[int, list[Activity]] = {}
    for activity in activities:
        for sub_goal in activity.sub_goals.all():
            by_sub_goal.setdefault(sub_goal.pk, []).append(activity)
    groups = []
    for focus_area in focus_areas:
        group_rows = by_focus.pop(focus_area.pk, [])
        groups.append(
            PlanGroup(
                focus_area=focus_area,
                rows=group_rows,
                rollup=rollup(r.activity for r in group_rows),
                sub_goals=[
                    SubGoalRollup(sg, rollup(by_sub_goal.get(sg.pk, [])))
                    for sg in focus_area.sub_goals.all()
                ],
            )
        )
    leftover = [row for group_rows in by_focus.values() for row in group_rows]
    if leftover:
        groups.append(
            PlanGroup(focus_area=None, rows=leftover, rollup=rollup(r.activity for r in leftover))
        )
    return {
        "columns": columns,
        "groups": groups,
        "has_other_roles": any(row.other_roles for row in rows),
        "plan_rollup": rollup(activities),
        "activity_count": len(activities),
        "focus_areas": focus_areas,
    }


def plan_table_version(plan: ActionPlan) -> str:
    """The version of everything the plan table shows (core.fragments): the plan, its
    activities, their roles, sub-goals, reviews and follow-up updates, the agreement's
    focus areas, sub-goals, reports and parties, and the organisations' names. One query."""
    from core.fragments import stamp, version

    activities = Activity.objects.filter(plan_id=plan.pk).values("pk")
    agreement_id = plan.agreement_id
    through = Agreement.other_parties.through
    stamps = [
        stamp(ActionPlan.objects.filter(pk=plan.pk)),
        stamp(Agreement.objects.filter(pk=agreement_id)),
        stamp(Activity.objects.filter(plan_id=plan.pk)),
        stamp(ActivityRole.objects.filter(activity_id__in=activities)),
        stamp(Review.objects.filter(activity_id__in=activities)),
        stamp(
            Activity.sub_goals.through.objects.filter(activity_id__in=activities),
            Sum("subgoal_id"),
        ),
        stamp(FocusArea.objects.filter(agreement_id=agreement_id)),
        stamp(SubGoal.objects.filter(focus_area__agreement_id=agreement_id)),
        stamp(
            through.objects.filter(agreement_id=agreement_id),
            Sum(F("organisation_id") * (F("position") + 1)),
        ),
        # Names of the responsible organisations, the parties and their units.
        stamp(Organisation.objects.all()),
    ]
    try:  # the follow-up app sits downstream: reached through the reverse relation
        update_model = Activity._meta.get_field("updates").related_model
    except Exception:  # noqa: BLE001 - no follow-up app installed
        update_model = None
    if update_model is not None:
        report_model = update_model._meta.get_field("report").related_model
        stamps.append(stamp(update_model._base_manager.filter(activity_id__in=activities)))
        stamps.append(stamp(report_model._base_manager.filter(agreement_id=agreement_id)))
    return version(ActionPlan.objects.filter(pk=plan.pk), stamps)


def activity_list_version(filtered: set[str]) -> str:
    """The version of what the activity list shows and filters by (core.fragments), for
    any user: the newest history record of each model it reads (one index lookup each;
    memberships too, which decide what a user sees), and — when the list is filtered by
    sub-goal or area — the count and sum of those m2m links."""
    from agreements.models import Area, Membership
    from core.fragments import newest, stamp, version

    models = [Activity, ActivityRole, ActionPlan, Agreement, FocusArea, Organisation, Membership]
    stamps = [newest(model.history.model._default_manager.all()) for model in models]
    if "sub_goal" in filtered:
        stamps.append(stamp(Activity.sub_goals.through.objects.all(), Sum("subgoal_id")))
    if "area" in filtered:
        stamps.append(stamp(Activity.areas.through.objects.all(), Sum("area_id")))
    if {"sub_goal", "area", "forum"} & filtered:
        stamps += [newest(m.history.model._default_manager.all()) for m in (SubGoal, Area)]
    return version(Organisation.objects.all(), stamps)


def open_change_requests_for_plan(*, plan: ActionPlan, activities=None) -> list[Review]:
    """The latest change request of each activity still waiting for changes."""
    reviews = (
        Review.objects.filter(
            activity__plan=plan,
            activity__review_state=ReviewState.RETURNED,
            decision=ReviewDecision.RETURNED,
        )
        .select_related("activity", "reviewer")
        .order_by("activity__position", "activity_id", "-created_at")
    )
    latest: dict[int, Review] = {}
    for review in reviews:
        latest.setdefault(review.activity_id, review)
    return list(latest.values())


# ---------------------------------------------------------------------------
# Activity detail
# ---------------------------------------------------------------------------


def activity_for_detail(*, user, pk: int) -> Activity:
    return activities_with_related(Activity.objects.visible_to(user)).get(pk=pk)


def activity_history(*, activity: Activity, limit: int = 50) -> list[dict]:
    """Changes to the activity, its roles and its reviews, newest first."""
    entries = []
    records = list(
        activity.history.select_related("history_user").order_by("history_date", "history_id")
    )
    labels = related_labels(records)
    previous = None
    for record in records:
        changes = field_changes(record, previous, labels) if previous is not None else []
        entries.append(
            {
                "date": record.history_date,
                "user": record.history_user,
                "kind": record.history_type,
                "what": Activity._meta.verbose_name,
                "label": record.title,
                "changes": changes,
            }
        )
        previous = record
    roles = ActivityRole.history.filter(activity_id=activity.pk).select_related(
        "history_user", "organisation"
    )
    for record in roles:
        entries.append(
            {
                "date": record.history_date,
                "user": record.history_user,
                "kind": record.history_type,
                "what": ActivityRole._meta.verbose_name,
                "label": f"{record.organisation}: {record.get_role_display()}",
                "changes": [],
            }
        )
    for record in Review.objects.filter(activity_id=activity.pk).select_related("reviewer"):
        entries.append(
            {
                "date": record.created_at,
                "user": record.reviewer,
                "kind": "review",
                "what": Review._meta.verbose_name,
                "label": record.get_decision_display(),
                "comment": record.comment,
                "changes": [],
            }
        )
    # Newest first; of one instant (an import saves several), the one recorded last first.
    newest_first = sorted(enumerate(entries), key=lambda p: (p[1]["date"], p[0]), reverse=True)
    return [entry for _index, entry in newest_first[:limit]]


# ---------------------------------------------------------------------------
# Review queue and change requests
# ---------------------------------------------------------------------------


def review_queue(user) -> QuerySet[Activity]:
    return activities_with_related(
        Activity.objects.visible_to(user)
        .filter(review_state=ReviewState.SUBMITTED)
        .filter(pk__in=Activity.objects.reviewable_by(user).values("pk"))
    ).order_by("plan__agreement__title", "plan", "position", "pk")


def open_change_requests(user) -> QuerySet[Activity]:
    """Activities the user edits whose reviewer asked for changes."""
    return (
        Activity.objects.editable_by(user)
        .filter(review_state=ReviewState.RETURNED)
        .select_related("plan")
        .order_by("plan", "position", "pk")
    )
