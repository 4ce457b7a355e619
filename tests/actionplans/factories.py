"""Factories of the actionplans app."""

import datetime

import factory

from actionplans.choices import PartyRole
from actionplans.models import ActionPlan, Activity, ActivityRole, Review
from core.choices import ReviewDecision
from tests.factories import AgreementFactory, UserFactory


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    agreement = factory.SubFactory(AgreementFactory)
    title = factory.Sequence(lambda n: f"Åtgärdsplan {n}")
    valid_from = datetime.date(2024, 1, 1)
    valid_to = datetime.date(2027, 12, 31)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    plan = factory.SubFactory(ActionPlanFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Aktivitet {n}")


class ActivityRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityRole

    activity = factory.SubFactory(ActivityFactory)
    organisation = factory.LazyAttribute(lambda r: r.activity.plan.agreement.municipality)
    role = PartyRole.LEADS


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    activity = factory.SubFactory(ActivityFactory)
    reviewer = factory.SubFactory(UserFactory)
    decision = ReviewDecision.COMMENT
    comment = "Bra."
