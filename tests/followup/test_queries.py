"""Every follow-up page runs a bounded number of queries, whatever the amount of data."""

import datetime

import pytest
from django.urls import reverse

from .factories import (
    FollowupActivityFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    ReportFactory,
    UpdateFactory,
)


def _grow(followup, world, n):
    """n more activities, each with updates in the previous and current report, n indicators."""
    for _i in range(n):
        activity = FollowupActivityFactory(plan=followup.plan, focus_area=followup.focus_area)
        UpdateFactory(report=followup.previous, activity=activity, status="at_risk", deviation="x")
        UpdateFactory(report=followup.report, activity=activity, status="delayed", deviation="y")
        indicator = IndicatorFactory(municipality=world.municipality)
        for year in (2022, 2023):
            IndicatorValueFactory(
                indicator=indicator,
                period_start=datetime.date(year, 1, 1),
                period_end=datetime.date(year, 12, 31),
            )
    for _i in range(n):
        ReportFactory(
            plan=followup.plan,
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 3, 31),
        )


def _pages(followup):
    return [
        reverse("followup:deviations"),
        reverse("followup:report-list"),
        reverse("followup:report-detail", args=[followup.report.pk]),
        reverse("followup:report-fill", args=[followup.report.pk]),
        reverse("followup:report-review", args=[followup.report.pk]),
        reverse("followup:indicator-list"),
        reverse("followup:indicator-detail", args=[followup.indicator.pk]),
        reverse("followup:rhythm", args=[followup.plan.agreement_id]),
        reverse("dashboard:home"),
    ]


@pytest.mark.parametrize("size", [2, 12])
def test_pages_run_a_bounded_number_of_queries(
    coordinator_client, followup, world, size, django_assert_max_num_queries
):
    _grow(followup, world, size)
    for url in _pages(followup):
        with django_assert_max_num_queries(30):
            response = coordinator_client.get(url)
        assert response.status_code == 200, url


def test_query_counts_do_not_grow_with_the_data(coordinator_client, followup, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts():
        result = {}
        for url in _pages(followup):
            with CaptureQueriesContext(connection) as ctx:
                coordinator_client.get(url)
            result[url] = len(ctx.captured_queries)
        return result

    _grow(followup, world, 2)
    small = counts()
    _grow(followup, world, 10)
    large = counts()
    assert small == large
