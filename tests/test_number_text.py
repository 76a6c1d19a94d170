"""Tests for kotaku_map.number_text: numbers written the Indonesian or the English way."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from realdata import real

from kotaku_map.errors import InputError
from kotaku_map.number_text import parse_number, parse_numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("961,59", 961.59),
        ("1.574,45", 1574.45),
        ("1,574.45", 1574.45),
        ("12 ha", 12.0),
        ("12,5 Ha", 12.5),
        ("3 hektar", 3.0),
        ("1.574.450", 1574450.0),
        ("1,574,450", 1574450.0),
        ("1 574,45", 1574.45),
        ("1\u00a0574,45", 1574.45),
        ("-3,5", -3.5),
        ("+7", 7.0),
        (",5", 0.5),
        ("12.5", 12.5),
        ("1.574", 1.574),  # alone, a single separator is the decimal one
        ("1e3", 1000.0),
        (12, 12.0),
        (2.25, 2.25),
    ],
)
def test_parse_number_reads_indonesian_and_english_formats(text, expected):
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("missing", [None, "", "   ", "-", float("nan"), pd.NA])
def test_parse_number_reads_missing_values_as_nan(missing):
    assert math.isnan(parse_number(missing))


def test_parse_number_uses_the_column_convention_for_a_lone_separator_before_three_digits():
    assert parse_number("1.574", decimal=",") == 1574.0
    assert parse_number("1,574", decimal=".") == 1574.0
    assert parse_number("1.5", decimal=",") == 1.5  # not three digits: still a decimal


@pytest.mark.parametrize(
    ("junk", "message"),
    [
        ("abc", r"cannot read 'abc' as a number; expected a number such as 961,59"),
        ("12 m2", r"cannot read '12 m2' as a number"),
        ("1.57,45", r"thousands separator '\.' must group exactly three digits"),
        ("1,5,3.4,5", r"',' appears twice"),
        (True, r"cannot read the boolean True"),
        ([1], r"cannot read \[1\] \(list\) as a number"),
    ],
)
def test_parse_number_rejects_junk_with_a_clear_message(junk, message):
    with pytest.raises(ValueError, match=message):
        parse_number(junk)


def test_parse_numbers_keeps_index_and_name_and_reads_ambiguous_values_by_the_column():
    s = pd.Series(["961,59", "1.574", "12 ha", None, "1.574,45"], index=list("abcde"), name="luas")
    out = parse_numbers(s, source="kumuh.xlsx", column="luas")
    assert out.index.tolist() == list("abcde")
    assert out.name == "luas"
    assert out.dtype == "float64"
    assert out.tolist()[:3] == [961.59, 1574.0, 12.0]
    assert math.isnan(out["d"])
    assert out["e"] == 1574.45


def test_parse_numbers_english_column_reads_lone_comma_as_thousands():
    out = parse_numbers(pd.Series(["961.59", "1,574"]), source="a.csv", column="luas")
    assert out.tolist() == [961.59, 1574.0]


def test_parse_numbers_mixed_column_reads_lone_separators_as_decimals():
    out = parse_numbers(pd.Series(["961.59", "2,5", "1,574"]), source="a.csv", column="luas")
    assert out.tolist() == [961.59, 2.5, 1.574]


def test_parse_numbers_passes_numeric_columns_through():
    s = pd.Series([1, 2, 3], index=[10, 11, 12])
    out = parse_numbers(s, source="a.csv", column="luas")
    assert out.tolist() == [1.0, 2.0, 3.0]
    assert out.index.tolist() == [10, 11, 12]


def test_parse_numbers_error_names_source_column_and_first_bad_row():
    s = pd.Series(["961,59", "1.574,45", "abc", "xyz"])
    with pytest.raises(
        InputError,
        match=r"^kumuh\.xlsx, column 'luasVerifikasi', row 3: cannot read 'abc' as a number; "
        r"expected a number such as 961,59 or 1\.574,45",
    ):
        parse_numbers(s, source="kumuh.xlsx", column="luasVerifikasi")


@pytest.mark.slow
def test_real_pekalongan_kawasan_luas_sums_to_380_3_ha():
    path = real("kumuh/pekalongan_kumuh.xlsx")
    sheet = pd.read_excel(path, sheet_name="kawasan")
    assert len(sheet) == 27
    luas = parse_numbers(sheet["luasVerifikasi"], source=path.name, column="luasVerifikasi")
    assert luas.sum() == pytest.approx(380.3, abs=0.01)
    # the same figures as an Indonesian spreadsheet would print them read back the same
    indonesian = sheet["luasVerifikasi"].map(
        lambda x: f"{x:,.6f}".replace(",", "_").replace(".", ",").replace("_", ".")
    )
    assert indonesian.str.contains(",").all()
    again = parse_numbers(indonesian, source=path.name, column="luasVerifikasi")
    assert again.sum() == pytest.approx(380.3, abs=0.01)
