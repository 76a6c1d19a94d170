"""The analysis, on hand-built geometries whose hectares can be computed by hand.

Shapes are drawn in metres in a local equal-area projection around Semarang and
converted to lon/lat, so a 1000 m x 1000 m box is exactly 100 ha.
"""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from kotaku_map.analysis import analyse, analyse_city, summary_table
from kotaku_map.crs import geodesic_area_ha, local_equal_area
from kotaku_map.errors import InputError
from kotaku_map.problems import ProblemLog
from kotaku_map.schema import LUAS_TABEL_HA

METRIC = local_equal_area(110.4, -6.9)
TOL = 1e-4  # 0.01 %


def layer(*boxes, crs=METRIC, **columns):
    gdf = gpd.GeoDataFrame(columns or None, geometry=[shapely.box(*b) for b in boxes], crs=crs)
    return gdf.to_crs(4326)


def kelurahan(*boxes, kab="99.71", names=None):
    n = len(boxes)
    return layer(
        *boxes,
        kode=[f"{kab}.01.{1001 + i}" for i in range(n)],
        kelurahan=names or [f"Kel {i + 1}" for i in range(n)],
        kecamatan=["Kec"] * n,
        kabkota=[f"Kota {kab}"] * n,
        kode_kabkota=[kab] * n,
    )


def city(kel, programs, slum=None, **kw):
    [result] = analyse(kel, programs, slum, **kw)
    return result


def assert_accounting(result):
    r = result.ringkasan
    parts = r["tercakup_ha"] + r["celah_ha"] + r["sliver_ha"]
    assert parts == pytest.approx(r["kumuh_ha"], rel=TOL, abs=1e-9)
    assert sum(r["kumuh_per_kombinasi_ha"].values()) == pytest.approx(
        r["tercakup_ha"], rel=TOL, abs=1e-9
    )
    t = result.kelurahan
    assert (t["tercakup_ha"] + t["celah_ha"] + t["sliver_ha"]).to_numpy() == pytest.approx(
        t["kumuh_ha"].to_numpy(), rel=TOL, abs=1e-9
    )


ONE_KM = kelurahan((0, 0, 1000, 1000))


def test_two_overlapping_squares_overlap_by_their_shared_strip():
    a = layer((0, 0, 600, 1000))
    b = layer((400, 0, 1000, 1000))
    r = city(ONE_KM, {"NSUP": a, "NUSP-2": b})
    assert r.ringkasan["tumpang_tindih_ha"] == pytest.approx(20.0, rel=TOL)
    assert r.tumpang_tindih["program"].tolist() == ["NSUP + NUSP-2"]
    assert r.tumpang_tindih["luas_ha"].sum() == pytest.approx(20.0, rel=TOL)
    assert r.kelurahan["status"].tolist() == ["NSUP + NUSP-2"]
    assert r.kelurahan["wk_nsup_ha"].iloc[0] == pytest.approx(60.0, rel=TOL)
    assert r.kelurahan["wk_nusp_2_ha"].iloc[0] == pytest.approx(60.0, rel=TOL)
    assert r.ringkasan["sliver_tumpang_tindih_ha"] == 0


def test_a_gap_inside_a_slum_area_is_the_part_no_program_covers():
    slum = layer((0, 0, 1000, 1000), tingkat=["kumuh berat"])
    a = layer((0, 0, 700, 1000))
    r = city(ONE_KM, {"NSUP": a}, slum)
    assert r.ringkasan["kumuh_ha"] == pytest.approx(100.0, rel=TOL)
    assert r.ringkasan["celah_ha"] == pytest.approx(30.0, rel=TOL)
    assert r.ringkasan["tercakup_ha"] == pytest.approx(70.0, rel=TOL)
    assert r.ringkasan["kumuh_per_kombinasi_ha"] == {"NSUP": pytest.approx(70.0, rel=TOL)}
    assert len(r.celah) == 1
    assert r.celah.to_crs(METRIC).geometry.iloc[0].bounds == pytest.approx(
        (700, 0, 1000, 1000), abs=0.01
    )
    assert_accounting(r)


def test_a_hole_in_the_work_area_is_a_gap_too():
    slum = layer((0, 0, 1000, 1000))
    donut = gpd.GeoDataFrame(
        geometry=[shapely.box(0, 0, 1000, 1000).difference(shapely.box(400, 400, 600, 600))],
        crs=METRIC,
    ).to_crs(4326)
    r = city(ONE_KM, {"NSUP": donut}, slum)
    assert r.ringkasan["celah_ha"] == pytest.approx(4.0, rel=TOL)
    assert_accounting(r)


def test_a_1m_wide_overlap_is_a_sliver_not_an_overlap():
    a = layer((0, 0, 500, 1000))
    b = layer((499, 0, 1000, 1000))
    r = city(ONE_KM, {"A": a, "B": b})
    assert r.ringkasan["tumpang_tindih_ha"] == 0
    assert len(r.tumpang_tindih) == 0
    assert r.ringkasan["sliver_tumpang_tindih_ha"] == pytest.approx(0.1, rel=TOL)
    [piece] = r.sliver.itertuples()
    assert piece.jenis == "tumpang tindih"
    assert piece.program == "A + B"
    assert piece.lebar_m == pytest.approx(1.0, rel=1e-2)


def test_the_sliver_width_is_a_parameter():
    a = layer((0, 0, 500, 1000))
    b = layer((499, 0, 1000, 1000))
    r = city(ONE_KM, {"A": a, "B": b}, sliver_width_m=0.5)
    assert r.ringkasan["tumpang_tindih_ha"] == pytest.approx(0.1, rel=TOL)
    assert len(r.sliver) == 0


def test_a_small_but_square_overlap_is_a_sliver_by_area():
    a = layer((0, 0, 505, 505))
    b = layer((497, 497, 1000, 1000))  # 8 m x 8 m = 64 m2 < 100 m2
    r = city(ONE_KM, {"A": a, "B": b})
    assert r.ringkasan["tumpang_tindih_ha"] == 0
    assert r.ringkasan["sliver_tumpang_tindih_ha"] == pytest.approx(0.0064, rel=TOL)


def test_a_1m_gap_at_the_edge_of_a_slum_area_is_a_sliver():
    slum = layer((0, 0, 501, 1000))
    a = layer((0, 0, 500, 1000))
    r = city(ONE_KM, {"A": a}, slum)
    assert r.ringkasan["celah_ha"] == 0
    assert r.ringkasan["sliver_celah_ha"] == pytest.approx(0.1, rel=TOL)
    assert r.ringkasan["sliver_ha"] == pytest.approx(0.1, rel=TOL)
    assert r.sliver["jenis"].tolist() == ["celah"]
    assert_accounting(r)
    # a sliver is no gap: the kelurahan is covered, not "slum without program"
    assert r.kelurahan["status"].tolist() == ["A"]


def test_slum_inside_an_overlap_sliver_is_counted_as_sliver():
    slum = layer((0, 0, 1000, 1000))
    a = layer((0, 0, 500, 1000))
    b = layer((499, 0, 1000, 1000))
    r = city(ONE_KM, {"A": a, "B": b}, slum)
    assert r.ringkasan["sliver_ha"] == pytest.approx(0.1, rel=TOL)
    assert r.ringkasan["kumuh_per_kombinasi_ha"]["A"] == pytest.approx(49.9, rel=TOL)
    assert r.ringkasan["kumuh_per_kombinasi_ha"]["B"] == pytest.approx(50.0, rel=TOL)
    assert r.ringkasan["kumuh_per_kombinasi_ha"]["A + B"] == 0
    assert_accounting(r)


def test_three_programs_are_split_into_exact_combinations():
    a = layer((0, 0, 600, 1000))
    b = layer((400, 0, 1000, 1000))
    c = layer((0, 0, 1000, 300))
    slum = layer((0, 0, 1000, 1000))
    r = city(ONE_KM, {"A": a, "B": b, "C": c}, slum)
    combos = r.ringkasan["kumuh_per_kombinasi_ha"]
    assert combos["A + B + C"] == pytest.approx(6.0, rel=TOL)  # 200 x 300
    assert combos["A + B"] == pytest.approx(14.0, rel=TOL)  # 200 x 700
    assert combos["A + C"] == pytest.approx(12.0, rel=TOL)  # 400 x 300
    assert combos["B + C"] == pytest.approx(12.0, rel=TOL)
    assert combos["A"] == pytest.approx(28.0, rel=TOL)
    assert combos["B"] == pytest.approx(28.0, rel=TOL)
    assert combos.get("C", 0.0) == pytest.approx(0.0, abs=1e-4)  # C lies inside A or B
    by = r.tumpang_tindih.groupby("program")["luas_ha"].sum()
    assert by.to_dict() == pytest.approx(
        {"A + B": 14.0, "A + B + C": 6.0, "A + C": 12.0, "B + C": 12.0}, rel=TOL
    )
    assert_accounting(r)


def test_status_per_kelurahan():
    kel = kelurahan(
        (0, 0, 1000, 1000), (1000, 0, 2000, 1000), (2000, 0, 3000, 1000), (3000, 0, 4000, 1000)
    )
    a = layer((0, 0, 1000, 1000))
    b = layer((500, 0, 1500, 1000))
    slum = layer((2200, 200, 2400, 400))
    r = city(kel, {"A": a, "B": b}, slum)
    assert r.kelurahan["status"].tolist() == ["A + B", "B", "Kumuh tanpa program", "Bukan lokasi"]
    assert r.kelurahan["program"].tolist() == ["A + B", "B", "", ""]
    assert r.kelurahan["celah_ha"].tolist() == pytest.approx([0, 0, 4.0, 0], rel=TOL)
    assert r.ringkasan["kelurahan_per_status"] == {
        "A + B": 1,
        "B": 1,
        "Kumuh tanpa program": 1,
        "Bukan lokasi": 1,
    }


def test_a_work_area_that_only_grazes_a_neighbour_does_not_make_it_a_location():
    kel = kelurahan((0, 0, 1000, 1000), (1000, 0, 2000, 1000))
    a = layer((0, 0, 1001, 1000))  # drawn 1 m into the neighbour
    r = city(kel, {"A": a})
    assert r.kelurahan["status"].tolist() == ["A", "Bukan lokasi"]
    assert r.kelurahan["wk_a_ha"].tolist() == pytest.approx([100.0, 0.1], rel=TOL)


def test_overlapping_kelurahan_polygons_never_count_ground_twice():
    # upstream boundaries overlap by 0.5 m; the slum straddles the border
    kel = kelurahan((0, 0, 1000.5, 1000), (1000, 0, 2000, 1000))
    slum = layer((800, 0, 1200, 1000))
    a = layer((0, 0, 2000, 500))
    r = city(kel, {"A": a}, slum)
    assert r.ringkasan["kumuh_ha"] == pytest.approx(40.0, rel=TOL)
    assert r.kelurahan["kumuh_ha"].sum() == pytest.approx(40.0, rel=TOL)
    assert r.kelurahan["celah_ha"].sum() == pytest.approx(20.0, rel=TOL)
    assert r.celah["luas_ha"].sum() == pytest.approx(20.0, rel=TOL)
    assert_accounting(r)


def test_hectares_agree_with_geodesic_areas():
    # a 3 km kelurahan far from the projection's centre, in lon/lat
    kel = gpd.GeoDataFrame(
        {
            "kode": ["99.71.01.1001", "99.71.01.1002"],
            "kelurahan": ["Barat", "Timur"],
            "kecamatan": ["K", "K"],
            "kabkota": ["Kota X", "Kota X"],
            "kode_kabkota": ["99.71", "99.71"],
        },
        geometry=[shapely.box(95.30, 5.80, 95.33, 5.83), shapely.box(95.33, 5.80, 95.50, 5.90)],
        crs=4326,
    )
    slum = gpd.GeoDataFrame(
        geometry=[shapely.Polygon([(95.31, 5.81), (95.45, 5.82), (95.44, 5.89), (95.32, 5.825)])],
        crs=4326,
    )
    r = city(kel, {}, slum)
    for geom, ha in zip(kel.geometry, r.kelurahan["luas_ha"], strict=False):
        assert ha == pytest.approx(geodesic_area_ha(geom), rel=TOL)
    assert r.ringkasan["kumuh_ha"] == pytest.approx(geodesic_area_ha(slum.geometry[0]), rel=TOL)


def test_slum_given_as_a_table_spreads_its_hectares_over_the_kelurahan():
    kel = kelurahan((0, 0, 1000, 1000), (1000, 0, 2000, 1000))
    slum = gpd.GeoDataFrame(
        {
            "kode": ["99.71.01.1001", "99.71.01.1001", "99.71.01.1002"],
            LUAS_TABEL_HA: [3.0, 2.0, 7.5],
            "tingkat": ["kumuh ringan"] * 3,
            "baris_sumber": [2, 3, 4],
        },
        geometry=[kel.geometry[0], kel.geometry[0], kel.geometry[1]],
        crs=4326,
    )
    a = layer((0, 0, 500, 1000))  # half of the first kelurahan
    r = city(kel, {"A": a}, slum)
    assert r.kelurahan["kumuh_ha"].tolist() == pytest.approx([5.0, 7.5], rel=TOL)
    assert r.kelurahan["tercakup_ha"].tolist() == pytest.approx([2.5, 0.0], abs=1e-6)
    assert r.kelurahan["celah_ha"].tolist() == pytest.approx([2.5, 7.5], rel=TOL)
    assert r.kumuh["luas_ha"].tolist() == [3.0, 2.0, 7.5]  # the rows keep their own figures
    assert_accounting(r)


def test_each_city_is_analysed_on_its_own_and_summarised():
    kel = pd.concat(
        [kelurahan((0, 0, 1000, 1000), kab="99.71"), kelurahan((5000, 0, 6000, 1000), kab="99.72")],
        ignore_index=True,
    )
    a = layer((0, 0, 500, 1000), (5000, 0, 6000, 1000))
    slum = layer((0, 0, 1000, 1000), (5000, 0, 5100, 1000))
    results = analyse(kel, {"A": a}, slum)
    assert [r.kode for r in results] == ["99.71", "99.72"]
    table = summary_table(results)
    assert table["kumuh_ha"].tolist() == pytest.approx([100.0, 10.0], rel=TOL)
    assert table["celah_ha"].tolist() == pytest.approx([50.0, 0.0], abs=1e-6)
    assert table["kel: A"].tolist() == [1, 1]


def test_rows_outside_every_kelurahan_are_reported_not_lost():
    a = layer((0, 0, 500, 1000), (50_000, 0, 51_000, 1000), baris_sumber=[1, 2])
    log = ProblemLog()
    r = city(ONE_KM, {"A": a}, problems=log, sources={"A": "a.gpkg"})
    assert set(r.wilayah_kerja["baris_sumber"]) == {1}
    [p] = log.items
    assert (p.berkas, p.baris, p.masalah) == ("a.gpkg", 2, "di luar batas kelurahan")


def test_slum_outside_the_kelurahan_is_measured_apart():
    slum = layer((900, 0, 1100, 1000))  # half of it in the sea beyond the boundary
    r = city(ONE_KM, {}, slum)
    assert r.ringkasan["kumuh_ha"] == pytest.approx(10.0, rel=TOL)
    assert r.ringkasan["luar_batas_ha"] == pytest.approx(10.0, rel=TOL)


def test_inputs_are_not_modified():
    kel = kelurahan((0, 0, 1000, 1000), (1000, 0, 2000, 1000))
    a = layer((0, 0, 1500, 1000))
    slum = layer((500, 0, 1800, 600), tingkat=["kumuh sedang"])
    before = [g.copy() for g in (kel, a, slum)]
    analyse(kel, {"A": a}, slum)
    for b, g in zip(before, (kel, a, slum), strict=False):
        assert_geodataframe_equal(b, g)


def test_results_do_not_depend_on_row_order():
    kel = kelurahan((0, 0, 1000, 1000), (1000, 0, 2000, 1000), (0, 1000, 1000, 2000))
    a = layer((0, 0, 1500, 1000), (200, 1200, 800, 1800))
    b = layer((900, 0, 2000, 2000))
    slum = layer((100, 100, 1900, 900), (300, 1100, 900, 1900))
    r1 = city(kel, {"A": a, "B": b}, slum)
    r2 = city(kel.iloc[::-1], {"A": a.iloc[::-1], "B": b}, slum.iloc[::-1])
    cols = ["kode", "status", "kumuh_ha", "celah_ha", "tumpang_tindih_ha", "sliver_ha"]
    pd.testing.assert_frame_equal(r1.table[cols], r2.table[cols], rtol=1e-9)


def test_analyse_city_works_on_one_city_directly():
    r = analyse_city(ONE_KM, {"A": layer((0, 0, 500, 1000))})
    assert r.nama == "Kota 99.71"
    assert r.kelurahan["wk_a_ha"].iloc[0] == pytest.approx(50.0, rel=TOL)
    assert np.isclose(r.ringkasan["wk_a_ha"], 50.0, rtol=TOL)


def test_where_upstream_kelurahan_overlap_the_seam_is_a_sliver_however_wide():
    # two kelurahan polygons overlap by a 6 m strip: wider than the sliver width, yet it is
    # the boundary data's seam, not ground both programs handle
    kel = kelurahan((0, 0, 1003, 1000), (997, 0, 2000, 1000))
    a = kel.iloc[[0]][["geometry"]].assign(kode=kel["kode"].iloc[0])
    b = kel.iloc[[1]][["geometry"]].assign(kode=kel["kode"].iloc[1])
    r = city(kel, {"A": a, "B": b})
    assert r.ringkasan["tumpang_tindih_ha"] == 0
    [piece] = r.sliver.itertuples()
    assert piece.sebab == "batas kelurahan"
    assert piece.luas_ha == pytest.approx(0.6, rel=TOL)
    assert r.kelurahan["status"].tolist() == ["A", "B"]


def test_a_minimum_presence_keeps_a_small_intrusion_out_of_the_status():
    kel = kelurahan((0, 0, 1000, 1000), (1000, 0, 2000, 1000))
    a = layer((0, 0, 1030, 1000))  # 30 m into the neighbour: 3 ha, a real piece
    default = city(kel, {"A": a})
    strict = city(kel, {"A": a}, min_presence_ha=5.0)
    assert default.kelurahan["status"].tolist() == ["A", "A"]
    assert strict.kelurahan["status"].tolist() == ["A", "Bukan lokasi"]
    # only the status moves: the work area is still counted where it lies
    assert strict.kelurahan["wk_a_ha"].tolist() == pytest.approx([100.0, 3.0], rel=TOL)


def test_a_city_whose_kelurahan_have_no_geometry_is_an_input_error():
    kel = ONE_KM.assign(geometry=[shapely.Polygon()])
    with pytest.raises(InputError, match=r"kelurahan of Kota 99\.71: no geometry"):
        analyse_city(kel, {"A": layer((0, 0, 600, 1000))})


def test_a_result_pickled_before_seconds_existed_still_unpickles_and_writes(tmp_path):
    import pickle

    from kotaku_map.results import CityResult
    from kotaku_map.writers import write_city

    result = city(ONE_KM, {"NSUP": layer((0, 0, 600, 1000))})
    assert "analisis" in result.seconds
    assert pickle.loads(pickle.dumps(result)).seconds == result.seconds  # a round trip keeps it
    old_state = {k: v for k, v in result.__dict__.items() if k != "seconds"}
    old = CityResult.__new__(CityResult)
    old.__setstate__(old_state)  # what unpickling an older version's result does
    assert old.seconds == {} and old.ringkasan == result.ringkasan
    assert write_city(old, tmp_path / "kota")


def test_a_list_program_has_one_work_area_feature_per_kelurahan_with_its_rows():
    # a list names a kelurahan once per RT: three rows for the first, one for the second
    kel = kelurahan((0, 0, 1000, 1000), (1000, 0, 2000, 1000))
    codes = kel["kode"].tolist()
    listed = gpd.GeoDataFrame(
        {"kode": [codes[0], codes[1], codes[0], codes[0]], "baris_sumber": [2, 3, 4, 7]},
        geometry=[kel.geometry[0], kel.geometry[1], kel.geometry[0], kel.geometry[0]],
        crs=4326,
    )
    r = city(kel, {"L": listed})
    wk = r.wilayah_kerja.sort_values("kode")
    assert wk["kode"].tolist() == codes  # not 4 copies of the kelurahan polygons
    assert wk["baris_sumber"].tolist() == ["2; 4; 7", "3"]
    assert wk["jumlah_baris"].tolist() == [3, 1]
    assert wk["luas_ha"].sum() == pytest.approx(200.0, rel=TOL)
    assert r.ringkasan["wk_l_ha"] == pytest.approx(200.0, rel=TOL)


def test_published_figures_satisfy_the_identities_exactly_and_are_never_negative():
    # slum partly covered, partly a gap, and a 1 m gap sliver at its edge
    kel = kelurahan((0, 0, 1000, 1000), (1000, 0, 2000, 1000))
    a = layer((0, 0, 1337.3, 1000))
    slum = layer((300, 300, 1338.3, 700.7), (1500, 100, 1777.7, 333.3), tingkat=["kumuh berat"] * 2)
    r = city(kel, {"A": a}, slum)
    t = r.kelurahan
    units = {c: np.rint(t[c].to_numpy() * 1e4).astype(int) for c in t if c.endswith("_ha")}
    for c, u in units.items():
        assert (u >= 0).all() and np.allclose(u / 1e4, t[c], rtol=0, atol=1e-12), c
    assert (
        units["kumuh_ha"] == units["tercakup_ha"] + units["celah_ha"] + units["sliver_ha"]
    ).all()
    assert (units["tercakup_ha"] <= units["kumuh_ha"]).all()
    assert (units["wk_a_ha"] <= units["luas_ha"]).all()
    ring = {k: round(v * 1e4) for k, v in r.ringkasan.items() if isinstance(v, float)}
    for c in ("kumuh_ha", "tercakup_ha", "celah_ha", "sliver_ha", "wk_a_ha"):
        assert ring[c] == units[c].sum(), c
    assert ring["kumuh_ha"] == ring["tercakup_ha"] + ring["celah_ha"] + ring["sliver_ha"]
    combos = r.ringkasan["kumuh_per_kombinasi_ha"]
    assert sum(round(v * 1e4) for v in combos.values()) == ring["tercakup_ha"]
    assert ring["sliver_celah_ha"] <= ring["sliver_ha"]
