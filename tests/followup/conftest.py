"""Fixtures of the follow-up tests: A's plan with a municipal and a police-led activity."""

import datetime
from dataclasses import dataclass

import pytest

from actionplans.choices import PartyRole
from actionplans.models import ActivityRole
from agreements.choices import OrganisationKind, Role
from agreements.models import FocusArea
from core.choices import ReviewState
from followup import services
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .factories import (
    FollowupActivityFactory,
    FollowupForumFactory,
    FollowupPlanFactory,
    IndicatorFactory,
    ReportFactory,
    UpdateFactory,
)


@dataclass
class Plan:
    plan: object
    focus_area: object
    municipal: object  # led by the municipality
    police_led: object  # led by the local police area
    forum: object
    report: object  # Delår 2 2025
    previous: object  # Helår 2024
    indicator: object


@pytest.fixture
def followup(world):
    agreement = world.agreement
    focus = FocusArea.objects.create(agreement=agreement, position=1, title="Trygga stadsdelar")
    plan = FollowupPlanFactory(agreement=agreement, title="Åtgärdsplan Ankeby")
    municipal = FollowupActivityFactory(
        plan=plan,
        position=1,
        code="1.1",
        title="Trygghetsvandringar",
        focus_area=focus,
        responsible=world.municipality,
    )
    police_led = FollowupActivityFactory(
        plan=plan,
        position=2,
        code="1.2",
        title="Platssamverkan i centrum",
        focus_area=focus,
        responsible=world.police_area,
    )
    forum = FollowupForumFactory(municipality=world.municipality, name="KUG", abbreviation="KUG")
    previous = ReportFactory(
        plan=plan,
        title="Helår 2024",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        due_date=datetime.date(2025, 1, 30),
    )
    report = ReportFactory(plan=plan, title="Delår 2 2025", presented_to=forum)
    indicator = IndicatorFactory(municipality=world.municipality, name="Trygghetsindex")
    return Plan(plan, focus, municipal, police_led, forum, report, previous, indicator)


def submitted_report(followup, coordinator, police):
    """Delår 2 2025 submitted: both activities reported and approved by the police."""
    for activity in (followup.municipal, followup.police_led):
        UpdateFactory(
            report=followup.report,
            activity=activity,
            author=coordinator,
            review_state=ReviewState.SUBMITTED,
        )
    for update in followup.report.updates.all():
        services.update_approve(update=update, user=police)
    services.report_submit(report=followup.report, user=coordinator)
    return followup.report


@pytest.fixture
def approved(followup, coordinator, police):
    """Delår 2 2025 approved."""
    submitted_report(followup, coordinator, police)
    return services.report_approve(report=followup.report, user=coordinator)


@pytest.fixture
def units(world, followup):
    """Socialförvaltningen (with its avdelning) and Tekniska förvaltningen, one activity each,
    and a reporter of Socialförvaltningen."""
    social = OrganisationFactory(
        name="Socialförvaltningen", kind=OrganisationKind.DEPARTMENT, parent=world.municipality
    )
    youth = OrganisationFactory(name="Fältgruppen", kind=OrganisationKind.DEPARTMENT, parent=social)
    technical = OrganisationFactory(
        name="Tekniska förvaltningen", kind=OrganisationKind.DEPARTMENT, parent=world.municipality
    )
    own = FollowupActivityFactory(
        plan=followup.plan, position=3, code="1.3", title="Fältarbete kvällstid", responsible=youth
    )
    other = FollowupActivityFactory(
        plan=followup.plan,
        position=4,
        code="1.4",
        title="Belysning i parker",
        responsible=technical,
    )
    # Socialförvaltningen also has a role in the municipality-led walks.
    ActivityRole.objects.create(
        activity=followup.municipal, organisation=social, role=PartyRole.PARTICIPATES
    )
    reporter = UserFactory(username="rapportor-soc", first_name="Sara", last_name="Social")
    MembershipFactory(user=reporter, organisation=social, role=Role.REPORTER)
    return type(
        "Units",
        (),
        {
            "social": social,
            "technical": technical,
            "own": own,
            "other": other,
            "reporter": reporter,
        },
    )
