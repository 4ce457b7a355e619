"""Fixtures of the security suite: a rich tree in both municipalities and the five personas."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from agreements.choices import Role

from ..factories import MembershipFactory, UserFactory
from .factories import build_tree


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2's deliberate slowness costs seconds per login; these tests log in a lot."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Trees:
    a: object  # municipality A: the personas' own
    b: object  # municipality B: the outsider's own


@pytest.fixture
def trees(world, police):
    police_b = UserFactory(username="kommunpolis-b")
    MembershipFactory(user=police_b, organisation=world.other_police_area, role=Role.POLICE)
    a = build_tree(
        municipality=world.municipality,
        police_area=world.police_area,
        agreement=world.agreement,
        reviewer=police,
        tag="Ankeby",
    )
    b = build_tree(
        municipality=world.other_municipality,
        police_area=world.other_police_area,
        agreement=world.other_agreement,
        reviewer=police_b,
        tag="Bergsjö",
    )
    return Trees(a=a, b=b)


#: The personas of the matrix, in the order they are tried (the coordinator, who may
#: change things, last).
PERSONAS = ("anonymous", "outsider", "council", "police", "coordinator")


@pytest.fixture
def persona_clients(coordinator, police, council_member, outsider):
    def logged_in(user):
        client = Client()
        client.force_login(user)
        return client

    return {
        "anonymous": Client(),
        "outsider": logged_in(outsider),
        "council": logged_in(council_member),
        "police": logged_in(police),
        "coordinator": logged_in(coordinator),
    }
