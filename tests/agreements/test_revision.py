"""create_revision(): a new draft copying the whole tree, with revision_of set."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agreements import services
from agreements.choices import AgreementStatus
from agreements.models import Cause, SubGoal


def tree_shape(agreement):
    """The content of the tree, without ids, to compare copies."""
    areas = []
    for area in agreement.focus_areas.order_by("position"):
        areas.append(
            (
                area.position,
                area.title,
                area.kind,
                area.description,
                [(g.position, g.text, g.measured_by) for g in area.sub_goals.order_by("position")],
                [(c.position, c.text) for c in area.causes.order_by("position")],
            )
        )
    commitments = sorted(
        (c.party_id or 0, c.focus_area.title if c.focus_area else "", c.position, c.text)
        for c in agreement.commitments.select_related("focus_area")
    )
    signatories = [
        (s.position, s.name, s.title, s.organisation_id, s.place)
        for s in agreement.signatories.order_by("position")
    ]
    return (
        areas,
        commitments,
        signatories,
        sorted(agreement.other_parties.values_list("pk", flat=True)),
    )


def test_revision_copies_the_whole_tree(coordinator, signed):
    revision = services.agreement_create_revision(agreement=signed, user=coordinator)
    assert revision.pk != signed.pk
    assert revision.revision_of == signed
    assert revision.revision_number == signed.revision_number + 1
    assert revision.status == AgreementStatus.DRAFT
    assert (revision.title, revision.purpose, revision.valid_from, revision.valid_to) == (
        signed.title,
        signed.purpose,
        signed.valid_from,
        signed.valid_to,
    )
    assert tree_shape(revision) == tree_shape(signed)
    # Copies, not moves: the signed agreement keeps its own tree.
    assert SubGoal.objects.filter(focus_area__agreement=signed).count() == 4
    assert Cause.objects.filter(focus_area__agreement=revision).count() == 4
    # Commitments in a focus area point at the copy's focus area.
    for commitment in revision.commitments.filter(focus_area__isnull=False):
        assert commitment.focus_area.agreement_id == revision.pk
    # Signatories are copied without signature dates; the original keeps its dates.
    assert not revision.signatories.filter(signed_on__isnull=False).exists()
    assert not signed.signatories.filter(signed_on__isnull=True).exists()
    assert not revision.signed_at and not revision.signed_pdf_sha256


def test_the_revision_is_editable_while_the_original_stays_locked(coordinator, signed):
    revision = services.agreement_create_revision(agreement=signed, user=coordinator)
    area = revision.focus_areas.first()
    area.title = "Nytt i revisionen"
    area.save()
    assert signed.focus_areas.filter(title="Nytt i revisionen").count() == 0


def test_only_a_signed_agreement_is_revised(coordinator, tree):
    with pytest.raises(ValidationError):
        services.agreement_create_revision(agreement=tree, user=coordinator)


def test_a_second_open_revision_is_refused(coordinator, signed):
    services.agreement_create_revision(agreement=signed, user=coordinator)
    with pytest.raises(ValidationError):
        services.agreement_create_revision(agreement=signed, user=coordinator)
    assert signed.revisions.count() == 1


@pytest.mark.parametrize("persona", ["police", "council_member", "outsider", "staff"])
def test_only_the_coordinator_revises(request, signed, persona):
    with pytest.raises(PermissionDenied):
        services.agreement_create_revision(agreement=signed, user=request.getfixturevalue(persona))
    assert not signed.revisions.exists()


def test_revision_keeps_the_areas_and_how_the_text_names_and_orders_further_parties(
    world, coordinator, tree
):
    from agreements.models import AgreementArea, AgreementParty, FocusAreaArea
    from tests.factories import AreaFactory

    from .conftest import set_status

    centre = AreaFactory(municipality=world.municipality, name="Centrum")
    east = AreaFactory(municipality=world.municipality, name="Östra")
    AgreementArea.objects.set_for(tree, [centre, east])
    first_area = tree.focus_areas.order_by("position").first()
    FocusAreaArea.objects.set_for(first_area, [east])
    AgreementParty.objects.filter(agreement=tree).update(position=5, short_name="Bolaget")
    set_status(tree, AgreementStatus.SIGNED)

    revision = services.agreement_create_revision(agreement=tree, user=coordinator)
    assert sorted(a.name for a in revision.areas.all()) == ["Centrum", "Östra"]
    copied_area = revision.focus_areas.order_by("position").first()
    assert [a.name for a in copied_area.areas.all()] == ["Östra"]
    assert [(r.organisation_id, r.position, r.short_name) for r in revision.party_rows.all()] == [
        (r.organisation_id, 5, "Bolaget") for r in tree.party_rows.all()
    ]
    # The signed agreement keeps its own rows.
    assert sorted(a.name for a in tree.areas.all()) == ["Centrum", "Östra"]
