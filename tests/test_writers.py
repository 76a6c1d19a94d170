"""The table and GeoPackage writers: typed cells, literal text, spatial indexes."""

import datetime as dt
import sqlite3
import zipfile

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import shapely

from kotaku_map.writers import SPATIAL_INDEX_FROM, gpkg_layer, write_table, write_xlsx
from kotaku_map.writers.tables import csv_safe


def test_xlsx_cells_keep_their_types_and_missing_values_stay_empty(tmp_path):
    table = pd.DataFrame(
        {
            "kode": pd.array(["33.75.01.1001", None], dtype="string"),
            "luas_ha": [12.5, np.nan],
            "jumlah": pd.array([3, None], dtype="Int64"),
            "kumuh": [True, False],
            "tanggal": pd.to_datetime(["2024-01-31", None]),
            "catatan": ['=HYPERLINK("http://x")', "a\x07b"],
        }
    )
    path = tmp_path / "t.xlsx"
    write_xlsx({"data": table}, path)
    ws = openpyxl.load_workbook(path).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == list(table.columns)
    assert rows[1][:4] == ["33.75.01.1001", 12.5, 3, True]
    assert isinstance(rows[1][1], float) and rows[1][3] is True
    assert rows[1][4] == dt.datetime(2024, 1, 31)
    assert rows[1][5] == '=HYPERLINK("http://x")'  # text, not a formula
    assert ws.cell(2, 6).data_type == "s"
    assert rows[2] == [None, None, None, False, None, "ab"]  # missing: empty; control char gone
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:F3"
    assert ws["A1"].font.b


def test_xlsx_is_byte_identical_when_written_twice(tmp_path):
    table = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]})
    write_xlsx({"s": table}, tmp_path / "1.xlsx")
    write_xlsx({"s": table}, tmp_path / "2.xlsx")
    assert (tmp_path / "1.xlsx").read_bytes() == (tmp_path / "2.xlsx").read_bytes()
    with zipfile.ZipFile(tmp_path / "1.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def _has_rtree(path, layer):
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT count(*) FROM gpkg_extensions WHERE table_name = ? AND "
            "extension_name = 'gpkg_rtree_index'",
            (layer,),
        ).fetchone()
    return rows[0] > 0


def test_only_big_geopackage_layers_get_a_spatial_index(tmp_path):
    def boxes(n):
        return gpd.GeoDataFrame(
            {"kode": [str(i) for i in range(n)]},
            crs=4326,
            geometry=[
                shapely.box(110 + i * 1e-4, -7, 110 + i * 1e-4 + 5e-5, -6.9999) for i in range(n)
            ],
        )

    path = tmp_path / "x.gpkg"
    gpkg_layer(boxes(3), path, "kecil")
    gpkg_layer(boxes(SPATIAL_INDEX_FROM), path, "besar")
    assert not _has_rtree(path, "kecil")
    assert _has_rtree(path, "besar")
    back = gpd.read_file(path, layer="kecil")
    assert back["kode"].tolist() == ["0", "1", "2"]
    assert (back.geom_type == "MultiPolygon").all()


def test_csv_text_that_a_spreadsheet_would_run_gets_a_quote(tmp_path):
    risky = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\tTab"]
    table = pd.DataFrame(
        {
            "nama": risky + ["Biasa"],
            "teks": pd.array([None, "-", "a-b", "x", "=", "ok"], dtype="string"),
            "luas_ha": [-1.5, 2.0, -0.25, 3.0, 4.0, 6.0],
            "baris": pd.array([-1, 2, 3, None, 5, 7], dtype="Int64"),
        }
    )
    [csv, xlsx] = write_table(table, tmp_path / "t")
    back = pd.read_csv(csv, encoding="utf-8-sig", keep_default_na=False, dtype=str)
    assert back["nama"].tolist() == ["'" + v for v in risky] + ["Biasa"]
    assert back["teks"].tolist() == ["", "'-", "a-b", "x", "'=", "ok"]
    assert back["luas_ha"].tolist()[:3] == ["-1.5000", "2.0000", "-0.2500"]  # numbers: as is
    assert back["baris"].tolist()[0] == "-1"
    ws = openpyxl.load_workbook(xlsx).active
    assert [ws.cell(r, 1).value for r in range(2, 7)] == risky  # the XLSX: text, as it is
    assert table["nama"].iloc[0] == "=1+1"  # the table given is not modified
    # a leading carriage return too (in the CSV it still ends the line: see CHANGELOG)
    assert csv_safe(pd.DataFrame({"a": ["\rCR"]}))["a"].tolist() == ["'\rCR"]


def test_xlsx_formats_each_kind_and_totals_only_what_adds_up(tmp_path):
    from kotaku_map.writers import SheetText

    table = pd.DataFrame(
        {
            "kecamatan": ["A", "B"],
            "tahun": [2019, 2020],
            "luas_sk_ha": [1574.449, 2.0],
            "selisih_pct": [5.45, -1.0],
            "anggaran_apbn_rp": [140243000.0, 0.0],
            "jumlah_kegiatan": [5, 15],
            "skor": [87.5, 100.0],
        }
    )
    text = SheetText(
        "Judul & Co",
        headers={"luas_sk_ha": "Luas SK (ha)"},
        units={"ha": "ha"},
        total="Jumlah",
        columns_sheet="kolom",
        columns_headers=("Judul", "Nama", "Isi", "Satuan"),
        footer="Halaman &P dari &N",
    )
    path = tmp_path / "t.xlsx"
    write_xlsx({"data": table}, path, texts={"data": text})
    book = openpyxl.load_workbook(path)
    ws = book["data"]
    assert [c.value for c in ws[1]][:3] == ["kecamatan", "tahun", "Luas SK (ha)"]
    formats = [c.number_format for c in ws[2]]
    assert formats == ["General", "0", "#,##0.00", '0.0"%"', "#,##0", "#,##0", "0.0"]
    totals = [c.value for c in ws[4]]
    assert totals[0] == "Jumlah"
    assert totals[1] is None and totals[3] is None and totals[6] is None  # years, %, scores
    assert totals[2] == "=SUBTOTAL(109,C2:C3)" and totals[4] == "=SUBTOTAL(109,E2:E3)"
    assert totals[5] == "=SUBTOTAL(109,F2:F3)"
    assert ws.oddHeader.left.text == "&BJudul && Co"  # & escaped in a page header
    assert ws.auto_filter.ref == "A1:G3"  # the totals row is not sorted with the data
    assert [r[1] for r in book["kolom"].iter_rows(min_row=2, values_only=True)][:7] == list(
        table.columns
    )


def test_xlsx_without_words_keeps_machine_headers_but_formats_and_prints(tmp_path):
    path = tmp_path / "t.xlsx"
    write_xlsx({"data": pd.DataFrame({"kumuh_ha": [1.5], "program": [""]})}, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["data"]
    ws = book["data"]
    assert [c.value for c in ws[1]] == ["kumuh_ha", "program"]
    assert ws["A2"].number_format == "#,##0.00" and ws["B2"].value is None
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"
