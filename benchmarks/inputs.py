"""Deterministic benchmark inputs: generated program and slum layers on real desa boundaries.

Every desa draws from its own random stream, seeded with ``(SEED, kode digits)``: a subset of
desa (the first kab/kota of the province) gets exactly the layers the full province gets
there, and every generated file is byte-for-byte the same on every run and machine.

Per desa (probabilities chosen so the totals are about 20 % / 10 % / 30 %):

* **NSUP** (polygons), 20 % of desa: 3 in 4 of them get 1-4 irregular RW-sized blobs
  (3-20 ha, star-shaped with a few harmonics, clipped to the desa), 1 in 4 gets the whole
  desa polygon drawn 2-8 m wider (a buffer: it spills into its neighbours, as separately
  digitised layers do);
* **NUSP-2** (a list: CSV ``kode, desa, kecamatan, kabupaten``), 10 % of desa: 25 % of the
  NSUP desa and 6.25 % of the others (the two programs meet in the same cities);
* **slum** (polygons with a level ``tingkat``), 30 % of desa: 60 % of the NSUP desa and
  22.5 % of the others; 1-3 blobs of 1-12 ha each, half of them centred near an NSUP blob
  (partial coverage, digitising mismatches), clipped to the desa.

The national input tiles the real Jawa Tengah desa layer 10 times (provinces 60-69, which do
not exist in Kemendagri's scheme) inside Indonesia's lon/lat box and splits the larger
kabupaten of each copy in two by kecamatan, to reach 514 kab/kota (see :func:`national_desa`).
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

SEED = 20170214  # the programs' synchronisation meeting, February 2017
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
PROVINCE_GPKG = SHARED / "boundaries" / "desa_kel_33_prov_jawa_tengah.gpkg"
PROVINCE_LAYER = "desa_kel"
DESA_COLUMNS = ["kode", "nama", "nama_kec", "nama_kab", "kode_kab"]
LEVELS = np.array(["KUMUH RINGAN", "Kumuh Sedang", "kumuh berat"], dtype=object)
LEVEL_P = [0.6, 0.3, 0.1]

M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LON_EQ = 111_320.0


class MissingSharedData(SystemExit):
    """The real boundaries in ../shared/data are not there: the benchmark cannot run."""


def require_shared() -> Path:
    """The real Jawa Tengah desa layer, or exit with a clear message."""
    if not PROVINCE_GPKG.is_file():
        raise MissingSharedData(
            f"benchmarks: real data missing: {PROVINCE_GPKG}\n"
            "The benchmark builds its inputs from ../shared/data (next to the clone); "
            "see that folder's README.md. Nothing was run."
        )
    return PROVINCE_GPKG


def read_province() -> gpd.GeoDataFrame:
    """The real desa/kelurahan of Jawa Tengah (EPSG:4326), sorted by code."""
    desa = gpd.read_file(require_shared(), layer=PROVINCE_LAYER, engine="pyogrio")
    return (
        desa[DESA_COLUMNS + ["geometry"]].sort_values("kode", kind="stable").reset_index(drop=True)
    )


# --- shapes -------------------------------------------------------------------------------


def _blob(rng: np.random.Generator, cx: float, cy: float, area_m2: float) -> shapely.Polygon:
    """An irregular star-shaped polygon of about ``area_m2`` around (cx, cy) in lon/lat."""
    k = int(rng.integers(14, 24))
    theta = np.sort(rng.uniform(0, 2 * np.pi, k))
    r = np.ones(k)
    for j in (2, 3, 5):
        r += rng.uniform(0.0, 0.18) * np.cos(j * theta + rng.uniform(0, 2 * np.pi))
    r *= rng.uniform(0.9, 1.1, k)
    # scale so the polygon's area is area_m2 (shoelace on the unit shape)
    x, y = r * np.cos(theta), r * np.sin(theta)
    unit = 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))
    s = np.sqrt(area_m2 / unit)
    dlon = x * s / (M_PER_DEG_LON_EQ * np.cos(np.radians(cy)))
    dlat = y * s / M_PER_DEG_LAT
    return shapely.Polygon(np.column_stack([cx + dlon, cy + dlat]))


def _points_inside(rng: np.random.Generator, geom: shapely.Geometry, n: int) -> np.ndarray:
    """``n`` random points inside ``geom`` (rejection sampling in its bounding box)."""
    x0, y0, x1, y1 = geom.bounds
    out: list[np.ndarray] = []
    got = 0
    for _ in range(20):
        xy = np.column_stack([rng.uniform(x0, x1, 4 * n + 8), rng.uniform(y0, y1, 4 * n + 8)])
        ok = xy[shapely.contains_xy(geom, xy[:, 0], xy[:, 1])]
        out.append(ok)
        got += len(ok)
        if got >= n:
            break
    pts = np.concatenate(out) if out else np.empty((0, 2))
    if len(pts) < n:  # a sliver of a desa: fall back on a point on its surface
        p = shapely.point_on_surface(geom)
        pts = np.vstack([pts, np.repeat([[p.x, p.y]], n - len(pts), axis=0)])
    return pts[:n]


def generate(
    desa: gpd.GeoDataFrame, seed: int = SEED
) -> tuple[gpd.GeoDataFrame, pd.DataFrame, gpd.GeoDataFrame]:
    """Generate (NSUP polygons, NUSP-2 list, slum polygons) for ``desa`` (EPSG:4326)."""
    shapely.prepare(desa.geometry.values)
    geoms = desa.geometry.values
    # approximate ground area (only caps blob sizes): degrees² times the local scale
    lat = shapely.get_y(shapely.centroid(geoms)) if len(desa) else np.array([])
    area_m2 = shapely.area(geoms) * M_PER_DEG_LAT * M_PER_DEG_LON_EQ * np.cos(np.radians(lat))
    nsup_rows: list[tuple[int, int, shapely.Geometry, str]] = []
    slum_rows: list[tuple[int, shapely.Geometry, str]] = []
    nusp2: list[int] = []
    kodes = desa["kode"].to_numpy()
    for i, kode in enumerate(kodes):
        rng = np.random.default_rng([seed, int(str(kode).replace(".", ""))])
        u = rng.uniform(size=3)
        g = geoms[i]
        is_nsup = u[0] < 0.20
        if u[1] < (0.25 if is_nsup else 0.0625):
            nusp2.append(i)
        centres = np.empty((0, 2))
        cap = 0.4 * area_m2[i]
        if is_nsup:
            if rng.uniform() < 0.25:
                width_m = rng.uniform(2.0, 8.0)
                wide = shapely.buffer(g, width_m / M_PER_DEG_LON_EQ, quad_segs=2)
                nsup_rows.append((i, 0, wide, "seluruh desa"))
            else:
                nb = int(rng.integers(1, 5))
                centres = _points_inside(rng, g, nb)
                for b, (cx, cy) in enumerate(centres):
                    a = min(rng.uniform(3e4, 2e5), cap)
                    nsup_rows.append((i, b + 1, _blob(rng, cx, cy, a), f"RW {b + 1:02d}"))
        if u[2] < (0.60 if is_nsup else 0.225):
            ns = int(rng.integers(1, 4))
            pts = _points_inside(rng, g, ns)
            for b in range(ns):
                cx, cy = pts[b]
                if len(centres) and rng.uniform() < 0.5:  # near an NSUP blob
                    c = centres[rng.integers(len(centres))]
                    jitter = rng.normal(0, 60, 2)
                    cx = c[0] + jitter[0] / (M_PER_DEG_LON_EQ * np.cos(np.radians(c[1])))
                    cy = c[1] + jitter[1] / M_PER_DEG_LAT
                a = min(rng.uniform(1e4, 1.2e5), cap)
                level = LEVELS[rng.choice(3, p=LEVEL_P)]
                slum_rows.append((i, _blob(rng, cx, cy, a), level))

    def clip(idx: np.ndarray, shapes: np.ndarray) -> np.ndarray:
        return shapely.make_valid(shapely.intersection(shapes, geoms[idx]))

    # NSUP: blobs clipped to their desa, whole-desa polygons left wider
    n_idx = np.array([r[0] for r in nsup_rows], dtype=int)
    n_geom = np.array([r[2] for r in nsup_rows], dtype=object)
    blob = np.array([r[1] > 0 for r in nsup_rows], dtype=bool)
    if blob.any():
        n_geom[blob] = clip(n_idx[blob], n_geom[blob])
    nsup = gpd.GeoDataFrame(
        {
            "kode_desa": kodes[n_idx] if len(n_idx) else [],
            "desa": desa["nama"].to_numpy()[n_idx] if len(n_idx) else [],
            "lokasi": [r[3] for r in nsup_rows],
            "tahun": 2019,
        },
        geometry=list(n_geom),
        crs=4326,
    )
    s_idx = np.array([r[0] for r in slum_rows], dtype=int)
    s_geom = (
        clip(s_idx, np.array([r[1] for r in slum_rows], dtype=object))
        if slum_rows
        else np.array([], dtype=object)
    )
    slum = gpd.GeoDataFrame(
        {
            "kode_desa": kodes[s_idx] if len(s_idx) else [],
            "desa": desa["nama"].to_numpy()[s_idx] if len(s_idx) else [],
            "tingkat": [r[2] for r in slum_rows],
        },
        geometry=list(s_geom),
        crs=4326,
    )
    # drop what clipping emptied (a blob centred on a desa's sliver)
    nsup = nsup[shapely.area(nsup.geometry.values) > 0].reset_index(drop=True)
    slum = slum[shapely.area(slum.geometry.values) > 0].reset_index(drop=True)
    nusp2_idx = np.array(nusp2, dtype=int)
    nusp2_df = pd.DataFrame(
        {
            "kode": kodes[nusp2_idx],
            "desa": desa["nama"].to_numpy()[nusp2_idx],
            "kecamatan": desa["nama_kec"].to_numpy()[nusp2_idx],
            "kabupaten": desa["nama_kab"].to_numpy()[nusp2_idx],
        }
    )
    return nsup, nusp2_df, slum


# --- the national input -------------------------------------------------------------------

N_COPIES = 10
PROVINCES = [str(60 + i) for i in range(N_COPIES)]  # 60-69: no such Kemendagri province
TARGET_KABKOTA = 514


def _copy_origins(bounds: np.ndarray) -> list[tuple[float, float]]:
    """Lower-left corners of the 10 copies: 5 columns x 2 rows inside lon 95..141, lat -11..6."""
    w, h = bounds[2] - bounds[0], bounds[3] - bounds[1]
    xs = np.linspace(95.5, 140.5 - w, 5)
    ys = [-10.5, 5.5 - h]
    return [(float(x), float(y)) for y in ys for x in xs]


def national_desa(province: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """About 85,600 desa in 514 kab/kota: the province tiled 10 times, kabupaten split.

    Copy ``c`` becomes province ``60 + c``, shifted so that it lies inside Indonesia's box
    (lon 95..141, lat -11..6), copies apart. In every copy the largest kabupaten (by desa
    count) are split in two by kecamatan (the second half of the kecamatan gets kab code
    ``KK + 30``, still a kabupaten code): 17 of them in copies 0-3 and 16 in copies 4-9,
    i.e. 350 + 164 = 514 kab/kota.
    """
    b = province.total_bounds
    origins = _copy_origins(b)
    n_kab = province["kode_kab"].nunique()
    extra = TARGET_KABKOTA - N_COPIES * n_kab
    per_copy = [extra // N_COPIES + (1 if c < extra % N_COPIES else 0) for c in range(N_COPIES)]
    size = province.groupby("kode_kab").size()
    kab_only = size[[int(k[3:5]) < 70 for k in size.index]]
    order = kab_only.sort_values(ascending=False, kind="stable").index.tolist()
    kk = province["kode_kab"].str.slice(3, 5)
    cc = province["kode"].str.slice(6, 8)
    rest = province["kode"].str.slice(5)  # ".CC.DDDD"
    copies = []
    for c, (pp, (x0, y0)) in enumerate(zip(PROVINCES, origins, strict=True)):
        new_kk = kk.copy()
        suffix = pd.Series("", index=province.index)
        for kab in order[: per_copy[c]]:
            sel = province["kode_kab"] == kab
            kec = np.sort(cc[sel].unique())
            second = set(kec[len(kec) // 2 :])
            move = sel & cc.isin(second)
            new_kk[move] = f"{int(kab[3:5]) + 30:02d}"
            suffix[sel & ~move] = " Barat"
            suffix[move] = " Timur"
        geom = province.geometry.translate(xoff=x0 - b[0], yoff=y0 - b[1])
        copies.append(
            gpd.GeoDataFrame(
                {
                    "kode": pp + "." + new_kk + rest,
                    "nama": province["nama"],
                    "nama_kec": province["nama_kec"],
                    "nama_kab": province["nama_kab"] + suffix + f" (P{pp})",
                    "kode_kab": pp + "." + new_kk,
                },
                geometry=geom.values,
                crs=4326,
            )
        )
    out = pd.concat(copies, ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=4326)


# --- the dense input ----------------------------------------------------------------------

#: Kota Semarang: the dense-boundaries row (issue 18)
DENSE_KABKOTA = "33.74"
DENSE_SPACING_M = 2.0  # vertex spacing of official 1:10,000 boundaries, about
DENSE_NOISE_M = 0.4  # digitising noise, sub-metre (each coordinate within +-0.4 m)


def _noise(xy: np.ndarray, seed: int) -> np.ndarray:
    """Deterministic noise in [-0.5, 0.5) per coordinate pair, a hash of the point itself.

    A point on a border shared by two desa gets the same noise in both (the key is the
    point rounded to about 1 cm), so shared borders stay shared, as in a real coverage.
    """
    key = np.round(xy * 1e7).astype(np.int64).view(np.uint64)
    h = (key[:, 0] * np.uint64(0x9E3779B97F4A7C15)) ^ (key[:, 1] * np.uint64(0xC2B2AE3D27D4EB4F))
    h ^= np.uint64(seed)
    out = np.empty(xy.shape)
    for col, salt in enumerate((0xD6E8FEB86659FD93, 0xA0761D6478BD642F)):
        z = h ^ np.uint64(salt)  # splitmix64's finaliser
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
        out[:, col] = (z >> np.uint64(11)).astype(np.float64) / 2.0**53 - 0.5
    return out


def densify(desa: gpd.GeoDataFrame, seed: int = SEED) -> gpd.GeoDataFrame:
    """``desa`` with a vertex every :data:`DENSE_SPACING_M` metres and sub-metre noise.

    What official 1:10,000 boundaries look like next to the shared, pre-simplified ones:
    every edge is cut into pieces of at most 2 m (:func:`shapely.segmentize`, in degrees
    scaled at the desa's latitude) and every vertex moved by up to
    :data:`DENSE_NOISE_M` in x and y (deterministic: a hash of the vertex). Borders that
    two desa share get the same vertices and the same noise in both.
    """
    with np.errstate(over="ignore"):
        lat = float(np.mean(desa.total_bounds[[1, 3]]))
        m_lon = M_PER_DEG_LON_EQ * np.cos(np.radians(lat))
        step = DENSE_SPACING_M / max(m_lon, M_PER_DEG_LAT)
        geoms = shapely.segmentize(desa.geometry.values, step)
        xy = shapely.get_coordinates(geoms)
        noise = _noise(xy, seed) * (2 * DENSE_NOISE_M)
        moved = xy + noise / np.array([m_lon, M_PER_DEG_LAT])
        geoms = shapely.set_coordinates(geoms.copy(), moved)
    geoms = shapely.make_valid(geoms)  # noise may fold a tight corner
    out = desa.copy()
    out["geometry"] = geoms
    return gpd.GeoDataFrame(out, geometry="geometry", crs=desa.crs)


# --- files and configs --------------------------------------------------------------------


def write_config(folder: Path, boundaries: Path, layer: str, title: str) -> Path:
    """The kotaku_map TOML config of one benchmark input folder."""
    rel = Path(os.path.relpath(boundaries, folder)).as_posix()
    text = f'''# generated by benchmarks/inputs.py: illustrative program layers, not real data
title = "{title}"

[boundaries]
path = "{rel}"
layer = "{layer}"
code = "kode"
kelurahan = "nama"
kecamatan = "nama_kec"
kabkota = "nama_kab"

[[programs]]
name = "NSUP"
path = "nsup.gpkg"
layer = "nsup"
kind = "polygons"
year = 2019
illustrative = true

[[programs]]
name = "NUSP-2"
path = "nusp2.csv"
kind = "table"
columns = {{ code = "kode", kelurahan = "desa" }}
illustrative = true

[slum]
path = "kumuh.gpkg"
layer = "kumuh"
kind = "polygons"
level = "tingkat"
illustrative = true
'''
    path = folder / "kotaku.toml"
    path.write_text(text, encoding="utf-8")
    return path


def write_inputs(
    folder: Path,
    desa: gpd.GeoDataFrame,
    *,
    title: str,
    boundaries: Path | None = None,
    layer: str = "desa_kel",
) -> dict:
    """Generate and write one input folder; returns its description (counts, paths).

    ``boundaries``: an existing desa layer to point the config at (the real province file);
    without it ``desa`` is written to ``folder/desa.gpkg``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    nsup, nusp2, slum = generate(desa)
    if boundaries is None:
        boundaries = folder / "desa.gpkg"
        desa.to_file(boundaries, layer=layer, driver="GPKG", engine="pyogrio")
    nsup.to_file(folder / "nsup.gpkg", layer="nsup", driver="GPKG", engine="pyogrio")
    slum.to_file(folder / "kumuh.gpkg", layer="kumuh", driver="GPKG", engine="pyogrio")
    nusp2.to_csv(folder / "nusp2.csv", index=False, encoding="utf-8")
    config = write_config(folder, boundaries, layer, title)
    info = {
        "desa": int(len(desa)),
        "kabkota": int(desa["kode_kab"].nunique()),
        "nsup_polygons": int(len(nsup)),
        "nsup_desa": int(nsup["kode_desa"].nunique()),
        "nusp2_desa": int(len(nusp2)),
        "slum_polygons": int(len(slum)),
        "slum_desa": int(slum["kode_desa"].nunique()),
        "boundaries": str(boundaries),
        "layer": layer,
        "config": str(config),
    }
    pd.Series(info).to_json(folder / "inputs.json", indent=1)
    return info


SYNC_KABKOTA = "33.75"  # Kota Pekalongan: real SIM KOTAKU RT polygons and SK Kumuh workbook


def write_sync_project(folder: Path) -> dict:
    """Kota Pekalongan as a city team has it, all real data: its kelurahan, the SIM KOTAKU
    RT slum polygons, the SK Kumuh workbook's kawasan as a list program, and ``[sync]``
    against that workbook. Nothing is generated: the config points into ``../shared/data``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    boundaries = SHARED / "boundaries" / "kel_3375_kota_pekalongan.geojson"
    workbook = SHARED / "kumuh" / "pekalongan_kumuh.xlsx"
    rt = SHARED / "kumuh" / "pekalongan_rt_kumuh_simkotaku2020.geojson"

    def rel(p: Path) -> str:
        return Path(os.path.relpath(p, folder)).as_posix()

    text = f'''# written by benchmarks/inputs.py: Kota Pekalongan's real data, program ILLUSTRATIVE
title = "Benchmark: Kota Pekalongan dengan [sync] (data nyata, program ilustratif)"

[boundaries]
path = "{rel(boundaries)}"
code = "kode"
kelurahan = "nama"
kecamatan = "nama_kec"
kabkota = "nama_kab"

[[programs]]
name = "Kawasan SK (ilustratif)"
path = "{rel(workbook)}"
kind = "table"
sheet = "kawasan"
columns = {{ kelurahan = "kawasan", kecamatan = "wilayah" }}
illustrative = true

[slum]
path = "{rel(rt)}"
kind = "polygons"
level = "kum_awal"
columns = {{ kelurahan = "Kelurahan", kecamatan = "Kecamatan" }}

[sync]
workbook = "{rel(workbook)}"
slum_area = "luas_awal"
'''
    config = folder / "kotaku.toml"
    config.write_text(text, encoding="utf-8")
    desa = gpd.read_file(boundaries, columns=["kode"], ignore_geometry=True)
    return {
        "desa": int(len(desa)),
        "kabkota": 1,
        "boundaries": str(boundaries),
        "config": str(config),
    }
