"""Navigation by task: "Åtgärdsplan" in the main menu opens the user's current plan.

Per persona: the coordinator, council member, reader, a unit's reporter and the police
land in their municipality's plan in force; several municipalities give a short choice;
none gives a page that says so; an outsider never lands in another municipality's plan.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from actionplans.choices import PlanStatus
from actionplans.selectors import current_plans
from agreements.choices import AgreementStatus, OrganisationKind, Role
from agreements.models import AgreementParty
from tests.conftest import _client_for, _member
from tests.factories import AgreementFactory, MunicipalityFactory, OrganisationFactory

from .factories import ActionPlanFactory

URL = reverse("actionplans:current-plan")
TODAY = datetime.date(2026, 6, 1)


def _plan(agreement, title, start, end, status=PlanStatus.ADOPTED):
    return ActionPlanFactory(
        agreement=agreement,
        title=title,
        valid_from=datetime.date(*start),
        valid_to=datetime.date(*end),
        status=status,
    )


@pytest.fixture
def plans(world):
    """A's plan in force, an expired one of A's earlier agreement, and B's plan."""
    earlier = AgreementFactory(
        municipality=world.municipality,
        police_area=world.police_area,
        title="Överenskommelse Ankeby 2020–2023",
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2023, 12, 31),
        status=AgreementStatus.SUPERSEDED,
    )
    return {
        "old": _plan(earlier, "Åtgärdsplan Ankeby 2020–2023", (2020, 1, 1), (2023, 12, 31)),
        "current": _plan(
            world.agreement, "Åtgärdsplan Ankeby 2024–2027", (2024, 1, 1), (2027, 12, 31)
        ),
        "other": _plan(world.other_agreement, "Åtgärdsplan Bergsjö", (2024, 1, 1), (2027, 12, 31)),
    }


@pytest.mark.parametrize("persona", ["coordinator", "police", "council_member", "viewer"])
def test_the_menu_opens_the_municipalitys_plan_in_force(request, plans, persona):
    user = request.getfixturevalue(persona)
    response = _client_for(user).get(URL)
    assert response.status_code == 302
    assert response["Location"] == plans["current"].get_absolute_url()
    page = _client_for(user).get(URL, follow=True).content.decode()
    assert "Åtgärdsplan Ankeby 2024–2027" in page


def test_a_units_reporter_lands_in_the_plan_of_the_kommun_above_the_unit(world, plans):
    unit = OrganisationFactory(
        name="Socialförvaltningen", kind=OrganisationKind.DEPARTMENT, parent=world.municipality
    )
    reporter = _member("rapportor-a", unit, Role.REPORTER)
    response = _client_for(reporter).get(URL)
    assert response["Location"] == plans["current"].get_absolute_url()


def test_the_outsider_lands_in_their_own_plan_never_in_another_municipalitys(outsider, plans):
    response = _client_for(outsider).get(URL)
    assert response["Location"] == plans["other"].get_absolute_url()


def test_an_outsider_without_a_plan_gets_a_page_that_says_so_and_nothing_of_a(
    world, outsider, plans
):
    plans["other"].delete()
    response = _client_for(outsider).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Din kommun har ingen åtgärdsplan än." in page
    assert "Ankeby" not in page
    # A coordinator is offered to start the plan of their own agreement, and the lists.
    new_plan = reverse("actionplans:plan-create", args=[world.other_agreement.pk])
    assert f'href="{new_plan}"' in page
    assert f'href="{reverse("actionplans:plan-list")}"' in page
    assert f'href="{reverse("actionplans:activity-list")}"' in page


def test_a_reader_without_a_plan_is_told_who_makes_it(viewer, world):
    page = _client_for(viewer).get(URL).content.decode()
    assert "Din kommun har ingen åtgärdsplan än." in page
    assert "När trygghetssamordnaren har lagt upp planen" in page
    assert "Ny åtgärdsplan" not in page


def test_a_police_area_with_two_municipalities_gets_a_choice_of_their_plans(world, police, plans):
    third = MunicipalityFactory(name="Cederby kommun")
    shared = AgreementFactory(municipality=third, police_area=world.police_area)
    cederby = _plan(shared, "Åtgärdsplan Cederby", (2025, 1, 1), (2026, 12, 31))
    response = _client_for(police).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Åtgärdsplan Ankeby 2024–2027") < page.index("Åtgärdsplan Cederby")
    assert f'href="{cederby.get_absolute_url()}"' in page
    assert "Bergsjö" not in page
    assert "Åtgärdsplan Ankeby 2020–2023" not in page  # one plan per municipality


def test_a_further_partys_member_is_not_sent_into_the_agreements_plan(world, plans):
    """They may read the plan (from the list), but it is not their municipality's."""
    rescue = OrganisationFactory(name="Räddningstjänsten Ankeby", kind=OrganisationKind.RESCUE)
    AgreementParty.objects.create(agreement=world.agreement, organisation=rescue)
    member = _member("raddning", rescue, Role.VIEWER)
    client = _client_for(member)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Din kommun har ingen åtgärdsplan än." in response.content.decode()
    plan_list = client.get(reverse("actionplans:plan-list")).content.decode()
    assert "Åtgärdsplan Ankeby 2024–2027" in plan_list


def test_staff_without_memberships_choose_from_the_list(staff, plans):
    response = _client_for(staff).get(URL)
    assert response.status_code == 200
    assert f'href="{reverse("actionplans:plan-list")}"' in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# --- which plan is current --------------------------------------------------------------


def test_the_plan_in_force_wins_over_an_expired_and_an_upcoming_one(world, coordinator):
    _plan(world.agreement, "Gammal", (2020, 1, 1), (2023, 12, 31))
    now = _plan(world.agreement, "Nu", (2024, 1, 1), (2027, 12, 31))
    _plan(world.agreement, "Nästa", (2028, 1, 1), (2031, 12, 31), status=PlanStatus.DRAFT)
    assert current_plans(coordinator, today=TODAY) == [now]


def test_without_a_plan_in_force_the_next_one_comes_before_the_last_one(world, coordinator):
    _plan(world.agreement, "Gammal", (2020, 1, 1), (2023, 12, 31))
    _plan(world.agreement, "Sedan", (2032, 1, 1), (2035, 12, 31))
    upcoming = _plan(world.agreement, "Nästa", (2028, 1, 1), (2031, 12, 31))
    assert current_plans(coordinator, today=datetime.date(2026, 6, 1)) == [upcoming]


def test_only_expired_plans_give_the_one_that_ended_last(world, coordinator):
    _plan(world.agreement, "Äldst", (2016, 1, 1), (2019, 12, 31))
    last = _plan(world.agreement, "Senast", (2020, 1, 1), (2023, 12, 31))
    assert current_plans(coordinator, today=TODAY) == [last]


def test_an_adopted_plan_comes_before_a_draft_of_the_same_period(world, coordinator):
    adopted = _plan(world.agreement, "Fastställd", (2024, 1, 1), (2027, 12, 31))
    _plan(world.agreement, "Utkast", (2025, 1, 1), (2027, 12, 31), status=PlanStatus.DRAFT)
    assert current_plans(coordinator, today=TODAY) == [adopted]


def test_a_live_agreements_plan_comes_before_a_superseded_agreements(world, coordinator, plans):
    old = plans["old"]
    old.valid_to = datetime.date(2027, 12, 31)  # still running on paper
    old.save()
    assert current_plans(coordinator, today=TODAY) == [plans["current"]]


def test_the_current_plan_costs_a_fixed_number_of_queries(
    world, coordinator, plans, django_assert_max_num_queries
):
    for year in range(2010, 2020):
        _plan(world.agreement, f"Plan {year}", (year, 1, 1), (year, 12, 31))
    client = _client_for(coordinator)
    with django_assert_max_num_queries(8):
        client.get(URL)


# --- the menu ---------------------------------------------------------------------------


def test_the_menu_marks_the_plan_or_the_list_as_the_current_page(coordinator_client, plans):
    plan_page = coordinator_client.get(plans["current"].get_absolute_url()).content.decode()
    assert 'aria-current="page">Åtgärdsplan</a>' in plan_page
    assert 'aria-current="page">Alla aktiviteter</a>' not in plan_page
    list_page = coordinator_client.get(reverse("actionplans:activity-list")).content.decode()
    assert 'aria-current="page">Alla aktiviteter</a>' in list_page
    assert 'aria-current="page">Åtgärdsplan</a>' not in list_page
