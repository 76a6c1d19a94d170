"""Loaders: every format a GIS team hands over, CRS checks, geometry cleaning, bad files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from shapely import box

from kotaku_map.crs import geodesic_area_ha
from kotaku_map.errors import CRSError, InputError
from kotaku_map.problems import ProblemLog
from kotaku_map.readers import clean_polygons, read_layer, read_table, require_columns

D = 0.01  # ≈ 1.1 km


def three_polygons(crs: object = 4326) -> gpd.GeoDataFrame:
    """Three 0.01° squares side by side around lon 110.4, lat -6.9 (Semarang)."""
    geoms = [box(110.40 + i * D, -6.90, 110.40 + (i + 1) * D, -6.90 + D) for i in range(3)]
    return gpd.GeoDataFrame(
        {"kode": ["0101", "0102", "0103"], "nama": ["A", "B", "C"]}, geometry=geoms, crs=crs
    )


def assert_three(gdf: gpd.GeoDataFrame) -> None:
    assert gdf.crs.to_epsg() == 4326
    assert len(gdf) == 3
    assert gdf["baris_sumber"].tolist() == [1, 2, 3]
    assert not gdf.has_z.any()
    assert set(gdf.geom_type) <= {"Polygon", "MultiPolygon"}
    expected = three_polygons()
    got = sorted(geodesic_area_ha(g) for g in gdf.geometry)
    want = sorted(geodesic_area_ha(g) for g in expected.geometry)
    np.testing.assert_allclose(got, want, rtol=1e-4)
    assert np.allclose(gdf.total_bounds, expected.total_bounds, atol=1e-9)


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize(
    "suffix,driver",
    [
        (".shp", "ESRI Shapefile"),
        (".gpkg", "GPKG"),
        (".geojson", "GeoJSON"),
        (".fgb", "FlatGeobuf"),
    ],
)
def test_read_layer_formats(tmp_path, suffix, driver):
    path = tmp_path / f"nsup{suffix}"
    three_polygons().to_file(path, driver=driver)
    gdf = read_layer(path)
    assert_three(gdf)
    # text codes keep their zeros (FlatGeobuf stores features in its spatial index order)
    assert sorted(gdf["kode"]) == ["0101", "0102", "0103"]
    assert gdf.attrs["rows_read"].tolist() == [1, 2, 3]


def test_read_zipped_shapefile(tmp_path):
    three_polygons().to_file(tmp_path / "nsup.shp")
    archive = tmp_path / "nsup.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in tmp_path.glob("nsup.*"):
            if part.suffix != ".zip":
                zf.write(part, f"data/{part.name}")
    assert_three(read_layer(archive))


def test_read_geoparquet(tmp_path):
    path = tmp_path / "nsup.parquet"
    three_polygons().to_parquet(path)
    assert_three(read_layer(path))


@pytest.fixture
def kml_file(tmp_path) -> Path:
    path = tmp_path / "nsup.kml"
    pyogrio.write_dataframe(three_polygons(), path, driver="KML", layer="nsup")
    return path


def test_read_kml(kml_file):
    assert_three(read_layer(kml_file))


def test_read_kmz(tmp_path, kml_file):
    kmz = tmp_path / "nsup.kmz"
    with zipfile.ZipFile(kmz, "w") as zf:
        zf.write(kml_file, "doc.kml")
    assert_three(read_layer(kmz))


@pytest.fixture
def two_layer_gpkg(tmp_path) -> Path:
    path = tmp_path / "lokasi.gpkg"
    three_polygons().to_file(path, layer="nsup_2017", driver="GPKG")
    three_polygons().iloc[:1].to_file(path, layer="nusp2_2016", driver="GPKG")
    return path


def test_gpkg_named_layer(two_layer_gpkg):
    assert_three(read_layer(two_layer_gpkg, layer="nsup_2017"))
    assert len(read_layer(two_layer_gpkg, layer="nusp2_2016")) == 1


def test_gpkg_without_layer_lists_the_layers(two_layer_gpkg):
    with pytest.raises(
        InputError,
        match=r"lokasi\.gpkg: holds 2 layers \['nsup_2017', "
        r"'nusp2_2016'\]; name one with layer = ",
    ):
        read_layer(two_layer_gpkg)


def test_gpkg_wrong_layer_suggests_closest(two_layer_gpkg):
    with pytest.raises(
        InputError,
        match=r"lokasi\.gpkg: has no layer 'nsup2017' "
        r"\(did you mean 'nsup_2017'\?\); layers are \['nsup_2017'",
    ):
        read_layer(two_layer_gpkg, layer="nsup2017")


@pytest.mark.parametrize("epsg", [9489, 32749])  # SRGI2013 / WGS 84, UTM 49S
def test_projected_layer_comes_back_in_lonlat_with_same_area(tmp_path, epsg):
    src = three_polygons()
    src["geometry"] = src.geometry.segmentize(0.001)  # vertices every ~100 m
    path = tmp_path / "utm.gpkg"
    src.to_crs(epsg).to_file(path)
    gdf = read_layer(path)
    assert gdf.crs.to_epsg() == 4326
    for got, want in zip(gdf.geometry, src.geometry, strict=True):
        assert geodesic_area_ha(got) == pytest.approx(geodesic_area_ha(want), rel=1e-4)


# --------------------------------------------------------------------------- tables


def _csv_rows(sep: str) -> str:
    return (
        f"kode{sep}kelurahan{sep}luas\n"
        f"0101{sep}Pasirkratonkramat é{sep}961,59\n"
        f"0102{sep}Kraton{sep}1.574,45\n"
    )


@pytest.mark.parametrize(
    "encoding,sep",
    [
        ("utf-8", ","),
        ("utf-8-sig", ","),
        ("cp1252", ";"),
    ],
)
def test_read_csv_encodings_and_separators(tmp_path, encoding, sep):
    path = tmp_path / "nusp2.csv"
    text = (
        _csv_rows(sep)
        if sep == ";"
        else _csv_rows(sep).replace("961,59", '"961,59"').replace("1.574,45", '"1.574,45"')
    )
    path.write_bytes(text.encode(encoding))
    df = read_table(path)
    assert list(df.columns) == ["kode", "kelurahan", "luas", "baris_sumber"]
    assert df["kode"].tolist() == ["0101", "0102"]
    assert df["kelurahan"].tolist() == ["Pasirkratonkramat é", "Kraton"]
    assert df["luas"].tolist() == ["961,59", "1.574,45"]
    assert df["baris_sumber"].tolist() == [2, 3]


def test_semicolon_csv_with_decimal_commas_is_not_split_on_commas(tmp_path):
    # every data row holds exactly one comma: csv.Sniffer would pick ',' on the tie
    path = tmp_path / "kumuh.csv"
    path.write_text("kode;luas\n0101;961,59\n0102;12,5\n0103;3,25\n", encoding="utf-8")
    df = read_table(path)
    assert df["luas"].tolist() == ["961,59", "12,5", "3,25"]


def test_csv_title_row_and_blank_lines_keep_true_row_numbers(tmp_path):
    path = tmp_path / "lokasi.csv"
    path.write_text(
        "Lokasi NUSP-2 Kota Pekalongan\n\nkode;kelurahan\n0101;Kraton\n\n0102;Panjang Wetan\n",
        encoding="utf-8",
    )
    df = read_table(path, expect=["kode", "kelurahan"])
    assert df["kelurahan"].tolist() == ["Kraton", "Panjang Wetan"]
    assert df["baris_sumber"].tolist() == [4, 6]  # the lines a person sees in an editor


def _xlsx(path: Path, rows: list[list[object]], merges: tuple[str, ...] = ()) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "lokasi"
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


def test_read_xlsx_plain(tmp_path):
    path = _xlsx(
        tmp_path / "t.xlsx",
        [["kode", "kelurahan", "luas"], ["0101", "Kraton", 961.59], ["0102", "Panjang", 12]],
    )
    df = read_table(path)
    assert df["kode"].tolist() == ["0101", "0102"]
    assert df["luas"].tolist() == ["961.59", "12"]
    assert df["baris_sumber"].tolist() == [2, 3]


def test_read_xlsx_below_title_rows(tmp_path):
    path = _xlsx(
        tmp_path / "t.xlsx",
        [
            ["DAFTAR LOKASI NUSP-2"],
            ["Kota Pekalongan 2016"],
            ["kode", "kelurahan"],
            ["0101", "Kraton"],
        ],
    )
    df = read_table(path, expect=["kode", "kelurahan"])
    assert df.to_dict("records") == [{"kode": "0101", "kelurahan": "Kraton", "baris_sumber": 4}]
    # without expect: the first row of text cells that spans most columns
    assert read_table(path)["kode"].tolist() == ["0101"]


def test_read_xlsx_merged_header_cells(tmp_path):
    # "kode" spans rows 1-2; "lokasi" spans the two columns above kelurahan/kecamatan
    rows = [
        ["kode", "lokasi", None],
        [None, "kelurahan", "kecamatan"],
        ["0101", "Kraton", "Pekalongan Utara"],
    ]
    path = _xlsx(tmp_path / "t.xlsx", rows, merges=("A1:A2", "B1:C1"))
    df = read_table(path, sheet="lokasi", expect=["kode", "kelurahan"])
    assert df.to_dict("records") == [
        {"kode": "0101", "kelurahan": "Kraton", "kecamatan": "Pekalongan Utara", "baris_sumber": 3}
    ]


def test_read_xlsx_wrong_sheet_suggests_closest(tmp_path):
    path = _xlsx(tmp_path / "t.xlsx", [["kode"], ["0101"]])
    with pytest.raises(
        InputError,
        match=r"t\.xlsx: has no sheet 'Lokasi' \(did you mean "
        r"'lokasi'\?\); sheets are \['lokasi'\]",
    ):
        read_table(path, sheet="Lokasi")


def test_table_header_not_found_names_expected_columns(tmp_path):
    path = _xlsx(tmp_path / "t.xlsx", [["kode", "nama"], ["0101", "Kraton"]])
    with pytest.raises(
        InputError,
        match=r"t\.xlsx, layer 'lokasi': no header row with "
        r"columns \['kode', 'kelurahan'\]",
    ):
        read_table(path, sheet="lokasi", expect=["kode", "kelurahan"])


@pytest.mark.parametrize(
    "content,match",
    [
        (b"", r"e\.csv: the table is empty"),
        (b"kode;kelurahan\n\n", r"e\.csv: the table has a header but no data rows"),
    ],
)
def test_empty_tables(tmp_path, content, match):
    path = tmp_path / "e.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=match):
        read_table(path)


# --------------------------------------------------------------------------- CRS


def test_layer_without_crs_is_refused_unless_assumed(tmp_path):
    path = tmp_path / "noprj.shp"
    three_polygons().to_file(path)
    path.with_suffix(".prj").unlink()
    with pytest.raises(
        CRSError,
        match=r"noprj\.shp: the layer has no CRS \(missing \.prj\?\); "
        r"set crs = 'EPSG:\.\.\.'",
    ):
        read_layer(path)
    assert_three(read_layer(path, assume_crs="EPSG:4326"))


def test_crs_override_beats_the_files_label(tmp_path):
    path = tmp_path / "mislabelled.gpkg"
    utm = three_polygons().to_crs(32749)
    utm.set_crs(3857, allow_override=True).to_file(path)  # wrong label, UTM numbers
    assert_three(read_layer(path, crs="EPSG:32749"))


def test_unknown_crs_names_the_key(tmp_path):
    path = tmp_path / "a.gpkg"
    three_polygons().to_file(path)
    with pytest.raises(CRSError, match=r"a\.gpkg: crs 'EPSG:99999' is not a CRS pyproj knows"):
        read_layer(path, crs="EPSG:99999")


def test_utm_metres_labelled_4326(tmp_path):
    path = tmp_path / "utm_as_4326.gpkg"
    three_polygons().to_crs(32749).set_crs(4326, allow_override=True).to_file(path)
    with pytest.raises(
        CRSError,
        match=r"utm_as_4326\.gpkg: coordinates look like metres "
        r"\(row 1: x=\d+, y=\d+\) but the layer is labelled EPSG:4326",
    ):
        read_layer(path)


def test_degrees_labelled_utm(tmp_path):
    path = tmp_path / "deg_as_utm.gpkg"
    three_polygons().set_crs(32649, allow_override=True).to_file(path)
    with pytest.raises(
        CRSError,
        match=r"deg_as_utm\.gpkg: coordinates look like degrees "
        r"\(row 1: x=110\.4000, y=-6\.9000\) but the layer is labelled EPSG:32649",
    ):
        read_layer(path)


def test_swapped_lat_lon(tmp_path):
    path = tmp_path / "swapped.geojson"
    swapped = three_polygons()
    swapped["geometry"] = shapely.transform(swapped.geometry.values, lambda xy: xy[:, ::-1])
    swapped.to_file(path)
    with pytest.raises(
        CRSError,
        match=r"swapped\.geojson: latitude and longitude look swapped "
        r"\(row 1: x=-6\.9000, y=110\.4000",
    ):
        read_layer(path)


def test_layer_outside_indonesia(tmp_path):
    path = tmp_path / "eropa.geojson"
    gpd.GeoDataFrame(geometry=[box(10.0, 50.0, 10.01, 50.01)], crs=4326).to_file(path)
    with pytest.raises(
        CRSError,
        match=r"eropa\.geojson: no geometry lies in Indonesia "
        r"\(bounds in lon/lat 10\.0000, 50\.0000, 10\.0100, 50\.0100\)",
    ):
        read_layer(path)


def test_a_few_rows_outside_are_dropped_and_reported(tmp_path):
    gdf = pd.concat([three_polygons(), three_polygons()], ignore_index=True)
    gdf.loc[4, "geometry"] = box(10.0, 50.0, 10.01, 50.01)  # row 5: in Germany
    path = tmp_path / "campur.geojson"
    gdf.to_file(path)
    log = ProblemLog()
    out = read_layer(path, problems=log)
    assert out["baris_sumber"].tolist() == [1, 2, 3, 4, 6]
    assert out.attrs["rows_read"].tolist() == [1, 2, 3, 4, 5, 6]
    [p] = log.items
    assert (p.berkas, p.baris, p.masalah, p.dipakai) == (str(path), 5, "di luar Indonesia", False)


# --------------------------------------------------------------------------- geometry


def _gdf(geoms: list) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"baris_sumber": range(1, len(geoms) + 1)}, geometry=geoms, crs=3857)


def test_z_coordinates_dropped(tmp_path):
    gdf = three_polygons()
    gdf["geometry"] = shapely.force_3d(gdf.geometry.values, z=25.0)
    path = tmp_path / "z.gpkg"
    gdf.to_file(path)
    out = read_layer(path)
    assert not out.has_z.any()
    assert_three(out)


def test_bowtie_repaired_and_reported():
    bowtie = shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])  # two 25 m² triangles
    log = ProblemLog()
    out = clean_polygons(
        _gdf([bowtie, box(0, 0, 10, 10)]), source="k.gpkg", layer="kumuh", problems=log
    )
    assert out.is_valid.all()
    assert out.area.tolist() == pytest.approx([50.0, 100.0])
    [p] = log.items
    assert (p.berkas, p.layer, p.baris, p.masalah, p.dipakai) == (
        "k.gpkg",
        "kumuh",
        1,
        "geometri diperbaiki",
        True,
    )
    assert "Self-intersection" in p.rincian


def test_geometry_collection_keeps_polygonal_part():
    gc = shapely.GeometryCollection(
        [box(0, 0, 10, 10), shapely.LineString([(0, 0), (50, 50)]), shapely.Point(3, 3)]
    )
    log = ProblemLog()
    out = clean_polygons(_gdf([gc]), problems=log)
    assert out.geom_type.tolist() == ["Polygon"]
    assert out.area.tolist() == [100.0]
    assert [(p.masalah, p.dipakai) for p in log.items] == [("GeometryCollection", True)]


def test_points_and_lines_among_polygons_dropped_and_reported():
    geoms = [
        box(0, 0, 1, 1),
        shapely.Point(0, 0),
        shapely.LineString([(0, 0), (1, 1)]),
        shapely.GeometryCollection([shapely.Point(5, 5)]),
    ]
    log = ProblemLog()
    out = clean_polygons(_gdf(geoms), problems=log)
    assert out["baris_sumber"].tolist() == [1]
    assert [(p.baris, p.masalah, p.dipakai) for p in log.items] == [
        (2, "bukan poligon", False),
        (3, "bukan poligon", False),
        (4, "bukan poligon", False),
    ]
    assert "ditemukan Point" in log.items[0].rincian
    assert "ditemukan GeometryCollection" in log.items[2].rincian


def test_only_points_and_lines_is_an_error(tmp_path):
    path = tmp_path / "titik.geojson"
    gpd.GeoDataFrame(
        geometry=[shapely.Point(110.4, -6.9), shapely.LineString([(110.4, -6.9), (110.5, -6.8)])],
        crs=4326,
    ).to_file(path)
    with pytest.raises(
        InputError,
        match=r"titik\.geojson: no polygon in the layer \(found "
        r"Point, LineString in 2 rows\); expected Polygon or MultiPolygon",
    ):
        read_layer(path)


def test_null_and_empty_geometries_reported():
    geoms = [None, shapely.Polygon(), box(0, 0, 1, 1)]
    log = ProblemLog()
    out = clean_polygons(_gdf(geoms), problems=log)
    assert out["baris_sumber"].tolist() == [3]
    assert [(p.baris, p.masalah, p.rincian) for p in log.items] == [
        (1, "geometri kosong", "geometri null"),
        (2, "geometri kosong", "geometri kosong"),
    ]
    assert log.unused_rows("<layer>") == {1, 2}


def test_collapsed_polygon_is_not_reported_as_used():
    flat = shapely.Polygon([(0, 0), (1, 1), (2, 2), (0, 0)])  # zero area: repair leaves nothing
    log = ProblemLog()
    out = clean_polygons(_gdf([flat, box(0, 0, 1, 1)]), problems=log)
    assert len(out) == 1
    assert [(p.baris, p.masalah, p.dipakai) for p in log.items] == [(1, "geometri kosong", False)]


def test_clean_polygons_does_not_modify_its_input():
    gdf = _gdf([shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])])
    before = gdf.copy()
    clean_polygons(gdf)
    assert_geodataframe_equal(gdf, before)


# --------------------------------------------------------------------------- bad files


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match=r"tidak_ada\.gpkg: layer file does not exist"):
        read_layer(tmp_path / "tidak_ada.gpkg")
    with pytest.raises(InputError, match=r"tidak_ada\.csv: table file does not exist"):
        read_table(tmp_path / "tidak_ada.csv")


def test_folder_instead_of_file(tmp_path):
    folder = tmp_path / "batas.gpkg"
    folder.mkdir()
    with pytest.raises(InputError, match=r"batas\.gpkg: expected a layer file, found a folder"):
        read_layer(folder)


def test_empty_layer(tmp_path):
    path = tmp_path / "kosong.gpkg"
    three_polygons().iloc[:0].to_file(path, layer="nsup")
    with pytest.raises(
        InputError,
        match=r"kosong\.gpkg, layer 'nsup': the layer is empty "
        r"\(0 rows\)",
    ):
        read_layer(path, layer="nsup")


@pytest.mark.parametrize("name", ["rusak.gpkg", "rusak.geojson", "rusak.fgb", "rusak.parquet"])
def test_garbage_layer_files(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"\x00\x01garbage, not a layer\xff" * 20)
    with pytest.raises(InputError, match=rf"rusak\.{path.suffix[1:]}.*cannot be read"):
        read_layer(path)


def test_truncated_zip(tmp_path):
    three_polygons().to_file(tmp_path / "nsup.shp")
    archive = tmp_path / "nsup.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in tmp_path.glob("nsup.*"):
            if part.suffix != ".zip":
                zf.write(part, part.name)
    archive.write_bytes(archive.read_bytes()[:200])
    with pytest.raises(
        InputError,
        match=r"nsup\.zip: not a readable zip archive "
        r"\(truncated or not a zip\?\)",
    ):
        read_layer(archive)


def test_zip_without_shapefile(tmp_path):
    archive = tmp_path / "foto.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("foto.jpg", b"jpeg")
    with pytest.raises(
        InputError,
        match=r"foto\.zip: the archive holds no \.shp file "
        r"\(found \['foto\.jpg'\]\)",
    ):
        read_layer(archive)


def test_garbage_xlsx(tmp_path):
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a workbook")
    with pytest.raises(
        InputError,
        match=r"rusak\.xlsx: cannot be read as XLSX \(truncated or "
        r"not a workbook\?\)",
    ):
        read_table(path)


@pytest.mark.parametrize("name", ["lokasi.csv", "lokasi.xlsx"])
def test_table_where_polygons_expected(tmp_path, name):
    path = tmp_path / name
    path.write_text("kode,kelurahan\n0101,Kraton\n")
    with pytest.raises(
        InputError,
        match=rf"lokasi\.{name[-4:].strip('.')}: is a table .* but "
        r"polygons were expected here; .*set kind = 'table'",
    ):
        read_layer(path)


def test_attribute_only_layer_where_polygons_expected(tmp_path):
    path = tmp_path / "tabel.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"kode": ["0101"]}), path, layer="tabel")
    with pytest.raises(
        InputError,
        match=r"tabel\.gpkg: has no geometry column; for a list of "
        r"kelurahan set kind = 'table'",
    ):
        read_layer(path)


def test_unsupported_table_suffix(tmp_path):
    path = tmp_path / "lokasi.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(
        InputError,
        match=r"lokasi\.xls: expected a CSV or XLSX table, found "
        r"\.xls",
    ):
        read_table(path)


# --------------------------------------------------------------------------- columns


def test_require_columns_suggests_the_closest():
    df = pd.DataFrame({"kode_kel": ["0101"], "kelurahan": ["Kraton"], "baris_sumber": [2]})
    with pytest.raises(
        InputError,
        match=r"lokasi\.xlsx, layer 'Sheet1', column 'kelurhan': "
        r"no such column \(config key 'programs\.columns\.kelurahan'; did you "
        r"mean 'kelurahan'\?\); columns are \['kode_kel', 'kelurahan'\]",
    ):
        require_columns(
            df,
            {"programs.columns.code": "kode_kel", "programs.columns.kelurahan": "kelurhan"},
            source="lokasi.xlsx",
            layer="Sheet1",
        )


def test_require_columns_case_only_difference():
    df = pd.DataFrame({"KODE": ["0101"]})
    with pytest.raises(InputError, match=r"column 'kode': no such column .*did you mean 'KODE'"):
        require_columns(df, {"boundaries.code": "kode"}, source="b.shp", layer=None)


def test_require_columns_passes_and_ignores_unset():
    df = pd.DataFrame({"kode": ["0101"]})
    assert (
        require_columns(
            df,
            {"boundaries.code": "kode", "boundaries.kecamatan": None},
            source="b.shp",
            layer=None,
        )
        is None
    )


def test_a_configured_column_matches_its_header_whatever_the_case(tmp_path):
    path = tmp_path / "lokasi.csv"
    path.write_text("KELURAHAN;  Kode   Kel\nMedono;3375011002\n", encoding="utf-8")
    table = read_table(path, expect=["Kelurahan", "kode kel"])
    assert list(table.columns[:2]) == ["Kelurahan", "kode kel"]
    assert table["Kelurahan"].tolist() == ["Medono"]
