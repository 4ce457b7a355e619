"""Every URL refuses a POST without a CSRF token, and the refused POST changes nothing.

The matrix posts with CSRF checks off (as Django's test client does by default) to test
permissions; this test turns the checks on, as a browser meets them. A view exempted from
CSRF shows up here as a URL that did not answer with the CSRF failure.
"""

from __future__ import annotations

import pytest
from django.http import HttpResponseForbidden
from django.test import Client
from django.urls import reverse

from .matrix import MATRIX, post_data, url_kwargs_variants
from .test_hostile_input import db_checksum
from .urlwalk import named_routes

REFUSED = b"csrf-refused-by-test"


def csrf_failure(request, reason=""):
    return HttpResponseForbidden(REFUSED)


@pytest.fixture
def csrf_clients(coordinator, staff):
    clients = {"anonymous": Client(enforce_csrf_checks=True)}
    for name, user in (("coordinator", coordinator), ("staff", staff)):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        clients[name] = client
    return clients


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(
    name, trees, csrf_clients, settings
):
    settings.CSRF_FAILURE_VIEW = f"{__name__}.csrf_failure"
    routes = named_routes()
    row = MATRIX[name]
    wrong = []
    for kwargs in url_kwargs_variants(row, set(routes[name].params), trees.a):
        url = reverse(name, kwargs=kwargs or None) + row.query
        for persona, client in csrf_clients.items():
            before = db_checksum()
            response = client.post(url, post_data(row, trees.a))
            if response.status_code != 403 or response.content != REFUSED:
                wrong.append(
                    f"POST {url} as {persona}: {response.status_code}, not the CSRF refusal"
                )
            if db_checksum() != before:
                wrong.append(f"POST {url} as {persona}: the database changed")
    assert not wrong, "\n".join(wrong)
