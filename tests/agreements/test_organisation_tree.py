"""An organisation tree is at most four levels deep (kommun › förvaltning › avdelning › enhet),
and every rule that follows a tree reaches its deepest level: a unit there is in the
municipality's dropdowns, its reporter's rows and its party's roles. A fifth level is refused
with a message, so no unit can silently fall outside what the rules see."""

import pytest
from django.core.exceptions import ValidationError

from agreements import access
from agreements.choices import OrganisationKind, Role
from agreements.models import Organisation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.followup.factories import FollowupActivityFactory, FollowupPlanFactory


@pytest.fixture
def tree(world):
    """Ankeby kommun › Socialförvaltningen › Avdelningen för ungdom › Fältgruppen."""
    kommun = world.municipality
    forvaltning = OrganisationFactory(
        name="Socialförvaltningen", kind=OrganisationKind.DEPARTMENT, parent=kommun
    )
    avdelning = OrganisationFactory(
        name="Avdelningen för ungdom", kind=OrganisationKind.DEPARTMENT, parent=forvaltning
    )
    enhet = Organisation(name="Fältgruppen", kind=OrganisationKind.DEPARTMENT, parent=avdelning)
    enhet.full_clean()  # the fourth level is allowed
    enhet.save()
    return kommun, forvaltning, avdelning, enhet


def test_the_fourth_level_is_in_the_municipalitys_tree_and_dropdowns(tree, world):
    kommun, *_units, enhet = tree
    assert enhet in Organisation.objects.in_trees_of([kommun.pk])
    assert enhet in Organisation.objects.partners_of_municipalities([kommun.pk])
    assert enhet not in Organisation.objects.in_trees_of([world.other_municipality.pk])


def test_a_fifth_level_is_refused_with_a_message(tree):
    *_above, enhet = tree
    deeper = Organisation(name="Nattvandrarna", kind=OrganisationKind.OTHER, parent=enhet)
    with pytest.raises(ValidationError) as refused:
        deeper.full_clean()
    assert "högst fyra nivåer" in " ".join(refused.value.message_dict["parent"])


def test_moving_a_unit_with_units_below_it_deeper_is_refused(tree, world):
    kommun, forvaltning, avdelning, enhet = tree
    other = OrganisationFactory(
        name="Kultur- och fritidsförvaltningen", kind=OrganisationKind.DEPARTMENT, parent=kommun
    )
    forvaltning.parent = other  # its avdelning and enhet would become levels 4 and 5
    with pytest.raises(ValidationError):
        forvaltning.full_clean()
    avdelning.parent = other  # the avdelning with its enhet stays within four levels
    avdelning.full_clean()


def test_a_reporter_of_the_forvaltning_reports_on_the_fourth_levels_activities(tree, world):
    _kommun, forvaltning, _avdelning, enhet = tree
    reporter = UserFactory(username="rapportor-soc")
    MembershipFactory(user=reporter, organisation=forvaltning, role=Role.REPORTER)
    plan = FollowupPlanFactory(agreement=world.agreement)
    activity = FollowupActivityFactory(plan=plan, responsible=enhet, title="Fältarbete")
    assert activity.pk in access.reported_activity_ids(reporter, world.agreement)
