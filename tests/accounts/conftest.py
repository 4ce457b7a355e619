import pytest
from django.urls import reverse

from agreements.choices import OrganisationKind
from tests.factories import OrganisationFactory


@pytest.fixture
def department(world):
    return OrganisationFactory(
        name="Socialförvaltningen Ankeby",
        kind=OrganisationKind.DEPARTMENT,
        parent=world.municipality,
    )


@pytest.fixture
def manage_url(world):
    return reverse("accounts:manage", args=[world.municipality.pk])


@pytest.fixture
def invite_url(world):
    return reverse("accounts:invite", args=[world.municipality.pk])
