"""The Excel export as a working document, read back with openpyxl: the plan table's
columns (one per party), progress and the latest approved follow-up, widths, wrapped text,
filter, frozen heading, print set-up, the plan's order, a file name after the plan."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actionplans.choices import ActivityStatus, PartyRole
from core.choices import ReviewState
from tests.factories import OrganisationFactory
from tests.followup.factories import ReportFactory, UpdateFactory

from .conftest import make_activity
from .factories import ActivityRoleFactory


@pytest.fixture
def workbook_plan(pw, world):
    fa1, fa2 = pw.focus_areas
    unit = OrganisationFactory(name="Fritidsförvaltningen", parent=world.municipality)
    # Created out of the plan's order: the second focus area's activity first.
    late = make_activity(pw.plan, fa2, roles=False, code="2.1", title="Fritid", position=1)
    first = make_activity(pw.plan, fa1, roles=False, code="1.1", title="Vandring", position=2)
    second = make_activity(
        pw.plan,
        fa1,
        roles=False,
        code="1.2",
        title="Belysning",
        position=3,
        status=ActivityStatus.IN_PROGRESS,
    )
    ActivityRoleFactory(activity=first, organisation=unit, role=PartyRole.LEADS, text="Bjuder in")
    ActivityRoleFactory(
        activity=first,
        organisation=world.police_area,
        role=PartyRole.PARTICIPATES,
        text="Går med",
    )
    report = ReportFactory(agreement=world.agreement, plan=pw.plan, title="Delår 2 2025")
    UpdateFactory(
        report=report,
        activity=first,
        status="on_track",
        progress=70,
        review_state=ReviewState.APPROVED,
    )
    return pw.plan, [first, second, late]


def _download(client, plan):
    response = client.get(reverse("actionplans:activity-export", args=["xlsx"]), {"plan": plan.pk})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return response, sheet


def _rows(sheet):
    headings = [c.value for c in sheet[1]]
    return headings, [
        dict(zip(headings, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)
    ]


def test_the_workbook_has_one_column_per_party_like_the_plan_table(
    workbook_plan, coordinator_client
):
    plan, (first, _second, _late) = workbook_plan
    _response, sheet = _download(coordinator_client, plan)
    headings, rows = _rows(sheet)
    assert headings[:6] == ["Kod", "Aktivitet", "Fokusområde", "Ansvarig", "Kommun", "Polis"]
    walk = next(r for r in rows if r["Kod"] == "1.1")
    assert walk["Kommun"] == "Samordnar / leder (Fritidsförvaltningen): Bjuder in"
    assert walk["Polis"] == "Deltar: Går med"
    assert walk["Framdrift (%)"] == 70
    assert walk["Senaste godkända uppföljning"] == "Delår 2 2025: Enligt plan"
    assert walk["Granskningsstatus"]
    lights = next(r for r in rows if r["Kod"] == "1.2")
    assert lights["Framdrift (%)"] == 50  # no approved update: its status decides
    assert lights["Kommun"] is None and lights["Senaste godkända uppföljning"] is None


def test_the_rows_follow_the_plan_and_the_file_is_named_after_it(workbook_plan, coordinator_client):
    plan, _activities = workbook_plan
    response, sheet = _download(coordinator_client, plan)
    _headings, rows = _rows(sheet)
    assert [r["Kod"] for r in rows] == ["1.1", "1.2", "2.1"]
    stamp = timezone.localdate().isoformat()
    assert f'filename="atgardsplan-ankeby-{stamp}.xlsx"' in response["Content-Disposition"]


def test_the_workbook_is_set_up_to_work_in_and_to_print(workbook_plan, coordinator_client):
    plan, _activities = workbook_plan
    _response, sheet = _download(coordinator_client, plan)
    letters = [c.column_letter for c in sheet[1]]
    widths = {letter: sheet.column_dimensions[letter].width for letter in letters}
    assert all(width and width >= 8 for width in widths.values()), widths
    assert widths["B"] >= 30  # "What" is wide enough to read
    assert sheet.auto_filter.ref == sheet.dimensions
    assert sheet.freeze_panes == "C2"
    assert all(c.alignment.wrap_text for row in sheet.iter_rows(min_row=2) for c in row)
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"
    # The reading columns say that the import leaves them alone.
    kommun = next(c for c in sheet[1] if c.value == "Kommun")
    assert "Läses inte vid import" in kommun.comment.text


def test_a_working_workbook_imports_back_into_the_same_plan(workbook_plan, coordinator_client):
    plan, (first, _second, _late) = workbook_plan
    response, _sheet = _download(coordinator_client, plan)
    url = reverse("actionplans:plan-import", args=[plan.pk])
    preview = coordinator_client.post(
        url, {"file": SimpleUploadedFile("plan.xlsx", response.content)}
    )
    result = preview.context["result"]
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 3)
    coordinator_client.post(url, {"confirm": "1", "token": preview.context["token"]})
    first.refresh_from_db()
    roles = sorted(first.roles.values_list("organisation__name", "role", "text"))
    assert roles == [
        ("Fritidsförvaltningen", PartyRole.LEADS, "Bjuder in"),
        ("Lokalpolisområde Ankeby", PartyRole.PARTICIPATES, "Går med"),
    ]
