"""agreements.services.promise_set_partners called directly: the organisations that give a
citizen promise together with the agreement's parties, in the order the coordinator gives."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext

from agreements import services
from agreements.models import PromisePartner
from tests.factories import CitizenPromiseFactory, OrganisationFactory


@pytest.fixture
def promise(world):
    return CitizenPromiseFactory(agreement=world.agreement, year=2025, title="Tryggare centrum")


@pytest.fixture
def partners(world):
    return [
        OrganisationFactory(name=name) for name in ("Friskolan", "Bostadsbolaget", "Idrottsklubben")
    ]


def _shown(promise):
    return [(r.organisation.name, r.position) for r in promise.partner_rows.order_by("position")]


def _history(promise):
    rows = PromisePartner.history.filter(promise_id=promise.pk).order_by("history_id")
    return [(r.history_type, r.organisation.name, r.position) for r in rows]


def test_partners_are_named_in_the_order_given_once_each(promise, partners, coordinator):
    school, housing, _club = partners
    result = services.promise_set_partners(
        promise=promise, user=coordinator, organisations=[school, housing, school]
    )
    assert result == promise
    assert _shown(promise) == [("Friskolan", 1), ("Bostadsbolaget", 2)]
    assert _history(promise) == [("+", "Friskolan", 1), ("+", "Bostadsbolaget", 2)]


def test_changing_the_partners_removes_moves_and_adds_rows_one_by_one(
    promise, partners, coordinator
):
    school, housing, club = partners
    services.promise_set_partners(
        promise=promise, user=coordinator, organisations=[school, housing]
    )
    services.promise_set_partners(promise=promise, user=coordinator, organisations=[housing, club])
    assert _shown(promise) == [("Bostadsbolaget", 1), ("Idrottsklubben", 2)]
    assert _history(promise)[2:] == [
        ("-", "Friskolan", 1),
        ("~", "Bostadsbolaget", 1),
        ("+", "Idrottsklubben", 2),
    ]
    # The same list again changes nothing and writes no history.
    services.promise_set_partners(promise=promise, user=coordinator, organisations=[housing, club])
    assert len(_history(promise)) == 5
    services.promise_set_partners(promise=promise, user=coordinator, organisations=[])
    assert _shown(promise) == []


def test_a_party_to_the_agreement_is_not_a_partner_and_nothing_changes(
    world, promise, partners, coordinator
):
    school = partners[0]
    services.promise_set_partners(promise=promise, user=coordinator, organisations=[school])
    for party in (world.municipality, world.police_area):
        with pytest.raises(ValidationError) as exc_info:
            services.promise_set_partners(
                promise=promise, user=coordinator, organisations=[party, partners[1]]
            )
        assert list(exc_info.value.message_dict) == ["partners"]
        assert exc_info.value.messages == [
            gettext("A party to the agreement gives the promise as a party, not a partner.")
        ]
    assert _shown(promise) == [("Friskolan", 1)]


@pytest.mark.parametrize("persona", ["police", "outsider", "council_member"])
def test_only_the_coordinator_names_partners(request, promise, partners, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.promise_set_partners(promise=promise, user=user, organisations=partners[:1])
    assert _shown(promise) == []
