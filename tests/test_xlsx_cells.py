"""One sheet of a workbook, read without the others: the cells openpyxl's normal mode gives
(merged ranges unmerged and filled), whatever the file states about its size or where its
parts are."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest

from kotaku_map.errors import InputError
from kotaku_map.readers.xlsx_cells import sheet_cells

MERGES = ["A1:D1", "B4:C4", "E6:E8", "B9:C10", "H12:I13"]  # the last lies beyond the data


def _workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "kawasan"
    ws["A1"] = "DAFTAR KAWASAN KUMUH"
    ws["C1"] = "hidden by the merge"  # a merged range keeps its top-left value only
    ws.append([])
    ws.append(["no", "kelurahan", None, "luas_ha", "tingkat"])
    ws.append([None, "nama", "kode"])
    ws.append([1, "Panjang Wetan", "33.75.03.1004", 12.5, "ringan"])
    ws.append([2, "Kandang <Panjang>", "33.75.03.1005", 3, "sedang"])
    ws.append([3, "Krapyak", None, None, None])
    ws["D8"] = dt.datetime(2020, 3, 1)
    ws["B9"] = "kawasan gabungan"
    ws.cell(11, 1, True)  # row 10 left out of the file
    for rng in MERGES:
        ws.merge_cells(rng)
    big = wb.create_sheet("kumuhRT")
    for i in range(300):
        big.append([i, f"RT {i}", i * 0.5])
    big.merge_cells("A1:B1")
    wb.save(path)
    return path


def _reference(path: Path, sheet: str | None) -> list[list[object]]:
    """The specification: openpyxl's normal mode, every merged range unmerged and filled."""
    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    for rng in list(ws.merged_cells.ranges):
        value = ws.cell(rng.min_row, rng.min_col).value
        ws.unmerge_cells(str(rng))
        for row in ws.iter_rows(
            min_row=rng.min_row, max_row=rng.max_row, min_col=rng.min_col, max_col=rng.max_col
        ):
            for cell in row:
                cell.value = value
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _trimmed(rows: list[list[object]]) -> list[list[object]]:
    """Trailing blank cells and rows left out (the normal mode pads to the sheet's size)."""
    out = [list(r) for r in rows]
    for r in out:
        while r and r[-1] is None:
            r.pop()
    while out and not out[-1]:
        out.pop()
    return out


def _rewrite(path: Path, member: str, change) -> None:
    """Replace one part of the zip with ``change(text)`` (which must change it)."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    changed = change(parts[member].decode()).encode()
    assert changed != parts[member], f"nothing to change in {member}"
    parts[member] = changed
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


@pytest.mark.parametrize("sheet", ["kawasan", "kumuhRT", None])
def test_a_sheet_reads_as_the_normal_mode_unmerged_and_filled(sheet, tmp_path):
    path = _workbook(tmp_path / "sk.xlsx")
    got = sheet_cells(path, sheet)
    assert _trimmed(got) == _trimmed(_reference(path, sheet))
    if sheet != "kumuhRT":
        assert got[0][:4] == ["DAFTAR KAWASAN KUMUH"] * 4  # "hidden by the merge" is gone
        assert [got[r][4] for r in (5, 6, 7)] == ["sedang"] * 3  # E6:E8 takes E6
        assert got[7][3] == dt.datetime(2020, 3, 1) and got[9] == [None, *["kawasan gabungan"] * 2]
        assert got[11][7:] == [None, None] and len(got) == 13  # a merge past the data
        assert got[10] == [True]


def test_rows_the_file_leaves_out_keep_their_place(tmp_path):
    path = _workbook(tmp_path / "sk.xlsx")
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert '<row r="10"' in xml and '<row r="11"' in xml  # the merge B9:C10 reaches row 10
    _rewrite(path, "xl/worksheets/sheet1.xml", lambda t: re.sub(r'<row r="10".*?</row>', "", t))
    rows = sheet_cells(path, "kawasan")
    assert rows[10] == [True]  # still the sheet's row 11
    assert rows[9][1:3] == ["kawasan gabungan"] * 2  # the merged range filled row 10 again


#: what other writers do, each a list of (zip member, pattern, replacement)
ODDITIES = {
    "stated size too small": [  # read-only mode would stop at the stated A1
        ("xl/worksheets/sheet1.xml", r'<dimension ref="[^"]*"', '<dimension ref="A1"'),
    ],
    "sheet parts named as Excel names them": [  # openpyxl writes "/xl/worksheets/..."
        ("xl/_rels/workbook.xml.rels", r'Target="/xl/worksheets/', 'Target="worksheets/'),
    ],
    "the workbook part named absolutely": [
        ("_rels/.rels", r'Target="xl/workbook.xml"', 'Target="/xl/workbook.xml"'),
    ],
}


@pytest.mark.parametrize("oddity", list(ODDITIES))
def test_what_other_writers_do_reads_the_same(oddity, tmp_path):
    path = _workbook(tmp_path / "sk.xlsx")
    for member, pattern, replacement in ODDITIES[oddity]:
        _rewrite(path, member, lambda t, p=pattern, r=replacement: re.sub(p, r, t))
    assert _trimmed(sheet_cells(path, "kawasan")) == _trimmed(_reference(path, "kawasan"))


def test_only_the_sheet_asked_for_is_read(tmp_path):
    """A damaged sheet the build does not read stops nothing (the normal mode fails on it)."""
    path = _workbook(tmp_path / "sk.xlsx")
    _rewrite(path, "xl/worksheets/sheet2.xml", lambda t: t[: len(t) // 2])
    with pytest.raises(ET.ParseError):
        openpyxl.load_workbook(path, data_only=True)
    assert sheet_cells(path, "kawasan")[4][:2] == [1, "Panjang Wetan"]
    with pytest.raises(InputError, match=r"sk\.xlsx: cannot be read as XLSX"):
        sheet_cells(path, "kumuhRT")


def test_a_missing_sheet_is_named_with_the_closest_one(tmp_path):
    path = _workbook(tmp_path / "sk.xlsx")
    with pytest.raises(InputError, match=r"has no sheet 'kawasn' \(did you mean 'kawasan'\?\)"):
        sheet_cells(path, "kawasn")


def test_a_file_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "daftar.xlsx"
    path.write_text("kelurahan,kode\nA,1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"daftar\.xlsx: cannot be read as XLSX"):
        sheet_cells(path, None)


def test_chart_sheets_are_named_not_read(tmp_path):
    """A chart sheet first: the default is the first sheet with cells; asked for by name, a
    chart is refused in words (the normal mode failed with an AttributeError)."""
    from openpyxl.chart import BarChart, Reference

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "data"
    ws.append(["kelurahan", "luas_ha"])
    ws.append(["Krapyak", 4.5])
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=2))
    wb.create_chartsheet("grafik", 0).add_chart(chart)
    wb.save(tmp_path / "grafik.xlsx")
    assert sheet_cells(tmp_path / "grafik.xlsx", None) == [
        ["kelurahan", "luas_ha"],
        ["Krapyak", 4.5],
    ]
    with pytest.raises(
        InputError, match=r"sheet 'grafik' is a chart, not a table; tables: \['data'\]"
    ):
        sheet_cells(tmp_path / "grafik.xlsx", "grafik")
