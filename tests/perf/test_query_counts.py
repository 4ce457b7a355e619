"""Every page runs as many queries at demo size as after ``generate_scale`` (issue 10)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client

from tests.factories import UserFactory

from .pages import PAGES, count_queries


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _measure(users: dict, targets: dict | None = None) -> tuple[dict, dict]:
    """Query count per (page, persona); ``targets`` pins the objects and filters found earlier."""
    counts, found = {}, dict(targets or {})
    for persona, user in users.items():
        client = _client(user)
        for page in PAGES:
            key = (page.label, persona)
            if key not in found:
                found[key] = page.target(user)
                assert not page.find or found[key][0], f"{persona} finds nothing for {page.label}"
            counts[key] = count_queries(client, page.url(*found[key]), connection)
    return counts, found


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_data():
    call_command("load_demo", force=True, stdout=StringIO())
    User = get_user_model()
    users = {
        "coordinator": User.objects.get(username="samordnare"),
        "staff": UserFactory(username="granskare", is_staff=True),
    }
    at_demo, pks = _measure(users)

    call_command(
        "generate_scale",
        municipalities=3,
        activities_per_plan=10,
        years=1,
        force=True,
        stdout=StringIO(),
    )
    at_scale, _ = _measure(users, pks)
    # Synthetic coordinators whose plans differ in size (11 and 9 activities): same counts.
    synthetic = {
        "samordnare-0001": User.objects.get(username="samordnare-0001"),
        "samordnare-0002": User.objects.get(username="samordnare-0002"),
    }
    at_synthetic, _ = _measure(synthetic)

    rows, failures = [], []
    for page in PAGES:
        for persona in users:
            key = (page.label, persona)
            demo, scale = at_demo[key], at_scale[key]
            rows.append(f"{page.label:<60} {persona:<12} demo {demo:>3}  scale {scale:>3}")
            if demo != scale or scale > page.budget:
                failures.append(rows[-1] + f"  (budget {page.budget})")
        one, two = (at_synthetic[(page.label, p)] for p in synthetic)
        if one != two or max(one, two) > page.budget:
            failures.append(f"{page.label:<60} synthetic coordinators: {one} vs {two}")
    assert not failures, (
        "Query counts grow with the data or exceed the budget:\n"
        + "\n".join(failures)
        + "\n\nAll pages:\n"
        + "\n".join(rows)
    )
