"""A signed agreement and everything under it are immutable, whatever the write path."""

import contextlib
import datetime

import pytest
from django.db import transaction

from agreements.choices import AgreementStatus
from agreements.locking import AgreementLocked
from agreements.models import Agreement, Cause, Commitment, FocusArea, Signatory, SubGoal
from tests.factories import AgreementFactory, FocusAreaFactory, OrganisationFactory

from .conftest import build_tree, set_status


@contextlib.contextmanager
def refused():
    """Expect AgreementLocked; a savepoint keeps the test's transaction usable afterwards
    (Django's m2m and bulk writes run inside the caller's transaction)."""
    with pytest.raises(AgreementLocked), transaction.atomic():
        yield


TREE_MODELS = [FocusArea, SubGoal, Cause, Commitment, Signatory]


def rows_of(agreement):
    """What a reader of the agreement would see, to compare before and after an attempt."""
    return (
        Agreement.objects.filter(pk=agreement.pk).values_list("title", "purpose", "status").get(),
        list(FocusArea.objects.filter(agreement=agreement).values_list("pk", "title", "position")),
        list(SubGoal.objects.filter(focus_area__agreement=agreement).values_list("pk", "text")),
        list(Cause.objects.filter(focus_area__agreement=agreement).values_list("pk", "text")),
        list(Commitment.objects.filter(agreement=agreement).values_list("pk", "text", "party")),
        list(Signatory.objects.filter(agreement=agreement).values_list("pk", "name", "signed_on")),
        sorted(agreement.other_parties.values_list("pk", flat=True)),
    )


@pytest.fixture(params=[AgreementStatus.SIGNED, AgreementStatus.SUPERSEDED])
def locked(request, tree):
    return set_status(tree, request.param)


def item_of(model, agreement):
    if model in (SubGoal, Cause):
        return model.objects.filter(focus_area__agreement=agreement).first()
    return model.objects.filter(agreement=agreement).first()


def test_saving_the_agreement_content_is_refused(locked):
    before = rows_of(locked)
    locked.purpose = "Ändrat i efterhand"
    with refused():
        locked.save()
    assert rows_of(locked) == before


def test_deleting_the_agreement_is_refused(locked):
    with refused():
        locked.delete()
    with refused():
        Agreement.objects.filter(pk=locked.pk).delete()
    assert Agreement.objects.filter(pk=locked.pk).exists()


def test_queryset_update_of_content_is_refused(locked):
    before = rows_of(locked)
    with refused():
        Agreement.objects.filter(pk=locked.pk).update(title="Nytt")
    assert rows_of(locked) == before


@pytest.mark.parametrize("status", [AgreementStatus.DRAFT, AgreementStatus.APPROVED])
def test_the_status_cannot_be_set_back_to_unlock_it(locked, status):
    with refused():
        Agreement.objects.filter(pk=locked.pk).update(status=status)
    fresh = Agreement.objects.get(pk=locked.pk)
    fresh.status = status
    with refused():
        fresh.save()
    assert Agreement.objects.get(pk=locked.pk).status == locked.status


def test_lifecycle_fields_may_still_change(world, signed):
    signed.is_public = True
    signed.save()
    Agreement.objects.filter(pk=signed.pk).update(status=AgreementStatus.SUPERSEDED)
    assert Agreement.objects.get(pk=signed.pk).status == AgreementStatus.SUPERSEDED


@pytest.mark.parametrize("model", TREE_MODELS)
def test_saving_an_item_is_refused(locked, model):
    before = rows_of(locked)
    item = item_of(model, locked)
    field = "name" if model is Signatory else ("title" if model is FocusArea else "text")
    setattr(item, field, "Ändrat")
    with refused():
        item.save()
    assert rows_of(locked) == before


@pytest.mark.parametrize("model", TREE_MODELS)
def test_deleting_an_item_is_refused(locked, model):
    before = rows_of(locked)
    with refused():
        item_of(model, locked).delete()
    assert rows_of(locked) == before


@pytest.mark.parametrize("model", TREE_MODELS)
def test_queryset_update_and_delete_of_items_are_refused(locked, model):
    before = rows_of(locked)
    qs = model.objects.filter(pk=item_of(model, locked).pk)
    with refused():
        qs.update(position=99)
    with refused():
        qs.delete()
    assert rows_of(locked) == before


def test_related_manager_writes_are_refused(locked):
    before = rows_of(locked)
    with refused():
        locked.focus_areas.create(title="Nytt område", position=50)
    with refused():
        locked.focus_areas.all().delete()
    with refused():
        locked.signatories.update(signed_on=datetime.date(2020, 1, 1))
    area = locked.focus_areas.first()
    with refused():
        area.sub_goals.create(text="Nytt delmål", position=50)
    assert rows_of(locked) == before


def test_bulk_create_and_bulk_update_are_refused(locked):
    before = rows_of(locked)
    with refused():
        FocusArea.objects.bulk_create([FocusArea(agreement=locked, title="X", position=60)])
    area = locked.focus_areas.first()
    with refused():
        SubGoal.objects.bulk_create([SubGoal(focus_area=area, text="X", position=60)])
    goals = list(SubGoal.objects.filter(focus_area__agreement=locked))
    for goal in goals:
        goal.text = "Ändrat"
    # bulk_update runs in the caller's transaction; a savepoint keeps the test's usable.
    with refused():
        SubGoal.objects.bulk_update(goals, ["text"])
    assert rows_of(locked) == before


def test_moving_items_into_a_signed_agreement_is_refused(world, locked):
    draft = AgreementFactory(municipality=world.municipality, police_area=world.police_area)
    area = FocusAreaFactory(agreement=draft, position=1)
    with refused():
        FocusArea.objects.filter(pk=area.pk).update(agreement=locked)
    area.agreement = locked
    with refused():
        area.save()
    assert FocusArea.objects.get(pk=area.pk).agreement_id == draft.pk
    goal = SubGoal(focus_area=area, text="Flyttas", position=1)
    goal.save()
    with refused():
        SubGoal.objects.filter(pk=goal.pk).update(focus_area=locked.focus_areas.first())
    assert SubGoal.objects.get(pk=goal.pk).focus_area_id == area.pk


def test_moving_items_out_of_a_signed_agreement_is_refused(world, locked):
    draft = AgreementFactory(municipality=world.municipality, police_area=world.police_area)
    area = locked.focus_areas.first()
    area.agreement = draft
    with refused():
        area.save()
    assert FocusArea.objects.get(pk=area.pk).agreement_id == locked.pk


def test_parties_cannot_change_through_any_m2m_path(locked):
    before = rows_of(locked)
    newcomer = OrganisationFactory(name="Ny part")
    existing = locked.other_parties.first()
    through = Agreement.other_parties.through
    with refused():
        locked.other_parties.add(newcomer)
    with refused():
        locked.other_parties.remove(existing)
    with refused():
        locked.other_parties.clear()
    with refused():
        locked.other_parties.set([newcomer])
    with refused():
        newcomer.party_agreements.add(locked)
    with refused():
        existing.party_agreements.clear()
    with refused():
        through.objects.create(agreement=locked, organisation=newcomer)
    with refused():
        through.objects.filter(agreement=locked).delete()
    assert rows_of(locked) == before


def test_a_draft_stays_fully_editable(world):
    draft = build_tree(world.agreement)
    area = draft.focus_areas.first()
    area.title = "Nytt namn"
    area.save()
    SubGoal.objects.filter(focus_area=area).update(text="Ändrat")
    draft.other_parties.clear()
    Commitment.objects.filter(agreement=draft).delete()
    draft.purpose = "Nytt syfte"
    draft.save()
    assert Agreement.objects.get(pk=draft.pk).purpose == "Nytt syfte"
    assert not draft.commitments.exists()
