"""The peer: the same analysis written as a competent analyst would, with plain geopandas.

Run by ``benchmarks/run.py`` in its own process (so its peak memory is its own)::

    python benchmarks/peer.py --desa D.gpkg --layer desa_kel --nsup nsup.gpkg \
        --nusp2 nusp2.csv --slum kumuh.gpkg --out OUTDIR

Steps (all overlays in ONE equal-area CRS for the whole input: a Lambert azimuthal
equal-area projection on WGS 84 centred on the input's lon/lat bounds, i.e. what
``kotaku_map.crs.local_equal_area`` gives for that centre, written as a PROJ string so that
the peer imports nothing from kotaku_map):

1. read the desa, the NSUP polygons, the slum polygons and the NUSP-2 list (CSV);
2. join the NUSP-2 list to the desa polygons on ``kode`` (its work area);
3. dissolve each layer (a program's own polygons overlap one another; without a dissolve
   ``overlay`` would count that ground twice), explode to parts;
4. overlaps: ``geopandas.overlay(nsup, nusp2, how="intersection")``;
5. gaps: ``geopandas.overlay(slum, union_of_work_areas, how="difference")``;
6. per-desa hectares: ``overlay(..., desa, how="intersection")``; per-city totals: overlay
   with the desa dissolved per kab/kota (upstream desa polygons overlap their neighbours:
   summing per-desa hectares would count those seams twice);
7. a status per desa (NSUP / NUSP-2 / NSUP + NUSP-2 / Kumuh tanpa program / Bukan lokasi);
8. per kab/kota: ``GeoDataFrame.explore(column="status")`` with the overlaps and gaps added
   as layers, saved to one HTML file per city, and a CSV table per city; one summary CSV.

No slivers are classified: the peer's overlap and gap hectares are the totals
(kotaku_map's ``tumpang_tindih_ha + sliver_tumpang_tindih_ha`` and
``celah_ha + sliver_celah_ha``).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd

MIN_HA = 0.01  # 100 m²: less than this in a desa does not make it a program location


def laea(lon: float, lat: float) -> str:
    return (
        f"+proj=laea +lat_0={round(lat, 6)} +lon_0={round(lon, 6)} +x_0=0 +y_0=0 "
        "+datum=WGS84 +units=m +no_defs"
    )


def dissolve_parts(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per part of the union of ``gdf``."""
    return gdf[["geometry"]].dissolve().explode(index_parts=False).reset_index(drop=True)


def ha_by(pieces: gpd.GeoDataFrame, key: str) -> pd.Series:
    return (pieces.geometry.area / 1e4).groupby(pieces[key]).sum()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--desa", required=True)
    p.add_argument("--layer", default=None)
    p.add_argument("--nsup", required=True)
    p.add_argument("--nusp2", required=True)
    p.add_argument("--slum", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--no-maps", action="store_true")
    a = p.parse_args(argv)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    t: dict[str, float] = {}
    t0 = time.perf_counter()

    # 1-2. read, join the list to the polygons
    desa = gpd.read_file(
        a.desa,
        layer=a.layer,
        engine="pyogrio",
        columns=["kode", "nama", "nama_kec", "nama_kab", "kode_kab"],
    )
    nsup = gpd.read_file(a.nsup, engine="pyogrio")
    slum = gpd.read_file(a.slum, engine="pyogrio")
    lst = pd.read_csv(a.nusp2, dtype=str)
    nusp2 = desa.merge(lst[["kode"]], on="kode", how="inner")
    lon0, lat0, lon1, lat1 = desa.total_bounds
    crs = laea((lon0 + lon1) / 2, (lat0 + lat1) / 2)
    desa_m = desa.to_crs(crs)
    nsup_m, nusp2_m, slum_m = nsup.to_crs(crs), nusp2.to_crs(crs), slum.to_crs(crs)
    t["read"] = time.perf_counter() - t0

    # 3-5. overlaps and gaps
    t1 = time.perf_counter()
    nsup_d, nusp2_d = dissolve_parts(nsup_m), dissolve_parts(nusp2_m)
    slum_d = dissolve_parts(slum_m)
    overlap = gpd.overlay(nsup_d, nusp2_d, how="intersection", keep_geom_type=True)
    work = dissolve_parts(
        pd.concat([nsup_m[["geometry"]], nusp2_m[["geometry"]]], ignore_index=True)
    )
    gaps = gpd.overlay(slum_d, work, how="difference", keep_geom_type=True)
    t["overlay"] = time.perf_counter() - t1

    # 6. per desa and per city
    t1 = time.perf_counter()
    keys = desa_m[["kode", "kode_kab", "geometry"]]
    ov_desa = gpd.overlay(overlap[["geometry"]], keys, how="intersection", keep_geom_type=True)
    gap_desa = gpd.overlay(gaps[["geometry"]], keys, how="intersection", keep_geom_type=True)
    nsup_desa = gpd.overlay(nsup_d, keys, how="intersection", keep_geom_type=True)
    city = desa_m[["kode_kab", "geometry"]].dissolve(by="kode_kab").reset_index()
    ov_city = gpd.overlay(overlap[["geometry"]], city, how="intersection", keep_geom_type=True)
    gap_city = gpd.overlay(gaps[["geometry"]], city, how="intersection", keep_geom_type=True)
    t["per_desa_city"] = time.perf_counter() - t1

    # 7. status per desa
    table = desa[["kode", "nama", "nama_kec", "nama_kab", "kode_kab", "geometry"]].copy()
    table["luas_ha"] = desa_m.geometry.area.to_numpy() / 1e4
    table["nsup_ha"] = table["kode"].map(ha_by(nsup_desa, "kode")).fillna(0.0)
    table["tumpang_tindih_ha"] = table["kode"].map(ha_by(ov_desa, "kode")).fillna(0.0)
    table["celah_ha"] = table["kode"].map(ha_by(gap_desa, "kode")).fillna(0.0)
    in_nsup = table["nsup_ha"] > MIN_HA
    in_nusp2 = table["kode"].isin(set(lst["kode"]))
    status = pd.Series("Bukan lokasi", index=table.index)
    status[table["celah_ha"] > MIN_HA] = "Kumuh tanpa program"
    status[in_nsup] = "NSUP"
    status[in_nusp2] = "NUSP-2"
    status[in_nsup & in_nusp2] = "NSUP + NUSP-2"
    table["status"] = status

    summary = pd.DataFrame({"kode_kabkota": city["kode_kab"]})
    summary["kabkota"] = summary["kode_kabkota"].map(
        desa.drop_duplicates("kode_kab").set_index("kode_kab")["nama_kab"]
    )
    summary["jumlah_desa"] = summary["kode_kabkota"].map(table.groupby("kode_kab").size())
    summary["tumpang_tindih_ha"] = (
        summary["kode_kabkota"].map(ha_by(ov_city, "kode_kab")).fillna(0.0)
    )
    summary["celah_ha"] = summary["kode_kabkota"].map(ha_by(gap_city, "kode_kab")).fillna(0.0)
    # for information: the per-desa sums count the seams between upstream desa twice
    summary["tumpang_tindih_ha_jumlah_desa"] = summary["kode_kabkota"].map(
        table.groupby("kode_kab")["tumpang_tindih_ha"].sum()
    )
    summary["celah_ha_jumlah_desa"] = summary["kode_kabkota"].map(
        table.groupby("kode_kab")["celah_ha"].sum()
    )

    # 8. one map and one table per city
    t1 = time.perf_counter()
    ov_map = ov_desa.to_crs(4326)
    gap_map = gap_desa.to_crs(4326)
    for kab, grp in table.groupby("kode_kab", sort=True):
        name = f"{kab.replace('.', '')}-{slug(str(grp['nama_kab'].iloc[0]))}"
        grp.drop(columns="geometry").to_csv(out / f"{name}.csv", index=False)
        if a.no_maps:
            continue
        m = grp.explore(
            column="status",
            categorical=True,
            name="desa",
            tooltip=["kode", "nama", "status", "tumpang_tindih_ha", "celah_ha"],
        )
        o = ov_map[ov_map["kode_kab"] == kab]
        if len(o):
            o.explore(m=m, color="purple", name="tumpang tindih")
        g = gap_map[gap_map["kode_kab"] == kab]
        if len(g):
            g.explore(m=m, color="red", name="celah cakupan")
        m.save(out / f"{name}.html")
    t["maps_tables"] = time.perf_counter() - t1
    summary.to_csv(out / "ringkasan_kabkota.csv", index=False)
    t["total"] = time.perf_counter() - t0
    (out / "timing.json").write_text(
        json.dumps(
            {
                "crs": crs,
                "seconds": {k: round(v, 3) for k, v in t.items()},
                "desa": int(len(desa)),
                "overlap_pieces": int(len(overlap)),
                "gap_pieces": int(len(gaps)),
            },
            indent=1,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
