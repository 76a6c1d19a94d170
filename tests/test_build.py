"""End to end: the demo through the CLI, and Kota Pekalongan from real data."""

import json
import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from realdata import real

from kotaku_map.build import build
from kotaku_map.cli import main
from kotaku_map.crs import geodesic_area_ha, local_equal_area
from kotaku_map.demo import make_demo
from kotaku_map.geometry import mean_width_m

TOL = 1e-4
REPO = Path(__file__).resolve().parents[1]


def assert_identity(ringkasan):
    total = ringkasan["tercakup_ha"] + ringkasan["celah_ha"] + ringkasan["sliver_ha"]
    assert total == pytest.approx(ringkasan["kumuh_ha"], rel=TOL)
    assert sum(ringkasan["kumuh_per_kombinasi_ha"].values()) == pytest.approx(
        ringkasan["tercakup_ha"], rel=TOL
    )


# --- the demo ------------------------------------------------------------------------------


def test_build_without_config_writes_the_demo_and_its_outputs(demo_build):
    out = demo_build / "output"
    city = out / "9971-kota-contoh-fiktif"
    for name in [
        "index.html",
        "manifest.json",
        "masalah.csv",
        "ringkasan_kabkota.csv",
        "ringkasan_kabkota.xlsx",
        "pencocokan.csv",
        "pencocokan.xlsx",
    ]:
        assert (out / name).is_file(), name
    for name in [
        "peta.html",
        "kelurahan.csv",
        "kelurahan.xlsx",
        "9971-kota-contoh-fiktif.gpkg",
        "lingkungan.csv",
        "lingkungan.xlsx",
    ]:
        assert (city / name).is_file(), name
    layers = set(pyogrio.list_layers(city / "9971-kota-contoh-fiktif.gpkg")[:, 0])
    assert layers == {
        "kelurahan",
        "wilayah_kerja_nsup",
        "wilayah_kerja_nusp_2",
        "kawasan_kumuh",
        "tumpang_tindih",
        "celah_cakupan",
        "sliver",
        "lingkungan",  # one feature per slum delineation (issue 16)
        "layer_styles",  # QGIS's table of default styles (tests/test_qgis.py)
    }
    assert not list(demo_build.glob(".output.partial-*"))


def test_demo_has_overlaps_gaps_and_slivers_and_the_books_balance(demo_build):
    out = demo_build / "output"
    table = pd.read_csv(out / "9971-kota-contoh-fiktif" / "kelurahan.csv")
    assert 40 <= len(table) <= 80
    assert {"NSUP", "NUSP-2", "NSUP + NUSP-2", "Kumuh tanpa program", "Bukan lokasi"} <= set(
        table["status"]
    )
    summary = pd.read_csv(out / "ringkasan_kabkota.csv").iloc[0]
    assert summary["tumpang_tindih_ha"] > 10
    assert summary["celah_ha"] > 10
    assert summary["sliver_tumpang_tindih_ha"] > 0
    assert summary["sliver_celah_ha"] > 0
    assert summary["tercakup_ha"] + summary["celah_ha"] + summary["sliver_ha"] == pytest.approx(
        summary["kumuh_ha"], rel=TOL
    )
    # the per-kelurahan table adds up to the city
    for col in ["kumuh_ha", "celah_ha", "tumpang_tindih_ha", "sliver_ha"]:
        assert table[col].sum() == pytest.approx(summary[col], rel=TOL, abs=1e-3)


def test_demo_manifest_accounts_for_every_row(demo_build):
    manifest = json.loads((demo_build / "output" / "manifest.json").read_text())
    assert manifest["ambang_sliver"] == {"lebar_m": 5.0, "luas_m2": 100.0}
    assert {m["peran"] for m in manifest["masukan"]} == {"batas", "NSUP", "NUSP-2", "kumuh"}
    assert all(len(m["sha256"]) == 64 for m in manifest["masukan"])
    for role, rows in manifest["baris"].items():
        assert rows["baris_dibaca"] == rows["baris_dipakai"] + rows["baris_dilaporkan"], role
        assert rows["baris_hilang"] == 0
    assert manifest["baris"]["NUSP-2"]["baris_dibaca"] == 12
    assert "kotaku_map" in manifest and manifest["config"]["programs"][1]["kind"] == "table"


def test_the_demo_is_deterministic_and_matches_the_bundled_copy(tmp_path):
    a = make_demo(tmp_path / "a").parent
    b = make_demo(tmp_path / "b").parent
    for name in [
        "batas_kelurahan.geojson",
        "nsup_wilayah_kerja.geojson",
        "kawasan_kumuh.geojson",
        "kotaku.toml",
        "README.md",
        "nusp2_lokasi.xlsx",
    ]:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    bundled = REPO / "layers" / "demo"
    for name in ["batas_kelurahan.geojson", "nsup_wilayah_kerja.geojson", "kawasan_kumuh.geojson"]:
        mine, theirs = gpd.read_file(a / name), gpd.read_file(bundled / name)
        assert_geodataframe_equal(mine, theirs, check_less_precise=True)
    kel = gpd.read_file(a / "batas_kelurahan.geojson")
    assert kel["keterangan"].str.startswith("FIKTIF").all()
    assert kel["kode"].str.fullmatch(r"99\.71\.0[1-6]\.1\d{3}").all()
    assert kel["kode"].is_unique and kel["nama"].is_unique


def test_the_same_inputs_give_byte_identical_outputs(tmp_path, demo_build):
    cfg = demo_build / "layers" / "demo" / "kotaku.toml"
    for name in ("a", "b"):
        assert main(["build", str(cfg), "-o", str(tmp_path / name), "-q"]) == 0
    files = sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
    )
    assert len(files) >= 11
    for rel in files:
        if rel.name == "manifest.json":
            a = json.loads((tmp_path / "a" / rel).read_text())
            b = json.loads((tmp_path / "b" / rel).read_text())
            for m in (a, b):
                m.pop("dibuat"), m["config"].pop("output")
            assert a == b
        else:
            assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_verbose_cli_gives_each_citys_figures_and_seconds(tmp_path, capsys, demo_build):
    status = main(
        [
            "build",
            str(demo_build / "layers" / "demo" / "kotaku.toml"),
            "-o",
            str(tmp_path / "out"),
            "-v",
        ]
    )
    out = capsys.readouterr().out.splitlines()
    assert status == 0
    header = out.index(next(line for line in out if "analisis_s" in line))
    assert out[header].split()[-2:] == ["analisis_s", "tulis_s"]
    row = out[header + 1].split()
    assert row[:3] == ["Kota", "Contoh", "(FIKTIF)"]
    analysis_s, write_s = float(row[-2]), float(row[-1])
    assert 0 < analysis_s < 60 and 0 < write_s < 60
    # the seconds are in the result only, never in an output (those stay reproducible)
    assert not any(
        "analisis_s" in p.read_text(errors="ignore")
        for p in (tmp_path / "out").rglob("*")
        if p.suffix in {".csv", ".json"}
    )


def test_cli_error_is_one_line_exit_2_and_writes_nothing(tmp_path, capsys):
    cfg = tmp_path / "kotaku.toml"
    cfg.write_text(
        '[boundaries]\npath = "missing.gpkg"\n[[programs]]\nname = "A"\npath = "a.gpkg"\n'
    )
    status = main(["build", str(cfg), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "missing.gpkg" in err and "does not exist" in err
    assert not (tmp_path / "out").exists()


def test_a_failed_build_leaves_the_previous_outputs_intact(tmp_path, demo_build):
    out = tmp_path / "out"
    shutil.copytree(demo_build / "output", out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    cfg = tmp_path / "bad.toml"
    shutil.copytree(demo_build / "layers" / "demo", tmp_path / "demo")
    text = (tmp_path / "demo" / "kotaku.toml").read_text()
    (tmp_path / "demo" / "kotaku.toml").write_text(
        text.replace('level = "tingkat"', 'level = "tingkatan"')
    )
    cfg = tmp_path / "demo" / "kotaku.toml"
    assert main(["build", str(cfg), "-o", str(out), "-q"]) == 2
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not list(tmp_path.glob(".out.partial-*"))


# --- Kota Pekalongan, real data ---------------------------------------------------------------

PROGRAM_B = pd.DataFrame(
    {
        "kelurahan": ["Krapyak", "Bandengan", "Medono", "Podosugih", "Banyurip"],
        "kecamatan": [
            "Pekalongan Utara",
            "Pekalongan Utara",
            "Pekalongan Barat",
            "Pekalongan Barat",
            "Pekalongan Selatan",
        ],
    }
)


def pekalongan_config(folder: Path, program_b: pd.DataFrame = PROGRAM_B) -> Path:
    """Program A: the SIM KOTAKU RT polygons of Pekalongan Utara and Timur (ILLUSTRATIVE);
    program B: a list of kelurahan written as XLSX (ILLUSTRATIVE); slum: all RT polygons."""
    boundaries = real("boundaries/kel_3375_kota_pekalongan.geojson")
    rt_path = real("kumuh/pekalongan_rt_kumuh_simkotaku2020.geojson")
    rt = gpd.read_file(rt_path)
    a = rt[rt["Kecamatan"].isin(["Pekalongan Utara", "Pekalongan Timur"])]
    a = a[["Kelurahan", "Kecamatan", "RW", "RT", "geometry"]].assign(
        keterangan="ILUSTRATIF: bukan data program nyata"
    )
    a.to_file(folder / "program_a.gpkg", layer="wilayah_kerja")
    program_b.assign(keterangan="ILUSTRATIF").to_excel(
        folder / "program_b.xlsx", sheet_name="lokasi", index=False
    )
    cfg = folder / "kotaku.toml"
    cfg.write_text(f"""
title = "Kota Pekalongan (program ILUSTRATIF)"
[boundaries]
path = "{boundaries.as_posix()}"
code = "kode"
kelurahan = "nama"
kecamatan = "nama_kec"
kabkota = "nama_kab"
[[programs]]
name = "Program A"
path = "program_a.gpkg"
layer = "wilayah_kerja"
illustrative = true
[[programs]]
name = "Program B"
path = "program_b.xlsx"
kind = "table"
sheet = "lokasi"
columns = {{ kelurahan = "kelurahan", kecamatan = "kecamatan" }}
illustrative = true
[slum]
path = "{rt_path.as_posix()}"
level = "kum_awal"
""")
    return cfg


@pytest.fixture(scope="module")
def pekalongan(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pekalongan")
    return build(pekalongan_config(folder), output_dir=folder / "output")


@pytest.mark.slow
def test_pekalongan_books_balance(pekalongan):
    [city] = pekalongan.cities
    r = city.ringkasan
    assert city.nama == "Kota Pekalongan" and r["jumlah_kelurahan"] == 27
    assert_identity(r)
    assert r["tumpang_tindih_ha"] > 10  # RT polygons of Krapyak and Bandengan are in both
    assert r["celah_ha"] > 100  # Pekalongan Barat and Selatan outside Medono, Podosugih, Banyurip
    statuses = dict(zip(city.kelurahan["kelurahan"], city.kelurahan["status"], strict=False))
    assert statuses["Krapyak"] == statuses["Bandengan"] == "Program A + Program B"
    assert statuses["Medono"] == "Program B"
    assert statuses["Pringrejo"] == "Kumuh tanpa program"
    rows = pekalongan.manifest["baris"]
    for role, n in rows.items():
        assert n["baris_dibaca"] == n["baris_dipakai"] + n["baris_dilaporkan"], role
        assert n["baris_hilang"] == 0
    assert rows["kumuh"]["baris_dibaca"] == 438


@pytest.mark.slow
def test_pekalongan_hectares_are_geodesic(pekalongan):
    [city] = pekalongan.cities
    kel = gpd.read_file(real("boundaries/kel_3375_kota_pekalongan.geojson"))
    expected = {k: geodesic_area_ha(g) for k, g in zip(kel["kode"], kel.geometry, strict=False)}
    for k, ha in zip(city.kelurahan["kode"], city.kelurahan["luas_ha"], strict=False):
        assert ha == pytest.approx(expected[k], rel=TOL)
    rt = gpd.read_file(real("kumuh/pekalongan_rt_kumuh_simkotaku2020.geojson"))
    outside = pekalongan.inputs.problems.unused_rows(pekalongan.inputs.sources["kumuh"][0])
    assert len(outside) == 4  # four RT polygons lie wholly outside the kelurahan boundaries
    used = rt.geometry.values[[i for i in range(len(rt)) if i + 1 not in outside]]
    union = shapely.union_all(shapely.make_valid(shapely.force_2d(used)))
    total = city.ringkasan["kumuh_ha"] + city.ringkasan["luar_batas_ha"]
    assert total == pytest.approx(geodesic_area_ha(union), rel=TOL)
    for gdf in (city.tumpang_tindih, city.celah):
        for geom, ha in zip(gdf.geometry[:20], gdf["luas_ha"][:20], strict=False):
            assert ha == pytest.approx(geodesic_area_ha(geom), rel=1e-3, abs=1e-4)


def upstream_overlaps(path) -> shapely.Geometry:
    """Where neighbouring kelurahan polygons of the upstream boundaries overlap one another."""
    kel = gpd.read_file(path).to_crs(local_equal_area(109.67, -6.89))
    g = kel.geometry.values
    i, j = shapely.STRtree(g).query(g, predicate="overlaps")
    return shapely.union_all(shapely.intersection(g[i[i < j]], g[j[i < j]]))


@pytest.mark.slow
def test_upstream_boundary_slivers_are_slivers_not_overlaps(tmp_path):
    # both programs given as lists of neighbouring kelurahan: their polygons share only
    # the upstream digitising slivers, so every overlap piece must be a sliver
    program_b = pd.DataFrame(
        {
            "kelurahan": ["Gamer", "Kauman", "Jenggot"],
            "kecamatan": ["Pekalongan Timur"] * 2 + ["Pekalongan Selatan"],
        }
    )
    cfg = pekalongan_config(tmp_path, program_b)
    text = cfg.read_text().replace(
        'path = "program_a.gpkg"\nlayer = "wilayah_kerja"',
        'path = "program_a2.csv"\nkind = "table"\ncolumns = { kelurahan = "kel" }',
    )
    cfg.write_text(text)
    pd.DataFrame({"kel": ["Krapyak", "Setono", "Sapuro Kebulen", "Sokoduwet"]}).to_csv(
        tmp_path / "program_a2.csv", index=False
    )
    [city] = build(cfg, write=False).cities
    assert city.ringkasan["tumpang_tindih_ha"] == 0
    assert len(city.tumpang_tindih) == 0
    overlap_slivers = city.sliver[city.sliver["jenis"] == "tumpang tindih"]
    assert len(overlap_slivers) >= 4  # Krapyak|Gamer, Setono|Gamer, Sapuro Kebulen|Kauman, ...
    assert set(overlap_slivers["sebab"]) <= {"kecil", "sempit", "batas kelurahan"}
    wide = overlap_slivers[overlap_slivers["lebar_m"] >= 5]
    assert (wide["sebab"] == "batas kelurahan").all()  # a bulge of a seam is still a seam


@pytest.mark.slow
def test_pekalongan_real_overlaps_are_not_upstream_slivers(pekalongan):
    [city] = pekalongan.cities
    zone = upstream_overlaps(real("boundaries/kel_3375_kota_pekalongan.geojson"))
    crs = local_equal_area(109.67, -6.89)
    real_pieces = city.tumpang_tindih.to_crs(crs).geometry.values
    inside = shapely.area(shapely.intersection(real_pieces, zone)) / shapely.area(real_pieces)
    assert (inside < 0.5).all()  # no real overlap is mostly an upstream sliver
    assert (mean_width_m(real_pieces) >= 5).all()
    assert len(city.sliver) > 0


@pytest.mark.slow
def test_unmatched_rows_land_in_the_match_report_and_problems_with_candidates(tmp_path):
    program_b = pd.DataFrame(
        {
            "kelurahan": ["Krapyak", "Kel. Bandengn", "Kampung Fiktif", "Medono"],
            "kecamatan": [
                "Pekalongan Utara",
                "Pekalongan Utara",
                "Pekalongan Utara",
                "Pekalongan Barat",
            ],
        }
    )
    result = build(pekalongan_config(tmp_path, program_b), output_dir=tmp_path / "out")
    report = pd.read_csv(tmp_path / "out" / "pencocokan.csv")
    rows = report[report["program"] == "Program B"].set_index("nama_sumber")
    assert rows.loc["Krapyak", "metode"] == "nama"
    assert rows.loc["Kel. Bandengn", "metode"] == "fuzzy"
    assert rows.loc["Kel. Bandengn", "kode"] == "33.75.03.1009"
    assert rows.loc["Kampung Fiktif", "metode"] == "tidak cocok"
    assert isinstance(rows.loc["Kampung Fiktif", "kandidat"], str)
    problems = pd.read_csv(tmp_path / "out" / "masalah.csv")
    [row] = problems[problems["masalah"] == "tidak cocok"].itertuples()
    assert row.baris == 4 and row.berkas.endswith("program_b.xlsx")  # header is line 1
    assert "kandidat" in row.rincian
    b = result.manifest["baris"]["Program B"]
    assert (b["baris_dibaca"], b["baris_dipakai"], b["baris_dilaporkan"]) == (4, 3, 1)
    [city] = result.cities
    bandengan = city.kelurahan.set_index("kelurahan").loc["Bandengan"]
    assert "Program B: fuzzy" in bandengan["metode_cocok"]


def test_the_overview_takes_its_simplification_and_budget_from_the_config(tmp_path):
    import re
    import warnings
    from dataclasses import replace

    from kotaku_map.config import load_config
    from kotaku_map.render import MapSizeWarning

    cfg = load_config(make_demo(tmp_path / "demo"))
    sizes = {}
    for tol in (0.0, 500.0):
        out = tmp_path / f"out_{tol:g}"
        build(replace(cfg, output=replace(cfg.output, overview_simplify_m=tol)), output_dir=out)
        data = (out / "index.html").read_text(encoding="utf-8")
        sizes[tol] = len(re.search(r'id="kotaku_overview_data">(.*?)</script>', data).group(1))
    assert sizes[500.0] < sizes[0.0]  # coarser outlines, fewer vertices
    small = replace(cfg, output=replace(cfg.output, map_size_budget_mb=0.01))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        build(small, output_dir=tmp_path / "small")
    over = [str(w.message) for w in caught if issubclass(w.category, MapSizeWarning)]
    assert any("index.html" in m for m in over) and any("peta.html" in m for m in over)


def test_maps_name_the_stated_sources_and_mark_illustrative_inputs(demo_build):
    """`source` and `illustrative` of the config reach the city map and the overview."""
    out = demo_build / "output"
    [city] = out.glob("*/peta.html")
    for page in (city, out / "index.html"):
        text = page.read_text(encoding="utf-8")
        assert "NSUP: FIKTIF: contoh delineasi wilayah kerja NSUP" in text
        assert "NUSP-2: FIKTIF: contoh daftar lokasi NUSP-2" in text
        assert '"illustrative":true' in text or 'class="kt-illustrative"' in text
    # an input without a stated source is named by its file
    assert "batas: batas_kelurahan.geojson" in city.read_text(encoding="utf-8")


def test_stated_sources_fall_back_to_file_names(tmp_path):
    from dataclasses import replace

    from kotaku_map.config import load_config
    from kotaku_map.desk import illustrative_inputs, shown_sources

    make_demo(tmp_path)
    cfg = load_config(tmp_path / "kotaku.toml")
    files = ("batas: batas.gpkg", "NSUP: NSUP.gpkg", "kumuh: kumuh.gpkg")
    sources = shown_sources(cfg, files)
    assert sources[0] == "batas: batas.gpkg" and sources[1].startswith("NSUP: FIKTIF")
    assert sources[2] == "kumuh: kumuh.gpkg"
    assert illustrative_inputs(cfg) == ["NSUP", "NUSP-2"]
    plain = replace(cfg, programs=tuple(replace(p, illustrative=False) for p in cfg.programs))
    assert illustrative_inputs(plain) == []
