"""agreements.services at the edges: the refusal messages, signing dates, a failed PDF, items.

Written against the mutants `make mutants` left alive: each test pins something a
coordinator would notice (the status kept, the message beside the field, the row order).
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agreements import services, signing
from agreements.choices import AgreementStatus
from agreements.models import Agreement, Cause, FocusArea, Signatory
from core.pdf import PdfError
from tests.factories import FocusAreaFactory, OrganisationFactory

from .conftest import set_status

S = AgreementStatus


def _messages(exc_info) -> str:
    return " ".join(exc_info.value.messages)


def test_a_refused_move_names_both_statuses_in_words(coordinator, tree):
    with pytest.raises(ValidationError) as exc_info:
        services.agreement_transition(agreement=tree, user=coordinator, to_status=S.APPROVED)
    message = _messages(exc_info)
    assert str(S.DRAFT.label) in message
    assert str(S.APPROVED.label) in message
    assert "approved" not in message


def test_a_refused_move_to_an_unknown_status_names_it_as_given(coordinator, tree):
    with pytest.raises(ValidationError) as exc_info:
        services.agreement_transition(agreement=tree, user=coordinator, to_status="nonsense")
    assert "nonsense" in _messages(exc_info)


def test_the_coordinator_of_another_municipality_is_told_who_may(outsider, tree):
    with pytest.raises(PermissionDenied) as exc_info:
        services.agreement_submit_for_review(agreement=tree, user=outsider)
    assert "samordnare" in str(exc_info.value)


def test_the_move_is_seen_on_the_object_the_caller_holds(coordinator, tree):
    stale = Agreement.objects.get(pk=tree.pk)
    returned = services.agreement_submit_for_review(agreement=stale, user=coordinator)
    assert stale.status == S.REVIEW
    assert returned.status == S.REVIEW


def _new_agreement_data(world):
    return {
        "title": "Överenskommelse Ankeby 2028–2031",
        "municipality": world.municipality,
        "police_area": world.police_area,
        "valid_from": datetime.date(2028, 1, 1),
        "valid_to": datetime.date(2031, 12, 31),
        "purpose": "Samverkan.",
        "overall_goal": "Tryggt.",
    }


def test_the_coordinator_creates_a_draft_with_its_other_parties(coordinator, world):
    housing = OrganisationFactory(name="Ankeby Bostäder")
    agreement = services.agreement_create(
        user=coordinator, data=_new_agreement_data(world), other_parties=[housing]
    )
    stored = Agreement.objects.get(pk=agreement.pk)
    assert (stored.title, stored.status, stored.municipality) == (
        "Överenskommelse Ankeby 2028–2031",
        S.DRAFT,
        world.municipality,
    )
    assert list(stored.other_parties.all()) == [housing]


@pytest.mark.parametrize("persona", ["police", "council_member", "outsider", "staff"])
def test_only_the_municipalitys_coordinator_creates_an_agreement(request, world, persona):
    with pytest.raises(PermissionDenied) as exc_info:
        services.agreement_create(
            user=request.getfixturevalue(persona), data=_new_agreement_data(world)
        )
    assert "trygghetssamordnare" in str(exc_info.value)
    assert not Agreement.objects.filter(title="Överenskommelse Ankeby 2028–2031").exists()


def test_an_agreement_that_fails_validation_is_not_created(coordinator, world):
    data = {**_new_agreement_data(world), "valid_to": datetime.date(2027, 1, 1)}
    with pytest.raises(ValidationError):
        services.agreement_create(user=coordinator, data=data)
    assert not Agreement.objects.filter(title=data["title"]).exists()


def test_an_approved_agreement_goes_back_to_draft(coordinator, tree):
    _approved(tree)
    returned = services.agreement_return_to_draft(agreement=tree, user=coordinator)
    assert returned.status == S.DRAFT
    assert Agreement.objects.get(pk=tree.pk).status == S.DRAFT


def _approved(tree):
    return set_status(tree, S.APPROVED)


def test_signing_a_draft_is_refused_with_the_reason(coordinator, tree):
    with pytest.raises(ValidationError) as exc_info:
        services.agreement_sign(
            agreement=tree, user=coordinator, signed_on=datetime.date(2024, 1, 2)
        )
    assert exc_info.value.messages == ["Endast en beslutad överenskommelse kan undertecknas."]


def test_signing_without_signatories_asks_for_them(coordinator, world):
    _approved(world.agreement)
    with pytest.raises(ValidationError) as exc_info:
        services.agreement_sign(
            agreement=world.agreement, user=coordinator, signed_on=datetime.date(2024, 1, 2)
        )
    assert exc_info.value.messages == [
        "Lägg till undertecknarna innan överenskommelsen undertecknas."
    ]
    assert Agreement.objects.get(pk=world.agreement.pk).status == S.APPROVED


def test_signing_today_is_allowed(coordinator, tree):
    _approved(tree)
    today = timezone.localdate()
    services.agreement_sign(agreement=tree, user=coordinator, signed_on=today)
    assert set(tree.signatories.values_list("signed_on", flat=True)) == {today}
    assert tree.status == S.SIGNED


def test_signing_a_year_before_the_period_is_the_earliest_allowed(coordinator, tree):
    _approved(tree)
    earliest = tree.valid_from - datetime.timedelta(days=366)
    services.agreement_sign(agreement=tree, user=coordinator, signed_on=earliest)
    assert Agreement.objects.get(pk=tree.pk).status == S.SIGNED


def test_signing_earlier_than_that_is_refused_beside_each_signatory(coordinator, tree):
    _approved(tree)
    too_early = tree.valid_from - datetime.timedelta(days=367)
    with pytest.raises(ValidationError) as exc_info:
        services.agreement_sign(agreement=tree, user=coordinator, signed_on=too_early)
    assert exc_info.value.message_dict == {
        str(pk): ["Datumet för undertecknandet ligger för långt före perioden."]
        for pk in tree.signatories.values_list("pk", flat=True)
    }
    assert Agreement.objects.get(pk=tree.pk).status == S.APPROVED


def test_a_signatory_without_a_date_is_named_and_nothing_is_signed(coordinator, tree, stored_pdfs):
    _approved(tree)
    first, second = tree.signatories.order_by("position")
    with pytest.raises(ValidationError) as exc_info:
        services.agreement_sign(
            agreement=tree, user=coordinator, signed_on={first.pk: datetime.date(2024, 1, 10)}
        )
    assert exc_info.value.message_dict == {
        str(second.pk): [f"Ange datumet då {second.name} undertecknade."]
    }
    assert not Signatory.objects.filter(agreement=tree, signed_on__isnull=False).exists()
    assert Agreement.objects.get(pk=tree.pk).status == S.APPROVED
    assert stored_pdfs == []


def test_a_future_date_is_refused_beside_that_signatory_only(coordinator, tree):
    _approved(tree)
    first, second = tree.signatories.order_by("position")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc_info:
        services.agreement_sign(
            agreement=tree,
            user=coordinator,
            signed_on={first.pk: datetime.date(2024, 1, 10), second.pk: tomorrow},
        )
    assert exc_info.value.message_dict == {
        str(second.pk): ["Datumet för undertecknandet kan inte ligga i framtiden."]
    }


def test_signing_records_when_it_happened(coordinator, tree):
    _approved(tree)
    before = timezone.now()
    services.agreement_sign(agreement=tree, user=coordinator, signed_on=datetime.date(2024, 1, 2))
    tree.refresh_from_db()
    assert before <= tree.signed_at <= timezone.now()


def test_when_the_pdf_cannot_be_made_nothing_of_the_signing_is_kept(coordinator, tree, monkeypatch):
    _approved(tree)

    def fail(*, agreement):
        raise PdfError("renderer down")

    monkeypatch.setattr(signing, "store_signed_pdf", fail)
    with pytest.raises(ValidationError) as exc_info:
        services.agreement_sign(
            agreement=tree, user=coordinator, signed_on=datetime.date(2024, 1, 2)
        )
    assert exc_info.value.messages == [
        "Den undertecknade PDF:en kunde inte skapas, så överenskommelsen är inte undertecknad. "
        "Försök igen om en stund; misslyckas det igen, kontakta systemförvaltarna."
    ]
    tree.refresh_from_db()
    assert tree.status == S.APPROVED
    assert tree.signed_at is None
    assert not tree.signatories.filter(signed_on__isnull=False).exists()


def test_signing_an_agreement_that_revises_nothing_leaves_others_alone(coordinator, tree, world):
    set_status(world.other_agreement, S.SIGNED)
    _approved(tree)
    services.agreement_sign(agreement=tree, user=coordinator, signed_on=datetime.date(2024, 1, 2))
    assert Agreement.objects.get(pk=world.other_agreement.pk).status == S.SIGNED


def test_a_second_revision_is_refused_with_the_title_of_the_open_one(coordinator, signed):
    first = services.agreement_create_revision(agreement=signed, user=coordinator)
    with pytest.raises(ValidationError) as exc_info:
        services.agreement_create_revision(agreement=signed, user=coordinator)
    assert exc_info.value.messages == [
        f"En revidering håller redan på att tas fram: {first.title}."
    ]


def test_a_revision_gets_its_own_reference_and_creation_time(coordinator, tree):
    tree.reference = "KS 2024/17"
    tree.save()
    tree.signatories.update(signed_on=datetime.date(2024, 1, 10))
    signed = set_status(tree, S.SIGNED)
    revision = services.agreement_create_revision(agreement=signed, user=coordinator)
    revision.refresh_from_db()
    assert revision.reference == ""
    assert revision.created_at > signed.created_at


def test_once_the_revision_is_signed_a_new_one_may_be_drafted(coordinator, signed):
    revision = services.agreement_create_revision(agreement=signed, user=coordinator)
    set_status(revision, S.SIGNED)
    again = services.agreement_create_revision(agreement=signed, user=coordinator)
    assert again.revision_of_id == signed.pk


# ---------------------------------------------------------------------------
# Items
# ---------------------------------------------------------------------------


def test_a_new_item_goes_after_the_last_of_its_group(coordinator, tree):
    item = services.item_create(
        item=FocusArea(agreement=tree, title="Nytt fokus"), user=coordinator
    )
    assert item.position == 3
    assert list(tree.focus_areas.order_by("position").values_list("title", flat=True))[-1] == (
        "Nytt fokus"
    )


def test_the_first_item_of_a_group_gets_position_one(coordinator, world):
    item = services.item_create(
        item=FocusArea(agreement=world.agreement, title="Första"), user=coordinator
    )
    assert item.position == 1


def test_positions_count_per_agreement(coordinator, world, tree):
    FocusAreaFactory(agreement=world.other_agreement, position=9)
    item = services.item_create(item=FocusArea(agreement=tree, title="Tre"), user=coordinator)
    assert item.position == 3


def test_items_of_a_signed_agreement_are_refused_with_the_way_forward(coordinator, signed):
    area = signed.focus_areas.first()
    with pytest.raises(PermissionDenied) as exc_info:
        services.item_delete(item=area, user=coordinator)
    assert "revidering" in str(exc_info.value)
    assert FocusArea.objects.filter(pk=area.pk).exists()


def test_others_are_refused_items_without_the_signed_hint(police, tree):
    area = tree.focus_areas.first()
    with pytest.raises(PermissionDenied) as exc_info:
        services.item_delete(item=area, user=police)
    assert str(exc_info.value) == "Du får inte ändra den här överenskommelsen."
    assert FocusArea.objects.filter(pk=area.pk).exists()


def _titles(agreement):
    return list(agreement.focus_areas.order_by("position").values_list("title", flat=True))


def test_moving_an_item_swaps_it_with_its_neighbour(coordinator, tree):
    FocusAreaFactory(agreement=tree, position=3, title="Fokus 3")
    middle = tree.focus_areas.get(title="Fokus 2")
    assert services.item_move(item=middle, user=coordinator, direction="up") is True
    assert _titles(tree) == ["Fokus 2", "Fokus 1", "Fokus 3"]
    middle.refresh_from_db()
    assert services.item_move(item=middle, user=coordinator, direction="down") is True
    assert _titles(tree) == ["Fokus 1", "Fokus 2", "Fokus 3"]
    middle.refresh_from_db()
    assert services.item_move(item=middle, user=coordinator, direction="down") is True
    assert _titles(tree) == ["Fokus 1", "Fokus 3", "Fokus 2"]


def test_moving_past_either_end_changes_nothing(coordinator, tree):
    first, last = tree.focus_areas.order_by("position")
    assert services.item_move(item=first, user=coordinator, direction="up") is False
    assert services.item_move(item=last, user=coordinator, direction="down") is False
    assert _titles(tree) == ["Fokus 1", "Fokus 2"]


def test_an_unknown_direction_is_refused(coordinator, tree):
    with pytest.raises(ValidationError) as exc_info:
        services.item_move(item=tree.focus_areas.first(), user=coordinator, direction="sideways")
    assert exc_info.value.messages == ["Okänd riktning."]
    assert _titles(tree) == ["Fokus 1", "Fokus 2"]


def test_moving_is_refused_to_those_who_may_not_edit(police, tree):
    with pytest.raises(PermissionDenied):
        services.item_move(item=tree.focus_areas.last(), user=police, direction="up")
    assert _titles(tree) == ["Fokus 1", "Fokus 2"]


def _created_in_reverse(agreement):
    """Three areas created last-position first, so the row order is not the position order."""
    for position, title in ((3, "P"), (2, "Q"), (1, "R")):
        FocusAreaFactory(agreement=agreement, position=position, title=title)
    return {a.title: a for a in agreement.focus_areas.all()}


def test_up_swaps_with_the_next_position_above_not_the_newest_row(coordinator, world):
    areas = _created_in_reverse(world.agreement)
    services.item_move(item=areas["P"], user=coordinator, direction="up")
    assert _titles(world.agreement) == ["R", "P", "Q"]


def test_down_swaps_with_the_next_position_below_not_the_oldest_row(coordinator, world):
    areas = _created_in_reverse(world.agreement)
    services.item_move(item=areas["R"], user=coordinator, direction="down")
    assert _titles(world.agreement) == ["Q", "R", "P"]


# ---------------------------------------------------------------------------
# Restoring from the history
# ---------------------------------------------------------------------------


def test_restoring_an_item_keeps_its_place_and_outdates_open_edit_forms(coordinator, tree):
    area = tree.focus_areas.get(title="Fokus 1")
    original = area.history.order_by("history_id").first()
    area.title = "Felaktig ändring"
    area.save()
    version_before = FocusArea.objects.get(pk=area.pk).version
    services.history_restore(agreement=tree, user=coordinator, record=original)
    restored = FocusArea.objects.get(pk=area.pk)
    assert (restored.title, restored.position) == ("Fokus 1", 1)
    assert restored.version == version_before + 1
    assert _titles(tree) == ["Fokus 1", "Fokus 2"]


def test_a_deleted_item_comes_back_at_the_end_of_its_group(coordinator, tree):
    area = tree.focus_areas.get(title="Fokus 1")
    pk = area.pk
    area.delete()
    record = FocusArea.history.filter(id=pk, history_type="-").get()
    services.history_restore(agreement=tree, user=coordinator, record=record)
    assert FocusArea.objects.get(pk=pk).position == 3
    assert _titles(tree) == ["Fokus 2", "Fokus 1"]


def test_only_those_who_may_edit_restore(police, tree):
    area = tree.focus_areas.get(title="Fokus 1")
    original = area.history.order_by("history_id").first()
    area.title = "Ändrad"
    area.save()
    with pytest.raises(PermissionDenied):
        services.history_restore(agreement=tree, user=police, record=original)
    assert FocusArea.objects.get(pk=area.pk).title == "Ändrad"


def test_among_causes_sharing_a_position_the_newest_is_the_neighbour_above(coordinator, tree):
    area = tree.focus_areas.get(title="Fokus 1")
    area.causes.all().delete()
    older = Cause.objects.create(focus_area=area, position=1, text="Äldre")
    newer = Cause.objects.create(focus_area=area, position=1, text="Nyare")
    moving = Cause.objects.create(focus_area=area, position=2, text="Flyttas")
    services.item_move(item=moving, user=coordinator, direction="up")
    positions = dict(area.causes.values_list("text", "position"))
    assert positions == {"Äldre": 1, "Nyare": 2, "Flyttas": 1}
    assert older.pk < newer.pk


def test_among_causes_sharing_a_position_the_oldest_is_the_neighbour_below(coordinator, tree):
    area = tree.focus_areas.get(title="Fokus 1")
    area.causes.all().delete()
    moving = Cause.objects.create(focus_area=area, position=1, text="Flyttas")
    older = Cause.objects.create(focus_area=area, position=2, text="Äldre")
    Cause.objects.create(focus_area=area, position=2, text="Nyare")
    older.save()  # written again: no longer first in the table's physical order
    services.item_move(item=moving, user=coordinator, direction="down")
    positions = dict(area.causes.values_list("text", "position"))
    assert positions == {"Flyttas": 2, "Äldre": 1, "Nyare": 2}


def test_a_draft_is_not_revised_and_the_coordinator_is_told_why(coordinator, tree):
    with pytest.raises(ValidationError) as exc_info:
        services.agreement_create_revision(agreement=tree, user=coordinator)
    assert exc_info.value.messages == ["Endast en undertecknad överenskommelse kan revideras."]
    assert not tree.revisions.exists()


def test_a_revision_copies_every_written_detail_of_the_tree(coordinator, tree):
    area = tree.focus_areas.get(title="Fokus 1")
    area.description = "Trygghet i centrum kvällstid."
    area.kind = "safety"
    area.save()
    goal = area.sub_goals.first()
    goal.measured_by = "Trygghetsmätningen"
    goal.save()
    tree.signatories.update(place="Ankeby", signed_on=datetime.date(2024, 1, 10))
    signed = set_status(tree, S.SIGNED)
    revision = services.agreement_create_revision(agreement=signed, user=coordinator)
    copy = revision.focus_areas.get(title="Fokus 1")
    assert (copy.description, copy.kind) == ("Trygghet i centrum kvällstid.", "safety")
    assert copy.sub_goals.get(position=goal.position).measured_by == "Trygghetsmätningen"
    assert set(revision.signatories.values_list("place", "signed_on")) == {("Ankeby", None)}
