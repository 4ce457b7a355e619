"""agreements.selectors: what each persona is shown, and in which order.

Written against the mutants `make mutants` left alive: the rows a persona sees, the
order a page lists them in, a 404 where the object is not theirs to see.
"""

import pytest
from django.http import Http404

from agreements import selectors
from agreements.choices import AgreementStatus
from agreements.models import Agreement
from tests.factories import CitizenPromiseFactory, CommitmentFactory, FocusAreaFactory

from .conftest import set_status


def test_each_persona_lists_only_the_agreements_they_may_see(
    world, coordinator, police, outsider, staff
):
    assert list(selectors.agreement_list(user=coordinator)) == [world.agreement]
    assert list(selectors.agreement_list(user=police)) == [world.agreement]
    assert list(selectors.agreement_list(user=outsider)) == [world.other_agreement]
    assert set(selectors.agreement_list(user=staff)) == {world.agreement, world.other_agreement}


def test_another_municipalitys_agreement_is_a_404(world, outsider):
    with pytest.raises(Http404):
        selectors.agreement_get(user=outsider, pk=world.agreement.pk)
    with pytest.raises(Http404):
        selectors.agreement_document(user=outsider, pk=world.agreement.pk)
    assert selectors.agreement_get(user=outsider, pk=world.other_agreement.pk) == (
        world.other_agreement
    )


def test_the_document_lists_the_tree_in_position_order(world, coordinator):
    agreement = world.agreement
    second = FocusAreaFactory(agreement=agreement, position=2, title="Andra")
    first = FocusAreaFactory(agreement=agreement, position=1, title="Första")
    document = selectors.agreement_document(user=coordinator, pk=agreement.pk)
    assert [a.pk for a in document.focus_areas.all()] == [first.pk, second.pk]


def test_commitments_are_grouped_by_party_in_the_agreements_order_joint_last(world):
    agreement = world.agreement
    area = FocusAreaFactory(agreement=agreement, position=1)
    joint = CommitmentFactory(agreement=agreement, party=None, position=1)
    police = CommitmentFactory(agreement=agreement, party=world.police_area, position=2)
    municipal = CommitmentFactory(agreement=agreement, party=world.municipality, position=3)
    in_area = CommitmentFactory(agreement=agreement, focus_area=area, party=None, position=4)
    grouped = selectors.group_commitments(agreement)
    whole = grouped[None]
    assert [g.party for g in whole] == [world.municipality, world.police_area, None]
    assert [g.items for g in whole] == [[municipal], [police], [joint]]
    assert [g.is_joint for g in whole] == [False, False, True]
    assert [[c.pk for c in g.items] for g in grouped[area.pk]] == [[in_area.pk]]


def test_promises_are_listed_newest_year_first_then_by_title(world, coordinator, outsider):
    agreement = world.agreement
    b = CitizenPromiseFactory(agreement=agreement, year=2025, title="B-löftet")
    a = CitizenPromiseFactory(agreement=agreement, year=2025, title="A-löftet")
    old = CitizenPromiseFactory(agreement=agreement, year=2024, title="0-löftet")
    CitizenPromiseFactory(agreement=world.other_agreement, year=2025, title="Bergsjö")
    assert list(selectors.promise_list(user=coordinator, agreement=agreement)) == [a, b, old]
    assert list(selectors.promise_list(user=outsider, agreement=agreement)) == []
    assert selectors.promise_get(user=coordinator, pk=a.pk) == a
    with pytest.raises(Http404):
        selectors.promise_get(user=outsider, pk=a.pk)


def test_only_signed_public_agreements_are_public(world):
    set_status(world.agreement, AgreementStatus.SIGNED)
    Agreement._base_manager.filter(pk=world.agreement.pk).update(is_public=True)
    Agreement._base_manager.filter(pk=world.other_agreement.pk).update(is_public=True)
    assert list(selectors.public_agreements()) == [world.agreement]
    assert selectors.public_agreement_get(world.agreement.pk) == world.agreement
    with pytest.raises(Http404):
        selectors.public_agreement_get(world.other_agreement.pk)


def test_a_public_agreement_lists_its_promises_newest_year_first(world):
    set_status(world.agreement, AgreementStatus.SIGNED)
    Agreement._base_manager.filter(pk=world.agreement.pk).update(is_public=True)
    old = CitizenPromiseFactory(agreement=world.agreement, year=2024, title="A")
    new = CitizenPromiseFactory(agreement=world.agreement, year=2025, title="B")
    agreement = selectors.public_agreement_get(world.agreement.pk)
    assert list(agreement.citizen_promises.all()) == [new, old]


def test_a_history_token_names_a_row_of_this_agreements_history_only(world, coordinator):
    area = FocusAreaFactory(agreement=world.agreement, title="Fokus")
    other = FocusAreaFactory(agreement=world.other_agreement, title="Annat")
    record = area.history.latest()
    token = f"agreements.focusarea:{record.history_id}"
    assert selectors.history_record(agreement=world.agreement, token=token) == record
    foreign = f"agreements.focusarea:{other.history.latest().history_id}"
    for bad in (foreign, "agreements.focusarea:abc", "agreements.focusarea:", "nonsense:1"):
        with pytest.raises(Http404):
            selectors.history_record(agreement=world.agreement, token=bad)


def test_the_history_page_lists_every_change_newest_first(world, coordinator):
    area = FocusAreaFactory(agreement=world.agreement, title="Före")
    area.title = "Efter"
    area.save()
    page = selectors.HistoryPage(world.agreement)
    keys = page.keys()
    assert [k[0] for k in keys] == sorted((k[0] for k in keys), reverse=True)
    entries = page.entries(keys)
    change = next(e for e in entries if e.kind == "~" and e.model_label == "agreements.focusarea")
    assert [(c.old, c.new) for c in change.changes] == [("Före", "Efter")]
    assert change.restorable
    created = next(e for e in entries if e.kind == "+" and e.model_label == "agreements.focusarea")
    assert ("", "Före") in [(c.old, c.new) for c in created.changes]
    assert change.token == f"agreements.focusarea:{change.record.history_id}"
