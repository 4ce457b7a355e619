"""Hostile input to every create/edit form: never a 500, and an invalid form changes nothing.

The forms are found from the permission matrix: every URL whose view is a form view
(``FormMixin``: FormView, CreateView, UpdateView). For each, the coordinator of A (who may
use it) posts values drawn by Hypothesis — random Unicode, huge strings, control
characters, HTML/JS, SQL-looking text, empty values, out-of-range numbers and dates,
another municipality's ids, and files that lie about their type or are too large. Each
answer must be 200 (the form with errors, or a result) or a redirect; when the form is
invalid the database must be exactly as before (a checksum of every domain table and its
history); and what was typed comes back escaped.
"""

from __future__ import annotations

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.views.generic.edit import FormMixin
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from .matrix import HOSTILE_INPUT_PREPARE, HOSTILE_INPUT_SKIP, MATRIX, url_kwargs_variants
from .urlwalk import named_routes

# The ci profile keeps this; `make fuzz` (profile fuzz) runs several times as many.
MAX_EXAMPLES = max(15, hsettings.default.max_examples // 5)
UPLOAD_LIMIT = 64 * 1024
XSS = "<script>alert('x')</script>"
HOSTILE_TEXTS = [
    XSS,
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "'; DROP TABLE agreements_agreement; --",
    "1 OR 1=1",
    "Robert'); DELETE FROM auth_user WHERE ('1'='1",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "%s%s%s%n",
    "../../etc/passwd",
    "\x00nul",
    "\u202eRTL\u202c",
    "   ",
    "",
    "Å" * 5000,
]
NUMBERS = ["-1", "0", "101", "2147483648", "-2147483649", "1" + "0" * 30, "1e309", "NaN",
           "Infinity", "0x10", "1,5", "١٢٣"]  # fmt: skip
DATES = ["2025-02-30", "0000-01-01", "9999-12-31", "99999-01-01", "1900-01-01", "2025-13-01",
         "31/12/2025", "2025-06-15"]  # fmt: skip


def _domain_tables() -> list[str]:
    tables = []
    for app in ("agreements", "forums", "actionplans", "followup", "accounts", "auth"):
        for model in apps.get_app_config(app).get_models(include_auto_created=True):
            tables.append(model._meta.db_table)
    return sorted(set(tables))


def db_checksum() -> str:
    """One md5 over every row of every domain table (history included)."""
    row_hash = "md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), ''))"
    # Table names come from the app registry, not from input.
    parts = [f"SELECT '{t}' AS t, {row_hash} AS h FROM \"{t}\" x" for t in _domain_tables()]  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return ",".join(f"{t}:{h}" for t, h in sorted(cursor.fetchall()))


def _form_routes() -> list[tuple[str, int]]:
    routes = named_routes()
    found = []
    for name in sorted(MATRIX):
        view = routes[name].view_class if name in routes else None
        if view is None or not issubclass(view, FormMixin) or name in HOSTILE_INPUT_SKIP:
            continue
        for index in range(len(MATRIX[name].variants) or 1):
            found.append((name, index))
    return found


hostile_text = st.one_of(
    st.sampled_from(HOSTILE_TEXTS),
    st.text(max_size=300),
    st.text(st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp"]), max_size=50),
    st.builds(lambda n: "x" * n, st.sampled_from([201, 301, 1001, 100_000])),
)


def _files(field: forms.FileField):
    pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    contents = st.one_of(
        st.binary(max_size=2000),
        st.sampled_from(
            [
                b"",
                pdf,
                b"%PDF-" + b"\x00" * 100,
                b"<html><script>alert(1)</script></html>",
                b"PK\x03\x04" + b"\x00" * 200,  # a broken zip (xlsx)
                "år;värde\n2024;1,5\n2025;x\n".encode(),
                "\ufeffår;värde\n".encode("utf-16"),
                b"=cmd|' /C calc'!A0\n",
                b"A" * (UPLOAD_LIMIT + 1),  # over the size limit
            ]
        ),
    )
    names = st.sampled_from(["fil.pdf", "fil.xlsx", "fil.csv", "fil.exe", "../../x.pdf", "ö.pdf"])
    return st.builds(lambda c, n: SimpleUploadedFile(n, c), contents, names)


def _strategy(name: str, field: forms.Field, other_pks: list):
    """Values for one field: plausible ones mixed with hostile ones."""
    if isinstance(field, forms.FileField):
        return st.one_of(st.none(), _files(field))
    hostile = hostile_text
    if isinstance(field, forms.ModelMultipleChoiceField):
        own = list(field.queryset.values_list("pk", flat=True)[:20])
        pool = [str(pk) for pk in own + other_pks] + ["999999999", "x", "-1"]
        return st.lists(st.sampled_from(pool), max_size=4)
    if isinstance(field, forms.ModelChoiceField):
        own = [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:20]]
        other = [str(pk) for pk in other_pks]
        return st.one_of(st.sampled_from(own or [""]), st.sampled_from(other + ["9" * 25, ""]),
                         hostile)  # fmt: skip
    if isinstance(field, forms.MultipleChoiceField):
        values = [str(v) for v, _label in field.choices if v != ""]
        return st.lists(st.one_of(st.sampled_from(values or ["x"]), hostile), max_size=3)
    if isinstance(field, forms.ChoiceField):
        values = [str(v) for v, _label in field.choices if not isinstance(_label, (list, tuple))]
        return st.one_of(st.sampled_from(values or [""]), hostile)
    if isinstance(field, forms.BooleanField | forms.NullBooleanField):
        return st.sampled_from(["on", "", "true", "false", "2", XSS])
    if isinstance(field, forms.DateTimeField | forms.SplitDateTimeField):
        return st.one_of(st.sampled_from([d + " 10:00" for d in DATES] + DATES), hostile)
    if isinstance(field, forms.DateField):
        return st.one_of(st.sampled_from(DATES), hostile)
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return st.one_of(st.sampled_from(NUMBERS), st.integers().map(str), hostile)
    return st.one_of(hostile, st.text(min_size=1, max_size=40))


def _other_municipality_pks(trees) -> list[int]:
    b = trees.b
    return [b.agreement.pk, b.focus_area.pk, b.sub_goal.pk, b.plan.pk, b.activity.pk,
            b.forum.pk, b.area.pk, b.municipality.pk, b.department.pk, b.indicator.pk]  # fmt: skip


def _get_form(client, url):
    """The view's form: from the page, or — for views that only show it inline elsewhere
    (GET redirects) — from the answer to an empty POST."""
    for attempt in (lambda: client.get(url), lambda: client.post(url, {})):
        response = attempt()
        context = response.context or {}
        if response.status_code in (200, 400) and "form" in context:
            return response, context["form"]
    return response, None


@pytest.mark.parametrize(("name", "variant"), _form_routes())
def test_a_form_survives_hostile_input(
    name, variant, trees, coordinator_client, settings, tmp_path
):
    settings.SAMVERKAN_MAX_UPLOAD_BYTES = UPLOAD_LIMIT
    settings.MEDIA_ROOT = tmp_path / "media"
    row = MATRIX[name]
    if name in HOSTILE_INPUT_PREPARE:
        HOSTILE_INPUT_PREPARE[name](trees.a)
    params = set(named_routes()[name].params)
    kwargs = url_kwargs_variants(row, params, trees.a)[variant]
    url = reverse(name, kwargs=kwargs or None)
    response, form = _get_form(coordinator_client, url)
    assert form is not None, f"{url}: no form for the coordinator (HTTP {response.status_code})"
    other_pks = _other_municipality_pks(trees)
    fields = {
        field_name: _strategy(field_name, field, other_pks)
        for field_name, field in form.fields.items()
        if field_name != "version_token"
    }
    instance = getattr(form, "instance", None)
    model = type(instance) if instance is not None and instance.pk else None

    @hsettings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.fixed_dictionaries({}, optional=fields))
    def post_hostile(data):
        if model is not None and "version_token" in form.fields:
            current = model._base_manager.filter(pk=instance.pk).values_list("version", flat=True)
            data["version_token"] = str(current.first() or "")
        before = db_checksum()
        try:
            response = coordinator_client.post(
                url, {k: v for k, v in data.items() if v is not None}
            )
        except Exception as exc:  # the test client re-raises what would be a 500
            raise AssertionError(f"POST {url} raised {type(exc).__name__}: {exc}") from exc
        assert response.status_code in (200, 302), f"POST {url}: HTTP {response.status_code}"
        if response.status_code == 200:
            body = response.content.decode("utf-8", "replace")
            assert XSS not in body, f"POST {url}: input came back unescaped"
            bound = (response.context or {}).get("form")
            if bound is not None and bound.errors:
                assert db_checksum() == before, f"POST {url}: invalid form changed the database"

    post_hostile()
