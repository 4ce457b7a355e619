"""Deviations: activities at risk or delayed in their latest update, and for how long."""

import datetime

import pytest
from django.urls import reverse

from followup import selectors
from followup.models import FollowUpReport

from .factories import FollowupActivityFactory, ReportFactory, UpdateFactory


def _report(plan, year, month):
    end = datetime.date(year, month, 28)
    return ReportFactory(
        plan=plan,
        title=f"Rapport {year}-{month:02d}",
        period_start=datetime.date(year, 1, 1),
        period_end=end,
        due_date=end + datetime.timedelta(days=30),
    )


@pytest.fixture
def history(followup):
    plan = followup.plan
    reports = [_report(plan, 2024, 8), _report(plan, 2024, 12), _report(plan, 2025, 8)]
    a, b = followup.municipal, followup.police_led
    recovered = FollowupActivityFactory(plan=plan, title="Återhämtad aktivitet")
    # a: on track, then at risk, then delayed -> deviating for two reports.
    for report, status in zip(reports, ("on_track", "at_risk", "delayed"), strict=True):
        UpdateFactory(report=report, activity=a, status=status, deviation="Personalbrist")
    # b: delayed all three -> deviating since the first.
    for report in reports:
        UpdateFactory(report=report, activity=b, status="delayed", deviation="Väntar på beslut")
    # recovered: delayed, then on track -> not a deviation.
    UpdateFactory(report=reports[1], activity=recovered, status="delayed", deviation="x")
    UpdateFactory(report=reports[2], activity=recovered, status="on_track")
    return reports


def test_deviations_and_their_age(coordinator, followup, history):
    deviations = {
        d.activity.pk: d
        for d in selectors.describe_deviations(selectors.deviating_activities(coordinator))
    }
    assert set(deviations) == {followup.municipal.pk, followup.police_led.pk}
    a = deviations[followup.municipal.pk]
    assert (a.since_report, a.reports_in_row, a.update.status) == (history[1], 2, "delayed")
    b = deviations[followup.police_led.pk]
    assert (b.since_report, b.reports_in_row) == (history[0], 3)
    assert b.days == (datetime.date.today() - datetime.date(2024, 8, 28)).days


def test_deviation_page_shows_them_to_members_and_nothing_to_outsiders(
    council_client, outsider_client, history
):
    html = council_client.get(reverse("followup:deviations")).content.decode()
    assert "Trygghetsvandringar" in html and "Platssamverkan i centrum" in html
    assert "Återhämtad aktivitet" not in html
    assert "3 rapporter i rad" in html and "Rapport 2024-08" in html
    html = outsider_client.get(reverse("followup:deviations")).content.decode()
    assert "Trygghetsvandringar" not in html
    assert "Ingen aktivitet avviker just nu." in html


def test_deviations_filter_by_status(council_client, history):
    html = council_client.get(reverse("followup:deviations"), {"latest_status": "at_risk"})
    assert "Platssamverkan" not in html.content.decode()


def test_deviation_page_is_paginated(council_client, followup):
    report = followup.report
    for n in range(30):
        activity = FollowupActivityFactory(plan=followup.plan, title=f"Försenad {n:02d}")
        UpdateFactory(report=report, activity=activity, status="delayed", deviation="x")
    html = council_client.get(reverse("followup:deviations")).content.decode()
    assert "30 avvikande aktiviteter" in html
    assert "Sida 1 av 2" in html
    assert FollowUpReport.objects.count() == 2


def _deviating(user):
    return {a.pk for a in selectors.deviating_activities(user)}


def test_the_latest_update_follows_deletes_and_moved_periods(coordinator, followup, history):
    """The deviations list reads a stored "latest update" mark; it must follow every change."""
    recovered = FollowUpReport.objects.get(pk=history[2].pk).updates.get(
        activity__title="Återhämtad aktivitet"
    )
    activity = recovered.activity
    assert activity.pk not in _deviating(coordinator)
    # Deleting the newer, on-track update makes the earlier delay the latest again.
    recovered.delete()
    assert activity.pk in _deviating(coordinator)
    # A report moved later in time carries its updates with it: the latest becomes
    # the one of the report that now ends last.
    a = followup.municipal
    assert a.pk in _deviating(coordinator)
    first = FollowUpReport.objects.get(pk=history[0].pk)  # a was on track here
    first.period_start = datetime.date(2025, 1, 1)
    first.period_end = datetime.date(2025, 12, 28)
    first.save()
    assert a.pk not in _deviating(coordinator)
    # Deleting that report (and its updates) brings the delay back.
    first.delete()
    assert a.pk in _deviating(coordinator)
