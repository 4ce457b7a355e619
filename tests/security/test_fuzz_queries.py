"""The GET parameters of every list and filter page, fuzzed per persona: never a 500, and the
rows shown stay within what the persona may see.

For each page the filter form is read as rendered (:mod:`tests.security.fuzzing`): its
fields, the options each dropdown offers to this persona. Hypothesis then draws queries of
one to four parameters — an offered option, a hostile or random value for a filter, a page
number (huge, negative, not a number), an ordering, an unknown parameter — and each answer
must be a page (or a redirect / 404 for a page number out of range), never a 500. Every row
the page lists must be one the persona may see (``visible_to``), and municipality B's
coordinator must never see municipality A's names on a page that is not public.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import escape
from django.views.generic.list import MultipleObjectMixin
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from . import fuzzing
from .matrix import A_SECRETS, MATRIX, V, _value, expectations, resolve_path
from .test_hostile_input import DATES, HOSTILE_TEXTS, NUMBERS
from .urlwalk import named_routes

#: Pages with GET parameters that are not list views: (name, kwargs as paths into A's tree).
EXTRA_PAGES = {
    "dashboard:home": {},
    "forums:tree": {},
    "forums:detail": {"pk": "forum"},
    "agreements:history": {"pk": "agreement"},
    "actionplans:plan-detail": {"pk": "plan"},
    "actionplans:activity-export": {"fmt": V("csv")},
    "accounts:invite": {"pk": "municipality"},
}
#: Parameters some views read that no form shows.
KNOWN = ("page", "q", "sort", "ordering", "o", "edit", "year", "municipality", "organisation",
         "role", "start", "end", "period")  # fmt: skip
PAGES_VALUES = ["0", "-1", "1", "2", "999999999999", "1e3", "last", "x", "", "1.5", "١"]
ORDERINGS = ["-pk", "title", "-title", "?", "pk__in", "password", "__class__", "-" * 50]


def _list_pages() -> dict[str, dict]:
    routes = named_routes()
    pages = {}
    for name, row in sorted(MATRIX.items()):
        view = routes[name].view_class
        if view is not None and issubclass(view, MultipleObjectMixin):
            pages[name] = {k: v for k, v in {"pk": row.obj, **row.kwargs}.items() if v}
    return {**pages, **EXTRA_PAGES}


PAGES = _list_pages()
USERS = {"coordinator": "samordnare-a", "police": "kommunpolis-a", "council": "kug-a",
         "outsider": "samordnare-b", "anonymous": None}  # fmt: skip
PERSONAS = tuple(USERS)


def _filters(response) -> dict[str, list[str]]:
    """The GET forms' fields of the page's ``<main>``: name → the values offered."""
    html = response.content.decode("utf-8", "replace")
    parser = fuzzing._Parser()
    parser.feed(html.replace('method="get"', 'method="post"'))  # read GET forms as forms
    found: dict[str, list[str]] = {}
    for form in parser.forms:
        for f in form.fields.values():
            if f.name in ("csrfmiddlewaretoken", "version_token") or f.kind == "submit":
                continue
            found.setdefault(f.name, []).extend(o for o in f.options if o)
    return found


def _shown_rows(response) -> list:
    """The model objects the page lists (its ``object_list``), where it has one."""
    context = response.context
    if context is None:
        return []
    try:
        rows = context["object_list"]
    except KeyError:
        return []
    return [row for row in rows if hasattr(type(row), "_default_manager")]


def _invisible(rows, user) -> list[str]:
    wrong = []
    for row in rows:
        manager = type(row)._default_manager
        if (
            hasattr(manager, "visible_to")
            and not manager.visible_to(user).filter(pk=row.pk).exists()
        ):
            wrong.append(f"{type(row).__name__} {row.pk} ({row})")
    return wrong


def _foreign(trees, persona: str) -> list[str]:
    """What a persona might try to reach the other municipality's rows with: its ids, and
    its names (for the searches)."""
    other = trees.a if persona == "outsider" else trees.b
    names = [resolve_path(other, path) for path in A_SECRETS]
    words = [word for name in names for word in name.split()[:2]]
    ids = [other.agreement, other.focus_area, other.plan, other.activity, other.forum,
           other.area, other.municipality, other.department, other.indicator, other.report]  # fmt: skip
    return [str(o.pk) for o in ids] + names + words


def _query(filters: dict[str, list[str]], foreign: list[str]):
    """One to four parameters: mostly the page's own filters, with an offered option, the
    other municipality's ids and names, or something hostile; sometimes a page number, an
    ordering or a parameter no view knows."""
    hostile = st.one_of(st.sampled_from(HOSTILE_TEXTS + NUMBERS + DATES), st.text(max_size=40))
    theirs = st.sampled_from(foreign)

    def value_for(name):
        if name == "page":
            return st.one_of(st.sampled_from(PAGES_VALUES), hostile)
        if name in ("sort", "ordering", "o"):
            return st.one_of(st.sampled_from(ORDERINGS), hostile)
        offered = filters.get(name)
        if offered:
            return st.one_of(st.sampled_from(offered), theirs, hostile)
        return st.one_of(theirs, theirs, hostile)  # a search: mostly the other's names

    def pair(names):
        return st.sampled_from(sorted(names)).flatmap(lambda n: st.tuples(st.just(n), value_for(n)))

    unknown = st.tuples(
        st.text(st.characters(codec="ascii", categories=["L", "N", "P"]), min_size=1, max_size=12),
        hostile,
    )
    choices = [pair(KNOWN), unknown]
    if filters:  # the page's own filters most of the time
        choices = [pair(filters)] * 3 + choices
    return st.lists(st.one_of(choices), min_size=1, max_size=4, unique_by=lambda p: p[0]).map(dict)


@dataclass
class Page:
    name: str
    url: str
    persona: str
    user: object
    hides_a: bool  # municipality B's coordinator on a page that is not public


def _fuzz_page(client, page: Page, query_strategy, secrets, failures: list[str]) -> int:
    """Fuzz one page's query string; the number of listed rows checked for visibility."""
    checked = [0]

    fixed = settings.default.derandomize
    run = settings(deadline=None, database=None, derandomize=False,
                   max_examples=max(3, settings.default.max_examples // 2),
                   suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
    per_page = seed(zlib.crc32(f"{page.name}/{page.persona}".encode())) if fixed else (lambda f: f)

    @per_page
    @run
    @given(query_strategy)
    def get_page(query):
        where = f"GET {page.url} {query!r} as {page.persona}"
        try:
            response = client.get(page.url, query)
        except Exception as exc:  # the test client re-raises what would be a 500
            failures.append(f"{where}: {type(exc).__name__}: {exc}")
            return
        if response.status_code not in (200, 302, 404):
            failures.append(f"{where}: HTTP {response.status_code}")
            return
        if response.status_code != 200 or getattr(response, "streaming", False):
            return
        rows = [] if page.name.startswith("public:") else _shown_rows(response)
        checked[0] += len(rows)
        wrong = _invisible(rows, page.user)
        if wrong:
            failures.append(f"{where}: lists rows the persona may not see: {wrong[:5]}")
        if page.hides_a:
            text = response.content.decode("utf-8", "replace")
            for value in query.values():  # what the persona typed may come back (a search box)
                text = text.replace(escape(value), "").replace(value, "") if value else text
            shown = [s for s in secrets if s in text]
            if shown:
                failures.append(f"{where}: shows municipality A's {shown}")

    get_page()
    return checked[0]


@pytest.mark.parametrize("persona", PERSONAS)
def test_list_pages_answer_any_query_within_what_the_persona_may_see(
    trees, persona_clients, persona
):
    client = persona_clients[persona]
    user = USERS[persona] and get_user_model().objects.get(username=USERS[persona])
    routes = named_routes()
    foreign = _foreign(trees, persona)
    secrets = [resolve_path(trees.a, path) for path in A_SECRETS]
    failures: list[str] = []
    checked = 0
    for name, sources in PAGES.items():
        if "200" not in expectations(MATRIX[name], "get")[persona]:
            continue
        kwargs = {k: _value(trees.a, v) for k, v in sources.items()}
        missing = set(routes[name].params) - set(kwargs)
        assert not missing, f"{name}: no value for {missing}"
        url = reverse(name, kwargs=kwargs or None)
        first = client.get(url)
        assert first.status_code == 200, f"{url} as {persona}: {first.status_code}"
        filters = _filters(first) if "html" in first.get("Content-Type", "") else {}
        hides_a = persona == "outsider" and not MATRIX[name].shows_a
        page = Page(name, url, persona, user, hides_a)
        checked += _fuzz_page(client, page, _query(filters, foreign), secrets, failures)
    if persona != "anonymous":  # the check saw rows: lists are not all empty
        assert checked > 0
    assert not failures, "\n".join(failures[:20])
