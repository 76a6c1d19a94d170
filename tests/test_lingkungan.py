"""Issue 16 on real data: Kota Pekalongan at lingkungan level, and what changed between builds.

* the 438 SIM KOTAKU RT polygons and the 27 SK kawasan (a table) as ``[slum]``: each row
  once, in ``lingkungan.csv`` or in ``masalah.csv``; the lingkungan hectares add up to the
  kelurahan's and the city's exactly as written;
* two builds (the second with Program B's list grown back to every kawasan) and
  ``kotaku-map banding``: the differences are those of the two kelurahan tables, and the
  change map is offline and clean in Chromium;
* ``[sync]`` as the README shows it: 22 of 27 kelurahan flagged, each column summing to
  its source.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import projects
import pyogrio
import pytest
import tomllib
from browser import close, open_offline
from realdata import DATA, real

from kotaku_map import schema as S
from kotaku_map.cli import main

RT = "kumuh/pekalongan_rt_kumuh_simkotaku2020.geojson"
WORKBOOK = "kumuh/pekalongan_kumuh.xlsx"
CITY = "3375-kota-pekalongan"
SPLIT = ["kumuh_ha", "tercakup_ha", "celah_ha", "sliver_ha"]
README = Path(__file__).resolve().parents[1] / "README.md"

pytestmark = pytest.mark.slow  # real data, whole builds

SLUM_COLUMNS = 'columns = { kelurahan = "Kelurahan", kecamatan = "Kecamatan" }\n'
RT_IDS = 'lingkungan = { id = ["Kode_Kel", "RW", "RT"], name = ["Kelurahan", "RW", "RT"] }\n'


def _project(folder: Path, replace: dict[str, str]) -> Path:
    real(RT), real(WORKBOOK)
    config = projects.pekalongan_sync(folder, DATA)
    text = config.read_text(encoding="utf-8")
    for a, b in replace.items():
        assert a in text, a
        text = text.replace(a, b)
    config.write_text(text, encoding="utf-8")
    return config


def _build(config: Path, out: Path) -> Path:
    assert main(["build", str(config), "-o", str(out), "-q", "-j", "1"]) == 0
    return out


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _sum(values) -> Decimal:
    return sum((Decimal(v) for v in values if v != ""), Decimal(0))


@pytest.fixture(scope="module")
def rt_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pek_rt")
    config = _project(folder, {SLUM_COLUMNS: SLUM_COLUMNS + RT_IDS})
    return _build(config, folder / "out")


def test_every_rt_polygon_is_one_lingkungan_or_a_problem(rt_build):
    ling = _csv(rt_build / CITY / "lingkungan.csv")
    problems = _csv(rt_build / "masalah.csv")
    kumuh = problems[(problems["peran"] == "kumuh") & (problems["berkas"].str.endswith(RT))]
    twice = kumuh[kumuh["masalah"] == "id lingkungan ganda"]  # used, and reported
    outside = kumuh[kumuh["masalah"] != "id lingkungan ganda"]
    assert set(outside["dipakai"]) == {"False"} and set(twice["dipakai"]) == {"True"}
    rows = [int(r) for r in ling["baris_sumber"]] + [int(r) for r in outside["baris"]]
    assert sorted(rows) == list(range(1, 439))  # 438 RT polygons, each once
    assert len(ling) == 434 and len(outside) == 4
    assert ling["id_lingkungan"].is_unique  # the RT the source repeats: its row appended
    import geopandas as gpd

    source = gpd.read_file(real(RT))
    ids = source[["Kode_Kel", "RW", "RT"]]
    in_source = {i + 1 for i in ids.index[ids.duplicated(keep=False)]}
    rt = source.iloc[[int(r) - 1 for r in ling["baris_sumber"]]]
    repeated = rt[["Kode_Kel", "RW", "RT"]].duplicated(keep=False).sum()
    renamed = ling[ling["id_lingkungan"].str.contains("#")]
    # 15 rows of the layer share an id; 2 of them lie outside every kelurahan (not used,
    # reported as such), the other 13 are renamed and reported
    assert len(in_source) == 15
    unused = in_source - {int(r) for r in renamed["baris_sumber"]}
    assert unused == {344, 347} and unused <= {int(r) for r in outside["baris"]}
    assert len(renamed) == repeated == len(twice) == 13
    # each renamed row is in masalah.csv, naming its row, the id columns and its new id
    assert sorted(twice["baris"]) == sorted(renamed["baris_sumber"])
    assert set(twice["kolom"]) == {"Kode_Kel, RW, RT"}
    new_id = dict(zip(renamed["baris_sumber"], renamed["id_lingkungan"], strict=True))
    for r, rincian in zip(twice["baris"], twice["rincian"], strict=True):
        assert rincian.endswith(f"di lingkungan.csv menjadi {new_id[r]!r}"), rincian
    assert set(ling["status"]) <= set(S.LINGKUNGAN_STATUSES)
    # every row's identity holds as written
    for _, r in ling.iterrows():
        assert Decimal(r["kumuh_ha"]) == sum(Decimal(r[c]) for c in SPLIT[1:])
    crossing = ling[ling["atribusi"].str.startswith("bagian terbesar")]
    assert len(crossing) > 100 and crossing["atribusi"].str.contains("juga di").any()


def test_rt_lingkungan_add_up_to_the_kelurahan_and_the_city_as_written(rt_build):
    ling = _csv(rt_build / CITY / "lingkungan.csv")
    kel = _csv(rt_build / CITY / "kelurahan.csv")
    city = _csv(rt_build / "ringkasan_kabkota.csv").iloc[0]
    for c in SPLIT:
        assert _sum(ling[c]) == _sum(kel[c]) == Decimal(city[c]), c
    # per kelurahan: the delineation pieces of the GeoPackage's slum layer
    pieces = pyogrio.read_dataframe(rt_build / CITY / f"{CITY}.gpkg", layer=S.LAYER_SLUM)
    by_kel = pieces.groupby("kode")[SPLIT].sum()
    for _, k in kel.iterrows():
        for c in SPLIT:
            got = by_kel[c].get(k["kode"], 0.0)
            assert f"{got:.4f}" == k[c], (k["kode"], c)
    # the kelurahan table counts its lingkungan per status (by attribution)
    counts = ling.groupby(["kode", "status"]).size()
    for _, k in kel.iterrows():
        for status in S.LINGKUNGAN_COUNTED:
            assert int(k[S.lingkungan_count_column(status)]) == counts.get((k["kode"], status), 0)
    status = ling["status"].value_counts().to_dict()
    print("RT lingkungan per status:", status)
    assert status == {S.LINGKUNGAN_FULL: 434}  # Program B lists every kelurahan


def test_sk_kawasan_as_a_table_get_what_can_be_said(tmp_path):
    table = (
        '[slum]\npath = "data/kumuh/pekalongan_kumuh.xlsx"\nkind = "table"\nsheet = "kawasan"\n'
        'area = "luasVerifikasi"\ncolumns = { kelurahan = "kawasan", kecamatan = "wilayah" }\n'
        'lingkungan = { id = "id", name = ["kawasan", "rt-rw"] }\n\n'
    )
    config = _project(tmp_path, {})
    text = config.read_text(encoding="utf-8")
    start = text.index("[slum]")
    config.write_text(text[:start] + table, encoding="utf-8")  # no [sync]
    out = _build(config, tmp_path / "out")
    ling = _csv(out / CITY / "lingkungan.csv")
    kel = _csv(out / CITY / "kelurahan.csv")
    assert sorted(int(i) for i in ling["id_lingkungan"]) == list(range(1, 28))  # 27 kawasan
    assert set(ling["status"]) == {S.LINGKUNGAN_UNKNOWN}
    assert (ling["celah_ha"] == "").all() and (ling["tercakup_ha"] == "").all()
    assert set(ling["program"]) == {"Program B (ilustratif)"}  # the list program only
    assert _sum(ling["kumuh_ha"]) == _sum(kel["kumuh_ha"])
    assert abs(_sum(ling["kumuh_ha"]) - Decimal("380.2994")) < Decimal("0.01")
    for code, group in ling.groupby("kode"):
        assert _sum(group["kumuh_ha"]) == Decimal(kel.set_index("kode").loc[code, "kumuh_ha"])
    unknown = kel[S.lingkungan_count_column(S.LINGKUNGAN_UNKNOWN)].astype(int)
    assert unknown.sum() == 27
    print("SK kawasan per status:", ling["status"].value_counts().to_dict())


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory, rt_build):
    """Old: Program B lists the kawasan outside Pekalongan Barat only; new: rt_build."""
    folder = tmp_path_factory.mktemp("pek_old")
    kawasan = pd.read_excel(real(WORKBOOK), sheet_name="kawasan")
    kawasan = kawasan[kawasan["wilayah"] != "Pekalongan Barat"][["kawasan", "wilayah"]]
    kawasan.to_csv(folder / "program_b_lama.csv", index=False)
    config = _project(
        folder,
        {
            SLUM_COLUMNS: SLUM_COLUMNS + RT_IDS,
            'path = "data/kumuh/pekalongan_kumuh.xlsx"\nkind = "table"\nsheet = "kawasan"': (
                'path = "program_b_lama.csv"\nkind = "table"'
            ),
        },
    )
    old = _build(config, folder / "out")
    band = folder / "banding"
    assert main(["banding", str(old), str(rt_build), "-o", str(band), "--label", "2026-03"]) == 0
    return old, rt_build, band


def test_banding_differences_are_those_of_the_kelurahan_tables(two_builds, capsys):
    old, new, band = two_builds
    a = _csv(old / CITY / "kelurahan.csv").set_index("kode")
    b = _csv(new / CITY / "kelurahan.csv").set_index("kode")
    change = _csv(band / "banding_kelurahan.csv").set_index("kode")
    assert set(change.index) == set(a.index) == set(b.index)
    assert (change["gabung"] == "keduanya").all()
    for code in change.index:
        for c in ("kumuh", "tercakup", "tumpang_tindih", "celah"):
            diff = Decimal(b.loc[code, f"{c}_ha"]) - Decimal(a.loc[code, f"{c}_ha"])
            assert Decimal(change.loc[code, f"selisih_{c}_ha"]) == diff, (code, c)
        assert change.loc[code, "status_lama"] == a.loc[code, "status"]
        assert change.loc[code, "status_baru"] == b.loc[code, "status"]
    better = change[change["perubahan"] == "lebih baik"]
    assert len(better) and (better["kecamatan"] == "Pekalongan Barat").all()
    gap_before, gap_after = _sum(a["celah_ha"]), _sum(b["celah_ha"])
    info = json.loads((band / "banding.json").read_text(encoding="utf-8"))
    headline = info["kalimat"][CITY]
    print("banding headline:", headline)
    assert headline.startswith("celah cakupan turun ") and "sejak forum 2026-03" in headline
    shown = f"{gap_before - gap_after:.1f}".replace(".", ",")
    assert f"turun {shown} ha" in headline
    assert info["catatan"] == []  # same boundaries, thresholds and programs
    work = _csv(band / "banding_wilayah_kerja.csv")
    assert set(work["program"]) == {"Program B (ilustratif)"} and set(work["perubahan"]) == {"baru"}
    ling = _csv(band / "banding_lingkungan.csv")
    assert len(ling) == 434 and (ling["gabung"] == "keduanya").all()


def test_banding_change_map_is_offline_and_clean(two_builds, chromium):
    _, _, band = two_builds
    path = band / CITY / "peta_perubahan.html"
    page, report = open_offline(chromium, path, viewport=(1600, 1000))
    try:
        labels = [
            t.strip()
            for t in page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
        ]
        assert "Perubahan sejak 2026-03" in labels
        assert "Celah cakupan tertutup dan baru" in labels
        assert page.locator("path.leaflet-interactive").count() > 27
        assert page.locator(".kt-legend [data-layer=x-perubahan]").count() == 1
        report.assert_clean()
    finally:
        close(page)


def test_readme_sync_example_gives_the_documented_figures(tmp_path):
    block = README.read_text(encoding="utf-8").split("```toml\n", 1)[1].split("```", 1)[0]
    example = tomllib.loads(block)
    columns = example["slum"]["columns"]
    assert columns["kelurahan"] == "Kelurahan"  # the RT layer's column of kelurahan names
    sync = example["sync"]
    # the Pekalongan project with the README's [slum] columns and [sync] options
    readme_columns = ", ".join(f'{k} = "{v}"' for k, v in columns.items())
    config = _project(
        tmp_path,
        {
            SLUM_COLUMNS: f"columns = {{ {readme_columns} }}\n",
            'slum_area = "luas_awal"\n': (
                f'slum_area = "{sync["slum_area"]}"\ntolerance_pct = {sync["tolerance_pct"]}\n'
            ),
        },
    )
    text = config.read_text(encoding="utf-8")
    out = _build(config, tmp_path / "with")
    sync = _csv(out / CITY / "sinkronisasi.csv")
    assert (sync["tidak_sinkron"] == "True").sum() == 22 and len(sync) == 27
    assert abs(_sum(sync["luas_sim_ha"]) - Decimal("512.69")) < Decimal("0.005")
    assert abs(_sum(sync["luas_sk_ha"]) - Decimal("380.30")) < Decimal("0.005")
    # without the column: by where each RT lies; the hectares outside are a row of their own
    config.write_text(text.replace(f"columns = {{ {readme_columns} }}\n", ""), encoding="utf-8")
    out = _build(config, tmp_path / "without")
    sync = _csv(out / CITY / "sinkronisasi.csv")
    assert (sync["tidak_sinkron"] == "True").sum() == 25
    assert len(sync) == 28 and sync.iloc[-1]["kode"] == ""
    assert abs(_sum(sync["luas_sim_ha"]) - Decimal("512.69")) < Decimal("0.005")
    outside = Decimal(sync.iloc[-1]["luas_sim_ha"])
    print("sinkronisasi totals:", _sum(sync["luas_sk_ha"]), _sum(sync["luas_sim_ha"]), outside)
    assert abs(outside - Decimal("14.28")) < Decimal("0.01")


def test_slum_tooltip_shows_its_lingkungan_as_text(chromium, tmp_path):
    import dataclasses

    import geopandas as gpd

    from kotaku_map.render import city_map, save_map
    from kotaku_map.results import example_result

    r = example_result()
    hostile = "<img src=x onerror=alert(3)> RT 01"
    kumuh = r.kumuh.assign(id_lingkungan=["a", "b"])
    ling = gpd.GeoDataFrame(
        {
            "id_lingkungan": ["a", "b"],
            "nama_lingkungan": [hostile, "RT 02"],
            "kumuh_ha": [10.0, 5.0],
            "tercakup_ha": [10.0, 0.0],
            "celah_ha": [0.0, 5.0],
            "program": ["NSUP", ""],
            "status": [S.LINGKUNGAN_FULL, S.LINGKUNGAN_NONE],
        },
        geometry=r.kumuh.geometry.values,
        crs=4326,
    )
    r = dataclasses.replace(r, kumuh=kumuh, lingkungan=ling)
    path = tmp_path / "peta.html"
    save_map(city_map(r), path)
    page, report = open_offline(chromium, path)
    try:
        page.evaluate(
            "(() => { const i = Object.values(window.KotakuMap.instances)[0];"
            " i.layers.kumuh.getLayers()[0].openTooltip(); })()"
        )
        tip = page.locator(".leaflet-tooltip").inner_text()
        assert hostile in tip and "Tercakup penuh" in tip and "Lingkungan" in tip
        page.wait_for_timeout(200)
        assert page.evaluate("document.querySelectorAll('.leaflet-tooltip img').length") == 0
        report.assert_clean()
    finally:
        close(page)
