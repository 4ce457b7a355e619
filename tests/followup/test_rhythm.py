"""The follow-up rhythm creates a year's reports with due dates and forums."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from followup import services
from followup.choices import Rhythm
from followup.models import FollowUpReport, FollowUpRhythm


def _periods(agreement, rhythm, **extra):
    return [
        (p.title, p.start, p.end)
        for p in services.rhythm_periods(
            rhythm=FollowUpRhythm(agreement=agreement, rhythm=rhythm, **extra), year=2025
        )
    ]


def test_each_rhythm_gives_its_periods(world):
    d = datetime.date
    a = world.agreement
    assert _periods(a, Rhythm.QUARTERLY) == [
        ("Kvartal 1 2025", d(2025, 1, 1), d(2025, 3, 31)),
        ("Kvartal 2 2025", d(2025, 4, 1), d(2025, 6, 30)),
        ("Kvartal 3 2025", d(2025, 7, 1), d(2025, 9, 30)),
        ("Kvartal 4 2025", d(2025, 10, 1), d(2025, 12, 31)),
    ]
    assert _periods(a, Rhythm.TERTIAL) == [
        ("Tertial 1 2025", d(2025, 1, 1), d(2025, 4, 30)),
        ("Tertial 2 2025", d(2025, 5, 1), d(2025, 8, 31)),
        ("Tertial 3 2025", d(2025, 9, 1), d(2025, 12, 31)),
    ]
    assert _periods(a, Rhythm.INTERIM_AND_ANNUAL) == [
        ("Delår 2 2025", d(2025, 1, 1), d(2025, 8, 31)),
        ("Helår 2025", d(2025, 1, 1), d(2025, 12, 31)),
    ]
    assert _periods(a, Rhythm.YEARLY) == [("Helår 2025", d(2025, 1, 1), d(2025, 12, 31))]
    assert _periods(a, Rhythm.CUSTOM, custom_months="6, 12") == [
        ("Period 1 2025", d(2025, 1, 1), d(2025, 6, 30)),
        ("Period 2 2025", d(2025, 7, 1), d(2025, 12, 31)),
    ]


def test_the_years_reports_get_due_dates_and_forums(followup, world, coordinator):
    annual = followup.forum.__class__.objects.create(
        municipality=world.municipality, name="Kommunstyrelsen"
    )
    FollowUpRhythm.objects.create(
        agreement=world.agreement,
        rhythm=Rhythm.QUARTERLY,
        due_days=20,
        forum=followup.forum,
        annual_forum=annual,
    )
    created = services.reports_create_for_year(
        agreement=world.agreement, year=2026, user=coordinator
    )
    assert [r.title for r in created] == [f"Kvartal {n} 2026" for n in (1, 2, 3, 4)]
    assert created[0].due_date == datetime.date(2026, 4, 20)
    assert [r.presented_to for r in created] == [followup.forum] * 3 + [annual]
    assert all(r.plan == followup.plan for r in created)
    # Again: nothing new.
    assert services.reports_create_for_year(agreement=world.agreement, year=2026) == []


def test_periods_are_clipped_to_the_agreement(world):
    agreement = world.agreement
    agreement.valid_from = datetime.date(2024, 3, 1)
    agreement.save()
    FollowUpRhythm.objects.create(agreement=agreement, rhythm=Rhythm.QUARTERLY)
    created = services.reports_create_for_year(agreement=agreement, year=2024)
    assert created[0].period_start == datetime.date(2024, 3, 1)
    assert len(created) == 4


def test_a_year_outside_the_agreement_is_refused_in_swedish(world, coordinator):
    with pytest.raises(ValidationError) as exc:
        services.reports_create_for_year(agreement=world.agreement, year=2031, user=coordinator)
    assert "överenskommelsens period" in str(exc.value)
    assert not FollowUpReport.objects.exists()


def test_coordinator_sets_the_rhythm_and_generates_reports(coordinator_client, world, followup):
    url = reverse("followup:rhythm", args=[world.agreement.pk])
    response = coordinator_client.post(
        url,
        {
            "action": "rhythm",
            "rhythm-rhythm": Rhythm.TERTIAL,
            "rhythm-due_days": "30",
            "rhythm-forum": followup.forum.pk,
        },
    )
    assert response.status_code == 302
    assert world.agreement.followup_rhythm.rhythm == Rhythm.TERTIAL
    response = coordinator_client.post(
        url, {"action": "generate", "generate-year": "2027"}, follow=True
    )
    assert "3 rapporter skapades" in response.content.decode()
    assert (
        FollowUpReport.objects.filter(
            title__startswith="Tertial", agreement=world.agreement
        ).count()
        == 3
    )


def test_custom_rhythm_needs_months_and_bad_year_is_refused(coordinator_client, world):
    url = reverse("followup:rhythm", args=[world.agreement.pk])
    response = coordinator_client.post(
        url, {"action": "rhythm", "rhythm-rhythm": Rhythm.CUSTOM, "rhythm-due_days": "30"}
    )
    assert response.status_code == 200
    assert "behöver de månader" in response.content.decode()
    response = coordinator_client.post(url, {"action": "generate", "generate-year": "2035"})
    assert "överenskommelsens period" in response.content.decode()
    response = coordinator_client.post(url, {"action": "generate", "generate-year": "tjugo"})
    assert "Skriv ett år" in response.content.decode()
    assert not FollowUpReport.objects.exists()


def test_police_may_read_but_not_change_the_rhythm(police_client, world):
    url = reverse("followup:rhythm", args=[world.agreement.pk])
    assert police_client.get(url).status_code == 200
    assert (
        police_client.post(url, {"action": "generate", "generate-year": "2025"}).status_code == 403
    )
