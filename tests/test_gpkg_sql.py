"""GeoPackage layers written with SQLite itself: what GDAL writes, what GDAL reads back."""

import sqlite3

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from kotaku_map.writers import gpkg as gpkg_module
from kotaku_map.writers import gpkg_describe, gpkg_layer, gpkg_layers
from kotaku_map.writers.gpkg import LayerDoc
from kotaku_map.writers.gpkg_sql import APPLICATION_ID, geometry_blobs, sql_type

_TIMES = ["2024-01-31 10:11:12.345", None, "2017-02-01", "2020-02-29", "1999-12-31 23:59:59",
          "2000-01-01"]  # fmt: skip


def _frame(n=6):
    """Every kind of column and geometry a layer of the build has, missing values too."""
    ring = shapely.box(110.40, -6.91, 110.41, -6.90)
    holed = shapely.Polygon(ring.exterior.coords, [shapely.box(110.402, -6.908, 110.403, -6.907)
                                                   .exterior.coords])  # fmt: skip
    geoms = [
        ring,
        shapely.MultiPolygon([shapely.box(110.5, -7.0, 110.51, -6.99), holed]),
        shapely.Polygon(),
        None,
        shapely.MultiPolygon(),
        shapely.box(110.6, -7.1, 110.61, -7.09),
    ][:n]
    return gpd.GeoDataFrame(
        {
            "kode": pd.array(["33.74.01.1001", None, "x'y\"z", "<script>", "Kéré", ""][:n]),
            "teks_obj": np.array([1, "a", None, 2.5, "b", "c"][:n], dtype=object),
            "luas_ha": [1.25, np.nan, 0.0, -3.5, 1e-12, 7.0][:n],
            "baris": np.arange(1, n + 1, dtype=np.int64),
            "jumlah": pd.array([1, None, 3, 4, 5, 6][:n], dtype="Int64"),
            "penuh": [True, False, True, True, False, False][:n],
            "waktu": pd.to_datetime(_TIMES[:n], format="ISO8601"),
        },
        geometry=geoms,
        crs=4326,
    )


def _rows(path, sql):
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


def _schema(path):
    return dict(_rows(path, "SELECT name, sql FROM sqlite_master WHERE name NOT LIKE '%tile%'"))


def test_a_layer_is_the_layer_gdal_writes_blob_for_blob(tmp_path):
    frame = _frame()
    ours, gdal = tmp_path / "ours.gpkg", tmp_path / "gdal.gpkg"
    gpkg_layer(frame, ours, "lapisan")
    gpkg_module._gdal_layer(frame, gdal, "lapisan")
    assert _schema(ours) == _schema(gdal)  # tables, triggers, column types
    for sql in [
        "SELECT * FROM lapisan ORDER BY fid",
        "SELECT * FROM gpkg_geometry_columns",
        "SELECT * FROM gpkg_ogr_contents",
        "SELECT * FROM gpkg_spatial_ref_sys ORDER BY srs_id",
        "SELECT * FROM sqlite_sequence",
        "SELECT table_name, data_type, identifier, description, last_change, srs_id "
        "FROM gpkg_contents",
        "PRAGMA application_id",
        "PRAGMA user_version",
    ]:
        assert _rows(ours, sql) == _rows(gdal, sql), sql
    extent = "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents"
    assert np.allclose(_rows(ours, extent), _rows(gdal, extent), rtol=1e-15, atol=0)
    assert _rows(ours, "PRAGMA application_id") == [(APPLICATION_ID,)]
    back, expected = pyogrio.read_dataframe(ours), pyogrio.read_dataframe(gdal)
    assert_geodataframe_equal(back, expected)
    assert back["luas_ha"].isna().tolist() == [False, True, False, False, False, False]
    assert back["kode"].iloc[3] == "<script>" and back["teks_obj"].iloc[0] == "1"
    assert _rows(ours, "PRAGMA integrity_check") == [("ok",)]
    assert _rows(ours, "PRAGMA foreign_key_check") == []


def test_several_layers_go_in_one_file_that_gdal_then_extends(tmp_path):
    path = tmp_path / "kota.gpkg"
    gpkg_layers(path, [("satu", _frame()), ("kosong", _frame().iloc[:0]), ("dua", _frame(2))])
    gpkg_module._gdal_layer(_frame(3), path, "tiga")  # GDAL opens ours and adds a layer
    info = pyogrio.list_layers(path)
    assert info[:, 0].tolist() == ["satu", "kosong", "dua", "tiga"]
    assert set(info[:, 1]) == {"MultiPolygon"}
    counts = [pyogrio.read_info(path, layer=name)["features"] for name in info[:, 0]]
    assert counts == [6, 0, 2, 3]
    empty = "SELECT min_x, max_y FROM gpkg_contents WHERE table_name = 'kosong'"
    assert _rows(path, empty) == [(None, None)]
    back = pyogrio.read_dataframe(path, layer="dua")
    assert back.geometry.iloc[0].equals(shapely.MultiPolygon([_frame().geometry.iloc[0]]))


@pytest.mark.parametrize(
    "case",
    ["another CRS", "lines", "a 32-bit column", "a time zone", "the layer exists"],
)
def test_what_sqlite_does_not_write_gdal_does(tmp_path, case):
    frame = _frame(2)
    path = tmp_path / "x.gpkg"
    if case == "another CRS":
        frame = frame.to_crs(32749)
    elif case == "lines":
        frame = frame.set_geometry(frame.boundary.values)
    elif case == "a 32-bit column":
        frame["baris"] = frame["baris"].astype("int32")
    elif case == "a time zone":
        frame["waktu"] = frame["waktu"].dt.tz_localize("Asia/Jakarta")
    else:
        gpkg_layer(frame, path, "lapisan")
    gpkg_layer(frame, path, "lapisan")
    # GDAL made the file (SQLite leaves the tile tables out), or appended to the layer
    made_by_gdal = "SELECT count(*) FROM sqlite_master WHERE name = 'gpkg_tile_matrix'"
    assert _rows(path, made_by_gdal) == [(0 if case == "the layer exists" else 1,)]
    assert _rows(path, "SELECT count(*) FROM lapisan") == [
        (4 if case == "the layer exists" else 2,)
    ]
    assert _rows(path, "SELECT feature_count FROM gpkg_ogr_contents") == _rows(
        path, "SELECT count(*) FROM lapisan"
    )
    if case == "a 32-bit column":
        assert '"baris" MEDIUMINT' in _schema(path)["lapisan"]


def test_a_file_sqlite_cannot_read_is_left_to_gdal_and_no_empty_file_stays(tmp_path):
    bad = tmp_path / "bukan.gpkg"
    bad.write_bytes(b"not a database" * 100)
    with pytest.raises(Exception):  # noqa: B017 - GDAL's own error, whatever its class
        gpkg_layer(_frame(2), bad, "lapisan")
    assert bad.read_bytes() == b"not a database" * 100
    lines = _frame(2).set_geometry(_frame(2).boundary.values)
    new = tmp_path / "baru.gpkg"
    gpkg_layer(lines, new, "garis")  # SQLite declines: GDAL makes the file from nothing
    assert pyogrio.list_layers(new)[:, 0].tolist() == ["garis"]


def test_an_error_midway_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "kota.gpkg"
    gpkg_layer(_frame(), path, "satu")
    before = path.read_bytes()

    def broken(*args, **kwargs):
        raise RuntimeError("mati listrik")

    monkeypatch.setattr("kotaku_map.writers.gpkg_sql.geometry_blobs", broken)
    with pytest.raises(RuntimeError):
        gpkg_layers(path, [("dua", _frame())])
    assert path.read_bytes() == before
    assert pyogrio.list_layers(path)[:, 0].tolist() == ["satu"]


def test_styles_and_metadata_are_what_gdal_writes(tmp_path, monkeypatch):
    docs = [
        LayerDoc("satu", "Satu & <dua>", 'Lapisan "satu"', "<qgis/>", "<sld/>", "<qgis md/>"),
        LayerDoc("dua", "Dua", "", "<qgis2/>", "", ""),
    ]
    meta = {"TITLE": 'Kota "A" & <B>', "DATE": "2017-02-03", "Á_KEY": "ünï"}
    ours, gdal = tmp_path / "ours.gpkg", tmp_path / "gdal.gpkg"
    for path in (ours, gdal):
        gpkg_layers(path, [("satu", _frame(2)), ("dua", _frame(3))])
    gpkg_describe(ours, docs, metadata=meta, style_note="catatan")
    monkeypatch.setattr(gpkg_module, "write_attributes", lambda *a, **k: False)
    gpkg_describe(gdal, docs, metadata=meta, style_note="catatan")
    assert _schema(ours) == _schema(gdal)
    for table in [
        "layer_styles",
        "gpkg_metadata",
        "gpkg_metadata_reference",
        "gpkg_extensions",
        "gpkg_ogr_contents",
        "sqlite_sequence",
    ]:
        assert _rows(ours, f"SELECT * FROM {table}") == _rows(gdal, f"SELECT * FROM {table}")
    contents = "SELECT table_name, data_type, identifier, description, srs_id FROM gpkg_contents"
    assert _rows(ours, contents) == _rows(gdal, contents)
    assert pyogrio.read_info(ours, layer="satu")["dataset_metadata"] == meta


def test_sql_types_and_blobs():
    assert sql_type(np.dtype("float64")) == "REAL" and sql_type(np.dtype("float32")) is None
    assert sql_type(pd.StringDtype()) == "TEXT" and sql_type(np.dtype("uint64")) is None
    blobs = geometry_blobs(np.array([shapely.box(0, 0, 2, 1), None, shapely.Polygon()]))
    assert blobs[1] is None
    assert blobs[0][:4] == b"GP\x00\x03" and len(blobs[0]) == 8 + 32 + 9 + 9 + 4 + 5 * 16
    assert np.frombuffer(blobs[0][8:40]).tolist() == [0.0, 2.0, 0.0, 1.0]  # x, x, y, y
    assert blobs[2][:4] == b"GP\x00\x11" and len(blobs[2]) == 8 + 9 + 9
