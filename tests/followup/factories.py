"""Factories of the follow-up tests (own plan/activity/forum factories, so as not to wait)."""

import datetime
from decimal import Decimal

import factory

from actionplans.models import ActionPlan, Activity
from followup.models import ActivityUpdate, FollowUpReport, Indicator, IndicatorValue
from forums.models import Forum
from tests.factories import AgreementFactory, MunicipalityFactory


class FollowupForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Forum {n}")
    abbreviation = factory.Sequence(lambda n: f"F{n}")


class FollowupPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    agreement = factory.SubFactory(AgreementFactory)
    title = factory.Sequence(lambda n: f"Åtgärdsplan {n}")
    valid_from = datetime.date(2024, 1, 1)
    valid_to = datetime.date(2027, 12, 31)


class FollowupActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    plan = factory.SubFactory(FollowupPlanFactory)
    position = factory.Sequence(lambda n: n + 1)
    code = factory.Sequence(lambda n: f"A{n}")
    title = factory.Sequence(lambda n: f"Aktivitet {n}")


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpReport

    agreement = factory.LazyAttribute(lambda r: r.plan.agreement)
    plan = factory.SubFactory(FollowupPlanFactory)
    title = factory.Sequence(lambda n: f"Rapport {n}")
    period_start = datetime.date(2025, 1, 1)
    period_end = datetime.date(2025, 8, 31)
    due_date = datetime.date(2025, 9, 30)


class UpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityUpdate

    report = factory.SubFactory(ReportFactory)
    activity = factory.SubFactory(FollowupActivityFactory)
    status = "on_track"
    progress = 50


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Indikator {n}")
    unit = "%"
    baseline = Decimal("60")
    target = Decimal("70")


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    period_start = factory.Sequence(lambda n: datetime.date(2000 + n, 1, 1))
    period_end = factory.LazyAttribute(lambda v: datetime.date(v.period_start.year, 12, 31))
    value = Decimal("62.5")
