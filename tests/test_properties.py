"""Property-based tests of the analysis (hypothesis): random layers, invariant answers.

Shapes are drawn in metres in a local equal-area frame around lon 110.4, lat -6.9 (random
boxes, rotated rectangles and unions of two boxes), converted to lon/lat and analysed with
:func:`kotaku_map.analysis.analyse` on a grid of 2-6 kelurahan, 1-3 programs and a random
slum layer. The properties:

* accounting: kumuh = tercakup + celah + sliver per city and per kelurahan, and the slum per
  program combination adds up to tercakup (0.01 %);
* a coverage gap never lies inside a work area;
* overlaps do not depend on the order of the programs;
* nothing depends on the order of the rows of any layer.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from shapely import affinity, box

from kotaku_map.analysis import analyse
from kotaku_map.crs import local_equal_area
from kotaku_map.overlay import GRID

METRIC = local_equal_area(110.4, -6.9)
TOL = 1e-4  # 0.01 %
SETTINGS = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --------------------------------------------------------------------------- strategies


@st.composite
def a_box(draw, width: int, height: int) -> shapely.Polygon:
    """A box of at least 20 m x 20 m that may reach past the grid's edge by up to 100 m."""
    x0 = draw(st.integers(-100, width - 20))
    y0 = draw(st.integers(-100, height - 20))
    w = draw(st.integers(20, width + 100 - x0))
    h = draw(st.integers(20, height + 100 - y0))
    return box(x0, y0, x0 + w, y0 + h)


@st.composite
def a_shape(draw, width: int, height: int) -> shapely.Geometry:
    kind = draw(st.sampled_from(["box", "rotated", "union"]))
    first = draw(a_box(width, height))
    if kind == "rotated":
        return affinity.rotate(first, draw(st.integers(1, 89)), origin="centroid")
    if kind == "union":
        return shapely.union(first, draw(a_box(width, height)))
    return first


def to_lonlat(geoms, **columns) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns or None, geometry=list(geoms), crs=METRIC).to_crs(4326)


@st.composite
def a_city(draw):
    """(kelurahan, {program: layer}, slum), all in EPSG:4326."""
    nx = draw(st.integers(1, 3))
    ny = draw(st.integers(2 if nx == 1 else 1, 6 // nx))
    size = draw(st.sampled_from([400, 700, 1000]))
    width, height = nx * size, ny * size
    cells = [
        box(i * size, j * size, (i + 1) * size, (j + 1) * size)
        for j in range(ny)
        for i in range(nx)
    ]
    n = len(cells)
    kel = to_lonlat(
        cells,
        kode=[f"99.71.01.{1001 + i}" for i in range(n)],
        kelurahan=[f"Kel {i + 1}" for i in range(n)],
        kecamatan=["Kec"] * n,
        kabkota=["Kota Uji"] * n,
        kode_kabkota=["99.71"] * n,
        baris_sumber=list(range(1, n + 1)),
    )
    programs = {}
    for p in range(draw(st.integers(1, 3))):
        shapes = draw(st.lists(a_shape(width, height), min_size=1, max_size=3))
        programs[f"P{p + 1}"] = to_lonlat(shapes, baris_sumber=list(range(1, len(shapes) + 1)))
    shapes = draw(st.lists(a_shape(width, height), min_size=1, max_size=3))
    slum = to_lonlat(
        shapes, tingkat=["kumuh ringan"] * len(shapes), baris_sumber=list(range(1, len(shapes) + 1))
    )
    return kel, programs, slum


def one_city(kel, programs, slum):
    [result] = analyse(kel, programs, slum)
    return result


def metric(geoms) -> np.ndarray:
    return gpd.GeoSeries(list(geoms), crs=4326).to_crs(METRIC).values


# --------------------------------------------------------------------------- properties

# a hand-made case kept as an explicit example: two programs over the same rotated
# rectangle (coincident edges everywhere) and a slum box straddling two kelurahan
_ROT = affinity.rotate(box(100, 100, 900, 500), 30, origin="centroid")
FIXED = (
    to_lonlat(
        [box(0, 0, 700, 700), box(700, 0, 1400, 700)],
        kode=["99.71.01.1001", "99.71.01.1002"],
        kelurahan=["Kel 1", "Kel 2"],
        kecamatan=["Kec"] * 2,
        kabkota=["Kota Uji"] * 2,
        kode_kabkota=["99.71"] * 2,
        baris_sumber=[1, 2],
    ),
    {"P1": to_lonlat([_ROT], baris_sumber=[1]), "P2": to_lonlat([_ROT], baris_sumber=[1])},
    to_lonlat([box(300, 50, 1100, 650)], tingkat=["kumuh berat"], baris_sumber=[1]),
)


@SETTINGS
@given(a_city())
@example(FIXED)
def test_the_books_balance(city):
    r = one_city(*city)
    ring = r.ringkasan
    assert ring["tercakup_ha"] + ring["celah_ha"] + ring["sliver_ha"] == pytest.approx(
        ring["kumuh_ha"], rel=TOL, abs=1e-8
    )
    assert sum(ring["kumuh_per_kombinasi_ha"].values()) == pytest.approx(
        ring["tercakup_ha"], rel=TOL, abs=1e-8
    )
    t = r.kelurahan
    assert (t["tercakup_ha"] + t["celah_ha"] + t["sliver_ha"]).to_numpy() == pytest.approx(
        t["kumuh_ha"].to_numpy(), rel=TOL, abs=1e-8
    )
    for col in ("kumuh_ha", "tercakup_ha", "celah_ha", "sliver_ha", "tumpang_tindih_ha"):
        assert t[col].sum() == pytest.approx(ring[col], rel=TOL, abs=1e-8), col
        assert (t[col] >= -1e-9).all(), col


@SETTINGS
@given(a_city())
@example(FIXED)
def test_gaps_never_lie_inside_a_work_area(city):
    kel, programs, slum = city
    r = one_city(kel, programs, slum)
    gaps = pd.concat([r.celah.geometry, r.sliver.loc[r.sliver["jenis"] == "celah"].geometry])
    if not len(gaps):
        return
    work = shapely.union_all(np.concatenate([metric(p.geometry) for p in programs.values()]))
    gap = shapely.union_all(metric(gaps))
    inside = shapely.area(shapely.intersection(gap, work))
    # overlays are snap-rounded to a 1 mm grid (GRID) in the city's own equal-area frame,
    # so a gap edge that follows a work-area edge may stray into it by under a millimetre:
    # what lies inside must be a hairline, on average narrower than the grid along the
    # gap's whole outline (0.5 m² on 23.6 ha for FIXED, 2e-6 relative: no real overlap)
    assert inside <= GRID * shapely.length(gap) + 1e-4, (inside, shapely.area(gap))


#: tolerance of the symmetry property. Program combinations are cut in config order and every
#: overlay is snap-rounded to a 1 mm grid, so another order moves vertices by under a
#: millimetre and may split off, or not, a fragment under 1 m² that then counts as a 'kecil'
#: sliver. Hunting with 300 random examples per run, hypothesis found for three programs with
#: coincident edges: tercakup 0.0399990285 vs 0.0399990325 ha (0.4 mm²); tumpang_tindih
#: 0.08199895 vs 0.082 ha (0.01 m²); slum of combination P3 0.0931900 vs 0.0931784 ha and
#: sliver_ha 0.015921 vs 0.015906 ha (0.12-0.15 m² moved between classes); a combination of
#: ~0 ha present in one order only. The books balance either way. Exact symmetry needs
#: order-free combination regions in analysis.py; here figures agree to 0.01 % or 1 m².
SYM = {"rel": TOL, "abs": 1e-4}


def _combos(ringkasan: dict) -> dict[frozenset[str], float]:
    return {frozenset(k.split(" + ")): v for k, v in ringkasan["kumuh_per_kombinasi_ha"].items()}


@pytest.mark.slow  # ~10 s: every example is analysed again with the programs permuted
@SETTINGS
@given(a_city(), st.data())
@example(FIXED, None)
def test_overlaps_are_symmetric_in_the_programs(city, data):
    kel, programs, slum = city
    names = list(programs)
    if data is None:
        order = names[::-1]
    else:
        order = data.draw(st.permutations(names))
    r1 = one_city(kel, programs, slum)
    r2 = one_city(kel, {k: programs[k] for k in order}, slum)
    cols = ["kode", "tumpang_tindih_ha", "celah_ha", "kumuh_ha", "tercakup_ha", "sliver_ha"]
    pd.testing.assert_frame_equal(r1.table[cols], r2.table[cols], rtol=SYM["rel"], atol=SYM["abs"])
    assert r2.ringkasan["tumpang_tindih_ha"] == pytest.approx(
        r1.ringkasan["tumpang_tindih_ha"], **SYM
    )
    c1, c2 = _combos(r1.ringkasan), _combos(r2.ringkasan)
    for k in set(c1) | set(c2):  # a combination of no measurable slum may come and go
        assert c2.get(k, 0.0) == pytest.approx(c1.get(k, 0.0), **SYM), k
    assert {k for k, v in c1.items() if v > SYM["abs"]} == {
        k for k, v in c2.items() if v > SYM["abs"]
    }
    o1 = (
        r1.tumpang_tindih.assign(
            p=r1.tumpang_tindih["program"].map(lambda s: frozenset(s.split(" + ")))
        )
        .groupby("p")["luas_ha"]
        .sum()
    )
    o2 = (
        r2.tumpang_tindih.assign(
            p=r2.tumpang_tindih["program"].map(lambda s: frozenset(s.split(" + ")))
        )
        .groupby("p")["luas_ha"]
        .sum()
    )
    for k in set(o1.index) | set(o2.index):
        assert o2.get(k, 0.0) == pytest.approx(o1.get(k, 0.0), **SYM), k


def _shuffle(data, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    order = data.draw(st.permutations(range(len(gdf))))
    return gdf.iloc[list(order)]


@pytest.mark.slow  # ~10 s: every example is analysed again with every layer shuffled
@SETTINGS
@given(a_city(), st.data())
@example(FIXED, None)
def test_results_do_not_depend_on_row_order(city, data):
    kel, programs, slum = city
    r1 = one_city(kel, programs, slum)
    if data is None:
        kel2, slum2 = kel.iloc[::-1], slum.iloc[::-1]
        programs2 = {k: v.iloc[::-1] for k, v in programs.items()}
    else:
        kel2, slum2 = _shuffle(data, kel), _shuffle(data, slum)
        programs2 = {k: _shuffle(data, v) for k, v in programs.items()}
    r2 = one_city(kel2, programs2, slum2)
    cols = [
        "kode",
        "status",
        "program",
        "luas_ha",
        "kumuh_ha",
        "tercakup_ha",
        "tumpang_tindih_ha",
        "celah_ha",
        "sliver_ha",
    ] + [c for c in r1.table.columns if c.startswith("wk_")]
    t1 = r1.table[cols].sort_values("kode").reset_index(drop=True)
    t2 = r2.table[cols].sort_values("kode").reset_index(drop=True)
    pd.testing.assert_frame_equal(t1, t2, rtol=1e-9, atol=1e-12)
