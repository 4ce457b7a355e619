"""Hostile query parameters on every page: never a 500, never echoed as markup.

Every page the coordinator and staff may open is fetched once to learn its parameters —
the names of every field in the page's ``<main>`` (filters, search, period pickers) plus
the common ``page``, ``start``, ``end``, ``q`` and ``sort`` — and then fetched again with
hostile values drawn by Hypothesis: extreme and malformed dates, huge and strange numbers,
control characters, long text, markup and another municipality's ids.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from .matrix import MATRIX, expectations, url_kwargs_variants
from .test_hostile_input import DATES, HOSTILE_TEXTS, NUMBERS, XSS, _other_municipality_pks
from .urlwalk import named_routes

# The ci profile keeps this; `make fuzz` (profile fuzz) runs several times as many.
MAX_EXAMPLES = max(12, hsettings.default.max_examples // 5)
COMMON = ("page", "start", "end", "q", "sort", "year", "period")
NAME = re.compile(r'\bname="([^"]+)"')
SKIP = {"csrfmiddlewaretoken", "version_token", "next", "language"}


def _pages(persona: str) -> list[tuple[str, int]]:
    found = []
    for name, row in sorted(MATRIX.items()):
        if "200" not in expectations(row, "get")[persona] or name in ("logout",):
            continue
        for index in range(len(row.variants) or 1):
            found.append((name, index))
    return found


def _params(html: str) -> list[str]:
    main = html[html.find("<main") : html.find("</main>")]
    names = {n for n in NAME.findall(main) if n not in SKIP and "-" not in n}
    return sorted(names | set(COMMON))


def _fuzz(client, url: str, params: list[str], value, failures: list[str]) -> None:
    @hsettings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
               suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
    @given(st.dictionaries(st.sampled_from(params), value, min_size=1, max_size=4))
    def get_hostile(query):
        query = {k: v.replace("\x00", "") for k, v in query.items()}
        try:
            response = client.get(url, query)
        except Exception as exc:  # the test client re-raises what would be a 500
            failures.append(f"GET {url} {query!r}: {type(exc).__name__}: {exc}")
            return
        html = "html" in response.get("Content-Type", "") and not getattr(
            response, "streaming", False
        )
        if response.status_code >= 500:
            failures.append(f"GET {url} {query!r}: HTTP {response.status_code}")
        elif html and XSS in response.content.decode("utf-8", "replace"):
            failures.append(f"GET {url} {query!r}: the parameter came back as markup")

    get_hostile()


@pytest.mark.parametrize("persona", ["coordinator", "staff"])
def test_hostile_query_parameters_never_break_a_page(trees, persona_clients, persona):
    client = persona_clients[persona]
    routes = named_routes()
    other = [str(pk) for pk in _other_municipality_pks(trees)]
    value = st.one_of(
        st.sampled_from(HOSTILE_TEXTS + NUMBERS + DATES + other + ["0001-01-01", "-5", "0"]),
        st.text(max_size=60),
        st.text(st.characters(codec="utf-8", categories=["Cc", "Cs", "Co"]), max_size=10),
    )
    failures = []
    pages = 0
    for name, variant in _pages(persona):
        row = MATRIX[name]
        kwargs = url_kwargs_variants(row, set(routes[name].params), trees.a)[variant]
        url = reverse(name, kwargs=kwargs or None)
        first = client.get(url)
        if first.status_code != 200:
            continue
        kind = first.get("Content-Type", "")
        params = (
            _params(first.content.decode("utf-8", "replace")) if "html" in kind else list(COMMON)
        )
        pages += 1

        _fuzz(client, url, params, value, failures)
    assert pages >= 40
    assert not failures, "\n".join(failures[:20])
