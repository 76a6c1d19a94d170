"""Whole projects for end-to-end tests: inputs written into a folder, with their config.

* :func:`pekalongan_sync`: Kota Pekalongan as ``notebooks/02_pekalongan.ipynb`` builds it,
  plus ``[sync]`` (config: ``tests/configs/pekalongan_sync.toml``);
* :func:`semarang`: Kota Semarang's 177 real kelurahan with ILLUSTRATIVE programs;
* :func:`kendal`: Kabupaten Kendal's 286 real desa (a large kabupaten), programs likewise.

Every input file is written deterministically (GeoJSON and CSV), and the real data are
reached through a link ``data`` in the project folder (so no output names the place the
data live in): the manifest's checksums, and with ``SOURCE_DATE_EPOCH`` every output, are
the same at every run, wherever the checkout is.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

CONFIGS = Path(__file__).resolve().parent / "configs"


def _link_data(folder: Path, data: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / "data"
    if not link.exists():
        link.symlink_to(data.resolve(), target_is_directory=True)


def pekalongan_sync(folder: Path, data: Path) -> Path:
    """Write program A (RT polygons of two kecamatan, ILLUSTRATIVE) and the config."""
    _link_data(folder, data)
    rt = gpd.read_file(data / "kumuh" / "pekalongan_rt_kumuh_simkotaku2020.geojson")
    program_a = rt[rt["Kecamatan"].isin(["Pekalongan Utara", "Pekalongan Timur"])]
    program_a = program_a[["Kelurahan", "Kecamatan", "RW", "RT", "geometry"]].assign(
        keterangan="ILUSTRATIF: bukan data program nyata"
    )
    program_a.to_file(folder / "program_a_ilustratif.geojson", driver="GeoJSON")
    text = (CONFIGS / "pekalongan_sync.toml").read_text(encoding="utf-8")
    config = folder / "kotaku.toml"
    config.write_text(text, encoding="utf-8")
    return config


def _illustrative_programs(
    folder: Path, kel: gpd.GeoDataFrame, centre: tuple[float, float]
) -> None:
    """Write the ILLUSTRATIVE programs of a real boundary layer (``kode``, ``nama``):
    NSUP a list (``nsup.csv``) of every kelurahan whose code ends in 0-3, NUSP-2 polygons
    (``nusp2.geojson``, a 250 m disc inside each) in those ending in 2-5 (so codes ending in
    2-3 overlap), slum blobs (``kumuh.geojson``, 350 m) in every kelurahan ending in 0-6."""
    from kotaku_map.crs import local_equal_area

    digit = kel["kode"].str[-1].astype(int)
    pd.DataFrame(
        {
            "kode": kel.loc[digit <= 3, "kode"],
            "kelurahan": kel.loc[digit <= 3, "nama"],
            "keterangan": "ILUSTRATIF",
        }
    ).to_csv(folder / "nsup.csv", index=False)
    metric = kel.to_crs(local_equal_area(*centre))
    inner = metric.geometry.representative_point().buffer(250.0)
    sel = digit.between(2, 5)
    nusp = metric[sel].assign(
        geometry=shapely.intersection(metric.geometry[sel].values, inner[sel].values),
        keterangan="ILUSTRATIF",
    )
    nusp[["kode", "keterangan", "geometry"]].to_crs(4326).to_file(
        folder / "nusp2.geojson", driver="GeoJSON"
    )
    slum = metric[digit <= 6].assign(
        geometry=shapely.intersection(
            metric.geometry[digit <= 6].values, inner[digit <= 6].buffer(100.0).values
        ),
        tingkat=(["kumuh ringan", "kumuh sedang", "kumuh berat"] * 200)[: int((digit <= 6).sum())],
    )
    slum[["tingkat", "geometry"]].to_crs(4326).to_file(folder / "kumuh.geojson", driver="GeoJSON")


_PROGRAMS_TOML = """
[[programs]]
name = "NSUP"
path = "nsup.csv"
kind = "table"
columns = { code = "kode", kelurahan = "kelurahan" }
[[programs]]
name = "NUSP-2"
path = "nusp2.geojson"
[slum]
path = "kumuh.geojson"
level = "tingkat"
"""
#: the same, with the stated sources and the ILLUSTRATIVE flag
_PROGRAMS_STATED_TOML = """
[[programs]]
name = "NSUP"
path = "nsup.csv"
kind = "table"
columns = { code = "kode", kelurahan = "kelurahan" }
source = "ILUSTRATIF: daftar kelurahan buatan (kode berakhiran 0-3)"
illustrative = true
[[programs]]
name = "NUSP-2"
path = "nusp2.geojson"
source = "ILUSTRATIF: poligon buatan (kode berakhiran 2-5)"
illustrative = true
[slum]
path = "kumuh.geojson"
level = "tingkat"
source = "ILUSTRATIF: kawasan kumuh buatan (kode berakhiran 0-6)"
illustrative = true
"""


def semarang(folder: Path, data: Path) -> Path:
    """Kota Semarang, ILLUSTRATIVE programs (see :func:`_illustrative_programs`)."""
    _link_data(folder, data)
    boundaries = folder / "data" / "boundaries" / "kel_3374_kota_semarang.geojson"
    _illustrative_programs(folder, gpd.read_file(boundaries), (110.42, -7.0))
    config = folder / "kotaku.toml"
    config.write_text(
        """
title = "Kota Semarang (program ILUSTRATIF)"
[boundaries]
path = "data/boundaries/kel_3374_kota_semarang.geojson"
kelurahan = "nama"
kecamatan = "nama_kec"
kabkota = "nama_kab"
"""
        + _PROGRAMS_TOML,
        encoding="utf-8",
    )
    return config


#: Kabupaten Kendal: 286 desa/kelurahan in 20 kecamatan, a large kabupaten
KENDAL = "33.24"


def kendal(folder: Path, data: Path) -> Path:
    """Kabupaten Kendal's 286 real desa/kelurahan from the Jawa Tengah layer, ILLUSTRATIVE
    programs in the style of :func:`semarang`; the kabupaten's desa are written to
    ``batas_kendal.geojson`` (the province layer has 8,563)."""
    _link_data(folder, data)
    province = folder / "data" / "boundaries" / "desa_kel_33_prov_jawa_tengah.gpkg"
    kel = gpd.read_file(province, layer="desa_kel", where=f"kode_kab = '{KENDAL}'")
    kel = kel[["kode", "nama", "nama_kec", "nama_kab", "geometry"]].sort_values("kode")
    kel.to_file(folder / "batas_kendal.geojson", driver="GeoJSON")
    _illustrative_programs(folder, kel.reset_index(drop=True), (110.2, -7.0))
    config = folder / "kotaku.toml"
    config.write_text(
        """
title = "Kabupaten Kendal (program ILUSTRATIF)"
[boundaries]
path = "batas_kendal.geojson"
kelurahan = "nama"
kecamatan = "nama_kec"
kabkota = "nama_kab"
"""
        + _PROGRAMS_STATED_TOML,
        encoding="utf-8",
    )
    return config
