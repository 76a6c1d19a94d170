"""The column worksheet writes the XML XlsxWriter writes, cell for cell, byte for byte."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest
import xlsxwriter

from kotaku_map.writers.xlsx_sheet import ColumnSheet

N_ROWS = 70  # several blocks of 16 rows: the rows' spans
N_COLS = 30  # past column Z


def _cells(col: int) -> tuple[list[int], list]:
    """A column's rows and values: numbers in even columns, strings in odd ones, with gaps."""
    rows = [r for r in range(1, N_ROWS + 1) if (r * 7 + col) % 5]
    if col % 2 == 0:
        return rows, [(-1) ** r * r * 1234.5678 / (col + 1) for r in rows]
    long = "x" * 20_000 if col == 5 else ""
    return rows, [f"<k&{col}> \u00e9 {r % 9}{long if r == 3 else ''}" for r in rows]


def _workbook(path, by_column: bool) -> None:
    book = xlsxwriter.Workbook(str(path), {"in_memory": True})
    book.set_properties({"created": dt.datetime(2017, 2, 3)})  # not the second it is written
    fmt_a = book.add_format({"num_format": "#,##0.00"})
    fmt_b = book.add_format({"text_wrap": True})
    ws = book.add_worksheet("t", worksheet_class=ColumnSheet if by_column else None)
    for col in range(N_COLS):
        rows, values = _cells(col)
        fmt = fmt_a if col % 2 == 0 else fmt_b
        if by_column:
            ws.write_cells(col, rows, values, fmt)
        else:
            for row, value in zip(rows, values, strict=True):
                ws.write(row, col, value, fmt)
        ws.write_string(0, col, f"kolom {col}", fmt_b)
    # every other kind of cell, written by XlsxWriter itself in both workbooks
    ws.write_formula(N_ROWS + 1, 0, "=SUBTOTAL(109,A2:A71)", fmt_a, 12.5)
    ws.write_boolean(N_ROWS + 1, 1, True)
    ws.write_blank(N_ROWS + 1, 2, None, fmt_a)
    ws.write_datetime(N_ROWS + 1, 3, dt.datetime(2017, 2, 3), book.add_format({"num_format": "d"}))
    ws.write_number(N_ROWS + 1, 4, 7.0)  # a number without a format
    ws.set_row(0, 45)
    ws.set_row(N_ROWS + 5, 30)  # a row with a height and no cell
    book.close()


def test_column_writes_give_the_workbook_of_cell_writes(tmp_path):
    _workbook(tmp_path / "by_cell.xlsx", by_column=False)
    _workbook(tmp_path / "by_column.xlsx", by_column=True)
    with (
        zipfile.ZipFile(tmp_path / "by_cell.xlsx") as a,
        zipfile.ZipFile(tmp_path / "by_column.xlsx") as b,
    ):
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), name
        sheet = a.read("xl/worksheets/sheet1.xml").decode()
    # the test covers what it claims: spans, columns past Z, row heights, a blank, no format
    assert 'spans="1:30"' in sheet and 'r="AD2"' in sheet and 'ht="45"' in sheet
    assert '<c r="C72" s="2"/>' in sheet and '<c r="E72"><v>7</v></c>' in sheet


@pytest.mark.parametrize("rows", [[], [2_000_000]])
def test_cells_out_of_the_sheet_go_through_xlsxwriter(tmp_path, rows):
    book = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"), {"in_memory": True})
    ws = book.add_worksheet("t", worksheet_class=ColumnSheet)
    ws.write_cells(0, rows, [1.0] * len(rows), None)
    ws.write_cells(1, rows, ["a"] * len(rows), None)
    assert ws.dim_rowmax is None  # nothing stored: XlsxWriter refused the row, as it does
    book.close()


def test_an_xlsxwriter_that_stores_cells_otherwise_gets_its_own_routines(tmp_path, monkeypatch):
    from kotaku_map.writers import xlsx_sheet

    monkeypatch.setattr(xlsx_sheet, "_KNOWN", False)  # as if its cell records were not found
    _workbook(tmp_path / "by_cell.xlsx", by_column=False)
    _workbook(tmp_path / "by_column.xlsx", by_column=True)
    with (
        zipfile.ZipFile(tmp_path / "by_cell.xlsx") as a,
        zipfile.ZipFile(tmp_path / "by_column.xlsx") as b,
    ):
        assert [a.read(n) for n in a.namelist()] == [b.read(n) for n in b.namelist()]
