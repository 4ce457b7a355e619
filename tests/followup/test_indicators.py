"""Indicators: import from CSV or Excel (all or nothing, Swedish decimals) and the trend chart."""

import re
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from followup.models import IndicatorValue
from tests.factories import AreaFactory

from .factories import IndicatorValueFactory


def _upload(client, indicator, text, name="varden.csv", encoding="utf-8"):
    return client.post(
        reverse("followup:indicator-import", args=[indicator.pk]),
        {"file": SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")},
        follow=True,
    )


def test_import_reads_semicolons_and_decimal_commas(coordinator_client, followup, world):
    AreaFactory(municipality=world.municipality, name="Centrum")
    text = (
        "år;värde;område;kommentar\n2023;62,5;;\n2024;1 234,75;;Ny leverantör\n2024;58;Centrum;\n"
    )
    html = _upload(coordinator_client, followup.indicator, text).content.decode()
    assert "Importerat: 3 nya värden, 0 ersatta." in html
    values = {
        (v.period_start.year, v.area.name if v.area else None): v.value
        for v in IndicatorValue.objects.all()
    }
    assert values == {
        (2023, None): Decimal("62.5"),
        (2024, None): Decimal("1234.75"),
        (2024, "Centrum"): Decimal("58"),
    }


def test_import_with_dates_and_commas_replaces_existing_values(coordinator_client, followup):
    IndicatorValueFactory(
        indicator=followup.indicator,
        period_start="2025-01-01",
        period_end="2025-06-30",
        value=Decimal("1"),
    )
    text = 'från,till,värde\n2025-01-01,2025-06-30,"7,5"\n'
    html = _upload(coordinator_client, followup.indicator, text).content.decode()
    assert "0 nya värden, 1 ersatt" in html
    assert IndicatorValue.objects.get().value == Decimal("7.5")


def test_a_bad_file_saves_nothing_and_names_each_line(coordinator_client, followup):
    text = "år;värde;område\n2023;62,5;\n2024;mycket;\n2025;60;Atlantis\ntjugo;1;\n"
    response = _upload(coordinator_client, followup.indicator, text)
    html = response.content.decode()
    assert "Inget importerades" in html
    assert "Rad 3: värdet ”mycket” är inget tal." in html
    assert "Rad 4: området ”Atlantis” finns inte i kommunen." in html
    assert "Rad 5: året ”tjugo” är inget år." in html
    assert "Rad 2" not in html
    assert not IndicatorValue.objects.exists()


def test_a_file_without_the_columns_or_too_large_is_refused(coordinator_client, followup, settings):
    html = _upload(coordinator_client, followup.indicator, "a;b\n1;2\n").content.decode()
    assert "Rad 1: rubrikraden måste innehålla" in html
    settings.SAMVERKAN_MAX_UPLOAD_BYTES = 10
    html = _upload(coordinator_client, followup.indicator, "år;värde\n2023;1\n").content.decode()
    assert "Filen är för stor" in html
    assert not IndicatorValue.objects.exists()


def test_only_coordinators_import(council_client, police_client, outsider_client, followup):
    assert _upload(council_client, followup.indicator, "år;värde\n2023;1\n").status_code == 403
    # The lägesbild is shared with the police, who read it but do not change it;
    # other municipalities do not see it at all.
    assert _upload(police_client, followup.indicator, "år;värde\n2023;1\n").status_code == 403
    assert _upload(outsider_client, followup.indicator, "år;värde\n2023;1\n").status_code == 404
    assert not IndicatorValue.objects.exists()


def test_value_form_refuses_non_numbers_and_reversed_periods(coordinator_client, followup):
    url = reverse("followup:indicator-value-create", args=[followup.indicator.pk])
    html = coordinator_client.post(
        url, {"period_start": "2024-01-01", "period_end": "2024-12-31", "value": "hög"}
    ).content.decode()
    assert "Skriv ett tal" in html
    html = coordinator_client.post(
        url, {"period_start": "2024-12-01", "period_end": "2024-01-01", "value": "3"}
    ).content.decode()
    assert "Perioden måste sluta efter att den börjar." in html
    assert not IndicatorValue.objects.exists()
    response = coordinator_client.post(
        url, {"period_start": "2024-01-01", "period_end": "2024-12-31", "value": "3,25"}
    )
    assert response.status_code == 302
    assert IndicatorValue.objects.get().value == Decimal("3.25")


def test_trend_chart_numbers_match_the_data(council_client, followup):
    data = {2021: "58.5", 2022: "61", 2023: "64.25"}
    for year, value in data.items():
        IndicatorValueFactory(
            indicator=followup.indicator,
            period_start=f"{year}-01-01",
            period_end=f"{year}-12-31",
            value=Decimal(value),
        )
    html = council_client.get(
        reverse("followup:indicator-detail", args=[followup.indicator.pk])
    ).content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "style=" not in svg
    points = re.findall(r'class="chart-point" data-label="(\d+)" data-value="([\d.]+)"', svg)
    assert [(int(y), Decimal(v)) for y, v in points] == [(y, Decimal(v)) for y, v in data.items()]
    # The labels printed in the chart and in the table beside it, in Swedish notation.
    for shown in ("58,5", "61", "64,25"):
        assert f">{shown}</text>" in svg
        assert f'<td class="num">{shown}</td>' in html
    target = re.search(r'class="chart-ref" data-value="([\d.]+)"', svg).group(1)
    assert Decimal(target) in (followup.indicator.target, followup.indicator.baseline)
    assert "Mål: 70" in svg and "Utgångsvärde: 60" in svg
    # Lower values sit lower in the chart.
    ys = [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', svg)]
    assert ys[0] > ys[1] > ys[2]


def test_indicator_list_and_form_are_scoped(coordinator_client, outsider_client, followup):
    assert (
        "Trygghetsindex"
        in coordinator_client.get(reverse("followup:indicator-list")).content.decode()
    )
    assert (
        "Trygghetsindex"
        not in outsider_client.get(reverse("followup:indicator-list")).content.decode()
    )
    response = coordinator_client.get(reverse("followup:indicator-create"))
    assert "Ankeby kommun" in response.content.decode()
    assert "Bergsjö kommun" not in response.content.decode()


def test_values_come_in_from_an_excel_file_too(coordinator_client, followup):
    """The same reader as the action plan's import: an .xlsx the NTU export was pasted into."""
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["År", "Värde", "Kommentar"])
    sheet.append([2022, 61.5, "NTU"])
    sheet.append([2023, 64, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = coordinator_client.post(
        reverse("followup:indicator-import", args=[followup.indicator.pk]),
        {"file": SimpleUploadedFile("ntu.xlsx", buffer.getvalue())},
        follow=True,
    )
    assert "Importerat: 2 nya värden, 0 ersatta." in response.content.decode()
    assert {v.period_start.year: v.value for v in IndicatorValue.objects.all()} == {
        2022: Decimal("61.5"),
        2023: Decimal("64"),
    }
    assert IndicatorValue.objects.get(period_start__year=2022).note == "NTU"


def test_a_file_that_is_no_spreadsheet_is_refused_with_the_reason(coordinator_client, followup):
    html = _upload(coordinator_client, followup.indicator, "%PDF-1.7 ...", name="x.csv")
    assert "Inget importerades" in html.content.decode()
    assert "Filen är inte ett kalkylark." in html.content.decode()
    assert not IndicatorValue.objects.exists()
