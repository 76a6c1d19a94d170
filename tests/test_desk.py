"""The desk outputs: figures that agree with themselves, workbooks to print, a described
GeoPackage (QGIS itself opens it in tests/test_qgis.py).

Built through the real CLI: the demo (``demo_build``) and the small projects of
``tests/test_bad_inputs.py``.
"""

from __future__ import annotations

import csv
import sqlite3
from decimal import Decimal

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pytest
from shapely import box
from test_bad_inputs import X0, Y0, Project, build_ok, program_gdf

from kotaku_map.writers import GPKG_VERSION

CITY = "9971-kota-contoh-fiktif"


@pytest.fixture
def project(tmp_path) -> Project:
    return Project(tmp_path / "proyek")


def read_csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_tables_state_the_accounting_exactly_as_written(demo_build):
    out = demo_build / "output"
    rows = read_csv(out / CITY / "kelurahan.csv")
    [city] = read_csv(out / "ringkasan_kabkota.csv")
    ha = [c for c in rows[0] if c.endswith("_ha")]
    for r in rows:
        d = {c: Decimal(r[c]) for c in ha}
        assert d["kumuh_ha"] == d["tercakup_ha"] + d["celah_ha"] + d["sliver_ha"], r["kode"]
        assert d["tercakup_ha"] <= d["kumuh_ha"], r["kode"]
        assert all(v >= 0 for v in d.values()), r["kode"]
        assert all(d[c] <= d["luas_ha"] for c in ha if c.startswith("wk_")), r["kode"]
    for c in ("kumuh_ha", "tercakup_ha", "celah_ha", "sliver_ha", "tumpang_tindih_ha"):
        assert Decimal(city[c]) == sum(Decimal(r[c]) for r in rows), c
    assert Decimal(city["kumuh_ha"]) == sum(
        Decimal(city[c]) for c in ("tercakup_ha", "celah_ha", "sliver_ha")
    )
    combos = [Decimal(v) for k, v in city.items() if k.startswith("kumuh: ")]
    assert sum(combos) == Decimal(city["tercakup_ha"])
    assert all(Decimal(v) >= 0 for k, v in city.items() if k.endswith("_ha"))


def test_kelurahan_xlsx_is_a_table_people_read_and_print(demo_build):
    out = demo_build / "output" / CITY
    rows = read_csv(out / "kelurahan.csv")
    book = openpyxl.load_workbook(out / "kelurahan.xlsx")
    assert book.sheetnames == ["kelurahan", "kolom"]
    ws = book["kelurahan"]
    header = [c.value for c in ws[1]]
    names = list(rows[0])
    assert header[:3] == ["Kode kelurahan", "Kelurahan", "Kecamatan"]
    assert header[names.index("kumuh_ha")] == "Luas kumuh (ha)"
    assert header[names.index("wk_nusp_2_ha")] == "Wilayah kerja NUSP-2 (ha)"
    kumuh = names.index("kumuh_ha") + 1
    assert ws.cell(2, kumuh).number_format == "#,##0.00"
    assert ws.cell(2, kumuh).value == float(rows[0]["kumuh_ha"])
    assert ws.cell(2, 1).number_format == "General" and ws.cell(2, 1).data_type == "s"
    # real empty cells: a kelurahan matched by no list has no match method
    method = names.index("metode_cocok") + 1
    empty = [i for i, r in enumerate(rows, start=2) if r["metode_cocok"] == ""]
    assert empty and all(ws.cell(i, method).value is None for i in empty)
    # the totals row: SUBTOTAL over the rows (the filter's visible rows), its value stored
    total = len(rows) + 2
    assert ws.cell(total, 1).value == "Jumlah"
    letter = openpyxl.utils.get_column_letter(kumuh)
    assert ws.cell(total, kumuh).value == f"=SUBTOTAL(109,{letter}2:{letter}{total - 1})"
    assert ws.cell(total, kumuh).number_format == "#,##0.00"
    assert ws.cell(total, names.index("status") + 1).value is None
    cached = openpyxl.load_workbook(out / "kelurahan.xlsx", data_only=True)["kelurahan"]
    assert cached.cell(total, kumuh).value == pytest.approx(
        float(sum(Decimal(r["kumuh_ha"]) for r in rows)), abs=1e-9
    )
    # printing: A4 landscape, one page wide, the header on every page, title and page numbers
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$1"
    assert ws.oddHeader.left.text == "&BKelurahan: Kota Contoh (FIKTIF) (ILUSTRATIF)"
    assert ws.oddFooter.right.text == "Halaman &P dari &N"
    last = openpyxl.utils.get_column_letter(len(names))  # the lingkungan counts last
    assert names[-1] == "jumlah_lingkungan_tidak_dapat_dihitung"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:{last}{len(rows) + 1}"
    # the second sheet names every column as the CSV does
    documented = list(book["kolom"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in documented[: len(names)]] == names
    assert documented[names.index("kumuh_ha")][3] == "ha"


def test_the_summary_and_match_workbooks_have_readable_headers_too(demo_build):
    out = demo_build / "output"
    ws = openpyxl.load_workbook(out / "ringkasan_kabkota.xlsx")["kabkota"]
    header = [c.value for c in ws[1]]
    assert "Jumlah kelurahan" in header and "Kel. Kumuh tanpa program" in header
    assert "Kumuh tercakup NSUP + NUSP-2 (ha)" in header
    count = header.index("Jumlah kelurahan") + 1
    assert ws.cell(2, count).number_format == "#,##0"
    assert ws.cell(3, 1).value == "Jumlah"  # one city, and its totals row
    ws = openpyxl.load_workbook(out / "pencocokan.xlsx")["pencocokan"]
    header = [c.value for c in ws[1]]
    assert header[header.index("Skor")] == "Skor"
    assert ws.cell(2, header.index("Skor") + 1).number_format == "0.0"
    assert ws.cell(ws.max_row, 1).value != "Jumlah"  # no totals for a match report


def test_the_geopackage_is_1_2_styled_described_and_dated(demo_build):
    gpkg = demo_build / "output" / CITY / f"{CITY}.gpkg"
    layers = [n for n, _ in pyogrio.list_layers(gpkg) if n != "layer_styles"]
    with sqlite3.connect(gpkg) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 10200
        assert GPKG_VERSION == "1.2"
        styles = db.execute(
            "SELECT f_table_name, f_geometry_column, styleName, useAsDefault, "
            "length(styleQML), length(styleSLD) FROM layer_styles ORDER BY id"
        ).fetchall()
        geometry = dict(db.execute("SELECT table_name, column_name FROM gpkg_geometry_columns"))
        contents = {
            t: (i, d)
            for t, i, d in db.execute(
                "SELECT table_name, identifier, description FROM gpkg_contents"
            )
        }
        qmd = db.execute(
            "SELECT r.table_name, m.metadata FROM gpkg_metadata m JOIN gpkg_metadata_reference r "
            "ON r.md_file_id = m.id WHERE m.md_standard_uri = 'http://mrcc.com/qgis.dtd'"
        ).fetchall()
    assert [s[0] for s in styles] == layers
    for table, column, name, default, qml, sld in styles:
        assert column == geometry[table] and name == "kotaku_map" and default == 1
        assert qml > 500 and sld > 500
    assert contents["kelurahan"][0] == "Status kelurahan"
    assert contents["wilayah_kerja_nusp_2"][1].startswith("Wilayah kerja NUSP-2: kelurahan")
    assert all(contents[n][1] for n in layers)
    assert sorted(t for t, _ in qmd) == sorted(layers)
    assert all("ILUSTRATIF" in doc and "<dates>" in doc for _, doc in qmd)
    meta = pyogrio.read_info(gpkg, layer="kelurahan")["dataset_metadata"]
    assert meta["TITLE"] == "Peta Keterpaduan Kota Contoh (FIKTIF): Kota Contoh (FIKTIF)"
    assert meta["ILLUSTRATIVE"] == "true" and meta["ILLUSTRATIVE_INPUTS"] == "NSUP; NUSP-2"
    assert meta["SLIVER_WIDTH_M"] == "5" and meta["SLIVER_AREA_M2"] == "100"
    assert meta["DATE"].count("-") == 2 and meta["KOTAKU_MAP_VERSION"]
    assert meta["SOURCES"].split("; ")[:2] == [
        "batas: batas_kelurahan.geojson",
        "NSUP: FIKTIF: contoh delineasi wilayah kerja NSUP (nsup_wilayah_kerja.geojson)",
    ]


def test_a_file_in_two_roles_is_reported_and_counted_once_per_role(project, capsys):
    # one polygon file serves two programs; its second row lies outside every kelurahan
    gdf = pd.concat(
        [
            program_gdf(),
            gpd.GeoDataFrame(
                {"nama": ["jauh"]}, geometry=[box(X0 + 1, Y0 - 1, X0 + 1.01, Y0 - 0.99)], crs=4326
            ),
        ],
        ignore_index=True,
    )
    gpd.GeoDataFrame(gdf, crs=4326).to_file(project / "nsup.geojson")
    project.programs.append({"name": "NUSP-2", "path": "nsup.geojson"})
    built = build_ok(project, capsys)  # the rows of each role add up
    outside = built.problem(project / "nsup.geojson", "di luar batas kelurahan")
    assert sorted(outside["peran"]) == ["NSUP", "NUSP-2"]
    assert set(outside["baris"]) == {"3"}
    assert list(built.problems.columns[:4]) == ["berkas", "layer", "peran", "baris"]
    for role in ("NSUP", "NUSP-2"):
        assert built.manifest["baris"][role]["baris_dilaporkan"] == 1


def test_the_match_report_is_written_without_table_inputs(project, capsys):
    built = build_ok(project, capsys)
    report = pd.read_csv(built.out / "pencocokan.csv", encoding="utf-8-sig")
    assert len(report) == 0
    assert list(report.columns[:4]) == ["berkas", "layer", "program", "baris"]
    assert (built.out / "pencocokan.xlsx").is_file()


def test_with_lang_en_the_workbooks_and_styles_speak_english(project, capsys):
    project.output["lang"] = "en"
    built = build_ok(project, capsys)
    [folder] = [p for p in built.out.iterdir() if p.is_dir()]
    book = openpyxl.load_workbook(folder / "kelurahan.xlsx")
    assert book.sheetnames == ["kelurahan", "columns"]
    ws = book["kelurahan"]
    header = [c.value for c in ws[1]]
    assert "Slum area (ha)" in header and "Kelurahan area (ha)" in header
    assert ws.cell(ws.max_row, 1).value == "Total"
    assert ws.oddFooter.right.text == "Page &P of &N"
    gpkg = folder / f"{folder.name}.gpkg"
    with sqlite3.connect(gpkg) as db:
        title = db.execute(
            "SELECT identifier FROM gpkg_contents WHERE table_name = 'kelurahan'"
        ).fetchone()[0]
        qml = db.execute(
            "SELECT styleQML FROM layer_styles WHERE f_table_name = 'kelurahan'"
        ).fetchone()[0]
    assert title == "Kelurahan status"
    assert 'name="Slum area (ha)"' in qml  # the field alias
    assert pyogrio.read_info(gpkg, layer="kelurahan")["dataset_metadata"]["LANGUAGE"] == "en"
