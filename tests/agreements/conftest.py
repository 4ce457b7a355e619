"""Fixtures for the agreements tests: a whole agreement tree and a stand-in for PDF storage."""

import datetime

import pytest

from agreements import signing
from agreements.choices import AgreementStatus
from tests.factories import (
    CauseFactory,
    CommitmentFactory,
    FocusAreaFactory,
    OrganisationFactory,
    SignatoryFactory,
    SubGoalFactory,
)


@pytest.fixture(autouse=True)
def stored_pdfs(monkeypatch):
    """Signing calls ``store_signed_pdf``; record the calls instead of rendering a PDF."""
    calls = []
    monkeypatch.setattr(
        signing, "store_signed_pdf", lambda *, agreement: calls.append(agreement.pk)
    )
    return calls


def build_tree(agreement, *, focus_areas=2, per_area=2):
    """Focus areas with sub-goals and causes, commitments of each party and joint, signatories."""
    housing = OrganisationFactory(name=f"Bostadsbolaget {agreement.pk}")
    agreement.other_parties.add(housing)
    for i in range(focus_areas):
        area = FocusAreaFactory(agreement=agreement, position=i + 1, title=f"Fokus {i + 1}")
        for j in range(per_area):
            SubGoalFactory(focus_area=area, position=j + 1, text=f"Delmål {i + 1}.{j + 1}")
            CauseFactory(focus_area=area, position=j + 1, text=f"Orsak {i + 1}.{j + 1}")
        CommitmentFactory(agreement=agreement, focus_area=area, party=None, position=1)
    for position, party in enumerate(
        [agreement.municipality, agreement.police_area, housing, None], start=1
    ):
        CommitmentFactory(agreement=agreement, party=party, position=position)
    SignatoryFactory(
        agreement=agreement, position=1, name="Kim Ordförande", organisation=agreement.municipality
    )
    SignatoryFactory(
        agreement=agreement,
        position=2,
        name="Alex Polischef",
        title="Lokalpolisområdeschef",
        organisation=agreement.police_area,
    )
    return agreement


@pytest.fixture
def tree(world):
    return build_tree(world.agreement)


def set_status(agreement, status):
    """Put an agreement straight into a status (bypassing the services, for set-up only)."""
    type(agreement)._base_manager.filter(pk=agreement.pk).update(status=status)
    agreement.refresh_from_db()
    return agreement


@pytest.fixture
def signed(tree):
    for signatory in tree.signatories.all():
        signatory.signed_on = datetime.date(2024, 1, 10)
        signatory.save()
    return set_status(tree, AgreementStatus.SIGNED)
