"""Tests of kotaku_map.progress: slum ha and level per year."""

from __future__ import annotations

import base64

import geopandas as gpd
import pandas as pd
import pytest
from shapely import box

from kotaku_map import progress, render
from kotaku_map.problems import ProblemLog

UNITS = pd.DataFrame(
    {
        "kawasan_id": [1, 2, 3],
        "nama_kawasan": ["A", "B", "C"],
        "kode": ["k1", "k2", "k3"],
        "kelurahan": ["A", "B", "C"],
        "kecamatan": ["K", "K", "L"],
        "luas_ha": [10.0, 5.0, 2.0],
    }
)


def test_leaving_entering_and_unknown_years():
    obs = pd.DataFrame(
        {
            "kawasan": [1, 1, 1, 2, 2, 3, 9, 1],
            "tahun": [2019, 2020, 2021, 2019, 2021, 2019, 2019, 2021],
            "tingkatKekumuhan": ["KS", "TK", "KR", "KR", "KR", "TK", "KR", "KR"],
            "totalNilai": [40, 10, 20, 20, 20, 5, 20, 20],
        }
    )
    log = ProblemLog()
    t = progress.progress_table(obs, UNITS, problems=log)
    assert set(log.to_frame()["masalah"]) == {"kawasan/tahun tidak dikenal", "baris ganda"}
    s = progress.progress_summary(t).set_index("tahun")
    assert s["kumuh_ha"].tolist() == [15.0, 0.0, 15.0]
    assert s["keluar_ha"].tolist() == [0.0, 10.0, 0.0]
    assert s["masuk_ha"].tolist() == [0.0, 0.0, 10.0]  # kawasan 1 slum again in 2021
    assert s.loc[2020, "ha_tidak_diketahui"] == 7.0  # kawasan 2 and 3 unobserved
    assert (s.filter(like="ha_").sum(axis=1) == 17.0).all()
    kel = progress.progress_summary(t, by=["kode", "kelurahan"])
    assert kel.query("kode == 'k1' and tahun == 2019")["tingkat"].item() == "kumuh sedang"


def test_chart_is_inline_svg_and_deterministic():
    s = progress.progress_summary(
        progress.progress_table(
            pd.DataFrame(
                {
                    "kawasan": [1, 1],
                    "tahun": [2019, 2020],
                    "tingkatKekumuhan": ["KR", "TK"],
                    "totalNilai": [20, 10],
                }
            ),
            UNITS,
        )
    )
    a = render.progress_chart(s, title="<b>x</b>")
    b = render.progress_chart(s, title="<b>x</b>")
    assert a == b
    svg = base64.b64decode(a.split(",", 1)[1]).decode()
    assert "<script" not in svg and "http://www.w3.org/2000/svg" in svg


def test_year_layers_one_per_year():
    obs = pd.DataFrame(
        {
            "kawasan": [1, 1],
            "tahun": [2019, 2020],
            "tingkatKekumuhan": ["KR", "TK"],
            "totalNilai": [20, 10],
        }
    )
    t = progress.progress_table(obs, UNITS)
    geo = gpd.GeoDataFrame(
        {"kode": ["k1", "k2", "k3"]},
        geometry=[box(110 + i * 0.01, -7, 110.01 + i * 0.01, -6.99) for i in range(3)],
        crs=4326,
    )
    layers = render.progress_layers(t, geo)
    assert [lyr.label for lyr in layers] == ["2019", "2020"]
    assert {lyr.group for lyr in layers} == {"kemajuan"}
    assert len(layers[0].frame) == 3


@pytest.mark.parametrize("lang", ["id", "en"])
def test_chart_languages(lang):
    s = progress.progress_summary(
        progress.progress_table(
            pd.DataFrame(
                {"kawasan": [1], "tahun": [2019], "tingkatKekumuhan": ["KR"], "totalNilai": [20]}
            ),
            UNITS,
        )
    )
    assert render.progress_chart(s, lang=lang).startswith("data:image/svg+xml")
