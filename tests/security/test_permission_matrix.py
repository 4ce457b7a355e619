"""Every URL of the project, for every persona, GET and POST: the answer the matrix expects.

The table lives in ``tests/security/matrix.py``. A URL without a row fails
:func:`test_every_url_has_a_row_in_the_matrix`, so new pages must say who may use them.
Besides the status, every page an outsider gets must not show municipality A's names, and
every HTML page the coordinator gets must carry no inline script or style (the CSP forbids
them).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse

from .conftest import PERSONAS
from .matrix import (
    A_SECRETS,
    MATRIX,
    expectations,
    post_data,
    resolve_path,
    url_kwargs_variants,
)
from .test_hostile_input import db_checksum
from .test_login_and_headers import inline_code
from .urlwalk import named_routes, unnamed_routes


def test_every_url_has_a_row_in_the_matrix():
    routes = named_routes()
    missing = sorted(set(routes) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(routes))
    assert not missing, f"URL names without a row in tests/security/matrix.py: {missing}"
    assert not stale, f"rows in the matrix for URL names that no longer exist: {stale}"


def test_every_url_has_a_name():
    assert unnamed_routes() == []


def test_the_matrix_never_accepts_a_server_error():
    for name, row in MATRIX.items():
        for method in ("get", "post"):
            for persona, accepted in expectations(row, method).items():
                assert "500" not in accepted, (name, method, persona)


#: Answers that must leave the database exactly as it was.
REFUSALS = {"login", "400", "403", "404", "405"}


def _outcome(response) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        location = response.headers.get("Location", "")
        if location.startswith(reverse(settings.LOGIN_URL)):
            return "login"
        return "302"
    return str(response.status_code)


def _request(client, method: str, url: str, data: dict):
    try:
        response = client.get(url) if method == "get" else client.post(url, data)
    except Exception as exc:  # a 500 in production: report it as such
        return f"500 ({type(exc).__name__}: {exc})", None
    return _outcome(response), response


def _text(response) -> str:
    if response is None or response.get("Content-Type", "").split(";")[0] not in (
        "text/html",
        "text/plain",
        "text/csv",
        "text/calendar",
        "application/json",
    ):
        return ""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.fixture
def stored_scan(trees, settings, tmp_path):
    """The signed agreement's scanned copy on disk, so the download has something to serve."""
    settings.MEDIA_ROOT = tmp_path / "media"
    signed = trees.a.signed_agreement
    signed.signed_scan.save("skannad.pdf", ContentFile(b"%PDF-1.4\n%scan\n"), save=False)
    signed.signed_scan_sha256 = "0" * 64
    signed.save()


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_persona_gets_the_expected_answer(name, trees, persona_clients, stored_scan):
    routes = named_routes()
    if name not in routes:
        pytest.fail(f"{name} is in the matrix but not a URL (see the stale-row test)")
    row = MATRIX[name]
    secrets = [resolve_path(trees.a, path) for path in A_SECRETS]
    wrong = []
    for kwargs in url_kwargs_variants(row, set(routes[name].params), trees.a):
        url = reverse(name, kwargs=kwargs or None) + row.query
        for method in ("get", "post"):
            expected = expectations(row, method)
            for persona in PERSONAS:
                data = post_data(row, trees.a) if method == "post" else {}
                before = db_checksum() if method == "post" else None
                got, response = _request(persona_clients[persona], method, url, data)
                where = f"{method.upper()} {url} as {persona}"
                if got not in expected[persona]:
                    accepted = "|".join(sorted(expected[persona]))
                    wrong.append(f"{where}: got {got}, expected {accepted}")
                if before is not None and got in REFUSALS and db_checksum() != before:
                    wrong.append(f"{where}: refused with {got}, but the database changed")
                if got != "200":
                    continue
                text = _text(response)
                if persona in ("outsider", "police_b") and not row.shows_a:
                    shown = [s for s in secrets if s in text]
                    if shown:
                        wrong.append(f"{where}: shows municipality A's {shown}")
                if persona == "coordinator" and "text/html" in response.get("Content-Type", ""):
                    wrong += [f"{where}: {found}" for found in inline_code(text)]
    assert not wrong, "\n".join(wrong)
