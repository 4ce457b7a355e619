"""factory_boy factories for the domain. Apps add theirs here as they grow."""

import datetime

import factory
from django.contrib.auth import get_user_model

from agreements.choices import OrganisationKind, Role
from agreements.models import (
    Agreement,
    Area,
    Cause,
    CitizenPromise,
    Commitment,
    FocusArea,
    Membership,
    Organisation,
    Signatory,
    SubGoal,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.se")
    password = factory.PostGenerationMethodCall("set_password", "demo")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.OTHER


class MunicipalityFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Kommun {n}")
    kind = OrganisationKind.MUNICIPALITY


class PoliceAreaFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Lokalpolisområde {n}")
    kind = OrganisationKind.POLICE_AREA


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(MunicipalityFactory)
    role = Role.VIEWER


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Område {n}")


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    title = factory.Sequence(lambda n: f"Samverkansöverenskommelse {n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    police_area = factory.SubFactory(PoliceAreaFactory)
    valid_from = datetime.date(2024, 1, 1)
    valid_to = datetime.date(2027, 12, 31)
    purpose = "Att främja samverkan."
    overall_goal = "Ett tryggare samhälle."


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    agreement = factory.SubFactory(AgreementFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Fokusområde {n}")


class SubGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubGoal

    focus_area = factory.SubFactory(FocusAreaFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Delmål {n}")


class CauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cause

    focus_area = factory.SubFactory(FocusAreaFactory)
    text = factory.Sequence(lambda n: f"Orsak {n}")


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    agreement = factory.SubFactory(AgreementFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Åtagande {n}")


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signatory

    agreement = factory.SubFactory(AgreementFactory)
    name = factory.Sequence(lambda n: f"Namn {n}")
    title = "Kommunstyrelsens ordförande"
    organisation = factory.LazyAttribute(lambda s: s.agreement.municipality)


class CitizenPromiseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CitizenPromise

    agreement = factory.SubFactory(AgreementFactory)
    year = 2025
    title = factory.Sequence(lambda n: f"Medborgarlöfte {n}")
    text = "Vi lovar att synas mer i centrum."


def chair_and_police_chief(agreement):
    """The two usual signatories: the municipal chair and the local police chief."""
    return [
        SignatoryFactory(
            agreement=agreement,
            position=1,
            name="Anna Andersson",
            title="Kommunstyrelsens ordförande",
            organisation=agreement.municipality,
            place="Ankeby",
        ),
        SignatoryFactory(
            agreement=agreement,
            position=2,
            name="Bertil Berg",
            title="Lokalpolisområdeschef",
            organisation=agreement.police_area,
            place="Ankeby",
        ),
    ]
