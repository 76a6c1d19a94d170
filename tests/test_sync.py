"""Tests of kotaku_map.sync: per-kelurahan hectares and reconciliation of two sources."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely import box

from kotaku_map import reconciliation, render, writers
from kotaku_map.crs import geodesic_area_ha
from kotaku_map.problems import ProblemLog

D = 0.01


def _kel(names=("A", "B")):
    return gpd.GeoDataFrame(
        {
            "kode": [f"33.75.01.100{i + 1}" for i in range(len(names))],
            "kelurahan": list(names),
            "kecamatan": ["K"] * len(names),
            "kabkota": ["Kota X"] * len(names),
        },
        geometry=[box(110 + i * D, -7.0, 110 + (i + 1) * D, -7.0 + D) for i in range(len(names))],
        crs=4326,
    )


def test_polygon_hectares_are_ellipsoidal_and_account_for_outside():
    kel = _kel()
    poly = gpd.GeoDataFrame(
        geometry=[box(110.005, -7.0, 110.015, -6.995), box(110.03, -7.0, 110.04, -6.99)], crs=4326
    )
    log = ProblemLog()
    h = reconciliation.kelurahan_hectares(poly, kel, name="SIM", problems=log)
    total = sum(geodesic_area_ha(g) for g in poly.geometry)
    assert h.ha.sum() == pytest.approx(total, rel=1e-4)
    assert h.ha[reconciliation.OUTSIDE] == pytest.approx(
        geodesic_area_ha(poly.geometry[1]), rel=1e-4
    )
    assert list(log.to_frame()["baris"]) == [2]


def test_table_rows_that_match_nothing_are_kept_and_reported():
    kel = _kel()
    t = pd.DataFrame({"kel": ["A", "Zzz", "B"], "ha": ["1.574,45", "2", None]})
    log = ProblemLog()
    h = reconciliation.kelurahan_hectares(
        t, kel, name="SK", area="ha", kel_name="kel", problems=log
    )
    assert h.total_ha == pytest.approx(1576.45)
    assert h.ha.sum() == pytest.approx(h.total_ha)
    assert set(log.to_frame()["masalah"]) == {"kelurahan tidak cocok", "luas kosong"}


def test_reconcile_flags_beyond_tolerance_and_ground_in_one_only():
    kel = _kel(("A", "B", "C"))
    a = gpd.GeoDataFrame(
        geometry=[box(110, -7, 110.01, -6.99), box(110.01, -7, 110.02, -6.99)], crs=4326
    )
    b = gpd.GeoDataFrame(
        geometry=[
            box(110, -7, 110.01, -6.9905),  # A: 5 % smaller
            box(110.01, -7, 110.02, -6.995),  # B: 50 % smaller
            box(110.02, -7, 110.03, -6.99),
        ],
        crs=4326,
    )  # C only in b
    t, diff = reconciliation.reconcile(a, b, kel, names=("SK", "SIM"), tolerance_pct=10)
    st = dict(zip(t["kelurahan"], t["status"], strict=True))
    assert st == {"A": "sinkron", "B": "SIM < SK", "C": "hanya di SIM"}
    assert t["tidak_sinkron"].tolist() == [False, True, True]
    assert t.loc[1, "selisih_pct"] == pytest.approx(-50, abs=0.1)
    assert t["hanya_sk_ha"].sum() == pytest.approx(-t["selisih_ha"][:2].sum(), rel=1e-6)
    assert set(diff["sumber"]) == {"hanya SK", "hanya SIM"}
    assert diff["luas_ha"].sum() == pytest.approx(t["hanya_sk_ha"].sum() + t["hanya_sim_ha"].sum())
    by = reconciliation.reconcile_by(t)
    assert by.iloc[-1]["luas_sk_ha"] == pytest.approx(t["luas_sk_ha"].sum())


def test_table_against_polygons_gives_kelurahan_in_one_only():
    kel = _kel(("A", "B"))
    sk = reconciliation.kelurahan_hectares(
        pd.DataFrame({"kel": ["A"], "ha": [3.0]}), kel, name="SK", area="ha", kel_name="kel"
    )
    sim = gpd.GeoDataFrame(geometry=[box(110.01, -7, 110.015, -6.995)], crs=4326)
    t, diff = reconciliation.reconcile(sk, sim, kel)
    assert t["status"].tolist() == ["hanya di SK", "hanya di SIM"]
    assert t["hanya_sk_ha"].isna().all()
    assert sorted(diff["jenis"]) == ["kelurahan", "poligon"]


def test_sync_layer_escapes_hostile_names(tmp_path, hostile_names):
    from kotaku_map.render import extra_data

    kel = _kel(tuple(hostile_names[:2]))
    a = gpd.GeoDataFrame(geometry=[box(110, -7, 110.01, -6.99)], crs=4326)
    b = gpd.GeoDataFrame(geometry=[box(110.01, -7, 110.02, -6.99)], crs=4326)
    t, diff = reconciliation.reconcile(a, b, kel, names=("<b>SK</b>", "SIM"))
    lyr = render.sync_layer(t, diff, kel)
    data = extra_data([lyr], crs_m=None, simplify_m=0, nd=6)
    titles = {f["p"]["t"] for f in data["layers"][0]["features"]}
    assert titles == set(hostile_names[:2])  # raw text in JSON; the page uses textContent
    paths = writers.write_reconciliation(t, diff, tmp_path, xlsx=True)
    assert {p.name for p in paths} == {
        "sinkronisasi.csv",
        "sinkronisasi.xlsx",
        f"{tmp_path.name}.gpkg",
    }
    assert len(gpd.read_file(tmp_path / f"{tmp_path.name}.gpkg", layer="data_tidak_sinkron")) == 2
