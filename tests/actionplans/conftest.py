"""Fixtures of the action plan tests: a plan of municipality A with focus areas and sub-goals."""

from dataclasses import dataclass

import pytest

from actionplans.choices import PartyRole
from tests.factories import FocusAreaFactory, SubGoalFactory

from .factories import ActionPlanFactory, ActivityFactory, ActivityRoleFactory


@dataclass
class PlanWorld:
    plan: object
    focus_areas: list
    sub_goals: list
    other_plan: object


@pytest.fixture
def pw(world):
    agreement = world.agreement
    fa1 = FocusAreaFactory(agreement=agreement, position=1, title="Trygga det offentliga rummet")
    fa2 = FocusAreaFactory(agreement=agreement, position=2, title="Stoppa nyrekrytering")
    sg1 = SubGoalFactory(focus_area=fa1, position=1, text="Ökad tillit till polis och kommun")
    sg2 = SubGoalFactory(focus_area=fa2, position=1, text="Meningsfull fritid")
    plan = ActionPlanFactory(agreement=agreement, title="Åtgärdsplan Ankeby")
    other_plan = ActionPlanFactory(agreement=world.other_agreement, title="Åtgärdsplan Bergsjö")
    return PlanWorld(plan=plan, focus_areas=[fa1, fa2], sub_goals=[sg1, sg2], other_plan=other_plan)


def make_activity(plan, focus_area=None, sub_goals=(), roles=True, **kwargs):
    activity = ActivityFactory(plan=plan, focus_area=focus_area, **kwargs)
    if sub_goals:
        activity.sub_goals.set(sub_goals)
    if roles:
        agreement = plan.agreement
        ActivityRoleFactory(
            activity=activity,
            organisation=agreement.municipality,
            role=PartyRole.LEADS,
            text="Samordnar",
        )
        ActivityRoleFactory(
            activity=activity,
            organisation=agreement.police_area,
            role=PartyRole.PARTICIPATES,
            text="Deltar",
        )
    return activity
