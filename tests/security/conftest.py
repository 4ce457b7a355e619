"""Fixtures of the security suite: a rich tree in both municipalities and the five personas."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from agreements.choices import Role

from ..factories import MembershipFactory, UserFactory
from .factories import build_tree


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


#: The personas of the matrix, in the order they are tried (those who may change things
#: last: the coordinator, then the superuser).
PERSONAS = (
    "anonymous",
    "outsider",
    "police_b",
    "council",
    "viewer",
    "reporter",
    "party",
    "staff",
    "police",
    "coordinator",
    "superuser",
)


@pytest.fixture
def persona_clients(trees, coordinator, police, council_member, viewer, outsider, staff):
    """One logged-in client per persona.

    ``outsider`` is municipality B's coordinator and ``police_b`` B's kommunpolis;
    ``party`` reads as a member of a further party of A's agreement (its housing company);
    ``reporter`` reports for A's förvaltning, which is responsible for A's activity;
    ``staff`` reads everything and sets up municipalities; ``superuser`` edits everything.
    """
    from django.contrib.auth import get_user_model

    def logged_in(user):
        client = Client()
        client.force_login(user)
        return client

    reporter = UserFactory(username="rapportor-a")
    MembershipFactory(user=reporter, organisation=trees.a.department, role=Role.REPORTER)
    party = UserFactory(username="bostad-a")
    MembershipFactory(user=party, organisation=trees.a.housing, role=Role.VIEWER)
    superuser = UserFactory(username="superuser", is_staff=True, is_superuser=True)
    return {
        "anonymous": Client(),
        "outsider": logged_in(outsider),
        "police_b": logged_in(get_user_model().objects.get(username="kommunpolis-b")),
        "council": logged_in(council_member),
        "viewer": logged_in(viewer),
        "reporter": logged_in(reporter),
        "party": logged_in(party),
        "staff": logged_in(staff),
        "police": logged_in(police),
        "coordinator": logged_in(coordinator),
        "superuser": logged_in(superuser),
    }


def pytest_terminal_summary(terminalreporter):
    """The fuzzing's outcomes per form route and persona (tests/security/fuzzing.py)."""
    from .fuzzing import STATS

    if not STATS:
        return
    terminalreporter.section("form fuzzing: outcomes per route")
    total = {}
    for (route, persona), counts in sorted(STATS.items()):
        for key, n in counts.items():
            total[key] = total.get(key, 0) + n
        shown = ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
        terminalreporter.write_line(f"{route:45} {persona:12} {sum(counts.values()):5}  {shown}")
    shown = ", ".join(f"{k} {n}" for k, n in sorted(total.items()))
    terminalreporter.write_line(f"{'all':58} {sum(total.values()):5}  {shown}")
