"""Action plans with activities, roles and reviews."""

from __future__ import annotations

import datetime
from collections import defaultdict

from actionplans.choices import ActivityKind, ActivityStatus, EffectHorizon, PartyRole, PlanStatus
from actionplans.models import ActionPlan, Activity, ActivityRole, Review
from core.choices import ReviewDecision, ReviewState

from .base import Municipality, _aware, _text, _weighted
from .vocabulary import ACTIVITY_STATUSES, ACTIVITY_TITLES


class PlansMixin:
    """Action plans, activities, roles, reviews and the activities' own history."""

    def plan_size(self, m: Municipality) -> int:
        """Between 80 % and 120 % of the configured size (60 activities in some plans at 50)."""
        a = self.c.activities_per_plan
        return max(1, round(a * (0.8 + 0.4 * ((m.index * 7) % 11) / 10)))

    def plans(self, ms: list[Municipality]) -> None:
        plans = []
        for m in ms:
            for a in (m.previous, m.current):
                plan = ActionPlan(
                    agreement=a,
                    title=f"Åtgärdsplan {m.base} {a.valid_from.year}–{a.valid_to.year}",
                    valid_from=a.valid_from,
                    valid_to=a.valid_to,
                    status=PlanStatus.ADOPTED,
                    adopted_on=a.valid_from,
                )
                m.plans.append(self.stamp(plan, _aware(a.valid_from), m.coordinator))
            plans += m.plans
        self.create(ActionPlan, plans)
        activities = []
        for m in ms:
            for plan in m.plans:
                fas = m.focus_areas[plan.agreement_id]
                m.activities[plan.pk] = []
                per_fa = defaultdict(int)
                for n in range(self.plan_size(m)):
                    fa = fas[n % len(fas)]
                    per_fa[fa.pk] += 1
                    area = m.areas[n % len(m.areas)]
                    lead = n % 4
                    responsible = (
                        m.police if lead == 0 else m.org if lead == 1 else m.departments[n % 3]
                    )
                    start = plan.valid_from + datetime.timedelta(days=(n * 37) % 300)
                    activity = Activity(
                        plan=plan,
                        code=f"{fa.position}.{per_fa[fa.pk]}",
                        position=n + 1,
                        title=m.rng.choice(ACTIVITY_TITLES).format(area=area.name),
                        description=_text(m.rng, 3),
                        focus_area=fa,
                        effect_goal="Minskad otrygghet i området enligt trygghetsmätningen.",
                        responsible=responsible,
                        starts_on=start,
                        ends_on=min(plan.valid_to, start + datetime.timedelta(days=365)),
                        schedule="Löpande" if n % 3 else "Varje vår och höst",
                        followup_method="Redovisas kvartalsvis i samordningsgruppen.",
                        communication="Kommunikatör, kommunen",
                        forum=m.forums[1 + n % 2],
                        kind=[ActivityKind.SITUATIONAL, ActivityKind.SOCIAL, ActivityKind.BOTH][
                            n % 3
                        ],
                        horizon=EffectHorizon.SHORT if n % 2 else EffectHorizon.LONG,
                        status=ActivityStatus.PLANNED,
                        review_state=ReviewState.DRAFT,
                    )
                    self.stamp(activity, plan.created_at, m.coordinator)
                    self.activity_story(m, plan, n, activity)
                    m.activities[plan.pk].append(activity)
                activities += m.activities[plan.pk]
        self.create(Activity, activities)
        sub_goal_links, cause_links, area_links, roles, reviews = [], [], [], [], []
        for m in ms:
            for plan in m.plans:
                for n, activity in enumerate(m.activities[plan.pk]):
                    goals = m.sub_goals[activity.focus_area_id]
                    sub_goal_links.append((activity.pk, goals[n % 3].pk))
                    if n % 2:
                        sub_goal_links.append((activity.pk, goals[(n + 1) % 3].pk))
                    cause_links.append((activity.pk, m.causes[activity.focus_area_id][n % 2].pk))
                    if n % 3:
                        area_links.append((activity.pk, m.areas[n % len(m.areas)].pk))
                    police_leads = activity.responsible_id == m.police.pk
                    for org, role in (
                        (m.org, PartyRole.PARTICIPATES if police_leads else PartyRole.LEADS),
                        (m.police, PartyRole.LEADS if police_leads else PartyRole.PARTICIPATES),
                        (m.departments[n % 3], PartyRole.COMMUNICATES),
                    ):
                        roles.append(
                            self.stamp(
                                ActivityRole(
                                    activity=activity,
                                    organisation=org,
                                    role=role,
                                    text=str(role.label),
                                ),
                                activity.created_at,
                                m.coordinator,
                            )
                        )
                    if activity._decision:
                        decision, when = activity._decision
                        reviews.append(
                            self.stamp(
                                Review(
                                    activity=activity,
                                    reviewer=m.officer,
                                    decision=decision,
                                    comment=""
                                    if decision == ReviewDecision.APPROVED
                                    else "Förtydliga hur aktiviteten följs upp.",
                                ),
                                when,
                                m.officer,
                            )
                        )
        self.link(Activity._meta.get_field("sub_goals"), sub_goal_links)
        self.link(Activity._meta.get_field("causes"), cause_links)
        self.link(Activity._meta.get_field("areas"), area_links)
        self.create(ActivityRole, roles)
        self.create(Review, reviews)

    def activity_story(self, m: Municipality, plan, n: int, activity: Activity) -> None:
        """Submitted for review, reviewed by the kommunpolis, then its status moves on."""
        previous = plan.pk == m.plans[0].pk
        submitted = activity.created_at + datetime.timedelta(days=7)
        reviewed = activity.created_at + datetime.timedelta(days=21)
        self.later(
            activity,
            submitted,
            m.coordinator,
            "Skickad för granskning",
            review_state=ReviewState.SUBMITTED,
        )
        activity._decision = None
        if previous or n % 6:
            activity._decision = (ReviewDecision.APPROVED, reviewed)
            self.later(
                activity,
                reviewed,
                m.officer,
                "Granskad av kommunpolis",
                review_state=ReviewState.APPROVED,
            )
        elif n % 12 == 0:
            activity._decision = (ReviewDecision.RETURNED, reviewed)
            self.later(
                activity,
                reviewed,
                m.officer,
                "Granskad av kommunpolis",
                review_state=ReviewState.RETURNED,
            )
        if previous:
            status = ActivityStatus.DONE if n % 9 else ActivityStatus.CANCELLED
        else:
            status = _weighted(m.rng, ACTIVITY_STATUSES)
        if status != ActivityStatus.PLANNED:
            when = min(
                _aware(self.today) - datetime.timedelta(days=3),
                reviewed + datetime.timedelta(days=60),
            )
            self.later(activity, when, m.coordinator, "Status uppdaterad", status=status)

    # -- follow-up ------------------------------------------------------------
