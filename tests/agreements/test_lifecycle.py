"""Lifecycle: draft → review → approved → signed → superseded, and who may move it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agreements import services
from agreements.choices import AgreementStatus
from agreements.models import Agreement

from .conftest import set_status

S = AgreementStatus


def test_coordinator_moves_draft_to_review_to_approved(coordinator, tree):
    services.agreement_submit_for_review(agreement=tree, user=coordinator)
    assert tree.status == S.REVIEW
    services.agreement_approve(agreement=tree, user=coordinator)
    assert Agreement.objects.get(pk=tree.pk).status == S.APPROVED


@pytest.mark.parametrize("start", [S.REVIEW, S.APPROVED])
def test_it_goes_back_to_draft_from_review_and_approved(coordinator, tree, start):
    set_status(tree, start)
    services.agreement_return_to_draft(agreement=tree, user=coordinator)
    assert tree.status == S.DRAFT


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (S.DRAFT, S.APPROVED),
        (S.DRAFT, S.SIGNED),
        (S.REVIEW, S.SIGNED),
        (S.APPROVED, S.SIGNED),
        (S.SIGNED, S.DRAFT),
        (S.SUPERSEDED, S.DRAFT),
        (S.DRAFT, "nonsense"),
    ],
)
def test_it_refuses_moves_the_lifecycle_does_not_allow(coordinator, tree, start, to):
    set_status(tree, start)
    with pytest.raises(ValidationError):
        services.agreement_transition(agreement=tree, user=coordinator, to_status=to)
    assert Agreement.objects.get(pk=tree.pk).status == start


@pytest.mark.parametrize("persona", ["police", "council_member", "viewer", "outsider", "staff"])
def test_only_the_municipalitys_coordinator_may_move_it(request, tree, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.agreement_submit_for_review(agreement=tree, user=user)
    assert Agreement.objects.get(pk=tree.pk).status == S.DRAFT


def test_signing_records_each_signatorys_date_and_stores_the_pdf(coordinator, tree, stored_pdfs):
    set_status(tree, S.APPROVED)
    first, second = tree.signatories.order_by("position")
    dates = {first.pk: datetime.date(2024, 1, 10), second.pk: datetime.date(2024, 1, 12)}
    services.agreement_sign(agreement=tree, user=coordinator, signed_on=dates)
    tree.refresh_from_db()
    assert tree.status == S.SIGNED
    assert tree.signed_at is not None
    assert {s.pk: s.signed_on for s in tree.signatories.all()} == dates
    assert stored_pdfs == [tree.pk]


def test_signing_needs_an_approved_agreement(coordinator, tree):
    with pytest.raises(ValidationError):
        services.agreement_sign(
            agreement=tree, user=coordinator, signed_on=datetime.date(2024, 1, 1)
        )
    assert Agreement.objects.get(pk=tree.pk).status == S.DRAFT


def test_signing_refuses_a_future_date_and_changes_nothing(coordinator, tree, stored_pdfs):
    set_status(tree, S.APPROVED)
    future = datetime.date.today() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError):
        services.agreement_sign(agreement=tree, user=coordinator, signed_on=future)
    assert Agreement.objects.get(pk=tree.pk).status == S.APPROVED
    assert not tree.signatories.filter(signed_on__isnull=False).exists()
    assert stored_pdfs == []


def test_signing_without_signatories_is_refused(coordinator, world):
    set_status(world.agreement, S.APPROVED)
    with pytest.raises(ValidationError):
        services.agreement_sign(
            agreement=world.agreement, user=coordinator, signed_on=datetime.date(2024, 1, 1)
        )


@pytest.mark.parametrize("persona", ["police", "council_member", "outsider"])
def test_only_the_coordinator_signs(request, tree, persona):
    set_status(tree, S.APPROVED)
    with pytest.raises(PermissionDenied):
        services.agreement_sign(
            agreement=tree,
            user=request.getfixturevalue(persona),
            signed_on=datetime.date(2024, 1, 1),
        )


def test_signing_a_revision_supersedes_the_original(coordinator, signed):
    revision = services.agreement_create_revision(agreement=signed, user=coordinator)
    services.agreement_submit_for_review(agreement=revision, user=coordinator)
    services.agreement_approve(agreement=revision, user=coordinator)
    services.agreement_sign(
        agreement=revision, user=coordinator, signed_on=datetime.date(2024, 2, 1)
    )
    signed.refresh_from_db()
    revision.refresh_from_db()
    assert revision.status == S.SIGNED
    assert signed.status == S.SUPERSEDED


def test_in_force_follows_today_and_the_period(world):
    a = world.agreement
    assert a.in_force(datetime.date(2023, 6, 1)) == "upcoming"
    assert a.in_force(datetime.date(2025, 6, 1)) == "current"
    assert a.in_force(datetime.date(2028, 1, 1)) == "expired"
    assert list(
        Agreement.objects.filter(pk=a.pk).in_force("current", datetime.date(2025, 6, 1))
    ) == [a]
    assert (
        not Agreement.objects.filter(pk=a.pk)
        .in_force("expired", datetime.date(2025, 6, 1))
        .exists()
    )
