"""Export to CSV/XLSX and import back: preview, all or nothing, matched by code."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actionplans import tabular
from actionplans.choices import ActivityKind, ActivityStatus, PartyRole
from actionplans.models import Activity
from core.tabular import read_table
from tests.factories import AreaFactory, OrganisationFactory

from .conftest import make_activity
from .factories import ActionPlanFactory, ActivityRoleFactory


@pytest.fixture
def full_plan(pw):
    agreement = pw.plan.agreement
    unit = OrganisationFactory(name="Fritidsförvaltningen", parent=agreement.municipality)
    area = AreaFactory(municipality=agreement.municipality, name="Norr")
    a = make_activity(
        pw.plan,
        pw.focus_areas[0],
        [pw.sub_goals[0]],
        code="1.1",
        title="Trygghetsvandring",
        description="Rad ett\nRad två",
        effect_goal="=Tryggare",
        responsible=unit,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
        schedule="Varje vår",
        communication="Polis och kommun",
        kind=ActivityKind.SITUATIONAL,
        status=ActivityStatus.IN_PROGRESS,
    )
    a.areas.add(area)
    ActivityRoleFactory(activity=a, organisation=unit, role=PartyRole.SUPPORTS, text="")
    make_activity(pw.plan, pw.focus_areas[1], [pw.sub_goals[1]], code="2.1", title="Fritid")
    return pw.plan


def _snapshot(plan):
    rows = []
    for a in plan.activities.order_by("code"):
        rows.append(
            (
                a.code,
                a.title,
                a.description,
                a.focus_area_id,
                a.effect_goal,
                a.responsible_id,
                a.starts_on,
                a.ends_on,
                a.schedule,
                a.communication,
                a.kind,
                a.horizon,
                a.status,
                a.forum_id,
                sorted(a.sub_goals.values_list("pk", flat=True)),
                sorted(a.areas.values_list("pk", flat=True)),
                sorted(a.roles.values_list("organisation_id", "role", "text")),
            )
        )
    return rows


def _export(client, plan, fmt):
    response = client.get(reverse("actionplans:activity-export", args=[fmt]), {"plan": plan.pk})
    assert response.status_code == 200
    return response.content


def _upload(client, plan, content, name):
    url = reverse("actionplans:plan-import", args=[plan.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def _confirm(client, plan, preview):
    url = reverse("actionplans:plan-import", args=[plan.pk])
    return client.post(url, {"confirm": "1", "token": preview.context["token"]})


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_gives_the_same_plan(full_plan, coordinator_client, fmt):
    content = _export(coordinator_client, full_plan, fmt)
    copy = ActionPlanFactory(agreement=full_plan.agreement, title="Kopia")
    preview = _upload(coordinator_client, copy, content, f"plan.{fmt}")
    assert preview.status_code == 200 and preview.context["result"].ok, preview.context[
        "result"
    ].errors
    assert not copy.activities.exists()  # the preview saves nothing
    assert _confirm(coordinator_client, copy, preview).status_code == 302
    assert _snapshot(copy) == _snapshot(full_plan)


def test_a_reimport_updates_by_code_instead_of_duplicating(full_plan, coordinator_client):
    table = read_table(_export(coordinator_client, full_plan, "xlsx"))
    title_col = table[0].index("Aktivitet")
    table[1][title_col] = "Trygghetsvandring i centrum"
    from openpyxl import Workbook

    wb = Workbook()
    for row in table:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    preview = _upload(coordinator_client, full_plan, out.getvalue(), "plan.xlsx")
    assert preview.context["result"].updated == 2
    _confirm(coordinator_client, full_plan, preview)
    assert full_plan.activities.count() == 2
    assert full_plan.activities.get(code="1.1").title == "Trygghetsvandring i centrum"


def test_csv_export_never_lets_a_cell_run_as_a_formula(full_plan, coordinator_client):
    text = _export(coordinator_client, full_plan, "csv").decode("utf-8-sig")
    assert "'=Tryggare" in text


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_no_exported_cell_can_run_as_a_formula(full_plan, coordinator_client, start):
    """Every character a spreadsheet starts a formula with is neutralised, CSV and XLSX."""
    import csv

    import openpyxl

    Activity.objects.filter(code="1.1").update(title=f"{start}HYPERLINK(1)")
    text = _export(coordinator_client, full_plan, "csv").decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    assert f"'{start}HYPERLINK(1)" in cells
    book = openpyxl.load_workbook(io.BytesIO(_export(coordinator_client, full_plan, "xlsx")))
    [cell] = [c for row in book.active.iter_rows() for c in row if "HYPERLINK" in str(c.value)]
    assert cell.data_type == "s"  # stored as text: Excel never evaluates it


def _csv(*lines):
    return ("\n".join(lines)).encode("utf-8")


HEADER = "Kod;Vad;Ansvarig;Start;Slut;Roller"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (_csv("Kod;Vad;Färg", "1;A;röd"), "Rad 1: Okända kolumner: Färg."),
        (_csv("Vad;Ansvarig", "A;"), "Rad 1: Obligatoriska kolumner saknas: Kod."),
        (
            _csv(HEADER, "1;A;Påhittade förvaltningen;;;"),
            "Rad 2: Okänd organisation: Påhittade förvaltningen.",
        ),
        (
            _csv(HEADER, "1;A;;2025-13-01;;"),
            "Rad 2: Start är inte ett datum: 2025-13-01. Skriv datum som ÅÅÅÅ-MM-DD.",
        ),
        (_csv(HEADER, "1;A;;;;", "1;B;;;;"), "Rad 3: Koden 1 används redan på rad 2."),
        (_csv(HEADER, "1;A;;;;Ankeby kommun | chef"), "Rad 2: Okänd roll: chef."),
        (_csv(HEADER, ";A;;;;"), "Rad 2: Koden saknas."),
    ],
)
def test_bad_rows_are_reported_with_line_and_reason_and_nothing_is_saved(
    pw, coordinator_client, content, message
):
    response = _upload(coordinator_client, pw.plan, content, "plan.csv")
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page.replace("</li>", "").replace("Rad 1</", "Rad 1") or message in _errors(
        response
    )
    assert "Importera alla rader" not in page
    assert not pw.plan.activities.exists()


def _errors(response):
    return " ".join(f"Rad {line}: {text}" for line, text in response.context["result"].errors)


def test_one_bad_row_stops_the_whole_import(pw, coordinator_client):
    content = _csv(HEADER, "1;Bra rad;;;;", "2;Också bra;;;;", "3;Dålig rad;;2025-02-30;;")
    response = _upload(coordinator_client, pw.plan, content, "plan.csv")
    assert "Rad 4:" in _errors(response)
    assert not pw.plan.activities.exists()


def test_the_import_is_atomic_even_when_a_save_fails(pw, coordinator_client, monkeypatch):
    content = _csv(HEADER, "1;Bra rad;;;;", "2;Också bra;;;;")
    preview = _upload(coordinator_client, pw.plan, content, "plan.csv")
    original = tabular._save_row
    calls = []

    def failing(plan, activity, row, position):
        calls.append(row.line)
        if row.line == 3:
            from django.core.exceptions import ValidationError

            raise ValidationError("Databasen sa nej.")
        return original(plan, activity, row, position)

    monkeypatch.setattr(tabular, "_save_row", failing)
    response = _confirm(coordinator_client, pw.plan, preview)
    assert response.status_code == 200
    assert "Rad 3: Databasen sa nej." in _errors(response)
    assert calls == [2, 3]
    assert not pw.plan.activities.exists()


def test_a_ten_megabyte_file_is_refused(pw, coordinator_client):
    big = b"Kod;Vad\n" + b"x" * (10 * 1024 * 1024)
    response = _upload(coordinator_client, pw.plan, big, "plan.csv")
    assert response.status_code == 200
    assert "Filen är för stor" in response.content.decode()
    assert not pw.plan.activities.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"\x89PNG\r\n\x1a\n\x00\x00",
        b"PK\x03\x04broken zip",
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused(pw, coordinator_client, content):
    response = _upload(coordinator_client, pw.plan, content, "plan.xlsx")
    assert response.status_code == 200
    assert "Filen är inte ett kalkylark." in response.content.decode()


def test_a_forged_confirmation_saves_nothing(pw, coordinator_client):
    url = reverse("actionplans:plan-import", args=[pw.plan.pk])
    response = coordinator_client.post(url, {"confirm": "1", "token": "nope"})
    assert response.status_code == 302
    assert not Activity.objects.filter(plan=pw.plan).exists()


def test_only_the_coordinator_imports(pw, police_client, outsider_client):
    content = _csv(HEADER, "1;A;;;;")
    assert _upload(police_client, pw.plan, content, "plan.csv").status_code == 403
    assert _upload(outsider_client, pw.plan, content, "plan.csv").status_code == 404
    assert not pw.plan.activities.exists()


def test_a_spreadsheet_that_unpacks_to_too_much_is_refused_before_it_is_read(
    full_plan, coordinator_client
):
    """A small XLSX (a zip) holding one huge string: refused from the zip's directory, so
    the server never unpacks it (the probe saw 189 MB grow to 1.3 GB)."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "xl/sharedStrings.xml", "<sst><si><t>" + "A" * (40 * 1024 * 1024) + "</t></si></sst>"
        )
    data = buffer.getvalue()
    assert len(data) < 200_000
    before = _snapshot(full_plan)
    response = _upload(coordinator_client, full_plan, data, "stor.xlsx")
    assert response.status_code == 200
    assert "för mycket data" in response.content.decode()
    assert _snapshot(full_plan) == before


def test_a_cell_longer_than_the_text_limit_is_refused(full_plan, coordinator_client):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Kod", "Vad"])
    book.active.append(["9.9", "Å" * 25_000])
    out = io.BytesIO()
    book.save(out)
    response = _upload(coordinator_client, full_plan, out.getvalue(), "lang.xlsx")
    assert "En cell innehåller fler än 20000 tecken" in response.content.decode()
    assert not Activity.objects.filter(code="9.9").exists()
