"""User text is shown literally everywhere: every free-text field holds markup, and no page
renders it as markup, no PDF loses it.

Every character and text field of every domain object (and users' names) is set to a
marker that is an HTML element. Each page of the permission matrix is then fetched by the
personas who may see it: the raw element must never appear in an HTML answer, only its
escaped form; the same for the HTML each PDF is printed from, and in the PDF itself the
marker comes out as text.
"""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse
from pypdf import PdfReader

from .matrix import MATRIX, url_kwargs_variants
from .urlwalk import named_routes

MARK = '<i data-x="1">'
ESCAPED = "&lt;i data-x=&quot;1&quot;&gt;"
APPS = ("agreements", "forums", "actionplans", "followup", "accounts")
SKIP_FIELDS = {"code", "reference", "token_hash", "signed_pdf_sha256", "signed_scan_sha256"}


def _text_fields(model) -> list[str]:
    names = []
    for f in model._meta.concrete_fields:
        if not isinstance(f, models.CharField | models.TextField):
            continue
        if isinstance(f, models.EmailField | models.URLField | models.SlugField | models.FileField):
            continue
        if f.choices or f.name in SKIP_FIELDS or f.primary_key:
            continue
        if isinstance(f, models.CharField) and (f.max_length or 0) < len(MARK) + 8:
            continue
        names.append(f.name)
    return names


def mark_every_text_field() -> int:
    """Write the marker into every free-text field in the database; return how many.

    Signed agreements are marked too: for this set-up only, PostgreSQL's triggers (which
    refuse any change to a signed agreement) are switched off in the test's transaction.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    count = 0
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            fields = _text_fields(model)
            for pk in model._base_manager.values_list("pk", flat=True):
                # The base manager skips the signed-agreement guard: this is test set-up.
                model._base_manager.filter(pk=pk).update(**{f: f"{MARK}{pk}" for f in fields})
                count += len(fields)
    get_user_model()._base_manager.update(first_name=MARK, last_name="Efternamn")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    return count


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def marked(trees):
    assert mark_every_text_field() > 100
    return trees


@pytest.fixture
def printed_html(monkeypatch):
    """The HTML each PDF is printed from, as handed to the renderer."""
    import core.pdf

    seen: list[str] = []
    original = core.pdf._RenderPool.render

    def recording(self, job, timeout):
        seen.append(job["html"])
        return original(self, job, timeout)

    monkeypatch.setattr(core.pdf._RenderPool, "render", recording)
    return seen


@pytest.mark.parametrize("persona", ["coordinator", "police", "staff", "anonymous"])
def test_no_page_renders_user_text_as_markup(marked, persona_clients, persona, printed_html):
    client = persona_clients[persona]
    routes = named_routes()
    raw, escaped_pages, pdfs = [], 0, 0
    for name, row in sorted(MATRIX.items()):
        for kwargs in url_kwargs_variants(row, set(routes[name].params), marked.a):
            url = reverse(name, kwargs=kwargs or None) + row.query
            response = client.get(url)
            if response.status_code != 200:
                continue
            if response.get("Content-Disposition", "").startswith("attachment"):
                continue  # an uploaded file (a bilaga), served byte for byte as uploaded
            kind = response.get("Content-Type", "").split(";")[0]
            body = (
                b"".join(response.streaming_content)
                if getattr(response, "streaming", False)
                else response.content
            )
            if kind == "text/html":
                text = body.decode()
                if MARK in text:
                    raw.append(url)
                escaped_pages += ESCAPED in text
            elif kind == "application/pdf":
                pdfs += 1
                if printed_html and MARK in printed_html[-1]:
                    raw.append(f"{url} (the HTML it was printed from)")
                assert '<i data-x="1">' in _pdf_text(body).replace("\u201d", '"'), (
                    f"{url}: the PDF lost the user's text (marked safe?)"
                )
    assert not raw, f"user text rendered as markup on: {raw}"
    assert escaped_pages >= (3 if persona == "anonymous" else 20)
    if persona != "anonymous":
        assert pdfs >= 3
