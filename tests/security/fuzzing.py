"""Form fuzzing built from the page: read a form as rendered, draw values per field, judge the answer.

:func:`rendered_forms` parses every ``<form method="post">`` of a page's ``<main>`` into its
fields — each with the type the browser would see (``text``, ``number`` with ``min``/``max``,
``date``, ``datetime-local``, ``select`` with the options actually offered, checkbox groups,
radios, file inputs, the submit buttons that carry a value) and the value it shows.
:func:`plans` is a Hypothesis strategy for what a user could do with it, applied to the form
as rendered at that moment (:meth:`Plan.apply`): blank fields filled with plausible values
(so that create forms can succeed too), then one or two fields changed — half the time to
another valid value, half the time to the edge: Unicode, markup, text at and beyond the
length limit, extreme and impossible dates (and Stockholm's missing and doubled hour),
numbers at and beyond their bounds, options not offered, files that lie about their type.

:func:`judge` classifies the answer to the POST: a *save* (the database changed and a history
record names the user), a *refusal* (nothing changed and the page says why — an error beside
the field, or a message after a redirect), or a failure.
"""

from __future__ import annotations

import datetime
import os
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django import forms as django_forms
from django.apps import apps
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils.html import escape
from hypothesis import strategies as st

from .test_hostile_input import HOSTILE_TEXTS

#: Outcomes per (route, persona) over the whole run, printed in the terminal summary.
STATS: dict[tuple[str, str], Counter] = {}

#: The upload limit the tests set (settings.SAMVERKAN_MAX_UPLOAD_BYTES), to try one beyond it.
UPLOAD_LIMIT = 64 * 1024
TEXT_KINDS = {"text", "input", "search", "tel", "url", "password", "textarea"}


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, email, number, date, datetime-local, time, select,
    # checkbox, radio, hidden, file, submit
    attrs: dict = field(default_factory=dict)
    values: list[str] = field(default_factory=list)  # what the page shows (selected/checked)
    options: list[str] = field(default_factory=list)  # select/radio/checkbox values offered
    multiple: bool = False

    @property
    def required(self) -> bool:
        return "required" in self.attrs

    @property
    def maxlength(self) -> int | None:
        value = self.attrs.get("maxlength")
        return int(value) if value and value.isdigit() else None

    def bound(self, name: str, default: int | None) -> int | None:
        value = self.attrs.get(name)
        try:
            return int(value)
        except (TypeError, ValueError):
            return default


@dataclass
class RenderedForm:
    action: str | None
    fields: dict[str, Field]

    @property
    def user_fields(self) -> list[Field]:
        """What a user can change: everything but hidden fields, files and buttons."""
        return [f for f in self.fields.values() if f.kind not in ("hidden", "submit", "file")]

    def as_rendered(self) -> dict[str, object]:
        """The POST a browser sends without any change (the first submit button)."""
        data: dict[str, object] = {}
        for f in self.fields.values():
            if f.kind == "submit":
                continue
            if f.kind == "select" and not f.multiple:  # a browser sends the first option
                data[f.name] = (f.values or f.options or [""])[0]
            elif f.multiple:
                data[f.name] = list(f.values)
            elif f.values:
                data[f.name] = f.values[0]
        return data


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[RenderedForm] = []
        self.form: RenderedForm | None = None
        self.in_main = False
        self.select: Field | None = None
        self.option: tuple[str | None, bool] | None = None
        self.option_text = ""
        self.textarea: Field | None = None
        self.text = ""

    def _field(self, name, kind, attrs) -> Field:
        assert self.form is not None
        existing = self.form.fields.get(name)
        if existing is None:
            existing = self.form.fields[name] = Field(name, kind, attrs)
        return existing

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "main":
            self.in_main = True
        if not self.in_main:
            return
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self.form = RenderedForm(a.get("action"), {})
                self.forms.append(self.form)
            return
        name = a.get("name")
        if self.form is None or not name or "disabled" in a:
            if tag == "option" and self.select is not None:
                self.option, self.option_text = (a.get("value"), "selected" in a), ""
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                f = self._field(name, kind, a)
                f.options.append(a.get("value", "on"))
                if "checked" in a:
                    f.values.append(a.get("value", "on"))
            elif kind in ("submit", "image"):
                self._field(name, "submit", a).options.append(a.get("value", ""))
            elif kind not in ("button", "reset"):
                f = self._field(name, kind, a)
                f.values = [a.get("value", "")]
        elif tag == "button" and (a.get("type") or "submit") == "submit":
            self._field(name, "submit", a).options.append(a.get("value", ""))
        elif tag == "select":
            self.select = self._field(name, "select", a)
            self.select.multiple = "multiple" in a
        elif tag == "textarea":
            self.textarea, self.text = self._field(name, "textarea", a), ""

    def handle_data(self, data):
        if self.textarea is not None:
            self.text += data
        if self.option is not None:
            self.option_text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "option" and self.select is not None and self.option is not None:
            value, selected = self.option
            value = value if value is not None else self.option_text.strip()
            self.select.options.append(value)
            if selected:
                self.select.values.append(value)
            self.option = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.textarea.values = [self.text.removeprefix("\n")]
            self.textarea = None


def rendered_forms(response) -> list[RenderedForm]:
    """The POST forms of the page's ``<main>``."""
    parser = _Parser()
    parser.feed(response.content.decode("utf-8", "replace"))
    for form in parser.forms:  # a checkbox alone is a boolean, not a group
        for f in form.fields.values():
            f.multiple = f.multiple or (f.kind == "checkbox" and len(f.options) > 1)
    return parser.forms


# --- strategies -----------------------------------------------------------------------------

_LETTERS = st.characters(codec="utf-8", categories=["L", "N", "Zs", "P"])
_DAY = datetime.date(2025, 1, 1)


def plausible(f: Field, order: int) -> st.SearchStrategy:
    """A value a careful user would type into ``f`` (``order``: its place among the dates)."""
    kind = f.kind
    if kind in TEXT_KINDS:  # words, or the numbers and lists some text fields ask for
        top = min(f.maxlength or 80, 80)
        return st.one_of(
            st.text(_LETTERS, min_size=1, max_size=top).map(str.strip).filter(bool),
            st.decimals(-1000, 1000, places=2).map(lambda d: str(d).replace(".", ",")),
            st.lists(st.integers(1, 12), min_size=1, max_size=4, unique=True).map(
                lambda months: ", ".join(map(str, sorted(months)))
            ),
        ).filter(lambda text: len(text) <= (f.maxlength or 20000))
    if kind == "email":
        return st.from_regex(r"\A[a-z]{1,12}\.[a-z]{1,12}@(ankeby|example)\.se\Z")
    if kind == "number":
        low, high = f.bound("min", 0), f.bound("max", None)
        high = high if high is not None else low + 100
        return st.integers(low, high).map(str)
    if kind == "date":  # later fields later: start before end
        return st.integers(0, 25).map(lambda d: _DAY + datetime.timedelta(days=order * 30 + d))
    if kind == "datetime-local":
        return st.integers(0, 25).map(
            lambda d: (_DAY + datetime.timedelta(days=order * 30 + d)).isoformat() + "T10:00"
        )
    if kind == "time":
        return st.sampled_from(["08:00", "09:30", "13:15", "18:00"])
    if kind in ("select", "radio", "checkbox"):
        offered = [o for o in f.options if o != ""]
        if f.multiple:
            return (
                st.lists(st.sampled_from(offered), unique=True, max_size=3)
                if offered
                else st.just([])
            )
        if kind == "checkbox":
            return st.sampled_from(["", f.options[0]])
        return st.sampled_from(offered) if offered else st.just("")
    return st.just(f.values[0] if f.values else "")


def _texts(f: Field) -> st.SearchStrategy:
    limit = f.maxlength or 20000
    return st.one_of(
        st.sampled_from(HOSTILE_TEXTS),
        st.text(max_size=80),
        st.text(
            st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp", "So"]), max_size=20
        ),
        st.sampled_from(["", " ", "\t\n", "Å" * limit, "x" * (limit + 1), "ö" * (limit - 1)]),
    )


def edge(f: Field, foreign: list[str]) -> st.SearchStrategy:
    """Values at and beyond what ``f`` accepts (and some it accepts)."""
    kind = f.kind
    if kind in TEXT_KINDS:
        return st.one_of(_texts(f), plausible(f, 0))
    if kind == "email":
        return st.one_of(
            st.emails().map(str), _texts(f), st.just("a@b"), st.just("x" * 250 + "@example.se")
        )
    if kind == "number":
        low, high = f.bound("min", None), f.bound("max", None)
        bounds = [str(b + d) for b in (low, high) if b is not None for d in (-1, 0, 1)]
        return st.one_of(
            st.sampled_from(bounds + ["", "0", "-1", "1.5", "1e309", "NaN", "2147483648", "abc"]),
            st.integers(-(2**40), 2**40).map(str),
            plausible(f, 0),
        )
    if kind == "date":
        return st.one_of(
            st.dates().map(datetime.date.isoformat),
            st.sampled_from(
                [
                    "",
                    "0001-01-01",
                    "9999-12-31",
                    "2025-02-29",
                    "2024-02-29",
                    "2025-13-01",
                    "31/12/2025",
                    "2025-6-1",
                    "x",
                ]
            ),  # fmt: skip
        )
    if kind == "datetime-local":
        return st.one_of(
            st.datetimes(datetime.datetime(1, 1, 2), datetime.datetime(9999, 12, 30)).map(
                lambda d: d.strftime("%Y-%m-%dT%H:%M")
            ),
            # Stockholm: 02:30 does not exist on 30 March 2025 and happens twice on 26 October.
            st.sampled_from(
                [
                    "",
                    "2025-03-30T02:30",
                    "2025-10-26T02:30",
                    "0001-01-01T00:00",
                    "9999-12-31T23:59",
                    "2025-06-01",
                    "2025-06-01T25:00",
                ]
            ),  # fmt: skip
        )
    if kind == "time":
        return st.one_of(
            st.times().map(lambda t: t.strftime("%H:%M")),
            st.sampled_from(["", "24:00", "23:59:59.999999", "9", "x"]),
        )
    if kind in ("select", "radio", "checkbox"):
        offered = list(f.options)
        alien = foreign + ["999999999", "-1", "x", "<b>"]
        if f.multiple:
            return st.lists(st.sampled_from(offered + alien[:3]), max_size=4)
        return st.sampled_from(offered + alien)
    return st.just(f.values[0] if f.values else "")


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes

    def __repr__(self):
        return f"Upload({self.name!r}, {len(self.content)} bytes)"


@dataclass
class Plan:
    """What a user does with a form, drawn once from the form's shape: which blanks to fill
    and with what, which fields to push to the edge, which button to press. Applied to the
    form as the page shows it now (values and version token as of this moment)."""

    fills: dict[str, object]
    edits: dict[str, object]

    def apply(self, form: RenderedForm) -> dict[str, object]:
        data = form.as_rendered()
        for name, value in self.fills.items():
            if name in form.fields and data.get(name) in (None, "", []):
                data[name] = value
        data.update({k: v for k, v in self.edits.items() if k in form.fields})
        for name, value in list(data.items()):
            if isinstance(value, Upload):  # a fresh file object per post: a post reads it
                data[name] = SimpleUploadedFile(value.name, value.content)
        for name, value in list(data.items()):
            if isinstance(value, datetime.date):
                data[name] = value.isoformat()
            elif isinstance(value, str):
                data[name] = value.replace("\x00", "")  # no browser sends NUL in a form
        return data


def _upload_contents(samples: list[tuple[str, bytes]]) -> st.SearchStrategy:
    """A file for an upload field: one of the route's valid samples, or one that lies about
    its type, is empty, broken or too large."""
    hostile = [
        ("tom.pdf", b""),
        ("fil.pdf", b"%PDF-" + b"\x00" * 100),
        ("fil.csv", b"\xff\xfe\x00garbage"),
        ("fil.xlsx", b"PK\x03\x04" + b"\x00" * 200),
        ("../../x.pdf", b"<html><script>alert(1)</script></html>"),
        ("stor.csv", b"A" * (UPLOAD_LIMIT + 1)),
    ]
    return st.one_of(st.sampled_from(samples or hostile), st.sampled_from(hostile))


@st.composite
def plans(draw, form: RenderedForm, foreign: list[str], files=()) -> Plan:
    """Blanks filled with plausible values (required ones always), then ≤ 2 fields at the edge.

    The draws depend only on the form's shape (its fields, types and options), never on the
    values it shows, so that Hypothesis sees the same choices however the data has changed.
    """
    fills: dict[str, object] = {}
    order = 0
    for f in form.user_fields:
        if f.kind in ("date", "datetime-local"):
            order += 1
        fill = draw(st.booleans())
        value = draw(plausible(f, order))
        if f.required or fill:
            fills[f.name] = value
    edits: dict[str, object] = {}
    for f in (f for f in form.fields.values() if f.kind == "file"):
        edits[f.name] = Upload(*draw(_upload_contents(list(files))))
    for button in (f for f in form.fields.values() if f.kind == "submit"):
        edits[button.name] = draw(st.sampled_from(button.options))  # the button pressed
    changeable = form.user_fields
    if changeable:
        count = draw(st.sampled_from([0, 1, 1, 2]))
        count = min(count, len(changeable))
        chosen = draw(
            st.lists(
                st.sampled_from(changeable),
                min_size=count,
                max_size=count,
                unique_by=lambda f: f.name,
            )
        )
        for f in chosen:  # half the time a valid change, half the time the edge
            edits[f.name] = draw(plausible(f, 0) if draw(st.booleans()) else edge(f, foreign))
    return Plan(fills, edits)


# --- judging the answer ---------------------------------------------------------------------


def _history_tables() -> list[str]:
    return sorted(
        m._meta.db_table
        for m in apps.get_models()
        if m.__name__.startswith("Historical")
        and any(f.name == "history_user" for f in m._meta.fields)
    )


def history_by(user) -> int:
    """How many history records name ``user`` (every historical table together)."""
    # Table names come from the app registry, not from input.
    tables = _history_tables()
    count = 'SELECT count(*) AS n FROM "{}" WHERE history_user_id = %s'
    sql = "SELECT sum(n) FROM (" + " UNION ALL ".join(count.format(t) for t in tables) + ") s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk] * len(tables))
        return int(cursor.fetchone()[0] or 0)


def _context_items(response) -> list[tuple[str, object]]:
    context = response.context
    if context is None:
        return []
    if hasattr(context, "flatten"):
        return list(context.flatten().items())
    return [(key, context[key]) for key in context.keys()]  # noqa: SIM118 (a ContextList)


def _context_values(response) -> list:
    return [value for _key, value in _context_items(response)]


def _forms_with_errors(response) -> list[django_forms.BaseForm]:
    """The bound forms of the answer's context that have errors (formsets' forms included)."""
    found: list[django_forms.BaseForm] = []
    for value in _context_values(response):
        if isinstance(value, django_forms.BaseFormSet) and value.is_bound:
            candidates = list(value.forms)
        else:
            candidates = [value]
        for form in candidates:
            is_form = isinstance(form, django_forms.BaseForm)
            if is_form and form.is_bound and form.errors and all(form is not f for f in found):
                found.append(form)
    return found


def _formset_errors(response) -> list[str]:
    return [
        str(message)
        for value in _context_values(response)
        if isinstance(value, django_forms.BaseFormSet) and value.is_bound
        for message in value.non_form_errors()
    ]


def shown_errors(response) -> list[str]:
    """The form errors the page shows, each beside its field (``id="…_error"``) or in the
    summary; an error the page does not show is reported as missing."""
    html = response.content.decode("utf-8", "replace")
    shown, missing = [], []
    for form in _forms_with_errors(response):
        for name, errors in form.errors.items():
            bound = form[name] if name in form.fields else None
            for message in errors:
                if bound is not None and not bound.is_hidden:
                    ok = f'id="{bound.auto_id}_error"' in html and escape(message) in html
                else:
                    ok = escape(message) in html
                (shown if ok else missing).append(f"{name}: {message}")
    html_text = html
    for key, value in _context_items(response):
        if key.endswith("_errors") and isinstance(value, list | tuple) and value:
            for message in value:
                ok = escape(str(message)) in html_text
                (shown if ok else missing).append(f"{key}: {message}")
    for message in _formset_errors(response):
        (shown if escape(message) in html_text else missing).append(f"formset: {message}")
    if missing:
        raise AssertionError(f"errors not shown on the page: {missing}")
    return shown


def _domain_tables() -> list[str]:
    tables = set()
    for app in ("agreements", "forums", "actionplans", "followup", "accounts", "auth"):
        for model in apps.get_app_config(app).get_models(include_auto_created=True):
            tables.add(model._meta.db_table)
    return sorted(tables)


def db_checksum() -> str:
    """Every row of every domain table (history included), hashed without sorting: the row
    count and the sum of the rows' hashes per table. Cheaper than sorting every row as text,
    which matters when it runs twice per example on a growing database."""
    # Table names come from the app registry, not from input.
    part = "SELECT '{0}', count(*), coalesce(sum(hashtext(x::text)::bigint), 0) FROM \"{0}\" x"
    sql = " UNION ALL ".join(part.format(t) for t in _domain_tables())  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return ",".join(f"{t}:{n}:{h}" for t, n, h in sorted(cursor.fetchall()))


@dataclass
class Snapshot:
    checksum: str
    history: int

    @classmethod
    def take(cls, user) -> Snapshot:
        return cls(db_checksum(), history_by(user))


def judge(response, before: Snapshot, user) -> str:
    """``saved``, ``refused`` or ``unchanged``; an AssertionError for anything else."""
    status = response.status_code
    assert status < 500, f"HTTP {status}"
    assert status in (200, 302, 400), f"HTTP {status} for a persona allowed to post"
    after = Snapshot.take(user)
    if after.checksum != before.checksum:
        assert after.history > before.history, "saved without a history record of the user"
        if status != 302:
            assert not _forms_with_errors(response), "saved, yet the form came back with errors"
        return "saved"
    if status == 302:
        said = [str(m) for m in get_messages(response.wsgi_request)]
        assert said, "redirected without saving anything and without saying why"
        return "unchanged"
    errors = shown_errors(response)
    assert errors, "answered without saving and without an error beside a field"
    return "refused"


def record(route: str, persona: str, outcome: str, response=None, values=None) -> None:
    STATS.setdefault((route, persona), Counter())[outcome] += 1
    if os.environ.get("FUZZ_DEBUG"):
        errors = (
            [f"{n}: {e}" for f in _forms_with_errors(response) for n, e in f.errors.items()]
            if response is not None
            else []
        )
        said = [str(m) for m in get_messages(response.wsgi_request)] if response is not None else []
        print(f"\n{route} {persona} {outcome} {values!r:.600} {errors} {said}")
