"""Bad inputs, through the real CLI: the catalogue of docs/masukan_buruk.md.

Every case builds a small hand-made project in ``tmp_path`` (a 2 x 2 grid of 0.01 degree
kelurahan around lon 110.40, lat -6.90 with Kemendagri codes 33.75.01.1001-1004, one
program, one slum layer), breaks one thing and runs ``kotaku-map build``:

* fatal cases: exit status 2, one line on stderr (the exact message, naming file, layer,
  column and row where they apply), no traceback, no output folder, no staging folder,
  and previous outputs untouched byte for byte;
* non-fatal cases: exit status 0, the row in ``masalah.csv`` with file, row and reason,
  and the manifest's row accounting holds for every input.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
import shapely
from shapely import box

import kotaku_map.render
import kotaku_map.writers
from kotaku_map.cli import main

# ``kotaku_map.build`` is the function re-exported by the package; this is the module
build_module = importlib.import_module("kotaku_map.build")
city_files_module = importlib.import_module("kotaku_map.city_files")

D = 0.01
X0, Y0 = 110.40, -6.90
NAMES = ["Medono", "Podosugih", "Bendan", "Kergon"]
CODES = [f"33.75.01.100{i + 1}" for i in range(4)]


def cell(r: int, c: int, *, x0: float = X0, y0: float = Y0) -> shapely.Polygon:
    return box(x0 + c * D, y0 - (r + 1) * D, x0 + (c + 1) * D, y0 - r * D)


def boundaries_gdf(names=NAMES, codes=CODES, kab="Kota Pekalongan") -> gpd.GeoDataFrame:
    n = len(names)
    kabs = kab if isinstance(kab, list) else [kab] * n
    return gpd.GeoDataFrame(
        {
            "kode": list(codes),
            "nama": list(names),
            "nama_kec": ["Pekalongan Barat"] * n,
            "nama_kab": kabs,
        },
        geometry=[cell(*divmod(i, 2)) for i in range(n)],
        crs=4326,
    )


def program_gdf() -> gpd.GeoDataFrame:
    # west column and half the north-east cell; row 2 is a second polygon in the south-east
    return gpd.GeoDataFrame(
        {"nama": ["kawasan 1", "kawasan 2"]},
        geometry=[
            box(X0, Y0 - 2 * D, X0 + 1.5 * D, Y0),
            box(X0 + D, Y0 - 2 * D, X0 + 2 * D, Y0 - D),
        ],
        crs=4326,
    )


def slum_gdf() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"tingkat": ["KUMUH RINGAN", "Kumuh Sedang", "berat"]},
        geometry=[
            box(X0 + 0.002, Y0 - 0.018, X0 + 0.018, Y0 - 0.002),
            box(X0 + 0.012, Y0 - 0.008, X0 + 0.018, Y0 - 0.002),
            box(X0 + 0.002, Y0 - 0.018, X0 + 0.008, Y0 - 0.012),
        ],
        crs=4326,
    )


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + " }"
    raise TypeError(value)


class Project:
    """A small project folder: layers plus a config that can be changed before building."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        boundaries_gdf().to_file(folder / "batas.gpkg", layer="kelurahan")
        program_gdf().to_file(folder / "nsup.geojson")
        slum_gdf().to_file(folder / "kumuh.geojson")
        self.boundaries: dict = {
            "path": "batas.gpkg",
            "layer": "kelurahan",
            "code": "kode",
            "kelurahan": "nama",
            "kecamatan": "nama_kec",
            "kabkota": "nama_kab",
        }
        self.programs: list[dict] = [{"name": "NSUP", "path": "nsup.geojson"}]
        self.slum: dict | None = {"path": "kumuh.geojson", "level": "tingkat"}
        self.analysis: dict = {}
        self.output: dict = {}

    def __truediv__(self, name: str) -> Path:
        return self.folder / name

    def config(self) -> Path:
        lines = ['title = "Uji masukan buruk"', "[boundaries]"]
        lines += [f"{k} = {_toml(v)}" for k, v in self.boundaries.items()]
        for p in self.programs:
            lines += ["[[programs]]"] + [f"{k} = {_toml(v)}" for k, v in p.items()]
        for section, values in (
            ("slum", self.slum),
            ("analysis", self.analysis),
            ("output", self.output),
        ):
            if values:
                lines += [f"[{section}]"] + [f"{k} = {_toml(v)}" for k, v in values.items()]
        path = self.folder / "kotaku.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


@pytest.fixture
def project(tmp_path) -> Project:
    return Project(tmp_path / "proyek")


@pytest.fixture(scope="module")
def previous_outputs(tmp_path_factory) -> Path:
    """The outputs of a good build, to copy into an output folder a failed build must spare."""
    folder = tmp_path_factory.mktemp("baik")
    p = Project(folder / "proyek")
    assert main(["build", str(p.config()), "-o", str(folder / "out"), "-q"]) == 0
    return folder / "out"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def assert_refused(project: Project, capsys, message: str | re.Pattern, previous: Path) -> None:
    """Exit 2, exactly ``message`` on stderr (one line, no traceback), nothing written."""
    config = project.config()
    out = project.folder.parent / "out"
    status = main(["build", str(config), "-o", str(out), "-q"])
    err = capsys.readouterr().err
    assert status == 2, err
    assert "Traceback" not in err
    assert err.endswith("\n") and err.count("\n") == 1, err
    text = err.removeprefix("kotaku-map: error: ").rstrip("\n")
    assert err.startswith("kotaku-map: error: ")
    if isinstance(message, re.Pattern):
        assert message.fullmatch(text), text
    else:
        assert text == message
    assert not out.exists()
    # the same failure over a folder with a previous good build: left byte for byte
    kept = project.folder.parent / "vorige"
    shutil.copytree(previous, kept)
    before = snapshot(kept)
    assert main(["build", str(config), "-o", str(kept), "-q"]) == 2
    capsys.readouterr()
    assert snapshot(kept) == before
    assert not list(project.folder.parent.glob(".*.partial-*"))


class Built:
    def __init__(self, out: Path, err: str, base: Path) -> None:
        self.out = out
        self.err = err
        self.base = base  # the config's folder: report paths are relative to it
        self.problems = pd.read_csv(
            out / "masalah.csv", encoding="utf-8-sig", keep_default_na=False, dtype=str
        )
        self.manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))

    def problem(self, path: Path, masalah: str) -> pd.DataFrame:
        p = self.problems
        return p[
            (p["berkas"] == path.relative_to(self.base).as_posix()) & (p["masalah"] == masalah)
        ]

    def table(self, name: str = "3375-kota-pekalongan/kelurahan.csv") -> pd.DataFrame:
        return pd.read_csv(self.out / name, encoding="utf-8-sig", keep_default_na=False)


def build_ok(project: Project, capsys) -> Built:
    """Exit 0, and the manifest accounts for every row of every input."""
    out = project.folder.parent / "out"
    status = main(["build", str(project.config()), "-o", str(out), "-q"])
    err = capsys.readouterr().err
    assert status == 0, err
    assert "Traceback" not in err
    built = Built(out, err, project.folder)
    for role, rows in built.manifest["baris"].items():
        assert rows["baris_hilang"] == 0, (role, rows)
        assert rows["baris_dibaca"] == rows["baris_dipakai"] + rows["baris_dilaporkan"], (
            role,
            rows,
        )
    return built


def assert_reported(
    built: Built, path: Path, masalah: str, rows: list[int], *, used: bool, rincian: str = ""
) -> pd.DataFrame:
    found = built.problem(path, masalah)
    assert sorted(int(r) for r in found["baris"]) == rows, built.problems.to_string()
    assert set(found["dipakai"]) == {str(used)}
    if rincian:
        assert all(rincian in r for r in found["rincian"]), found["rincian"].tolist()
    return found


# ====================================================================== fatal: exit 2


def test_missing_layer_file(project, capsys, previous_outputs):
    project.programs[0]["path"] = "nsup_2019.geojson"
    assert_refused(
        project,
        capsys,
        f"{project / 'nsup_2019.geojson'}: layer file does not exist",
        previous_outputs,
    )


def test_missing_table_file(project, capsys, previous_outputs):
    project.programs.append(
        {
            "name": "NUSP-2",
            "path": "lokasi_nusp2.xlsx",
            "kind": "table",
            "sheet": "lokasi",
            "columns": {"kelurahan": "Kelurahan"},
        }
    )
    assert_refused(
        project,
        capsys,
        f"{project / 'lokasi_nusp2.xlsx'}: table file does not exist",
        previous_outputs,
    )


def test_missing_layer_in_a_geopackage_suggests_the_closest(project, capsys, previous_outputs):
    project.boundaries["layer"] = "kelurahn"
    assert_refused(
        project,
        capsys,
        f"{project / 'batas.gpkg'}: has no layer 'kelurahn' (did you mean "
        "'kelurahan'?); layers are ['kelurahan']",
        previous_outputs,
    )


def test_missing_sheet_suggests_the_closest(project, capsys, previous_outputs):
    pd.DataFrame({"Kelurahan": ["Medono"]}).to_excel(
        project / "nusp2.xlsx", sheet_name="lokasi", index=False
    )
    project.programs.append(
        {
            "name": "NUSP-2",
            "path": "nusp2.xlsx",
            "kind": "table",
            "sheet": "lokas",
            "columns": {"kelurahan": "Kelurahan"},
        }
    )
    assert_refused(
        project,
        capsys,
        f"{project / 'nusp2.xlsx'}: has no sheet 'lokas' (did you mean 'lokasi'?); "
        "sheets are ['lokasi']",
        previous_outputs,
    )


def test_empty_layer(project, capsys, previous_outputs):
    boundaries_gdf().iloc[:0].to_file(project / "batas.gpkg", layer="kelurahan")
    assert_refused(
        project,
        capsys,
        f"{project / 'batas.gpkg'}, layer 'kelurahan': the layer is empty (0 rows)",
        previous_outputs,
    )


def test_table_with_a_header_but_no_rows(project, capsys, previous_outputs):
    (project / "nusp2.csv").write_text("Kelurahan;Kecamatan\n\n", encoding="utf-8")
    project.programs.append(
        {
            "name": "NUSP-2",
            "path": "nusp2.csv",
            "kind": "table",
            "columns": {"kelurahan": "Kelurahan"},
        }
    )
    assert_refused(
        project,
        capsys,
        f"{project / 'nusp2.csv'}: the table has a header but no data rows",
        previous_outputs,
    )


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


@pytest.mark.parametrize(
    "name,expected",
    [
        ("batas.gpkg", r"cannot be read as a spatial file \(truncated or wrong format\?\): .+"),
        ("nsup.geojson", r"cannot be read as a spatial file \(truncated or wrong format\?\): .+"),
        ("nsup.zip", r"not a readable zip archive \(truncated or not a zip\?\): .+"),
        ("nusp2.xlsx", r"cannot be read as XLSX \(truncated or not a workbook\?\): .+"),
    ],
)
def test_truncated_files(project, capsys, previous_outputs, name, expected):
    if name == "nsup.zip":
        program_gdf().to_file(project / "nsup.shp")
        with zipfile.ZipFile(project / "nsup.zip", "w") as zf:
            for ext in ("shp", "shx", "dbf", "prj"):
                zf.write(project / f"nsup.{ext}", f"nsup.{ext}")
        project.programs[0]["path"] = "nsup.zip"
    if name == "nusp2.xlsx":
        pd.DataFrame({"Kelurahan": NAMES}).to_excel(project / name, index=False)
        project.programs.append(
            {"name": "NUSP-2", "path": name, "kind": "table", "columns": {"kelurahan": "Kelurahan"}}
        )
    _truncate(project / name)
    assert_refused(
        project,
        capsys,
        re.compile(re.escape(str(project / name)) + ": " + expected),
        previous_outputs,
    )


def test_layer_without_crs_is_refused(project, capsys, previous_outputs):
    program_gdf().to_file(project / "nsup.shp")
    (project / "nsup.prj").unlink()
    project.programs[0]["path"] = "nsup.shp"
    assert_refused(
        project,
        capsys,
        f"{project / 'nsup.shp'}: the layer has no CRS (missing .prj?); set crs = "
        "'EPSG:...' for this layer or analysis.assume_crs in the config",
        previous_outputs,
    )


def test_metres_labelled_as_degrees(project, capsys, previous_outputs):
    utm = program_gdf().to_crs(32749)
    utm.set_crs(4326, allow_override=True).to_file(project / "nsup.geojson")
    x, y = shapely.bounds(utm.geometry.values[0])[:2]
    assert_refused(
        project,
        capsys,
        f"{project / 'nsup.geojson'}: coordinates look like metres (row 1: "
        f"x={x:.0f}, y={y:.0f}) but the layer is labelled EPSG:4326 (degrees, "
        "expected x = longitude 95..141, y = latitude -11..6); set the right "
        "projected CRS in the config (e.g. crs = 'EPSG:32749' for UTM 49S or "
        "'EPSG:9489' for SRGI2013 UTM 49S)",
        previous_outputs,
    )


def test_swapped_lat_lon(project, capsys, previous_outputs):
    swapped = slum_gdf()
    swapped.geometry = shapely.transform(swapped.geometry.values, lambda xy: xy[:, ::-1])
    swapped.to_file(project / "kumuh.geojson")
    assert_refused(
        project,
        capsys,
        f"{project / 'kumuh.geojson'}: latitude and longitude look swapped (row 1: "
        "x=-6.9180, y=110.4020; in Indonesia x = longitude 95..141, y = latitude "
        "-11..6); fix the axis order of the file (e.g. ogr2ogr with -s_srs "
        "'+proj=longlat +datum=WGS84 +axis=neu')",
        previous_outputs,
    )


def test_layer_entirely_outside_indonesia(project, capsys, previous_outputs):
    europe = program_gdf()
    europe.geometry = europe.translate(xoff=-100.0, yoff=57.0)  # lon ~10.4, lat ~50
    europe.to_file(project / "nsup.geojson")
    assert_refused(
        project,
        capsys,
        f"{project / 'nsup.geojson'}: no geometry lies in Indonesia (bounds in lon/lat "
        "10.4000, 50.0800, 10.4200, 50.1000); the layer's CRS EPSG:4326 is probably "
        "wrong: set crs = 'EPSG:...' in the config",
        previous_outputs,
    )


@pytest.mark.parametrize("kind", ["Point", "LineString"])
def test_points_or_lines_where_polygons_are_expected(project, capsys, previous_outputs, kind):
    g = program_gdf()
    parts = shapely.centroid if kind == "Point" else shapely.boundary
    g.geometry = parts(g.geometry.values)
    g.to_file(project / "nsup.geojson")
    assert_refused(
        project,
        capsys,
        f"{project / 'nsup.geojson'}: no polygon in the layer (found {kind} in 2 "
        "rows); expected Polygon or MultiPolygon work areas or slum delineations",
        previous_outputs,
    )


def test_misspelt_column_in_a_layer_suggests_the_closest(project, capsys, previous_outputs):
    project.boundaries["kelurahan"] = "nma"
    assert_refused(
        project,
        capsys,
        f"{project / 'batas.gpkg'}, layer 'kelurahan', column 'nma': no such column "
        "(config key 'boundaries.kelurahan'; did you mean 'nama'?); columns are "
        "['kode', 'nama', 'nama_kec', 'nama_kab']",
        previous_outputs,
    )


def test_misspelt_slum_level_column_suggests_the_closest(project, capsys, previous_outputs):
    project.slum["level"] = "tingkt"
    assert_refused(
        project,
        capsys,
        f"{project / 'kumuh.geojson'}, column 'tingkt': no such column (config key "
        "'slum.level'; did you mean 'tingkat'?); columns are ['tingkat']",
        previous_outputs,
    )


def test_misspelt_column_in_a_table_suggests_the_closest(project, capsys, previous_outputs):
    pd.DataFrame({"Kelurahan": ["Medono", "Bendan"], "Kecamatan": ["Pekalongan Barat"] * 2}).to_csv(
        project / "nusp2.csv", index=False
    )
    project.programs.append(
        {
            "name": "NUSP-2",
            "path": "nusp2.csv",
            "kind": "table",
            "columns": {"kelurahan": "Kelurahn"},
        }
    )
    assert_refused(
        project,
        capsys,
        f"{project / 'nusp2.csv'}: no header row with columns ['Kelurahn'] in the "
        "first 20 rows; the header looks like row 1 with columns ['Kelurahan', "
        "'Kecamatan'] (did you mean 'Kelurahan' for 'Kelurahn'?)",
        previous_outputs,
    )


def test_config_that_references_nothing(project, capsys, previous_outputs):
    project.programs = []
    project.slum = None
    assert_refused(
        project,
        capsys,
        f"{project / 'kotaku.toml'}: the config references no program and no slum "
        "layer: add [[programs]] and/or [slum]",
        previous_outputs,
    )


def test_table_of_bps_codes_only_is_refused_naming_bps(project, capsys, previous_outputs):
    # BPS village codes (PP KK DDD VVV) where Kemendagri codes were expected
    (project / "nusp2.csv").write_text("kode_desa\n3375010001\n3375010003\n", encoding="utf-8")
    project.programs.append(
        {"name": "NUSP-2", "path": "nusp2.csv", "kind": "table", "columns": {"code": "kode_desa"}}
    )
    assert_refused(
        project,
        capsys,
        f"{project / 'nusp2.csv'}: no row of 'NUSP-2' could be used (2 rows read, 2 "
        "with a problem); first: row 2, column 'kode_desa': tidak cocok (kode "
        "3375010001 adalah kode BPS, bukan Kemendagri)",
        previous_outputs,
    )


def test_a_value_that_is_no_number_in_the_area_column(project, capsys, previous_outputs):
    (project / "kumuh.csv").write_text(
        "Kelurahan;luas\nMedono;961,59\nBendan;abc\n", encoding="utf-8"
    )
    project.slum = {
        "path": "kumuh.csv",
        "kind": "table",
        "area": "luas",
        "columns": {"kelurahan": "Kelurahan"},
    }
    # the row is the file's line, as in masalah.csv: the header is line 1
    assert_refused(
        project,
        capsys,
        re.compile(
            re.escape(f"{project / 'kumuh.csv'}, column 'luas', row ")
            + r"3: cannot read 'abc' as a number; expected a number such "
            r"as 961,59 or 1\.574,45 \(Indonesian\) or 1574\.45, optionally "
            r"with 'ha'"
        ),
        previous_outputs,
    )


# ================================================================== non-fatal: exit 0


def test_self_intersections_and_bowties_are_repaired_and_counted(project, capsys):
    g = program_gdf()
    x, y = X0 + D, Y0 - 2 * D
    bowtie = shapely.Polygon([(x, y), (x + D, y + D), (x + D, y), (x, y + D)])
    g.loc[1, "geometry"] = bowtie
    g.to_file(project / "nsup.geojson")
    s = slum_gdf()
    # a ring that crosses itself: a square with a loop
    s.loc[2, "geometry"] = shapely.Polygon(
        [
            (X0 + 0.002, Y0 - 0.018),
            (X0 + 0.008, Y0 - 0.018),
            (X0 + 0.008, Y0 - 0.012),
            (X0 + 0.004, Y0 - 0.020),
            (X0 + 0.002, Y0 - 0.012),
        ]
    )
    assert not s.geometry.values[2].is_valid
    s.to_file(project / "kumuh.geojson")
    built = build_ok(project, capsys)
    assert_reported(
        built,
        project / "nsup.geojson",
        "geometri diperbaiki",
        [2],
        used=True,
        rincian="Self-intersection",
    )
    assert_reported(
        built,
        project / "kumuh.geojson",
        "geometri diperbaiki",
        [3],
        used=True,
        rincian="Self-intersection",
    )
    assert built.manifest["baris"]["NSUP"]["baris_dipakai"] == 2
    # the repaired bow-tie still counts: two triangles of a quarter cell each
    wk = built.table()["wk_nsup_ha"].sum()
    assert wk > 0


def test_geometry_collections_are_used_and_reported(project, capsys):
    s = slum_gdf()
    s.loc[1, "geometry"] = shapely.GeometryCollection(
        [
            s.geometry.values[1],
            shapely.LineString([(X0, Y0), (X0 + D, Y0 - D)]),
            shapely.Point(X0, Y0),
        ]
    )
    s.to_file(project / "kumuh.geojson")
    built = build_ok(project, capsys)
    assert_reported(
        built,
        project / "kumuh.geojson",
        "GeometryCollection",
        [2],
        used=True,
        rincian="bagian poligon",
    )
    assert built.manifest["baris"]["kumuh"]["baris_dipakai"] == 3


def test_empty_and_null_geometries_are_reported(project, capsys):
    s = slum_gdf()
    s = pd.concat(
        [
            s,
            gpd.GeoDataFrame(
                {"tingkat": ["ringan", "sedang"]}, geometry=[None, shapely.Polygon()], crs=4326
            ),
        ],
        ignore_index=True,
    )
    s.to_file(project / "kumuh.geojson")
    built = build_ok(project, capsys)
    found = assert_reported(built, project / "kumuh.geojson", "geometri kosong", [4, 5], used=False)
    assert set(found["kolom"]) == {"geometry"}
    rows = built.manifest["baris"]["kumuh"]
    assert (rows["baris_dibaca"], rows["baris_dipakai"], rows["baris_dilaporkan"]) == (5, 3, 2)


def test_points_and_lines_among_polygons_are_reported(project, capsys):
    g = pd.concat(
        [
            program_gdf(),
            gpd.GeoDataFrame(
                {"nama": ["titik", "garis"]},
                geometry=[
                    shapely.Point(X0 + 0.005, Y0 - 0.005),
                    shapely.LineString([(X0, Y0 - 0.01), (X0 + 0.02, Y0 - 0.01)]),
                ],
                crs=4326,
            ),
        ],
        ignore_index=True,
    )
    g.to_file(project / "nsup.geojson")
    built = build_ok(project, capsys)
    found = assert_reported(built, project / "nsup.geojson", "bukan poligon", [3, 4], used=False)
    assert "ditemukan Point" in found["rincian"].iloc[0]
    assert "ditemukan LineString" in found["rincian"].iloc[1]


def test_a_few_rows_outside_indonesia_are_reported(project, capsys):
    g = program_gdf()
    g.loc[1, "geometry"] = shapely.affinity.translate(g.geometry.values[1], xoff=-100, yoff=57)
    g.to_file(project / "nsup.geojson")
    built = build_ok(project, capsys)
    assert_reported(
        built, project / "nsup.geojson", "di luar Indonesia", [2], used=False, rincian="CRS salah?"
    )


def test_layer_without_crs_builds_when_the_config_states_it(project, capsys):
    program_gdf().to_file(project / "nsup.shp")
    (project / "nsup.prj").unlink()
    project.programs[0]["path"] = "nsup.shp"
    project.analysis["assume_crs"] = "EPSG:4326"
    built = build_ok(project, capsys)
    assert built.manifest["baris"]["NSUP"]["baris_dipakai"] == 2


def test_duplicate_codes_in_the_boundaries_are_reported(project, capsys):
    codes = [CODES[0], CODES[1], CODES[1], CODES[3]]
    boundaries_gdf(codes=codes).to_file(project / "batas.gpkg", layer="kelurahan")
    built = build_ok(project, capsys)
    found = assert_reported(
        built,
        project / "batas.gpkg",
        "kode ganda",
        [3],
        used=False,
        rincian=f"kode {CODES[1]} sudah dipakai",
    )
    assert set(found["layer"]) == {"kelurahan"} and set(found["kolom"]) == {"kode"}
    assert len(built.table()) == 3


def test_bps_codes_in_the_boundaries_are_reported_as_bps(project, capsys):
    bps = ["3375010001", "3375010002", "3375010003", "3375010004"]
    boundaries_gdf(codes=bps).to_file(project / "batas.gpkg", layer="kelurahan")
    built = build_ok(project, capsys)
    found = assert_reported(
        built, project / "batas.gpkg", "kode tidak sah", [1, 2, 3, 4], used=True, rincian="BPS"
    )
    assert "'3375010001' bukan kode Kemendagri" in found["rincian"].iloc[0]


def test_bps_codes_in_a_program_table_are_named_in_the_match_report(project, capsys):
    (project / "nusp2.csv").write_text(
        "kode_desa,Kelurahan\n3375010001,Medono\n3375010003,Bendan\n", encoding="utf-8"
    )
    project.programs.append(
        {
            "name": "NUSP-2",
            "path": "nusp2.csv",
            "kind": "table",
            "columns": {"code": "kode_desa", "kelurahan": "Kelurahan"},
        }
    )
    built = build_ok(project, capsys)
    report = built.table("pencocokan.csv")
    assert report["kode"].tolist() == [CODES[0], CODES[2]]  # matched by name, not by digits
    assert report["metode"].tolist() == ["nama", "nama"]
    assert all("adalah kode BPS, bukan Kemendagri" in c for c in report["catatan"])


def test_unmatched_code_only_rows_are_reported_without_a_crash(project, capsys):
    # regression: unmatched rows without candidates (pd.NA) crashed with a TypeError
    (project / "nusp2.csv").write_text("kode_desa\n33.75.01.1001\n3375010003\n", encoding="utf-8")
    project.programs.append(
        {"name": "NUSP-2", "path": "nusp2.csv", "kind": "table", "columns": {"code": "kode_desa"}}
    )
    built = build_ok(project, capsys)
    assert_reported(built, project / "nusp2.csv", "tidak cocok", [3], used=False, rincian="BPS")


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_csv_in_a_legacy_encoding(project, capsys, encoding):
    names = ["Medono", "Podosugih", "Bendan", "Kergon Béji"]
    boundaries_gdf(names=names).to_file(project / "batas.gpkg", layer="kelurahan")
    (project / "nusp2.csv").write_bytes(
        "Kelurahan;Kecamatan\nKergon Béji;Pekalongan Barat\n".encode(encoding)
    )
    project.programs.append(
        {
            "name": "NUSP-2",
            "path": "nusp2.csv",
            "kind": "table",
            "columns": {"kelurahan": "Kelurahan", "kecamatan": "Kecamatan"},
        }
    )
    built = build_ok(project, capsys)
    report = built.table("pencocokan.csv")
    assert report["nama_sumber"].tolist() == ["Kergon Béji"]
    assert report["metode"].tolist() == ["nama"]
    assert report["kode"].tolist() == [CODES[3]]


def test_dbf_in_latin1_without_cpg(project, capsys):
    names = ["Medono", "Podosugih", "Bendan", "Kergon Béji"]
    boundaries_gdf(names=names).to_file(project / "batas.shp", encoding="ISO-8859-1")
    (project / "batas.cpg").unlink(missing_ok=True)
    assert "Kergon B\xe9ji".encode("latin-1") in (project / "batas.dbf").read_bytes()
    project.boundaries["path"] = "batas.shp"
    del project.boundaries["layer"]
    built = build_ok(project, capsys)
    assert built.table()["kelurahan"].tolist() == names


def test_xlsx_with_title_rows_and_merged_header_cells(project, capsys):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "lokasi"
    ws["A1"] = "DAFTAR LOKASI NUSP-2 KOTA PEKALONGAN"
    ws.merge_cells("A1:D1")
    ws["A2"] = "Tahun anggaran 2016"
    ws.append([])
    ws.append(["No", "Lokasi", None, "Keterangan"])  # row 4: 'Lokasi' spans B4:C4
    ws.merge_cells("B4:C4")
    ws.append([None, "Kelurahan", "Kecamatan", None])
    ws.append([1, "Medono", "Pekalongan Barat", "2016"])
    ws.append([2, "Kergon", "Pekalongan Barat", "2017"])
    wb.save(project / "nusp2.xlsx")
    project.programs.append(
        {
            "name": "NUSP-2",
            "path": "nusp2.xlsx",
            "kind": "table",
            "sheet": "lokasi",
            "columns": {"kelurahan": "Kelurahan", "kecamatan": "Kecamatan"},
        }
    )
    built = build_ok(project, capsys)
    report = built.table("pencocokan.csv")
    assert report["kode"].tolist() == [CODES[0], CODES[3]]
    assert report["baris"].tolist() == [6, 7]  # rows as Excel shows them
    assert not len(built.problem(project / "nusp2.xlsx", "tidak cocok"))


def test_xlsx_header_cells_merged_across_columns(project, capsys):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Data lokasi"])
    ws.append(["Kelurahan", None, "Kecamatan"])  # 'Kelurahan' merged over A2:B2
    ws.merge_cells("A2:B2")
    ws.append(["Medono", "(lama: Medono Lor)", "Pekalongan Barat"])
    wb.save(project / "nusp2.xlsx")
    project.programs.append(
        {
            "name": "NUSP-2",
            "path": "nusp2.xlsx",
            "kind": "table",
            "columns": {"kelurahan": "Kelurahan", "kecamatan": "Kecamatan"},
        }
    )
    built = build_ok(project, capsys)
    assert built.table("pencocokan.csv")["kode"].tolist() == [CODES[0]]


def test_xlsx_header_of_two_rows_merged_vertically(project, capsys):
    # regression: the unmerged second header row was read as a data row 'Kelurahan'
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["No", "Kelurahan", "Kecamatan", "Tahun", None])
    ws.append([None, None, None, "2016", "2017"])
    for rng in ("A1:A2", "B1:B2", "C1:C2", "D1:E1"):
        ws.merge_cells(rng)
    ws.append([1, "Medono", "Pekalongan Barat", "v", None])
    wb.save(project / "nusp2.xlsx")
    project.programs.append(
        {
            "name": "NUSP-2",
            "path": "nusp2.xlsx",
            "kind": "table",
            "columns": {"kelurahan": "Kelurahan", "kecamatan": "Kecamatan"},
        }
    )
    built = build_ok(project, capsys)
    report = built.table("pencocokan.csv")
    assert report["baris"].tolist() == [3]
    assert report["kode"].tolist() == [CODES[0]]
    assert not len(built.problems[built.problems["berkas"] == str(project / "nusp2.xlsx")])


def test_indonesian_number_format_in_a_slum_table(project, capsys):
    # kelurahan of 0.05 degrees (about 3,000 ha), so that 1.574,45 ha of slum can be true
    big = boundaries_gdf()
    big.geometry = [
        box(X0 + c * 0.05, Y0 - (r + 1) * 0.05, X0 + (c + 1) * 0.05, Y0 - r * 0.05)
        for r, c in (divmod(i, 2) for i in range(4))
    ]
    big.to_file(project / "batas.gpkg", layer="kelurahan")
    (project / "kumuh.csv").write_text(
        "Kelurahan;luas (ha);tingkat\nMedono;1.574,45;berat\nBendan;961,59;ringan\n",
        encoding="utf-8",
    )
    project.slum = {
        "path": "kumuh.csv",
        "kind": "table",
        "area": "luas (ha)",
        "level": "tingkat",
        "columns": {"kelurahan": "Kelurahan"},
    }
    built = build_ok(project, capsys)
    table = built.table().set_index("kelurahan")
    assert table.loc["Medono", "kumuh_ha"] == pytest.approx(1574.45, abs=1e-3)
    assert table.loc["Bendan", "kumuh_ha"] == pytest.approx(961.59, abs=1e-3)
    summary = built.table("ringkasan_kabkota.csv").iloc[0]
    assert summary["kumuh_ha"] == pytest.approx(1574.45 + 961.59, abs=1e-2)


# ======================================================================== hostile text

HOSTILE = [
    "<script>alert(1)</script>",
    'O\'Brien "kutip"',
    "Garis\\miring\\",
    "Baris\nbaru",
    '=HYPERLINK("http://x","klik")',
    "🏚️ Kampung Émoji",
]
ESCAPED = [
    "\\u003cscript\\u003ealert(1)",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<\\/script>",
    "\\u003c/script\\u003e",
    "&lt;/script&gt;",
]


def test_hostile_names_are_kept_literally_and_never_run(tmp_path, capsys):
    project = Project(tmp_path / "proyek")
    codes = [f"33.75.01.100{i + 1}" for i in range(6)]
    names = HOSTILE
    kel = gpd.GeoDataFrame(
        {
            "kode": codes,
            "nama": names,
            "nama_kec": ['<b>Kec</b> "Barat"'] * 6,
            "nama_kab": ["Kota <script>alert(1)</script>"] * 6,
        },
        geometry=[cell(*divmod(i, 2)) for i in range(6)],
        crs=4326,
    )
    kel.to_file(project / "batas.gpkg", layer="kelurahan")
    project.programs[0]["name"] = "NSUP <i>x</i>"
    built = build_ok(project, capsys)
    [folder] = [p for p in built.out.iterdir() if p.is_dir()]
    assert re.fullmatch(r"[a-z0-9-]+", folder.name)
    table = pd.read_csv(folder / "kelurahan.csv", encoding="utf-8-sig", keep_default_na=False)
    # the CSV keeps the text, a formula-like one behind a ' (see docs/masukan_buruk.md)
    assert table["kelurahan"].tolist() == [("'" if n[0] == "=" else "") + n for n in HOSTILE]
    assert set(table["kabkota"]) == {"Kota <script>alert(1)</script>"}
    ws = openpyxl.load_workbook(folder / "kelurahan.xlsx").active
    header = [c.value for c in ws[1]]
    col = header.index("Kelurahan")  # the readable header of `kelurahan`
    cells = [row[col] for row in ws.iter_rows(min_row=2, max_row=1 + len(HOSTILE))]
    for c, name in zip(cells, HOSTILE, strict=True):
        assert c.data_type == "s", (name, c.data_type)  # text, never a formula
        assert c.value == name  # as it is: a text cell is never run
    for html in (folder / "peta.html", built.out / "index.html"):
        data = html.read_text(encoding="utf-8")
        assert "<script>alert(1)</script>" not in data, html
        assert "<i>x</i>" not in data, html
        assert any(e in data for e in ESCAPED), html


UNSAFE_CITIES = [
    "../../luar",
    "/etc/kota",
    "C:\\Windows\\kota",
    "Kota" + " Panjang" * 40,
    "Kota Bau-Bau Süd",
    "Kota A/B",
    "Kota A:B",  # slugifies like 'Kota A/B'
]


def test_unsafe_city_names_give_safe_unique_folders_inside_the_output(tmp_path, capsys):
    project = Project(tmp_path / "proyek")
    n = len(UNSAFE_CITIES)
    kel = gpd.GeoDataFrame(
        {"nama": [f"Kel {i}" for i in range(n)], "nama_kab": UNSAFE_CITIES},
        geometry=[cell(i // 3, i % 3) for i in range(n)],
        crs=4326,
    )
    kel.to_file(project / "batas.gpkg", layer="kelurahan")
    project.boundaries = {
        "path": "batas.gpkg",
        "layer": "kelurahan",
        "code": "",
        "kelurahan": "nama",
        "kabkota": "nama_kab",
    }
    program = gpd.GeoDataFrame(geometry=[box(X0, Y0 - 3 * D, X0 + 3 * D, Y0)], crs=4326)
    program.to_file(project / "nsup.geojson")
    project.config()
    before = {p for p in tmp_path.rglob("*")}
    built = build_ok(project, capsys)
    written = {p for p in tmp_path.rglob("*")} - before
    assert all(built.out in p.parents or p == built.out for p in written), written
    folders = [p for p in built.out.iterdir() if p.is_dir()]
    assert len(folders) == n == len({p.name for p in folders})
    for f in folders:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", f.name), f.name
        assert len(f.name) <= 64
        assert (f / "peta.html").is_file() and (f / f"{f.name}.gpkg").is_file()
    assert not (tmp_path / "luar").exists() and not Path("/etc/kota").exists()
    summary = built.table("ringkasan_kabkota.csv")
    assert sorted(summary["kabkota"]) == sorted(UNSAFE_CITIES)


# ===================================================================== atomic outputs


def two_city_project(folder: Path) -> Project:
    project = Project(folder)
    codes = CODES[:2] + ["33.74.01.1001", "33.74.01.1002"]
    kab = ["Kota Pekalongan"] * 2 + ["Kota Semarang"] * 2
    boundaries_gdf(codes=codes, kab=kab).to_file(project / "batas.gpkg", layer="kelurahan")
    return project


def test_each_city_written_with_its_analysis_gives_the_bytes_of_analysing_all_first(tmp_path):
    """One job per city (analyse, then write its folder) or two phases: the same outputs."""
    from kotaku_map.analysis import analyse
    from kotaku_map.build import build
    from kotaku_map.config import load_config
    from kotaku_map.inputs import load_inputs
    from kotaku_map.manifest import build_manifest
    from kotaku_map.outputs import write_outputs

    cfg = load_config(two_city_project(tmp_path / "proyek").config())
    for workers in (1, 2):
        built = build(cfg, output_dir=tmp_path / f"j{workers}", workers=workers)
        assert [c.kode for c in built.cities] == ["33.74", "33.75"]
        assert all({"analisis", "tulis"} <= set(c.seconds) for c in built.cities)
    inputs = load_inputs(cfg)
    results = analyse(inputs.kelurahan, inputs.programs, inputs.slum, problems=inputs.problems)
    two = tmp_path / "two"
    write_outputs(results, inputs, cfg, two, manifest=build_manifest(cfg, inputs, results, two))
    expected = snapshot(two)
    assert len([f for f in expected if f.endswith("peta.html")]) == 2
    for workers in (1, 2):
        got = snapshot(tmp_path / f"j{workers}")
        assert sorted(got) == sorted(expected)
        for name, data in expected.items():
            if name != "manifest.json":
                assert got[name] == data, (workers, name)


@pytest.mark.parametrize(
    "target,exc",
    [
        ("write_city", RuntimeError("disk full")),
        ("save_map", OSError("disk full")),
        ("write_city", KeyboardInterrupt()),
        ("save_map", KeyboardInterrupt()),
    ],
)
def test_a_build_failing_on_the_second_city_leaves_previous_outputs(
    tmp_path, capsys, monkeypatch, target, exc
):
    project = two_city_project(tmp_path / "proyek")
    out = tmp_path / "out"
    assert main(["build", str(project.config()), "-o", str(out), "-q"]) == 0
    assert len([p for p in out.iterdir() if p.is_dir()]) == 2
    before = snapshot(out)
    # change an input so that a complete build would change the outputs
    project.programs[0]["name"] = "NSUP baru"
    calls = []

    def fail_second(real):
        def wrapper(*args, **kwargs):
            calls.append(1)
            if len(calls) == 2:
                raise exc
            return real(*args, **kwargs)

        return wrapper

    if target == "write_city":
        monkeypatch.setattr(
            kotaku_map.writers, "write_city", fail_second(kotaku_map.writers.write_city)
        )
        # city_files.py imported the name: patch the reference it calls
        monkeypatch.setattr(city_files_module, "write_city", kotaku_map.writers.write_city)
    else:
        monkeypatch.setattr(kotaku_map.render, "save_map", fail_second(kotaku_map.render.save_map))
    if isinstance(exc, KeyboardInterrupt):
        assert main(["build", str(project.config()), "-o", str(out), "-q"]) == 130
        assert "previous outputs left as they were" in capsys.readouterr().err
    else:
        with pytest.raises(type(exc)):
            main(["build", str(project.config()), "-o", str(out), "-q"])
    assert len(calls) == 2
    assert snapshot(out) == before
    assert not list(tmp_path.glob(".*partial*"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "proyek"]


def test_a_first_build_that_fails_leaves_no_output_folder(tmp_path, monkeypatch):
    project = two_city_project(tmp_path / "proyek")

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(kotaku_map.render, "save_map", boom)
    assert main(["build", str(project.config()), "-o", str(tmp_path / "out"), "-q"]) == 130
    assert sorted(p.name for p in tmp_path.iterdir()) == ["proyek"]


# ============================================================ numbers that cannot be true


def slum_table(project: Project, rows: str) -> None:
    (project / "kumuh.csv").write_text("Kelurahan;luas\n" + rows, encoding="utf-8")
    project.slum = {
        "path": "kumuh.csv",
        "kind": "table",
        "area": "luas",
        "columns": {"kelurahan": "Kelurahan"},
    }


def test_slum_hectares_that_cannot_be_true_are_reported_and_not_used(project, capsys):
    # each kelurahan is 0.01 x 0.01 degree, about 122.2 ha
    slum_table(
        project,
        "Medono;12,5\nPodosugih;-5\nBendan;99.999.999\nKergon;1e308\nMedono;1E400\n"
        "Bendan;;\nKergon;300\n",
    )
    built = build_ok(project, capsys)
    csv = project / "kumuh.csv"
    assert_reported(built, csv, "luas tidak masuk akal", [3, 6], used=False, rincian=">= 0")
    found = assert_reported(built, csv, "luas melebihi kelurahan", [4, 5, 8], used=False)
    assert (
        "99,999,999.00 ha kumuh di kelurahan 33.75.01.1003 yang luasnya 122.2"
        in (found["rincian"].iloc[0])
    )
    assert found["rincian"].iloc[1].startswith("1e+308 ha kumuh di kelurahan 33.75.01.1004")
    assert "300.00 ha kumuh (jumlah semua barisnya 1e+308 ha)" in found["rincian"].iloc[2]
    table = built.table().set_index("kelurahan")
    assert table.loc["Medono", "kumuh_ha"] == pytest.approx(12.5, abs=1e-3)
    assert (table.drop(index="Medono")["kumuh_ha"] == 0).all()
    assert built.table("ringkasan_kabkota.csv")["kumuh_ha"].iloc[0] == pytest.approx(12.5, 1e-4)


def test_a_kelurahan_listed_twice_in_a_slum_table_is_reported_and_summed(project, capsys):
    slum_table(project, "Medono;12,5\nBendan;3\nMedono;7,5\n")
    built = build_ok(project, capsys)
    assert_reported(
        built,
        project / "kumuh.csv",
        "kelurahan ganda",
        [4],
        used=True,
        rincian="kelurahan 33.75.01.1001 juga di baris 2; luas baris-barisnya dijumlah (20.00 ha)",
    )
    assert built.table().set_index("kelurahan").loc["Medono", "kumuh_ha"] == pytest.approx(20.0)


def test_a_lingkungan_id_the_slum_layer_repeats_is_reported_and_the_row_renamed(project, capsys):
    slum = slum_gdf().assign(rt=["RT 01", "RT 02", "RT 01"])
    slum.to_file(project / "kumuh.geojson")
    project.slum["lingkungan"] = {"id": "rt"}
    built = build_ok(project, capsys)
    found = assert_reported(
        built, project / "kumuh.geojson", "id lingkungan ganda", [1, 3], used=True
    )
    assert set(found["kolom"]) == {"rt"} and set(found["peran"]) == {"kumuh"}
    assert found["rincian"].tolist() == [
        "id 'RT 01' juga di baris 3; di lingkungan.csv menjadi 'RT 01#1'",
        "id 'RT 01' juga di baris 1; di lingkungan.csv menjadi 'RT 01#3'",
    ]
    ling = built.table("3375-kota-pekalongan/lingkungan.csv")
    ids = dict(zip(ling["baris_sumber"], ling["id_lingkungan"], strict=True))
    assert ids == {1: "RT 01#1", 2: "RT 02", 3: "RT 01#3"}


def test_a_slum_table_of_hectares_none_of_which_can_be_true_is_refused(
    project, capsys, previous_outputs
):
    slum_table(project, "Medono;-1\nBendan;1574\n")
    assert_refused(
        project,
        capsys,
        f"{project / 'kumuh.csv'}: no row of 'kumuh' could be used (2 rows read, 2 with a "
        "problem); first: row 2, column 'luas': luas tidak masuk akal (-1 ha: luas kumuh "
        "harus angka terhingga >= 0; baris tidak dipakai)",
        previous_outputs,
    )


def nan_vertex_layer(path: Path, *, first: bool) -> None:
    """Three squares as GeoJSON; the 2nd has a NaN vertex (its first, or one inside)."""
    features = []
    for i in range(3):
        x0, y0 = X0 + 0.002 + 0.005 * i, Y0 - 0.008
        ring = [[x0, y0], [x0 + 0.004, y0], [x0 + 0.004, y0 + 0.004], [x0, y0 + 0.004], [x0, y0]]
        if i == 1 and first:
            ring[0] = ring[-1] = [float("nan"), y0]
        elif i == 1:
            ring[2] = [float("nan"), y0 + 0.004]
        features.append(
            {
                "type": "Feature",
                "properties": {"tingkat": "berat"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    # json.dumps writes NaN, which GDAL reads as a NaN coordinate
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))


@pytest.mark.parametrize("first", [True, False], ids=["first-vertex", "inside-the-ring"])
def test_a_nan_vertex_names_its_row_and_the_row_is_not_used(project, capsys, first):
    nan_vertex_layer(project / "kumuh.geojson", first=first)
    built = build_ok(project, capsys)
    found = assert_reported(
        built, project / "kumuh.geojson", "koordinat tidak sah", [2], used=False
    )
    vertex = 1 if first else 3
    assert found["rincian"].iloc[0].startswith(f"titik ke-{vertex} (x=nan, y=")
    assert "bukan angka terhingga (NaN/inf)" in found["rincian"].iloc[0]
    # the two good squares only (never a "repaired" third one of another area)
    layer = gpd.read_file(
        built.out / "3375-kota-pekalongan" / "3375-kota-pekalongan.gpkg", layer="kawasan_kumuh"
    )
    assert sorted(set(layer["baris_sumber"])) == [1, 3]


def test_a_layer_whose_every_row_has_a_nan_vertex_is_refused(project, capsys, previous_outputs):
    path = project / "kumuh.geojson"
    nan_vertex_layer(path, first=True)
    data = json.loads(path.read_text())
    data["features"] = data["features"][1:2]
    path.write_text(json.dumps(data))
    assert_refused(
        project,
        capsys,
        f"{path}, column 'geometry', row 1: every row has a vertex that is not a finite "
        "number (NaN or inf); expected coordinates",
        previous_outputs,
    )


@pytest.mark.parametrize(
    "section,key,value,expected",
    [
        ("output", "simplify_m", 1e9, "between 0 and 100, got 1000000000.0"),
        ("output", "overview_simplify_m", -1, "between 0 and 5000, got -1.0"),
        ("analysis", "sliver_width_m", 1e308, "between 0 and 1000, got 1e+308"),
    ],
)
def test_config_numbers_out_of_range_are_refused(
    project, capsys, previous_outputs, section, key, value, expected
):
    getattr(project, section)[key] = value
    assert_refused(
        project,
        capsys,
        f"{project / 'kotaku.toml'}: key '{section}.{key}' must be a number {expected}",
        previous_outputs,
    )


@pytest.mark.parametrize("jobs", ["0", "-1", "1000"])
def test_worker_counts_out_of_range_are_refused(project, capsys, jobs):
    out = project.folder.parent / "out"
    assert main(["build", str(project.config()), "-o", str(out), "-q", "-j", jobs]) == 2
    err = capsys.readouterr().err
    assert re.fullmatch(
        rf"kotaku-map: error: -j/--jobs \(workers\) must be a whole number from 1 to \d+ "
        rf"\(twice the \d+ cores, at least 4\), got {jobs}\n",
        err,
    ), err
    assert not out.exists()


# ============================================================== only regular files, sizes


def test_a_named_pipe_as_a_table_is_refused_at_once(project, capsys, previous_outputs):
    import os

    os.mkfifo(project / "nusp2.csv")  # reading it would wait for a writer forever
    project.programs.append(
        {"name": "NUSP-2", "path": "nusp2.csv", "kind": "table", "columns": {"kelurahan": "k"}}
    )
    assert_refused(
        project,
        capsys,
        f"{project / 'nusp2.csv'}: expected a table file, found a named pipe; only regular "
        "files are read",
        previous_outputs,
    )


def test_a_huge_csv_is_refused_before_it_is_read(project, capsys, previous_outputs):
    import resource
    import time

    big = project / "nusp2.csv"
    with open(big, "wb") as fh:  # 2 GiB, sparse: no disk, and no memory unless read
        fh.write(b"kode;kelurahan\n")
        fh.truncate(2 * 2**30)
    project.programs.append(
        {"name": "NUSP-2", "path": "nusp2.csv", "kind": "table", "columns": {"code": "kode"}}
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    assert_refused(
        project,
        capsys,
        f"{big}: the table is 2,048 MiB, larger than any list of kelurahan (at most 200 MiB "
        "for .csv); is it the right file?",
        previous_outputs,
    )
    assert time.perf_counter() - t0 < 20
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 500_000  # never read whole (it would take 2 GB and more)


# ====================================================================== CSV formula text

FORMULA_LIKE = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "Biasa"]  # tab, CR: stripped


def test_formula_like_text_gets_a_quote_in_every_csv_and_stays_text_in_xlsx(tmp_path, capsys):
    project = Project(tmp_path / "proyek")
    n = len(FORMULA_LIKE)
    kel = gpd.GeoDataFrame(
        {
            "kode": [f"33.75.01.100{i + 1}" for i in range(n)],
            "nama": FORMULA_LIKE,
            "nama_kec": ["=Kec"] * n,
            "nama_kab": ["Kota Pekalongan"] * n,
        },
        geometry=[cell(*divmod(i, 3)) for i in range(n)],
        crs=4326,
    )
    kel.to_file(project / "batas.gpkg", layer="kelurahan")
    (project / "nusp2.csv").write_text("kelurahan\n=1+1\n@nowhere\n", encoding="utf-8")
    project.programs.append(
        {
            "name": "NUSP-2",
            "path": "nusp2.csv",
            "kind": "table",
            "columns": {"kelurahan": "kelurahan"},
        }
    )
    built = build_ok(project, capsys)
    city = built.out / "3375-kota-pekalongan"
    table = pd.read_csv(city / "kelurahan.csv", encoding="utf-8-sig", keep_default_na=False)
    expected = ["'" + n if n[0] in "=+-@" else n for n in FORMULA_LIKE]
    assert table["kelurahan"].tolist() == expected
    assert set(table["kecamatan"]) == {"'=Kec"}
    assert pd.api.types.is_numeric_dtype(table["luas_ha"])  # numbers as they are
    matches = built.table("pencocokan.csv")
    assert matches["nama_sumber"].tolist() == ["'=1+1", "'@nowhere"]
    assert built.problem(project / "nusp2.csv", "tidak cocok")["baris"].tolist() == ["3"]
    book = openpyxl.load_workbook(city / "kelurahan.xlsx")
    ws = book.active
    # the header people read, from the sheet that documents each column's CSV name
    header = {r[1]: r[0] for r in book["kolom"].iter_rows(min_row=2, values_only=True)}
    col = [c.value for c in ws[1]].index(header["kelurahan"])
    cells = [row[col] for row in ws.iter_rows(min_row=2, max_row=1 + n)]
    assert [c.value for c in cells] == FORMULA_LIKE  # the XLSX: text as it is, never run
    assert {c.data_type for c in cells} == {"s"}


# ================================================= the output folder belongs to the build


def refused_at_once(project: Project, capsys, monkeypatch, args: list[str], message: str) -> None:
    """Exit 2 with exactly ``message``, before any input is read; nothing written anywhere."""

    def no_reading(*a, **k):
        raise AssertionError("the output folder is checked before the inputs are read")

    monkeypatch.setattr(build_module, "load_inputs", no_reading)
    root = project.folder.parent
    config = project.config()
    before = snapshot(root)
    status = main(["build", str(config), "-q", *args])
    err = capsys.readouterr().err
    assert status == 2, err
    assert err == f"kotaku-map: error: {message}\n"
    assert snapshot(root) == before  # inputs untouched, no lock, no staging folder


def test_an_output_folder_that_is_the_input_folder_is_refused(project, capsys, monkeypatch):
    # inputs named like outputs: a build there would overwrite them
    (project / "pencocokan.csv").write_text("kelurahan\nMedono\n", encoding="utf-8")
    project.programs.append(
        {
            "name": "NUSP-2",
            "path": "pencocokan.csv",
            "kind": "table",
            "columns": {"kelurahan": "kelurahan"},
        }
    )
    f = project.folder
    expected = f"{f}: holds the input {f / 'batas.gpkg'}; a build replaces its output folder "
    expected += f"whole: give it a folder of its own, e.g. -o {f / 'output'}"
    refused_at_once(project, capsys, monkeypatch, ["-o", str(f)], expected)
    project.output["dir"] = "."  # the same, from the config
    refused_at_once(project, capsys, monkeypatch, [], expected)
    # a folder above the inputs, or the config file itself
    refused_at_once(
        project,
        capsys,
        monkeypatch,
        ["-o", str(f.parent)],
        f"{f.parent}: holds the input {f / 'batas.gpkg'}; a build replaces its output folder "
        f"whole: give it a folder of its own, e.g. -o {f.parent / 'output'}",
    )
    refused_at_once(
        project,
        capsys,
        monkeypatch,
        ["-o", str(f / "kotaku.toml")],
        f"{f / 'kotaku.toml'}: is the input {f / 'kotaku.toml'}; a build replaces its output "
        f"folder whole: give it a folder of its own, e.g. -o {f / 'output'}",
    )


def test_a_filesystem_root_the_home_folder_and_an_empty_name_are_refused(
    project, capsys, monkeypatch, tmp_path
):
    own = "a build replaces its output folder whole: give it a folder of its own"
    refused_at_once(
        project,
        capsys,
        monkeypatch,
        ["-o", "/"],
        f"/: is the root of a file system; {own}, e.g. -o output",
    )
    home = tmp_path / "rumah"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    refused_at_once(
        project,
        capsys,
        monkeypatch,
        ["-o", str(home)],
        f"{home}: is the home folder; {own}, e.g. -o {home / 'output'}",
    )
    refused_at_once(
        project,
        capsys,
        monkeypatch,
        ["-o", ""],
        "the output folder is empty (''); name a folder, e.g. -o output",
    )


def test_an_output_that_is_a_file_is_refused_before_the_analysis(project, capsys, monkeypatch):
    target = project.folder.parent / "hasil.txt"
    target.write_text("bukan folder\n")
    refused_at_once(
        project,
        capsys,
        monkeypatch,
        ["-o", str(target)],
        f"{target}: is a file, not a folder; name a folder for the outputs",
    )


def test_a_folder_kotaku_map_did_not_make_is_refused_unless_forced(project, capsys, monkeypatch):
    out = project.folder.parent / "dokumen"
    out.mkdir()
    (out / "laporan.docx").write_bytes(b"PK\x03\x04 bukan keluaran")
    refused_at_once(
        project,
        capsys,
        monkeypatch,
        ["-o", str(out)],
        f"{out}: holds files that kotaku-map did not write (no .kotaku-map file); a build "
        "replaces its output folder whole: give it a folder of its own: a new or empty one, "
        "or give --force to replace this one and everything in it",
    )
    monkeypatch.undo()
    assert main(["build", str(project.config()), "-q", "-o", str(out), "--force"]) == 0
    assert not (out / "laporan.docx").exists()  # replaced whole, as --force says
    assert (out / ".kotaku-map").is_file() and (out / "manifest.json").is_file()


def test_an_empty_folder_and_a_build_of_an_earlier_version_are_written(project, capsys):
    out = project.folder.parent / "kosong"
    out.mkdir()
    assert main(["build", str(project.config()), "-q", "-o", str(out)]) == 0
    (out / ".kotaku-map").unlink()  # as a build before the marker left it: its manifest only
    assert main(["build", str(project.config()), "-q", "-o", str(out)]) == 0
    assert (out / ".kotaku-map").is_file()


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_after_a_build_the_folder_holds_exactly_that_build(tmp_path, capsys):
    project = two_city_project(tmp_path / "proyek")
    out = tmp_path / "out"
    assert main(["build", str(project.config()), "-o", str(out), "-q"]) == 0
    assert len([p for p in out.iterdir() if p.is_dir()]) == 2
    # a folder where masalah.csv was, a file of the user's, leftovers of killed builds
    (out / "masalah.csv").unlink()
    (out / "masalah.csv").mkdir()
    (out / "masalah.csv" / "x").write_text("x")
    (out / "catatan.txt").write_text("x")
    for leftover in (".out.partial-abc123", ".out.old-1-ab"):
        (tmp_path / leftover / "kota").mkdir(parents=True)
        (tmp_path / leftover / "kota" / "peta.html").write_text("<html>")
    (tmp_path / ".out.lock").write_text("99999\n")  # a killed build's lock: not held
    # one city only now: the other city's folder must go
    boundaries_gdf(names=NAMES[:2], codes=CODES[:2]).to_file(
        project / "batas.gpkg", layer="kelurahan"
    )
    assert main(["build", str(project.config()), "-o", str(out), "-q"]) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert files == sorted(manifest["keluaran"])  # exactly the build, nothing else
    assert ".kotaku-map" in files and "masalah.csv" in files
    assert [p.name for p in out.iterdir() if p.is_dir()] == ["3375-kota-pekalongan"]
    assert "3374" not in (out / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "proyek"]  # nothing left


def run_python(code: str, *args: str, **kwargs) -> subprocess.Popen:
    """A fresh Python process that imports the kotaku_map under test."""
    src = Path(kotaku_map.writers.__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


HOLD_THE_LOCK = """
import sys
from kotaku_map.writers import claim_output
with claim_output(sys.argv[1]):
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_a_second_build_into_the_same_folder_fails_at_once(project, capsys, monkeypatch):
    out = project.folder.parent / "out"
    holder = run_python(HOLD_THE_LOCK, str(out))
    try:
        assert holder.stdout.readline() == "held\n", holder.stderr.read()
        lock = project.folder.parent / ".out.lock"
        refused_at_once(
            project,
            capsys,
            monkeypatch,
            ["-o", str(out)],
            f"{out}: another kotaku-map build (process {holder.pid}) is writing into this "
            f"folder (lock {lock}); wait until it ends, or write elsewhere with -o",
        )
    finally:
        holder.communicate("\n", timeout=60)
    assert holder.returncode == 0
    monkeypatch.undo()
    assert main(["build", str(project.config()), "-o", str(out), "-q"]) == 0
    assert sorted(p.name for p in project.folder.parent.iterdir()) == ["out", "proyek"]


# ======================================================== reports that do not move around


def test_reports_name_inputs_from_the_configs_folder_and_the_real_output(
    project, capsys, monkeypatch, tmp_path
):
    (project / "nusp2.csv").write_text("kelurahan\nMedono\nTidak Ada\n", encoding="utf-8")
    project.programs.append(
        {
            "name": "NUSP-2",
            "path": "nusp2.csv",
            "kind": "table",
            "columns": {"kelurahan": "kelurahan"},
        }
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1486080000")
    out = tmp_path / "keluaran"
    config = project.config()
    built = {}
    for cwd in (tmp_path, project.folder):  # the same config, built from two folders
        monkeypatch.chdir(cwd)
        assert main(["build", str(config.relative_to(cwd)), "-q", "-o", str(out)]) == 0
        built[cwd] = snapshot(out)
    assert built[tmp_path] == built[project.folder]  # byte for byte, manifest included
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["config"]["output"]["dir"] == str(out)  # -o, not "output"
    assert manifest["dibuat"] == "2017-02-03T00:00:00+00:00"
    assert [m["berkas"] for m in manifest["masukan"]] == [
        "batas.gpkg",
        "nsup.geojson",
        "nusp2.csv",
        "kumuh.geojson",
    ]
    assert manifest["config"]["boundaries"]["path"] == "batas.gpkg"
    assert manifest["config"]["path"] == "kotaku.toml"
    problems = pd.read_csv(out / "masalah.csv", encoding="utf-8-sig", dtype=str)
    assert problems["berkas"].tolist() == ["nusp2.csv"]
    assert set(pd.read_csv(out / "pencocokan.csv", encoding="utf-8-sig")["berkas"]) == {"nusp2.csv"}
    # inside the config's folder: relative to it there too
    monkeypatch.chdir(project.folder)
    assert main(["build", "kotaku.toml", "-q", "-o", "hasil"]) == 0
    manifest = json.loads((project / "hasil" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["config"]["output"]["dir"] == "hasil"


def test_a_rebuild_is_byte_identical_with_source_date_epoch(project, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1486080000")
    out = project.folder.parent / "out"
    assert main(["build", str(project.config()), "-q", "-o", str(out)]) == 0
    first = snapshot(out)
    assert main(["build", str(project.config()), "-q", "-o", str(out), "-j", "2"]) == 0
    assert snapshot(out) == first
    assert "2017-02-03" in first["manifest.json"].decode()
    monkeypatch.setattr(build_module, "load_inputs", None)  # refused before any reading
    for bad in ("kemarin", "-5", "99999999999999"):  # no number, negative, past year 9999
        monkeypatch.setenv("SOURCE_DATE_EPOCH", bad)
        assert main(["build", str(project.config()), "-q", "-o", str(out)]) == 2
        assert capsys.readouterr().err == (
            f"kotaku-map: error: SOURCE_DATE_EPOCH is '{bad}'; expected whole seconds since "
            "1970-01-01 UTC (e.g. 1486080000), or unset it\n"
        )
    assert snapshot(out) == first


def test_the_size_warning_names_the_map_where_it_is(project, capsys):
    project.output["map_size_budget_mb"] = 0.0
    out = project.folder.parent / "out"
    assert main(["build", str(project.config()), "-q", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    named = re.findall(r"kotaku-map: warning: '([^']+)' is", err)
    assert sorted(named) == [
        str(out / "3375-kota-pekalongan" / "peta.html"),
        str(out / "index.html"),
    ]
    assert all(Path(p).is_file() for p in named)
    assert "partial" not in err


# ====================================================== stopped from outside: SIGTERM, kill

SLOW_WRITER = """
import os, sys, time
import kotaku_map.render
real = kotaku_map.render.save_map
def slow(*args, **kwargs):
    os.write(1, f"writing {os.getpid()}\\n".encode())  # one write: workers never interleave
    time.sleep(60)
    return real(*args, **kwargs)
kotaku_map.render.save_map = slow
from kotaku_map.cli import main
sys.exit(main(sys.argv[1:]))
"""


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie, dead but not yet reaped, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigterm_stops_a_build_like_ctrl_c_and_its_workers_with_it(tmp_path, capsys, jobs):
    import signal
    import time

    project = two_city_project(tmp_path / "proyek")
    out = tmp_path / "out"
    assert main(["build", str(project.config()), "-o", str(out), "-q"]) == 0
    before = snapshot(out)
    project.programs[0]["name"] = "NSUP baru"
    args = ["build", str(project.config()), "-o", str(out), "-q", "-j", jobs]
    build = run_python(SLOW_WRITER, *args)
    writers = {int(build.stdout.readline().split()[1]) for _ in range(int(jobs))}
    assert (build.pid in writers) == (jobs == "1")  # -j 2: both cities in worker processes
    build.send_signal(signal.SIGTERM)
    _, err = build.communicate(timeout=60)
    assert build.returncode == 143
    assert err == "kotaku-map: terminated; previous outputs left as they were\n"
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "proyek"]
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in writers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in writers)


# A process that imports a build's libraries once, then forks one real build per command
# (``<config> <out> <kill_at> <delay_s> <fallback>``) and prints how it ended. In the child,
# every file-system step of the move phase (``replace_folder``: the swap, renames, unlinks,
# rmdirs, fsyncs) is counted, and the child SIGKILLs itself just before step ``kill_at``; with
# ``delay_s`` >= 0 the parent SIGKILLs it ``delay_s`` after the move phase begins.
KILLER = r"""
import json, os, re, signal, sys, time
import kotaku_map.cli
from kotaku_map.writers import stage

def hook(kill_at, notify, fallback):
    seen = [0]
    active = [False]
    def counted(func):
        def step(*args, **kwargs):
            if active[0]:
                seen[0] += 1
                if seen[0] == kill_at:
                    os.kill(os.getpid(), signal.SIGKILL)
            return func(*args, **kwargs)
        return step
    for name in ("rename", "unlink", "rmdir", "fsync"):
        setattr(os, name, counted(getattr(os, name)))
    exchange = (lambda a, b: False) if fallback else stage.exchange_folders
    stage.exchange_folders = counted(exchange)
    real = stage.replace_folder
    def replace_folder(new, out):
        active[0] = True
        os.write(notify, b"!")
        real(new, out)
        active[0] = False
    stage.replace_folder = replace_folder
    return seen

for line in sys.stdin:
    config, out, kill_at, delay, fallback = line.split()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        seen = hook(int(kill_at), w, fallback == "1")
        status = kotaku_map.cli.main(["build", config, "-o", out, "-q", "-j", "1"])
        os.write(w, f"steps {seen[0]}".encode())
        os._exit(status)
    os.close(w)
    if float(delay) >= 0 and os.read(r, 1):
        time.sleep(float(delay))
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    said = b""
    while chunk := os.read(r, 1024):
        said += chunk
    os.close(r)
    steps = re.search(rb"steps (\d+)", said)
    print(json.dumps({
        "killed": os.WIFSIGNALED(status),
        "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "steps": int(steps.group(1)) if steps else None,
    }), flush=True)
"""


def restore(out: Path, files: dict[str, bytes]) -> None:
    shutil.rmtree(out, ignore_errors=True)
    for rel, data in files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)


@pytest.mark.slow  # some 40 real builds, each killed at another moment
def test_a_build_killed_at_any_moment_of_its_move_phase_leaves_a_whole_build(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1486080000")  # rebuilds are byte-identical
    old_project = two_city_project(tmp_path / "lama")  # two cities
    new_project = Project(tmp_path / "baru")  # one city, another program name
    new_project.programs[0]["name"] = "NSUP baru"
    for project in (old_project, new_project):
        project.output["xlsx"] = False  # a smaller build: maps, GeoPackages, CSV
    out = tmp_path / "out"
    killer = run_python(KILLER, cwd=tmp_path)

    def run(project: Project, kill_at: int = 0, delay: float = -1, fallback: bool = False):
        killer.stdin.write(f"{project.config()} {out} {kill_at} {delay} {int(fallback)}\n")
        killer.stdin.flush()
        line = killer.stdout.readline()
        assert line, killer.stderr.read()
        return json.loads(line)

    assert run(new_project) == {"killed": False, "exit": 0, "steps": 2}  # a rename, an fsync
    new = snapshot(out)
    assert run(old_project)["exit"] == 0
    old = snapshot(out)
    assert old != new
    done = run(new_project)  # the swap, an fsync, then the unlinks and rmdirs of the old build
    steps = done["steps"]
    assert done["exit"] == 0 and steps > 2 + len(old) and snapshot(out) == new
    restore(out, old)
    outcomes = {"old": 0, "new": 0}
    moments = [(k, -1.0, False) for k in range(1, steps + 2)]  # before each step, and after
    moments += [(0, d, False) for d in (0, 5e-5, 3e-4, 2e-3)]  # and by the clock
    for kill_at, delay, fallback in moments:
        result = run(new_project, kill_at, delay, fallback)
        got = snapshot(out)
        assert got in (old, new), (kill_at, delay, result, sorted(got))
        outcomes["old" if got == old else "new"] += 1
        if 1 <= kill_at <= steps:
            assert result["killed"], (kill_at, result)
        restore(out, old)
    # the two-rename fallback: between the two renames the folder is absent, and the old
    # build whole beside it; the next build puts it back before anything else
    for kill_at in range(1, 6):  # the (refused) swap, a rename, a rename, an fsync, ...
        run(new_project, kill_at, -1, True)
        assert out.exists() == (kill_at != 3)  # killed between the two renames: absent
        with kotaku_map.writers.claim_output(out):
            assert snapshot(out) in (old, new), kill_at
        restore(out, old)
    _, err = killer.communicate(timeout=60)  # closes its stdin: it ends
    assert killer.returncode == 0, err
    print(f"\n{len(moments)} kills in the move phase ({steps} steps): {outcomes}")
    assert outcomes["old"] >= 2 and outcomes["new"] >= 2
    # after all that, one whole build leaves nothing beside the output folder
    assert main(["build", str(new_project.config()), "-o", str(out), "-q"]) == 0
    assert snapshot(out) == new
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baru", "lama", "out"]
