"""followup.services.indicator_values_import and parse_decimal at their edges.

What a coordinator who uploads a spreadsheet notices: which rows were stored, with what
value, and which line of the file each refusal names. Written against the mutants
`make mutants` left alive.
"""

import datetime
from decimal import Decimal, InvalidOperation

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from followup import services
from followup.models import IndicatorValue
from followup.services import CsvImportError, parse_decimal
from tests.factories import AreaFactory

from .factories import IndicatorValueFactory


def _import(indicator, user, text, *, encoding="utf-8"):
    data = text if isinstance(text, bytes) else text.encode(encoding)
    upload = SimpleUploadedFile("varden.csv", data, content_type="text/csv")
    return services.indicator_values_import(indicator=indicator, upload=upload, user=user)


def _errors(indicator, user, text, **kwargs):
    with pytest.raises(CsvImportError) as exc_info:
        _import(indicator, user, text, **kwargs)
    assert not IndicatorValue.objects.exists()
    return exc_info.value.errors


def _stored():
    return {
        (v.period_start, v.period_end, v.area.name if v.area else None): (v.value, v.note)
        for v in IndicatorValue.objects.select_related("area")
    }


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        ("1 234,5", "1234.5"),
        ("1\u00a0234,5", "1234.5"),
        ("1\u202f234,5", "1234.5"),
        ("1.234,5", "1234.5"),
        ("−3", "-3"),
        (" 7 ", "7"),
    ],
    ids=["comma", "point", "space", "nbsp", "narrow-nbsp", "point-thousands", "minus", "padded"],
)
def test_numbers_are_read_as_swedes_write_them(text, value):
    assert parse_decimal(text) == Decimal(value)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "NaN", "Infinity", "-inf"],
    ids=["empty", "blank", "nan", "infinity", "minus-infinity"],
)
def test_no_number_and_endless_numbers_are_not_numbers(text):
    with pytest.raises(InvalidOperation):
        parse_decimal(text)


@pytest.mark.parametrize(
    ("delimiter", "quote"), [(";", ""), (",", '"'), ("\t", "")], ids=["semicolon", "comma", "tab"]
)
def test_each_delimiter_is_recognised_from_the_header(coordinator, followup, delimiter, quote):
    text = delimiter.join(["år", "värde", "kommentar"]) + "\n"
    text += delimiter.join(["2024", f"{quote}3,5{quote}", "Ny metod"]) + "\n"
    result = _import(followup.indicator, coordinator, text)
    assert (result.created, result.updated) == (1, 0)
    assert _stored() == {
        (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), None): (
            Decimal("3.5"),
            "Ny metod",
        )
    }


def test_english_headers_and_areas_in_any_case(coordinator, followup, world):
    AreaFactory(municipality=world.municipality, name="Centrum")
    text = "Start;End;Value;Area;Note\n2024-01-01;2024-06-30;4;centrum;halvår\n"
    result = _import(followup.indicator, coordinator, text)
    assert result.created == 1
    assert _stored() == {
        (datetime.date(2024, 1, 1), datetime.date(2024, 6, 30), "Centrum"): (Decimal("4"), "halvår")
    }


def test_the_result_counts_new_and_replaced_values_and_lists_the_rows(coordinator, followup):
    IndicatorValueFactory(
        indicator=followup.indicator,
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2023, 12, 31),
        value=Decimal("1"),
    )
    result = _import(followup.indicator, coordinator, "år;värde\n2023;2\n2024;3\n\n;\n")
    assert (result.created, result.updated) == (1, 1)
    assert [row["value"] for row in result.rows] == [Decimal("2"), Decimal("3")]
    assert IndicatorValue.objects.count() == 2


def test_a_value_of_another_area_is_not_replaced(coordinator, followup, world):
    centrum = AreaFactory(municipality=world.municipality, name="Centrum")
    IndicatorValueFactory(
        indicator=followup.indicator,
        area=centrum,
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2023, 12, 31),
        value=Decimal("9"),
    )
    result = _import(followup.indicator, coordinator, "år;värde\n2023;2\n")
    assert (result.created, result.updated) == (1, 0)
    assert IndicatorValue.objects.get(area=centrum).value == Decimal("9")


@pytest.mark.parametrize("year", ["1990", "2100"])
def test_the_outermost_years_are_accepted(coordinator, followup, year):
    _import(followup.indicator, coordinator, f"år;värde\n{year};1\n")
    assert IndicatorValue.objects.get().period_start == datetime.date(int(year), 1, 1)


@pytest.mark.parametrize("year", ["1950", "1989", "2101", "20x4"])
def test_years_beyond_them_are_refused_with_their_line(coordinator, followup, year):
    errors = _errors(followup.indicator, coordinator, f"år;värde\n2023;1\n{year};1\n")
    assert errors == [f"Rad 3: året ”{year}” är inget år."]


def test_three_decimals_are_kept_and_a_fourth_is_refused(coordinator, followup):
    errors = _errors(followup.indicator, coordinator, "år;värde\n2023;1,2345\n")
    assert errors == ["Rad 2: värdet ”1,2345” är för stort eller har fler än tre decimaler."]
    _import(followup.indicator, coordinator, "år;värde\n2023;1,234\n")
    assert IndicatorValue.objects.get().value == Decimal("1.234")


def test_a_value_of_a_hundred_billion_is_refused_and_just_below_is_kept(coordinator, followup):
    errors = _errors(followup.indicator, coordinator, "år;värde\n2023;100000000000\n")
    assert len(errors) == 1 and "för stort" in errors[0]
    errors = _errors(followup.indicator, coordinator, "år;värde\n2023;-100000000000\n")
    assert len(errors) == 1 and "för stort" in errors[0]
    _import(followup.indicator, coordinator, "år;värde\n2023;99999999999\n")
    assert IndicatorValue.objects.get().value == Decimal("99999999999")


def test_dates_that_are_not_dates_or_run_backwards_are_refused(coordinator, followup):
    text = "från;till;värde\n2024-01-01;31/12;1\n2024-06-30;2024-01-01;2\n2024-01-01;2024-01-01;3\n"
    errors = _errors(followup.indicator, coordinator, text)
    assert errors == [
        "Rad 2: datumet ”31/12” är inget datum (skriv ÅÅÅÅ-MM-DD).",
        "Rad 3: perioden slutar innan den börjar.",
    ]


def test_dates_the_model_would_refuse_are_named_with_their_line(coordinator, followup):
    text = "från;till;värde\n1950-01-01;1950-12-31;1\n"
    errors = _errors(followup.indicator, coordinator, text)
    assert errors == [
        "Rad 2: Ange ett datum mellan 1990-01-01 och 2100-12-31; "
        "Ange ett datum mellan 1990-01-01 och 2100-12-31."
    ]


def test_a_row_without_a_year_falls_back_to_its_dates(coordinator, followup):
    text = "år;från;till;värde\n;2024-02-01;2024-02-29;5\n"
    _import(followup.indicator, coordinator, text)
    value = IndicatorValue.objects.get()
    assert (value.period_start, value.period_end) == (
        datetime.date(2024, 2, 1),
        datetime.date(2024, 2, 29),
    )


def test_the_same_period_twice_is_refused_once(coordinator, followup):
    errors = _errors(followup.indicator, coordinator, "år;värde\n2023;1\n2023;2\n2024;3\n")
    assert errors == ["Rad 3: samma period och område förekommer två gånger i filen."]


def test_the_same_period_for_two_areas_is_two_values(coordinator, followup, world):
    AreaFactory(municipality=world.municipality, name="Centrum")
    result = _import(followup.indicator, coordinator, "år;värde;område\n2023;1;\n2023;2;Centrum\n")
    assert result.created == 2


def test_several_problems_of_one_row_are_named_together(coordinator, followup):
    errors = _errors(followup.indicator, coordinator, "år;värde;område\nx;y;Atlantis\n")
    assert errors == [
        "Rad 2: året ”x” är inget år; värdet ”y” är inget tal; "
        "området ”Atlantis” finns inte i kommunen."
    ]


def test_a_short_row_misses_its_value(coordinator, followup):
    errors = _errors(followup.indicator, coordinator, "år;värde\n2023\n")
    assert errors == ["Rad 2: värdet ”” är inget tal."]


@pytest.mark.parametrize(
    "header",
    ["år;kommentar", "värde;från", "värde;till", "kommentar"],
    ids=["year-note", "value-start", "value-end", "note"],
)
def test_a_header_without_value_and_period_is_refused(coordinator, followup, header):
    errors = _errors(followup.indicator, coordinator, f"{header}\n1;2\n")
    assert len(errors) == 1 and errors[0].startswith("Rad 1: rubrikraden")


def test_an_empty_file_and_a_file_without_values_are_refused(coordinator, followup):
    assert _errors(followup.indicator, coordinator, "  \n") == ["Filen är tom."]
    assert _errors(followup.indicator, coordinator, "år;värde\n;\n") == [
        "Filen innehåller inga värden."
    ]


def test_a_windows_spreadsheet_export_is_read(coordinator, followup, world):
    AreaFactory(municipality=world.municipality, name="Söder")
    _import(followup.indicator, coordinator, "år;värde;område\n2023;1;Söder\n", encoding="cp1252")
    assert IndicatorValue.objects.get().area.name == "Söder"


def test_a_file_that_is_no_spreadsheet_is_refused(coordinator, followup):
    """The shared reader (core.tabular) recognises a binary by its content."""
    errors = _errors(followup.indicator, coordinator, b"%PDF-1.7\n\x81\x8d\x8f\x90\x9d")
    assert errors == ["Filen är inte ett kalkylark. Ladda upp en XLSX- eller CSV-fil."]
    assert not IndicatorValue.objects.exists()


def test_undecodable_bytes_are_read_as_windows_text_and_refused_by_their_header(
    coordinator, followup
):
    errors = _errors(followup.indicator, coordinator, b"\x81\x8d\x8f\x90\x9d")
    assert errors[0].startswith("Rad 1: rubrikraden måste innehålla")
    assert not IndicatorValue.objects.exists()


def test_the_size_limit_is_the_setting(coordinator, followup, settings):
    text = "år;värde\n2023;1\n"
    settings.SAMVERKAN_MAX_UPLOAD_BYTES = len(text.encode()) - 1
    assert _errors(followup.indicator, coordinator, text) == ["Filen är för stor (högst 0 kB)."]
    settings.SAMVERKAN_MAX_UPLOAD_BYTES = len(text.encode())
    _import(followup.indicator, coordinator, text)
    assert IndicatorValue.objects.count() == 1


@pytest.mark.parametrize("persona", ["police", "council_member", "outsider"])
def test_only_the_coordinator_imports(request, followup, persona):
    with pytest.raises(PermissionDenied):
        _import(followup.indicator, request.getfixturevalue(persona), "år;värde\n2023;1\n")
    assert not IndicatorValue.objects.exists()


def test_a_year_before_1990_is_a_line_error_on_the_page_not_a_server_error(
    coordinator_client, followup
):
    from django.urls import reverse

    response = coordinator_client.post(
        reverse("followup:indicator-import", args=[followup.indicator.pk]),
        {"file": SimpleUploadedFile("v.csv", "år;värde\n1950;1\n".encode(), "text/csv")},
    )
    assert response.status_code == 200
    assert "Rad 2: året ”1950” är inget år." in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_only_the_coordinator_imports_and_is_told_so(followup, police):
    with pytest.raises(PermissionDenied) as exc_info:
        _import(followup.indicator, police, "år;värde\n2023;1\n")
    assert str(exc_info.value) == "Bara kommunens trygghetssamordnare får ändra indikatorer."


def test_the_size_limit_is_named_in_kilobytes(coordinator, followup, settings):
    settings.SAMVERKAN_MAX_UPLOAD_BYTES = 2048
    text = "år;värde\n" + "".join(f"{1990 + n % 100};{n}\n" for n in range(400))
    assert len(text.encode()) > 2048
    assert _errors(followup.indicator, coordinator, text) == ["Filen är för stor (högst 2 kB)."]


def test_a_file_of_exactly_the_limit_is_read_to_its_last_byte(coordinator, followup, settings):
    text = "år;värde\n2023;12"  # no newline at the end: the last byte is a digit of the value
    settings.SAMVERKAN_MAX_UPLOAD_BYTES = len(text.encode())
    _import(followup.indicator, coordinator, text)
    assert [v.value for v in IndicatorValue.objects.all()] == [Decimal("12")]


def test_a_blank_line_in_the_middle_does_not_end_the_file(coordinator, followup):
    result = _import(followup.indicator, coordinator, "år;värde\n2023;1\n;\n\n2024;2\n")
    assert result.created == 2


def test_both_dates_of_a_row_are_named_when_neither_is_a_date(coordinator, followup):
    errors = _errors(followup.indicator, coordinator, "från;till;värde\nigår;imorgon;1\n")
    assert errors == [
        "Rad 2: datumet ”igår” är inget datum (skriv ÅÅÅÅ-MM-DD); "
        "datumet ”imorgon” är inget datum (skriv ÅÅÅÅ-MM-DD)."
    ]


def test_the_first_and_last_accepted_days_are_accepted_as_dates(coordinator, followup):
    _import(followup.indicator, coordinator, "från;till;värde\n1990-01-01;2100-12-31;5\n")
    value = IndicatorValue.objects.get()
    assert (value.period_start, value.period_end) == (
        datetime.date(1990, 1, 1),
        datetime.date(2100, 12, 31),
    )


def test_only_a_value_of_the_same_indicator_and_exact_period_is_replaced(
    coordinator, followup, world
):
    from .factories import IndicatorFactory

    other = IndicatorFactory(municipality=world.municipality, name="Anmälda brott")

    def value(indicator, start, end, number):
        return IndicatorValueFactory(
            indicator=indicator, period_start=start, period_end=end, value=Decimal(number)
        )

    d = datetime.date
    kept = [
        value(other, d(2023, 1, 1), d(2023, 12, 31), "100"),  # another indicator, same year
        value(followup.indicator, d(2023, 7, 1), d(2023, 12, 31), "7"),  # same end
        value(followup.indicator, d(2023, 1, 1), d(2023, 6, 30), "6"),  # same start
    ]
    replaced = [
        value(followup.indicator, d(2021, 1, 1), d(2021, 12, 31), "1"),
        value(followup.indicator, d(2022, 1, 1), d(2022, 12, 31), "2"),
    ]
    result = _import(followup.indicator, coordinator, "år;värde\n2021;11\n2022;12\n2023;13\n")
    assert (result.created, result.updated) == (1, 2)
    for obj, number in zip(kept, ["100", "7", "6"], strict=True):
        obj.refresh_from_db()
        assert obj.value == Decimal(number)
    assert [IndicatorValue.objects.get(pk=o.pk).value for o in replaced] == [
        Decimal("11"),
        Decimal("12"),
    ]
    assert followup.indicator.values.get(period_start=d(2023, 1, 1), period_end=d(2023, 12, 31))
