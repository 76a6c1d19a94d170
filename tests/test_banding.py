"""``kotaku-map banding`` on the demo: the change tables, and what it refuses.

The real-data comparison (two Pekalongan builds, the change map in Chromium) is in
``tests/test_lingkungan.py``.
"""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal

import pandas as pd
import pytest

from kotaku_map.banding import change_sentence, compare
from kotaku_map.cli import main
from kotaku_map.rounding import split_units

CITY = "9971-kota-contoh-fiktif"


def _csv(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.fixture(scope="module")
def builds(demo_build, tmp_path_factory):
    """The demo built twice: the second without NSUP's first polygon."""
    import geopandas as gpd

    folder = tmp_path_factory.mktemp("banding")
    src = demo_build / "layers" / "demo"
    shutil.copytree(src, folder / "demo")
    nsup = folder / "demo" / "nsup_wilayah_kerja.geojson"
    gpd.read_file(nsup).iloc[1:].to_file(nsup, driver="GeoJSON")
    new = folder / "baru"
    assert main(["build", str(folder / "demo" / "kotaku.toml"), "-o", str(new), "-q"]) == 0
    return demo_build / "output", new, folder


def test_banding_tables_are_the_difference_of_the_builds(builds, capsys):
    old, new, folder = builds
    out = folder / "hasil"
    assert main(["banding", str(old), str(new), "-o", str(out), "--label", "Maret"]) == 0
    a = _csv(old / CITY / "kelurahan.csv").set_index("kode")
    b = _csv(new / CITY / "kelurahan.csv").set_index("kode")
    change = _csv(out / "banding_kelurahan.csv").set_index("kode")
    for code in change.index:
        diff = Decimal(b.loc[code, "celah_ha"]) - Decimal(a.loc[code, "celah_ha"])
        assert Decimal(change.loc[code, "selisih_celah_ha"]) == diff
    assert (change["perubahan"] == "lebih buruk").any()  # NSUP's polygon gone: gaps opened
    work = _csv(out / "banding_wilayah_kerja.csv")
    ended = [
        k
        for k in a.index
        if float(a.loc[k, "wk_nsup_ha"]) > 0 and float(b.loc[k, "wk_nsup_ha"]) == 0
    ]
    assert sorted(work["kode"]) == sorted(ended)
    assert set(work["perubahan"]) <= {"berakhir"} and set(work["program"]) <= {"NSUP"}
    info = json.loads((out / "banding.json").read_text(encoding="utf-8"))
    assert info["kalimat"][CITY].startswith("celah cakupan naik ")
    assert "sejak forum Maret" in capsys.readouterr().out
    assert (out / CITY / "peta_perubahan.html").is_file() and (out / ".kotaku-map").is_file()
    # run again into the same folder: replaced whole
    assert main(["banding", str(old), str(new), "-o", str(out), "-q"]) == 0


@pytest.mark.parametrize(
    ("lang", "words", "number"),
    [
        ("id", ("celah cakupan naik ", "sejak forum Maret (dari "), r"\d,\d ha"),
        ("en", ("coverage gap up ", "since forum Maret (from "), r"\d\.\d ha"),
    ],
)
def test_banding_sentence_follows_the_language(builds, capsys, lang, words, number):
    old, new, folder = builds
    out = folder / f"hasil_{lang}"
    args = ["banding", str(old), str(new), "-o", str(out), "--label", "Maret", "--lang", lang]
    assert main(args) == 0
    said = capsys.readouterr().out
    summary = _csv(out / "ringkasan_banding.csv").set_index("kota").loc[CITY, "kalimat"]
    info = json.loads((out / "banding.json").read_text(encoding="utf-8"))
    page = (out / CITY / "peta_perubahan.html").read_text(encoding="utf-8")
    assert info["kalimat"][CITY] == summary
    assert f"{CITY}: {summary}\n" in said
    assert summary.startswith(words[0]) and words[1] in summary, summary
    assert re.search(number, summary), summary
    other = "celah cakupan" if lang == "en" else "coverage gap"
    for where in (summary, said, page):
        assert other not in where
    assert page.count(words[1]) >= 2  # the title and the panel


def test_banding_refuses_bad_folders_with_one_line(builds, tmp_path, capsys):
    old, new, _ = builds
    out = tmp_path / "hasil"
    assert main(["banding", str(tmp_path / "tidak_ada"), str(new), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "tidak_ada/manifest.json" in err and "Traceback" not in err
    assert not out.exists()  # nothing half-written
    broken = tmp_path / "rusak"
    broken.mkdir()
    (broken / "manifest.json").write_text("{not json", encoding="utf-8")
    assert main(["banding", str(broken), str(new), "-o", str(out)]) == 2
    assert "rusak/manifest.json" in capsys.readouterr().err and not out.exists()
    for target in (old, new, old / "sub", old.parent):  # a build's folder, in it, around it
        before = sorted(p.name for p in old.iterdir())
        assert main(["banding", str(old), str(new), "-o", str(target)]) == 2
        assert "refused" in capsys.readouterr().err
        assert sorted(p.name for p in old.iterdir()) == before


def test_banding_reports_different_thresholds_and_rows_not_joined(builds, tmp_path):
    old, new, _ = builds
    copy = tmp_path / "lama"
    shutil.copytree(old, copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    manifest["ambang_sliver"] = {"lebar_m": 9.0, "luas_m2": 100.0}
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    kel = _csv(copy / CITY / "kelurahan.csv")
    kel.iloc[1:].to_csv(copy / CITY / "kelurahan.csv", index=False)  # one kelurahan fewer
    c = compare(copy, new, label="x")
    assert any("Ambang analisis berbeda" in n for n in c.notes())
    assert any("0 kelurahan hanya di build lama, 1 hanya di build baru" in n for n in c.notes())
    # the same notes in English (``banding --lang en``)
    assert any("The analysis thresholds differ" in n for n in c.notes("en"))
    assert any("0 kelurahan only in the old build, 1 only in the new" in n for n in c.notes("en"))
    only = c.kelurahan[c.kelurahan["gabung"] == "hanya baru"]
    assert len(only) == 1 and only["perubahan"].tolist() == ["baru"]  # kept, never dropped


def test_change_sentence_in_indonesian_numbers():
    assert change_sentence(1020.55, 8.15, "2026-03").startswith(
        "celah cakupan turun 1.012,4 ha sejak forum 2026-03"
    )
    assert change_sentence(0.0, 0.0123, "x").startswith("celah cakupan naik 0,0123 ha")


def test_change_sentence_in_english_numbers():
    assert change_sentence(1020.56, 8.15, "2026-03", "en") == (
        "coverage gap down 1,012.4 ha since forum 2026-03 (from 1,020.6 ha to 8.2 ha)"
    )
    assert change_sentence(0.0, 0.0123, "x", "en").startswith("coverage gap up 0.0123 ha")
    assert change_sentence(3.0, 3.0, "x", "en") == "coverage gap unchanged at 3.0 ha since forum x"


def test_split_units_adds_up_exactly():
    import numpy as np

    rng = np.random.default_rng(16)
    totals = rng.integers(0, 10**7, 50)
    group = np.sort(rng.integers(0, 50, 400))
    weights = rng.random(400) * (rng.random(400) > 0.3)
    parts = split_units(totals, group, weights, fallback=np.ones(400))
    sums = np.bincount(group, weights=parts, minlength=50).astype(np.int64)
    present = np.isin(np.arange(50), group)
    assert (sums[present] == totals[present]).all() and (parts >= 0).all()


def test_lingkungan_columns_named_in_slum_must_be_there(demo_build, tmp_path, capsys):
    shutil.copytree(demo_build / "layers" / "demo", tmp_path / "demo")
    config = tmp_path / "demo" / "kotaku.toml"
    text = config.read_text(encoding="utf-8").replace(
        'level = "tingkat"\n', 'level = "tingkat"\nlingkungan = { id = ["tingkat", "tidak_ada"] }\n'
    )
    config.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(config), "-o", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert "slum.lingkungan.id[1]" in err and "tidak_ada" in err and "Traceback" not in err
    assert not (out / "manifest.json").exists()
