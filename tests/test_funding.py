"""Tests of kotaku_map.funding: source names, funding mix, areas without funding."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
from browser import close, open_offline
from shapely import box

from kotaku_map import funding, render
from kotaku_map.problems import ProblemLog
from kotaku_map.render import city_map, save_map

UNITS = pd.DataFrame(
    {
        "kawasan_id": [1, 2, 3],
        "kode": ["33.74.01.1001", "33.74.01.1002", "33.74.02.1003"],
        "kelurahan": ["A", "B", "C"],
        "kecamatan": ["K", "K", "L"],
    }
)


def test_source_names():
    raw = pd.Series(
        [
            "APBD II",
            "apbd kota",
            "APBD Provinsi",
            "APBD I",
            "APBN PUPR",
            "Dana Kelurahan",
            "swadaya masyarakat",
            "NSUP",
            "NUSP-2",
            "CSR",
            "",
            None,
        ]
    )
    assert funding.normalise_source(raw).tolist() == [
        "APBD kab/kota",
        "APBD kab/kota",
        "APBD provinsi",
        "APBD provinsi",
        "APBN",
        "Dana Kelurahan",
        "Swadaya",
        "NSUP",
        "NUSP-2",
        "CSR/swasta",
        "tidak diketahui",
        "tidak diketahui",
    ]


def test_mix_keeps_every_row_and_lists_unfunded_areas():
    inv = pd.DataFrame(
        {
            "tahun": [2021] * 5,
            "idKawasan": [1, 1, 2, None, 7],
            "kegiatan": ["Jalan", "MCK", "Drainase", "Jalan", "Jalan"],
            "sumberAnggaran": ["APBD II", "SWADAYA", None, "APBN", "Hibah <x>"],
            "anggaran": [10.0, 2.0, None, 5.0, 1.0],
        }
    )
    log = ProblemLog()
    rows = funding.investment_rows(inv, UNITS, problems=log)
    assert len(rows) == 5
    assert set(log.to_frame()["masalah"]) == {
        "sumber anggaran kosong",
        "kawasan kosong",
        "kawasan tidak dikenal",
        "sumber anggaran tidak dikenal",
    }
    mix = funding.funding_mix(rows, UNITS)
    assert mix["jumlah_kegiatan"].sum() == 5
    by = mix.set_index(mix["kelurahan"].fillna("-"))
    assert by.loc["A", "sumber_dana"] == "APBD kab/kota + Swadaya"
    assert bool(by.loc["B", "tanpa_pendanaan"]) and bool(by.loc["C", "tanpa_pendanaan"])
    assert by.loc["C", "jumlah_kegiatan"] == 0
    assert by.loc["-", "jumlah_kegiatan"] == 2  # no kawasan / unknown kawasan: city total only
    assert mix["anggaran_apbd_kab_kota_rp"].sum() == 10.0


def test_funding_layer_in_browser_with_hostile_text(
    chromium, tmp_path, hostile_result, hostile_names
):
    kel = hostile_result.kelurahan
    units = pd.DataFrame(
        {
            "kawasan_id": range(1, len(kel) + 1),
            "kode": kel["kode"],
            "kelurahan": kel["kelurahan"],
            "kecamatan": kel["kecamatan"],
        }
    )
    inv = pd.DataFrame(
        {
            "idKawasan": [1, 2],
            "tahun": [2022, 2022],
            "kegiatan": ["x", "y"],
            "sumberAnggaran": ["<script>alert(3)</script>", "APBD II"],
            "anggaran": [1.0, 2.0],
        }
    )
    mix = funding.funding_mix(funding.investment_rows(inv, units), units)
    lyr = render.funding_layer(
        mix, gpd.GeoDataFrame(kel[["kode", "geometry"]], crs=4326), show=True
    )
    path = tmp_path / "peta.html"
    save_map(city_map(hostile_result, extras=[lyr], date=dt.date(2024, 1, 1)), path)
    page, report = open_offline(chromium, path, viewport=(1600, 1000))
    try:
        assert page.evaluate(
            "document.querySelectorAll('.leaflet-kt-extra-pane path').length"
        ) == len(kel)
        if page.locator(".kt-legend.kt-closed").count():  # folded to leave the city room
            page.locator(".kt-legend .kt-toggle").click()
        assert "Kumuh tanpa pendanaan" in page.locator(".kt-legend").inner_text()
        page.evaluate(
            "(() => { const i = Object.values(KotakuMap.instances)[0];"
            " i.extras.layers['pendanaan'].getLayers()[0].openPopup(); })()"
        )
        pop = page.locator(".leaflet-popup-content").inner_text()
        assert "lainnya: <script>alert(3)</script>" in pop
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        report.assert_clean()
    finally:
        close(page)


def test_empty_mix_layer():
    lyr = render.funding_layer(
        funding.funding_mix(
            funding.investment_rows(
                pd.DataFrame(
                    {
                        "idKawasan": [],
                        "sumberAnggaran": [],
                        "anggaran": [],
                        "tahun": [],
                        "kegiatan": [],
                    }
                ),
                UNITS,
            ),
            UNITS,
        ),
        gpd.GeoDataFrame(
            {"kode": ["33.74.01.1001"]}, geometry=[box(110, -7, 110.01, -6.99)], crs=4326
        ),
    )
    assert len(lyr.frame) == 1 and lyr.frame["tanpa_pendanaan"].all()
