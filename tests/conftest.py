"""Shared pytest fixtures. Each block is owned by one module's tests; keep them apart."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import geopandas as gpd
import pytest
import slowmark
from realdata import real
from shapely import box

from kotaku_map import schema
from kotaku_map.results import CityResult

# ============================================================================
# the whole suite: the `slow` marker, and a temp folder of the run's own
# ============================================================================

SLOW_FIXTURES = {"chromium", "reference_build"}  # a test requesting one of these is slow


@pytest.hookimpl(tryfirst=True)  # before `-m "not slow"` deselects: it must see the marks
def pytest_collection_modifyitems(config, items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    config.stash[slowmark.COLLECTED] = list(items)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Let `slowmark.require` see the running test, fixture set-up included."""
    slowmark.CURRENT = item
    try:
        return (yield)
    finally:
        slowmark.CURRENT = None


class SystemTemp:
    """The run's system temp folder is a folder of its own, inside pytest's basetemp.

    `TMPDIR` and `tempfile.tempdir` point there for the whole session, so whatever the tested
    code, doctests, notebook kernels, Chromium or subprocesses put in "the temp folder" never
    lands in the shared /tmp (where other runs on this machine come and go). A test that leaves
    anything there fails at teardown. Registered as a plugin, not a conftest fixture, so that it
    covers the doctests under src/ too.
    """

    # leaks we know of and cannot fix from tests/: node id -> why
    KNOWN_LEAKS = {
        "src/kotaku_map/demo.py::kotaku_map.demo.make_demo": (
            "the docstring's example calls tempfile.mkdtemp() and never removes the folder"
        ),
    }

    def __init__(self) -> None:
        self.folder = None
        self._before = pytest.StashKey[set]()  # per item: the folder's entries when it started

    @pytest.fixture(scope="session", autouse=True)
    def _system_temp_folder(self, tmp_path_factory):
        folder = tmp_path_factory.mktemp("system-temp", numbered=False)
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("TMPDIR", str(folder))  # subprocesses: kernels, Chromium, benchmarks
            mp.setattr(tempfile, "tempdir", str(folder))  # this process
            self.folder = folder
            try:
                yield folder
            finally:
                self.folder = None

    def _entries(self) -> set[str]:
        return set(os.listdir(self.folder)) if self.folder is not None else set()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item):
        # after set-up: what a module or session fixture keeps there (Chromium's profile) is
        # not the test's doing
        item.stash[self._before] = self._entries()
        return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item, nextitem):
        result = yield
        before = item.stash.get(self._before, None)
        left = sorted(self._entries() - before) if before is not None else []
        if left and item.nodeid not in self.KNOWN_LEAKS:
            raise AssertionError(
                f"{item.nodeid} left {left} in the system temp folder ({self.folder}): write "
                "under tmp_path, or use tempfile.TemporaryDirectory and remove what you make"
            )
        return result


def pytest_configure(config):
    config.pluginmanager.register(SystemTemp(), "kotaku-system-temp")


# ============================================================================
# the demo, built once per session the way the README's quick start builds it
# ============================================================================


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory):
    """`kotaku-map build` with no config, in a fresh folder: writes the demo, then builds it."""
    import os

    from kotaku_map.cli import main

    folder = tmp_path_factory.mktemp("demo")
    old = os.getcwd()
    os.chdir(folder)
    try:
        assert main(["build", "-q"]) == 0
    finally:
        os.chdir(old)
    return folder


@pytest.fixture(scope="session")
def reference_build(tmp_path_factory):
    """The golden reference builds (tests/golden.py), each built once per session, on demand.

    ``reference_build("pekalongan")`` is the output folder of :func:`golden.run_build`; its
    project (``kotaku.toml``, the ``data`` link) is the folder above. The byte comparison
    (tests/test_golden.py), the forum map's browser checks, QGIS and the Pekalongan atlas
    read the same build: a test copies an output before it (or QGIS) writes into it.
    """
    import golden

    made: dict[str, Path] = {}

    def build(name: str) -> Path:
        if name not in made:
            if name != "demo":
                real("kumuh/pekalongan_kumuh.xlsx")  # skips, or fails under CI, without data
            made[name] = golden.run_build(name, tmp_path_factory.mktemp(f"reference_{name}"))
        return made[name]

    return build


# ============================================================================
# render / overview (tests/test_render.py, tests/test_overview.py)
# Hand-built CityResult fixtures and a session-scoped headless Chromium.
# ============================================================================

HOSTILE_NAMES = [
    "<script>alert(1)</script>",
    'O\'Brien "kutip" \\ garis\\miring',
    "Baris\nbaru",
    "🏚️ Kampung Émoji",
    "<img src=x onerror=alert(2)>",
    "{{ jinja }} {% raw %} </style>",
]


def _gdf(columns: dict, geoms: list) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries(geoms, crs=4326))


def build_city(
    *,
    hostile: bool = False,
    empty_layers: bool = False,
    kode: str = "33.74",
    nama: str = "Kota Contoh",
    x0: float = 110.40,
    y0: float = -6.90,
    programs: tuple[str, ...] = ("NSUP", "NUSP-2"),
) -> CityResult:
    """A 3x3 grid of 0.01° kelurahan (≈1.1 km) in two kecamatan, two programs.

    NSUP works in the west column and the centre, NUSP-2 in the east column and the
    centre: the centre cell is an overlap. Slum boxes in every cell but one.
    """
    d = 0.01
    p1, p2 = programs
    combo = f"{p1}{schema.PROGRAM_JOIN}{p2}"
    cells, rows = [], []
    statuses = [p1, schema.STATUS_NONE, p2, p1, combo, p2, p1, schema.STATUS_GAP, p2]
    for i in range(9):
        r, c = divmod(i, 3)
        geom = box(x0 + c * d, y0 - (r + 1) * d, x0 + (c + 1) * d, y0 - r * d)
        cells.append(geom)
        name = HOSTILE_NAMES[i % len(HOSTILE_NAMES)] if hostile and i < 6 else f"Kelurahan {i + 1}"
        kec = ('<b>Kec</b> "Barat"' if hostile else "Barat") if c < 2 else "Timur"
        st = statuses[i]
        prog = st if st not in (schema.STATUS_GAP, schema.STATUS_NONE) else ""
        rows.append(
            {
                "kode": f"{kode}.0{1 + (c == 2)}.100{i + 1}",
                "kelurahan": name,
                "kecamatan": kec,
                "kabkota": nama,
                "luas_ha": 121.5,
                "program": prog,
                "status": st,
                "kumuh_ha": 0.0 if st == schema.STATUS_NONE else 10.0 + i,
                "tercakup_ha": 0.0 if st in (schema.STATUS_NONE, schema.STATUS_GAP) else 10.0 + i,
                "tumpang_tindih_ha": 4.0 if st == combo else 0.0,
                "celah_ha": 17.0 if st == schema.STATUS_GAP else 0.0,
                "sliver_ha": 0.01 if i == 4 else 0.0,
                "metode_cocok": "kode" if i % 2 else "nama (fuzzy)",
                schema.work_column(p1): 121.5 if p1 in st else 0.0,
                schema.work_column(p2): 121.5 if p2 in st else 0.0,
            }
        )
    kel = _gdf({k: [r[k] for r in rows] for k in rows[0]}, cells)
    if empty_layers:
        empty = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=4326))
        return CityResult(
            kode, nama, programs, kel, empty, empty, empty, empty, empty, {"jumlah_kelurahan": 9}
        )

    def cell_box(i, a, b, c_, e):
        r, c = divmod(i, 3)
        return box(x0 + (c + a) * d, y0 - (r + e) * d, x0 + (c + c_) * d, y0 - (r + b) * d)

    wk_rows, wk_geoms = [], []
    for i, row in enumerate(rows):
        for p in programs:
            if p in row["status"]:
                wk_rows.append(
                    {
                        "program": p,
                        "baris_sumber": i + 1,
                        "kode": row["kode"],
                        "kelurahan": row["kelurahan"],
                        "luas_ha": 121.5,
                    }
                )
                wk_geoms.append(cells[i])
    wk = _gdf({k: [r[k] for r in wk_rows] for k in wk_rows[0]}, wk_geoms)
    levels = ["kumuh ringan", "kumuh sedang", "kumuh berat", "tidak diketahui"]
    ku_rows, ku_geoms = [], []
    for i, row in enumerate(rows):
        if row["status"] == schema.STATUS_NONE:
            continue
        ku_rows.append(
            {
                "tingkat": levels[i % 4],
                "luas_ha": row["kumuh_ha"],
                "baris_sumber": i + 1,
                "kode": row["kode"],
                "kelurahan": row["kelurahan"],
            }
        )
        ku_geoms.append(cell_box(i, 0.2, 0.2, 0.6, 0.55))
    kumuh = _gdf({k: [r[k] for r in ku_rows] for k in ku_rows[0]}, ku_geoms)
    overlap = _gdf(
        {
            "program": [combo],
            "kode": [rows[4]["kode"]],
            "kelurahan": [rows[4]["kelurahan"]],
            "luas_ha": [4.0],
        },
        [cell_box(4, 0.3, 0.3, 0.5, 0.5)],
    )
    celah = _gdf(
        {"kode": [rows[7]["kode"]], "kelurahan": [rows[7]["kelurahan"]], "luas_ha": [17.0]},
        [cell_box(7, 0.2, 0.2, 0.6, 0.55)],
    )
    sliver = _gdf(
        {
            "jenis": [schema.SLIVER_OVERLAP],
            "program": [combo],
            "kode": [rows[4]["kode"]],
            "kelurahan": [rows[4]["kelurahan"]],
            "luas_ha": [0.01],
            "lebar_m": [0.8],
        },
        [cell_box(4, 0.6, 0.2, 0.6008, 0.6)],
    )
    per_status: dict[str, int] = {}
    for r in rows:
        per_status[r["status"]] = per_status.get(r["status"], 0) + 1
    ringkasan = {
        "kode_kabkota": kode,
        "kabkota": nama,
        "jumlah_kelurahan": 9,
        "kumuh_ha": sum(r["kumuh_ha"] for r in rows),
        "tercakup_ha": sum(r["tercakup_ha"] for r in rows),
        "tumpang_tindih_ha": 4.0,
        "celah_ha": 17.0,
        "sliver_ha": 0.01,
        "sliver_tumpang_tindih_ha": 0.01,
        "sliver_celah_ha": 0.0,
        "luar_batas_ha": 0.0,
        "kelurahan_per_status": per_status,
        "kumuh_per_kombinasi_ha": {p1: 33.0, p2: 42.0, combo: 14.0},
    }
    return CityResult(kode, nama, programs, kel, wk, kumuh, overlap, celah, sliver, ringkasan)


@pytest.fixture
def make_city():
    """The builder itself, for tests that need variants (other codes, places, programs)."""
    return build_city


@pytest.fixture
def hostile_names() -> list[str]:
    return list(HOSTILE_NAMES)


@pytest.fixture
def city_result() -> CityResult:
    return build_city()


@pytest.fixture
def hostile_result() -> CityResult:
    return build_city(
        hostile=True,
        nama="Kota <script>alert('kota')</script> & \"Co\"",
        programs=("NSUP <i>x</i>", "NUSP-2 ' \" \\"),
    )


@pytest.fixture
def empty_result() -> CityResult:
    return build_city(empty_layers=True)


SEMARANG_RELATIVE = "boundaries/kel_3374_kota_semarang.geojson"


def build_semarang() -> CityResult:
    """Kota Semarang's 177 real kelurahan with an ILLUSTRATIVE (made-up) analysis.

    Status comes from the last digit of the code: 0-2 NSUP, 3-4 NUSP-2, 5 both,
    6 slum without program, 7-9 not a location. One slum box (≈ a quarter of the
    kelurahan's bounding box) around each non-"bukan lokasi" kelurahan's centre.
    """
    import pandas as pd
    from realdata import real

    semarang = real(SEMARANG_RELATIVE)
    src = gpd.read_file(semarang).to_crs(4326)
    p1, p2 = "NSUP", "NUSP-2"
    combo = f"{p1}{schema.PROGRAM_JOIN}{p2}"
    by_digit = {0: p1, 1: p1, 2: p1, 3: p2, 4: p2, 5: combo, 6: schema.STATUS_GAP}
    status = [by_digit.get(int(k[-1]), schema.STATUS_NONE) for k in src["kode"]]
    area = src.to_crs(src.estimate_utm_crs()).area / 10_000
    slum_geoms, slum_rows = [], []
    levels = ["kumuh ringan", "kumuh sedang", "kumuh berat"]
    for i, (geom, st) in enumerate(zip(src.geometry, status, strict=True)):
        if st == schema.STATUS_NONE:
            continue
        x0, y0, x1, y1 = geom.bounds
        cx, cy = geom.representative_point().coords[0]
        w, h = (x1 - x0) / 4, (y1 - y0) / 4
        piece = box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2).intersection(geom)
        slum_geoms.append(piece)
        slum_rows.append(
            {
                "tingkat": levels[i % 3],
                "luas_ha": float(area.iloc[i]) / 16,
                "baris_sumber": i + 1,
                "kode": src["kode"].iloc[i],
                "kelurahan": src["nama"].iloc[i],
            }
        )
    kumuh = gpd.GeoDataFrame(pd.DataFrame(slum_rows), geometry=slum_geoms, crs=4326)
    kumuh_ha = kumuh.groupby("kode")["luas_ha"].sum()
    kel = gpd.GeoDataFrame(
        {
            "kode": src["kode"],
            "kelurahan": src["nama"],
            "kecamatan": src["nama_kec"],
            "kabkota": src["nama_kab"],
            "luas_ha": area.round(2),
            "program": [
                s if s not in (schema.STATUS_GAP, schema.STATUS_NONE) else "" for s in status
            ],
            "status": status,
            "kumuh_ha": src["kode"].map(kumuh_ha).fillna(0.0),
        },
        geometry=src.geometry,
        crs=4326,
    )
    kel["tercakup_ha"] = [
        k if s not in (schema.STATUS_GAP, schema.STATUS_NONE) else 0.0
        for k, s in zip(kel["kumuh_ha"], status, strict=True)
    ]
    kel["tumpang_tindih_ha"] = [
        k if s == combo else 0.0 for k, s in zip(kel["kumuh_ha"], status, strict=True)
    ]
    kel["celah_ha"] = [
        k if s == schema.STATUS_GAP else 0.0 for k, s in zip(kel["kumuh_ha"], status, strict=True)
    ]
    kel["sliver_ha"] = 0.0
    kel["metode_cocok"] = "kode"
    kel[schema.work_column(p1)] = [
        a if p1 in s else 0.0 for a, s in zip(kel["luas_ha"], status, strict=True)
    ]
    kel[schema.work_column(p2)] = [
        a if p2 in s else 0.0 for a, s in zip(kel["luas_ha"], status, strict=True)
    ]
    wk_parts = []
    for p in (p1, p2):
        sel = kel[[p in s for s in status]]
        wk_parts.append(
            gpd.GeoDataFrame(
                {
                    "program": p,
                    "baris_sumber": range(1, len(sel) + 1),
                    "kode": sel["kode"].values,
                    "kelurahan": sel["kelurahan"].values,
                    "luas_ha": sel["luas_ha"].values,
                },
                geometry=sel.geometry.values,
                crs=4326,
            )
        )
    wk = pd.concat(wk_parts, ignore_index=True)
    ov_sel = kumuh[kumuh["kode"].map(dict(zip(kel["kode"], status, strict=True))) == combo]
    overlap = gpd.GeoDataFrame(
        {
            "program": combo,
            "kode": ov_sel["kode"].values,
            "kelurahan": ov_sel["kelurahan"].values,
            "luas_ha": ov_sel["luas_ha"].values,
        },
        geometry=ov_sel.geometry.values,
        crs=4326,
    )
    gap_sel = kumuh[
        kumuh["kode"].map(dict(zip(kel["kode"], status, strict=True))) == schema.STATUS_GAP
    ]
    celah = gpd.GeoDataFrame(
        {
            "kode": gap_sel["kode"].values,
            "kelurahan": gap_sel["kelurahan"].values,
            "luas_ha": gap_sel["luas_ha"].values,
        },
        geometry=gap_sel.geometry.values,
        crs=4326,
    )
    sliver = gpd.GeoDataFrame(
        {"jenis": [], "program": [], "kode": [], "kelurahan": [], "luas_ha": [], "lebar_m": []},
        geometry=gpd.GeoSeries([], crs=4326),
    )
    per_status = kel["status"].value_counts().to_dict()
    ringkasan = {
        "kode_kabkota": "33.74",
        "kabkota": "Kota Semarang",
        "jumlah_kelurahan": len(kel),
        "kumuh_ha": float(kel["kumuh_ha"].sum()),
        "tercakup_ha": float(kel["tercakup_ha"].sum()),
        "tumpang_tindih_ha": float(kel["tumpang_tindih_ha"].sum()),
        "celah_ha": float(kel["celah_ha"].sum()),
        "sliver_ha": 0.0,
        "sliver_tumpang_tindih_ha": 0.0,
        "sliver_celah_ha": 0.0,
        "luar_batas_ha": 0.0,
        "kelurahan_per_status": per_status,
        "kumuh_per_kombinasi_ha": kel[kel["program"] != ""]
        .groupby("program")["kumuh_ha"]
        .sum()
        .to_dict(),
    }
    return CityResult(
        "33.74", "Kota Semarang", (p1, p2), kel, wk, kumuh, overlap, celah, sliver, ringkasan
    )


@pytest.fixture(scope="session")
def semarang_result() -> CityResult:
    return build_semarang()


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole session (skips, or fails under CI, if missing)."""
    import browser as harness

    pw, br = harness.launch()
    yield br
    br.close()
    pw.stop()


# ============================================================================
# end of render / overview block
# ============================================================================
