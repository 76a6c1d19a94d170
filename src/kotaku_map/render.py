"""Render one city's results as an interactive map that works offline.

:func:`city_map` builds a :class:`folium.Map` whose layers, legend, search box,
totals panel, fullscreen button and print layout come from our own small script
(``assets/kotaku_map.js``); Leaflet itself is inlined from ``xstatic-leaflet``, so
neither the notebook display nor the file written by :func:`save_map` fetches
anything from the network. Online basemaps are offered in the layer control but
are off by default.

Geometry is simplified for display only: each layer is projected to a metric CRS
(the city's UTM zone), simplified with a tolerance in metres (kelurahan with
:func:`shapely.coverage_simplify`, so shared borders stay shared), taken back to
EPSG:4326 and written with as many decimals as that tolerance justifies. The
results passed in are never modified.

Text from input files (names, codes, program names) travels to the browser as
JSON and is put into the page with ``textContent`` only, never as HTML.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import json
import math
import os
import re
import tempfile
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure
from pyproj import CRS

from kotaku_map import schema
from kotaku_map.clock import build_date
from kotaku_map.results import CityResult

__all__ = ["ExtraLayer", "ExtraPanel", "MapSizeWarning", "OfflineMap", "city_map", "save_map"]

Lang = Literal["id", "en"]

#: Metres per degree of latitude (and of longitude at the equator), for rounding.
M_PER_DEGREE = 111_320.0

# Colour-blind safe hues (Okabe & Ito 2008; Paul Tol's "muted" set as extension).
PROGRAM_COLORS = ("#0072B2", "#009E73", "#56B4E9", "#999933", "#332288", "#44AA99")
COMBO_COLORS = ("#CC79A7", "#AA4499", "#882255", "#DDCC77", "#117733", "#88CCEE")
#: Slum levels: the colours the Permen PUPR maps use (yellow, orange, red).
LEVEL_COLORS = {
    "kumuh ringan": "#FFE135",
    "kumuh sedang": "#F28E2B",
    "kumuh berat": "#D62728",
    "tidak kumuh": "#A6D96A",
    "tidak diketahui": "#9E9E9E",
}
STATUS_NONE_COLOR = "#FFFFFF"
#: "Slum without program" is drawn hatched (dark red on pale pink), see the JS patterns.
STATUS_GAP_PATTERN = "gapstatus"

_MONTHS = {
    "id": (
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

LABELS: dict[str, dict[str, str]] = {
    "id": {
        "title": "Peta Keterpaduan Penanganan Permukiman Kumuh",
        "layer_status": "Status kelurahan",
        "layer_wk": "Wilayah kerja {p}",
        "layer_kumuh": "Kawasan kumuh",
        "layer_overlap": "Tumpang tindih program",
        "layer_gap": "Celah cakupan (kumuh tanpa program)",
        "layer_sliver": "Sliver (potongan tipis)",
        "layer_kec": "Batas kecamatan",
        "layer_kec_labels": "Nama kecamatan",
        "layer_outline": "Batas kota/kabupaten",
        "base_none": "Tanpa peta dasar (offline)",
        "base_osm": "OpenStreetMap (perlu internet)",
        "base_esri": "Citra satelit Esri (perlu internet)",
        "kelurahan": "Kelurahan",
        "kecamatan": "Kecamatan",
        "kode": "Kode",
        "program": "Program",
        "status": "Status",
        "luas_ha": "Luas kelurahan",
        "kumuh_ha": "Luas kumuh",
        "tercakup_ha": "Kumuh tercakup program",
        "tumpang_tindih_ha": "Tumpang tindih",
        "celah_ha": "Celah cakupan",
        "sliver_ha": "Sliver",
        "metode_cocok": "Metode pencocokan",
        "wk_ha": "Wilayah kerja {p}",
        "tingkat": "Tingkat kumuh",
        "jenis": "Jenis",
        "lebar_m": "Lebar",
        "luas": "Luas",
        "totals": "Ringkasan",
        "jumlah_kelurahan": "Jumlah kelurahan",
        "luar_batas_ha": "Kumuh di luar batas",
        "sliver_tumpang_tindih_ha": "Sliver tumpang tindih",
        "sliver_celah_ha": "Sliver celah",
        "per_status": "Kelurahan per status",
        "per_kombinasi": "Kumuh per kombinasi program",
        "legend": "Legenda",
        "search": "Cari kelurahan…",
        "search_label": "Cari kelurahan",
        "no_result": "Tidak ditemukan",
        "fullscreen": "Layar penuh",
        "print": "Cetak",
        "print_a4": "Cetak A4 mendatar",
        "print_a3": "Cetak A3 mendatar",
        "date": "Tanggal",
        "sources": "Sumber data",
        "made_with": "Dibuat dengan kotaku_map",
        "none": "–",
        "no_program": "tanpa program",
        "hide": "Sembunyikan",
        "show": "Tampilkan",
        "ha": "ha",
        "m": "m",
        "count_unit": "kel.",
        "tumpang tindih": "Tumpang tindih",
        "celah": "Celah",
        "kec_line": "Batas kecamatan",
        "outline_line": "Batas kota/kabupaten",
        "sliver_item": "Sliver",
        "overlap_item": "Tumpang tindih ≥ 2 program",
        "gap_item": "Kumuh di luar wilayah kerja",
        "wk_item": "Batas wilayah kerja",
    },
    "en": {
        "title": "Slum Upgrading Programme Integration Map",
        "layer_status": "Kelurahan status",
        "layer_wk": "{p} work area",
        "layer_kumuh": "Slum areas",
        "layer_overlap": "Programme overlaps",
        "layer_gap": "Coverage gaps (slum without programme)",
        "layer_sliver": "Slivers (thin pieces)",
        "layer_kec": "Kecamatan boundaries",
        "layer_kec_labels": "Kecamatan names",
        "layer_outline": "City/regency boundary",
        "base_none": "No basemap (offline)",
        "base_osm": "OpenStreetMap (needs internet)",
        "base_esri": "Esri satellite imagery (needs internet)",
        "kelurahan": "Kelurahan",
        "kecamatan": "Kecamatan",
        "kode": "Code",
        "program": "Programmes",
        "status": "Status",
        "luas_ha": "Kelurahan area",
        "kumuh_ha": "Slum area",
        "tercakup_ha": "Slum covered by programmes",
        "tumpang_tindih_ha": "Overlap",
        "celah_ha": "Coverage gap",
        "sliver_ha": "Slivers",
        "metode_cocok": "Match method",
        "wk_ha": "{p} work area",
        "tingkat": "Slum level",
        "jenis": "Kind",
        "lebar_m": "Width",
        "luas": "Area",
        "totals": "Totals",
        "jumlah_kelurahan": "Number of kelurahan",
        "luar_batas_ha": "Slum outside boundaries",
        "sliver_tumpang_tindih_ha": "Overlap slivers",
        "sliver_celah_ha": "Gap slivers",
        "per_status": "Kelurahan per status",
        "per_kombinasi": "Slum per programme combination",
        "legend": "Legend",
        "search": "Search kelurahan…",
        "search_label": "Search kelurahan",
        "no_result": "Not found",
        "fullscreen": "Fullscreen",
        "print": "Print",
        "print_a4": "Print A4 landscape",
        "print_a3": "Print A3 landscape",
        "date": "Date",
        "sources": "Data sources",
        "made_with": "Made with kotaku_map",
        "none": "–",
        "no_program": "no programme",
        "hide": "Hide",
        "show": "Show",
        "ha": "ha",
        "m": "m",
        "count_unit": "kel.",
        "tumpang tindih": "Overlap",
        "celah": "Gap",
        "kec_line": "Kecamatan boundary",
        "outline_line": "City/regency boundary",
        "sliver_item": "Sliver",
        "overlap_item": "Overlap of ≥ 2 programmes",
        "gap_item": "Slum outside every work area",
        "wk_item": "Work area boundary",
    },
}

STATUS_LABELS = {
    "id": {schema.STATUS_GAP: schema.STATUS_GAP, schema.STATUS_NONE: schema.STATUS_NONE},
    "en": {schema.STATUS_GAP: "Slum without programme", schema.STATUS_NONE: "Not a location"},
}
LEVEL_LABELS = {
    "id": {
        "kumuh ringan": "Kumuh ringan",
        "kumuh sedang": "Kumuh sedang",
        "kumuh berat": "Kumuh berat",
        "tidak kumuh": "Tidak kumuh",
        "tidak diketahui": "Tingkat tidak diketahui",
    },
    "en": {
        "kumuh ringan": "Light slum",
        "kumuh sedang": "Moderate slum",
        "kumuh berat": "Severe slum",
        "tidak kumuh": "Not slum",
        "tidak diketahui": "Level unknown",
    },
}


class MapSizeWarning(UserWarning):
    """A map's HTML file is larger than its size budget."""


# --------------------------------------------------------------------------- assets


def _asset_text(name: str) -> str:
    return (resources.files("kotaku_map") / "assets" / name).read_text(encoding="utf-8")


def _data_uri(path: Path, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _safe_inline(code: str) -> str:
    """Make JS/CSS text safe inside a ``<script>``/``<style>`` element."""
    return re.sub(r"</(script|style)", r"<\\/\1", code, flags=re.IGNORECASE)


@lru_cache(maxsize=1)
def offline_head() -> str:
    """Return ``<style>``/``<script>`` tags with Leaflet and our own assets, all inline.

    Leaflet's images (layer-control icon, default marker) become ``data:`` URIs, so the
    page loads nothing from anywhere.

    Examples
    --------
    >>> head = offline_head()
    >>> "L.version" in head or "Leaflet" in head
    True
    >>> "http://" in head.split("<script>")[0] or " src=" in head
    False
    """
    import xstatic.pkg.leaflet as xleaflet

    base = Path(xleaflet.BASE_DIR)
    css = (base / "leaflet.css").read_text(encoding="utf-8")
    css = re.sub(
        r"url\((['\"]?)images/([\w.-]+\.png)\1\)",
        lambda mo: f"url({_data_uri(base / 'images' / mo.group(2))})",
        css,
    )
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    # Leaflet's source-map comment would make devtools fetch a file: drop it.
    js = re.sub(r"//# sourceMappingURL=\S+", "", js)
    return (
        f"<style>{_safe_inline(css)}</style>\n"
        f"<style>{_safe_inline(_asset_text('kotaku_map.css'))}</style>\n"
        f"<script>{_safe_inline(js)}</script>\n"
        f"<script>{_safe_inline(_asset_text('kotaku_map.js'))}</script>\n"
    )


def json_for_html(obj: Any) -> str:
    r"""Serialise *obj* to JSON that can sit inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` are written as ``\u003c`` etc., so no text from a file
    can close the element or open a comment; the browser's ``JSON.parse`` restores them.

    Examples
    --------
    >>> print(json_for_html({"n": "</script><b>"}))
    {"n":"\u003c/script\u003e\u003cb\u003e"}
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# --------------------------------------------------------------------------- geometry


def decimals_for(tolerance_m: float) -> int:
    """Decimals of a degree that keep rounding error below half of *tolerance_m*.

    Parameters
    ----------
    tolerance_m : float
        Simplification tolerance in metres; 0 means "keep ~1 cm".

    Returns
    -------
    int
        Between 1 and 7.

    Examples
    --------
    >>> decimals_for(5.0), decimals_for(50.0), decimals_for(0)
    (5, 4, 7)
    """
    if not tolerance_m or tolerance_m <= 0:
        return 7
    d = math.ceil(math.log10(M_PER_DEGREE / (tolerance_m / 2.0)))
    return int(min(7, max(1, d)))


def metric_crs(*frames: gpd.GeoDataFrame) -> CRS | None:
    """Return the WGS 84 UTM CRS of the centre of the first non-empty frame (lon/lat).

    Display simplification only needs metres, not the exact zone geopandas'
    ``estimate_utm_crs`` would pick (which costs a pyproj database query per call).

    Examples
    --------
    >>> from shapely import box
    >>> metric_crs(gpd.GeoDataFrame(geometry=[box(110.4, -6.9, 110.5, -6.8)], crs=4326)).to_epsg()
    32749
    """
    for gdf in frames:
        if gdf is not None and len(gdf) and not gdf.geometry.is_empty.all():
            x0, y0, x1, y1 = gdf.to_crs(4326).total_bounds
            if not np.all(np.isfinite([x0, y0, x1, y1])):  # pragma: no cover - odd extents
                continue
            lon, lat = (x0 + x1) / 2, (y0 + y1) / 2
            zone = int((lon + 180) // 6) % 60 + 1
            return CRS.from_epsg((32700 if lat < 0 else 32600) + zone)
    return None


def simplify_display(
    geoms: gpd.GeoSeries, crs_m: CRS | None, tolerance_m: float, *, coverage: bool = False
) -> gpd.GeoSeries:
    """Simplify geometries for display, in metres, returning EPSG:4326.

    Parameters
    ----------
    geoms : GeoSeries
        Geometries in any CRS; not modified.
    crs_m : pyproj.CRS or None
        Metric CRS to simplify in (``None``: no simplification).
    tolerance_m : float
        Tolerance in metres; ``<= 0`` keeps the geometry as it is.
    coverage : bool, default False
        Use :func:`shapely.coverage_simplify` so that borders shared by neighbouring
        polygons stay shared (for a polygonal coverage such as kelurahan).

    Returns
    -------
    GeoSeries
        In EPSG:4326, same index, no empty geometries dropped.

    Examples
    --------
    >>> from shapely import box
    >>> s = gpd.GeoSeries([box(110.40, -6.91, 110.41, -6.90), box(110.41, -6.91, 110.42, -6.90)],
    ...                   crs=4326)
    >>> out = simplify_display(s, s.estimate_utm_crs(), 5.0, coverage=True)
    >>> bool(out.iloc[0].touches(out.iloc[1])), str(out.crs)
    (True, 'EPSG:4326')
    """
    geoms = geoms.to_crs(4326) if geoms.crs is not None else geoms.set_crs(4326)
    if crs_m is None or tolerance_m <= 0 or len(geoms) == 0:
        return geoms
    out = _simplify_metric(
        np.asarray(geoms.to_crs(crs_m).values, dtype=object), tolerance_m, coverage=coverage
    )
    return gpd.GeoSeries(out, index=geoms.index, crs=crs_m).to_crs(4326)


def _simplify_metric(arr: np.ndarray, tolerance_m: float, *, coverage: bool) -> np.ndarray:
    """:func:`simplify_display`'s simplification, of geometries already in metres."""
    ok = ~(shapely.is_missing(arr) | shapely.is_empty(arr))
    out = arr.copy()
    if ok.any():
        part = arr[ok]
        polygonal = bool(np.all(np.isin(shapely.get_type_id(part), (3, 6))))
        if coverage and polygonal:
            try:
                out[ok] = shapely.coverage_simplify(part, tolerance_m)
            except shapely.errors.GEOSException:  # not a coverage GEOS can handle
                out[ok] = shapely.simplify(part, tolerance_m, preserve_topology=True)
        else:
            out[ok] = shapely.simplify(part, tolerance_m, preserve_topology=True)
    return out


def _drop_small_holes(geom: Any, min_area: float) -> Any:
    """Remove interior rings smaller than *min_area* (slivers left by a dissolve)."""
    if geom is None or geom.is_empty:
        return geom
    if geom.geom_type == "Polygon":
        keep = [r for r in geom.interiors if shapely.Polygon(r).area >= min_area]
        return shapely.Polygon(geom.exterior, keep)
    if geom.geom_type == "MultiPolygon":
        return shapely.MultiPolygon([_drop_small_holes(p, min_area) for p in geom.geoms])
    return geom


def _dissolve(polygons: np.ndarray) -> Any:
    """The union of polygons that mostly share borders (simplified kelurahan).

    ``buffer(0)`` of them all as one MultiPolygon is that union, about 1.6x faster than
    :func:`shapely.union_all` on real kecamatan (the same hectares to 1e-14); the union is
    taken instead if the buffer ever comes out smaller than the largest polygon.
    """
    if len(polygons) == 1:
        return polygons[0]
    parts = shapely.get_parts(polygons)
    merged = shapely.buffer(shapely.multipolygons(parts), 0)
    if shapely.area(merged) < shapely.area(parts).max() * (1 - 1e-9):
        merged = shapely.union_all(polygons)
    return merged


def dissolve_display(
    geoms: gpd.GeoSeries, keys: pd.Series | None, crs_m: CRS | None, tolerance_m: float
) -> gpd.GeoDataFrame:
    """Dissolve (already simplified) polygons by *keys*; one row per key, EPSG:4326.

    Holes smaller than ``(10 * tolerance)²`` (misfits between neighbours) are dropped.
    ``keys=None`` dissolves everything into one row with key ``""``.
    """
    if len(geoms) == 0:
        return gpd.GeoDataFrame({"key": []}, geometry=gpd.GeoSeries([], crs=4326))
    work = geoms.to_crs(crs_m) if crs_m is not None else geoms
    names, merged = _dissolve_by(
        np.asarray(work.values, dtype=object), keys, tolerance_m if crs_m is not None else None
    )
    out = gpd.GeoDataFrame({"key": names}, geometry=merged, crs=work.crs)
    return out.to_crs(4326)


def _dissolve_by(
    arr: np.ndarray, keys: pd.Series | None, tolerance_m: float | None
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`dissolve_display`'s dissolve, in the geometries' own CRS: (sorted keys, unions).

    With ``tolerance_m`` (metres), holes smaller than ``(10 * tolerance)²`` are dropped.
    """
    key = (
        keys.fillna("").astype(str).to_numpy()
        if keys is not None
        else np.full(len(arr), "", dtype=object)
    )
    ok = ~(shapely.is_missing(arr) | shapely.is_empty(arr))
    arr, key = arr[ok], key[ok]
    names, inverse = np.unique(key, return_inverse=True)  # sorted keys, like dissolve(sort=True)
    # a plain union (snap-rounding to a grid is twice as slow here); the hairline holes it
    # leaves between misfit neighbours are dropped below
    merged = [_dissolve(arr[inverse == i]) for i in range(len(names))]
    if tolerance_m is not None:
        min_area = (10.0 * max(tolerance_m, 0.5)) ** 2
        merged = [_drop_small_holes(g, min_area) for g in merged]
    return names, np.array(merged, dtype=object)


def _flat_polygons(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The non-empty polygons inside each geometry (collections opened), with their owner."""
    parts, owner = shapely.get_parts(geoms, return_index=True)
    while True:
        types = shapely.get_type_id(parts)
        nested = np.isin(types, (4, 5, 6, 7))  # multi-geometries and collections
        if not nested.any():
            break
        sub, at = shapely.get_parts(parts[nested], return_index=True)
        parts = np.concatenate([parts[~nested], sub])
        owner = np.concatenate([owner[~nested], owner[nested][at]])
        order = np.argsort(owner, kind="stable")  # keep each geometry's polygons together
        parts, owner = parts[order], owner[order]
    keep = (shapely.get_type_id(parts) == 3) & ~shapely.is_empty(parts)
    return parts[keep], owner[keep]


def encode_geometries(geoms: Any, nd: int) -> list[list | None]:
    """Quantise and delta-encode the polygons of each geometry (compact, lossless at *nd* decimals).

    Each polygon becomes a list of rings; each ring a flat list of integers
    ``[x0, y0, dx1, dy1, ...]`` in units of ``10**-nd`` degrees, without the closing
    point; ``KotakuMap`` decodes it back to GeoJSON in the browser. Rings that collapse
    at this precision are dropped (a polygon whose exterior collapses, entirely); a
    geometry with nothing left (or no polygon at all) is None. Vectorised over all the
    geometries' coordinates at once.

    Examples
    --------
    >>> from shapely import box
    >>> encode_geometries([box(110.4, -6.91, 110.41, -6.9), None], 2)
    [[[[11041, -691, 0, 1, -1, 0, 0, -1]]], None]
    """
    geoms = np.asarray(geoms, dtype=object).ravel()
    out: list[list | None] = [None] * len(geoms)
    polys, owner = _flat_polygons(geoms)
    if len(polys) == 0:
        return out
    rings, ring_poly = shapely.get_rings(polys, return_index=True)
    first_ring = np.r_[True, ring_poly[1:] != ring_poly[:-1]]  # the exterior of its polygon
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    q = np.round(coords * 10.0**nd).astype(np.int64)
    new_ring = np.r_[True, ring_of[1:] != ring_of[:-1]]
    keep = new_ring.copy()
    keep[1:] |= np.any(q[1:] != q[:-1], axis=1)  # no repeated point
    q, ring_of = q[keep], ring_of[keep]
    count = np.bincount(ring_of, minlength=len(rings))
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    last = np.maximum(start + count - 1, 0)
    closed = (count > 1) & np.all(q[np.minimum(start, len(q) - 1)] == q[last], axis=1)
    count = count - closed  # without the closing point
    ok = count >= 3
    poly_ok = np.zeros(len(polys), dtype=bool)
    poly_ok[ring_poly[first_ring & ok]] = True  # a polygon lives while its exterior does
    ok &= poly_ok[ring_poly]
    delta = q.copy()
    delta[1:] -= q[:-1]
    delta[start[count > 0]] = q[start[count > 0]]  # each ring starts absolute
    flat = delta.ravel().tolist()
    current_poly = -1
    for r in np.flatnonzero(ok).tolist():
        p = int(ring_poly[r])
        g = int(owner[p])
        if out[g] is None:
            out[g] = []
        if p != current_poly:
            out[g].append([])  # type: ignore[union-attr]
            current_poly = p
        s = 2 * int(start[r])
        out[g][-1].append(flat[s : s + 2 * int(count[r])])  # type: ignore[index]
    return out


def encode_geometry(geom: Any, nd: int) -> list | None:
    """:func:`encode_geometries` for one geometry.

    Examples
    --------
    >>> from shapely import box
    >>> encode_geometry(box(110.4, -6.91, 110.41, -6.9), 2)
    [[[11041, -691, 0, 1, -1, 0, 0, -1]]]
    """
    return encode_geometries([geom], nd)[0]


def _clean(value: Any) -> Any:
    """JSON-safe scalar: NaN/NA -> None, numpy -> Python, floats to 2 decimals."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return round(float(value), 4)
    return str(value)


def features(
    gdf: gpd.GeoDataFrame, geoms: gpd.GeoSeries, props: Mapping[str, Any], nd: int
) -> list[dict]:
    """Compact features ``{"g": encode_geometry(...), "p": {...}}``.

    ``props`` maps a short key to a column name or a callable(row); only those
    attributes are embedded. Features whose geometry vanishes are dropped.
    """
    feats = []
    attrs = [c for c in gdf.columns if c != gdf.geometry.name]
    if not any(callable(c) for c in props.values()):  # only the columns props names
        wanted = {c for c in props.values() if isinstance(c, str)}
        attrs = [c for c in attrs if c in wanted]
    records = pd.DataFrame(gdf[attrs]).to_dict("records")
    encoded = encode_geometries(geoms.values, nd)
    for row, g in zip(records, encoded, strict=True):
        if g is None:
            continue
        p = {}
        for key, col in props.items():
            val = col(row) if callable(col) else row.get(col)
            p[key] = _clean(val)
        feats.append({"g": g, "p": p})
    return feats


# --------------------------------------------------------------------------- styling


def status_styles(statuses: Sequence[str], programs: Sequence[str], lang: Lang) -> list[dict]:
    """Legend entries for kelurahan statuses, in a fixed order, with colours.

    Single programs first (config order), then combinations (by size), then
    "Kumuh tanpa program" and "Bukan lokasi"; statuses that are neither get spare colours.

    Examples
    --------
    >>> [s["key"] for s in status_styles(["Bukan lokasi", "NSUP + NUSP-2", "NSUP"],
    ...                                   ("NSUP", "NUSP-2"), "id")]
    ['NSUP', 'NSUP + NUSP-2', 'Bukan lokasi']
    """
    progs = list(programs)
    seen = [s for s in dict.fromkeys(str(s) for s in statuses if s is not None and s == s)]
    singles, combos, other = [], [], []
    for s in seen:
        if s in (schema.STATUS_GAP, schema.STATUS_NONE):
            continue
        parts = [p.strip() for p in s.split(schema.PROGRAM_JOIN.strip())]
        if len(parts) == 1 and parts[0] in progs:
            singles.append((progs.index(parts[0]), s))
        elif len(parts) > 1 and all(p in progs for p in parts):
            combos.append(((len(parts), sorted(progs.index(p) for p in parts)), s))
        else:
            other.append(s)
    out: list[dict] = []
    for idx, s in sorted(singles):
        out.append({"key": s, "label": s, "color": PROGRAM_COLORS[idx % len(PROGRAM_COLORS)]})
    combo_sorted = [s for _, s in sorted(combos)] + other
    for i, s in enumerate(combo_sorted):
        out.append({"key": s, "label": s, "color": COMBO_COLORS[i % len(COMBO_COLORS)]})
    if schema.STATUS_GAP in seen:
        out.append(
            {
                "key": schema.STATUS_GAP,
                "label": STATUS_LABELS[lang][schema.STATUS_GAP],
                "color": "#B2182B",
                "pattern": STATUS_GAP_PATTERN,
            }
        )
    if schema.STATUS_NONE in seen:
        out.append(
            {
                "key": schema.STATUS_NONE,
                "label": STATUS_LABELS[lang][schema.STATUS_NONE],
                "color": STATUS_NONE_COLOR,
            }
        )
    return out


def format_date(day: _dt.date, lang: Lang) -> str:
    """Format a date the way readers of *lang* write it.

    Examples
    --------
    >>> import datetime
    >>> format_date(datetime.date(2017, 2, 9), "id")
    '9 Februari 2017'
    """
    return f"{day.day} {_MONTHS[lang][day.month - 1]} {day.year}"


# --------------------------------------------------------------------------- folium glue


class RawHTML(Element):
    """Markup inserted as it is: never parsed as a Jinja template.

    branca compiles the output of every ``Element``/``MacroElement`` again as a
    template, so data containing ``{{`` or ``{% raw %}`` (a kelurahan name, say)
    would break the page; this element's text is copied verbatim.

    Examples
    --------
    >>> RawHTML("{% raw %} {{ x }}").render()
    '{% raw %} {{ x }}'
    """

    def __init__(self, text: str):
        super().__init__()
        self._name = "RawHTML"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text unchanged."""
        return self.text


class OfflineMap(folium.Map):
    """A :class:`folium.Map` that links nothing from a CDN.

    Folium's default jQuery/Bootstrap/awesome-markers/font-awesome links are dropped and
    Leaflet plus our own script and stylesheet are inlined into the page header, so both
    the Jupyter display and the saved file work without network.

    Examples
    --------
    >>> html_text = OfflineMap(tiles=None).get_root().render()
    >>> "cdn.jsdelivr" in html_text or "<link" in html_text
    False
    """

    default_js: list[tuple[str, str]] = []
    default_css: list[tuple[str, str]] = []

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Add the inline Leaflet/kotaku assets to the figure header, then render."""
        figure = self.get_root()
        if isinstance(figure, Figure):
            figure.header.add_child(RawHTML(offline_head()), name="kotaku_offline_assets", index=0)
        super().render(**kwargs)


class CityLayers(Element):
    """One city's display data; in the page, ``KotakuMap.city`` builds the layers from it.

    Adds (verbatim, see :class:`RawHTML`) a ``<title>``, a JSON ``<script>`` block and
    the call that draws the map; must be a child of an :class:`OfflineMap`.
    """

    def __init__(self, data: dict, title: str):
        super().__init__()
        self._name = "KotakuCityLayers"
        self.data = data
        self.title = title

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Add the title, the data block and the drawing call to the figure."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError("CityLayers must be added to a folium.Map inside a Figure")
        name = self.get_name()
        map_name = self._parent.get_name() if self._parent is not None else "null"
        figure.header.add_child(
            RawHTML(f"<title>{html.escape(self.title)}</title>"), name=f"{name}_title"
        )
        figure.html.add_child(
            RawHTML(
                f'<script type="application/json" id="{name}_data">{json_for_html(self.data)}'
                "</script>"
            ),
            name=f"{name}_data",
        )
        figure.script.add_child(
            RawHTML(
                f"KotakuMap.city({map_name}, JSON.parse(document.getElementById("
                f'"{name}_data").textContent), "{name}");'
            ),
            name=f"{name}_script",
        )


# --------------------------------------------------------------------------- public API


@dataclass(frozen=True)
class DisplayShapes:
    """A city's boundaries as drawn: simplified, dissolved, in EPSG:4326.

    Attributes
    ----------
    kelurahan : GeoSeries
        Every kelurahan, coverage-simplified (shared borders stay shared), same index
        as ``result.kelurahan``.
    kecamatan : GeoDataFrame
        One row per kecamatan (``key``: its name), dissolved from those, largest first.
    kecamatan_labels : list
        A label point per kecamatan row (inside it), or None.
    outline : GeoDataFrame
        The whole city, one row, dissolved from the kecamatan.
    crs_m : pyproj.CRS or None
        The metric CRS they were simplified in.
    simplify_m : float
        The simplification tolerance, metres.
    """

    kelurahan: gpd.GeoSeries
    kecamatan: gpd.GeoDataFrame
    kecamatan_labels: list
    outline: gpd.GeoDataFrame
    crs_m: CRS | None
    simplify_m: float


def display_shapes(result: CityResult, simplify_m: float = 5.0) -> DisplayShapes:
    """Simplify and dissolve a city's boundaries once, for its map and the overview."""
    kel = result.kelurahan
    crs_m = metric_crs(
        kel, result.kumuh, result.wilayah_kerja, result.tumpang_tindih, result.celah, result.sliver
    )
    names = (
        kel[schema.KECAMATAN]
        if schema.KECAMATAN in kel.columns
        else pd.Series([None] * len(kel), index=kel.index)
    )
    if crs_m is None or len(kel) == 0:
        kel_geom = simplify_display(kel.geometry, crs_m, simplify_m, coverage=True)
        kec = dissolve_display(kel_geom, names, crs_m, simplify_m)
        labels = [
            None if g is None or g.is_empty else g.representative_point() for g in kec.geometry
        ]
        outline = dissolve_display(kec.geometry, None, crs_m, simplify_m)
        return DisplayShapes(kel_geom, kec, labels, outline, crs_m, simplify_m)
    # in metres from the start to the end: one projection each way
    kel_m = np.asarray(kel.geometry.to_crs(crs_m).values, dtype=object)
    if simplify_m > 0:
        kel_m = _simplify_metric(kel_m, simplify_m, coverage=True)
    kel_geom = gpd.GeoSeries(kel_m, index=kel.index, crs=crs_m).to_crs(4326)
    tol = simplify_m if simplify_m > 0 else 0.0
    kec_names, kec_m = _dissolve_by(kel_m, names, tol)
    order = np.argsort(-shapely.area(kec_m), kind="stable")  # largest first: the JS hides
    kec_names, kec_m = kec_names[order], kec_m[order]  # labels that collide
    pts = gpd.GeoSeries(shapely.point_on_surface(kec_m), crs=crs_m).to_crs(4326)
    labels = [None if shapely.is_empty(g) else p for p, g in zip(pts, kec_m, strict=True)]
    kec = gpd.GeoDataFrame({"key": kec_names}, geometry=kec_m, crs=crs_m).to_crs(4326)
    _, outline_m = _dissolve_by(kec_m, None, tol)  # from ~20 kecamatan, not ~200 kelurahan
    outline = gpd.GeoDataFrame(
        {"key": [""] * len(outline_m)}, geometry=outline_m, crs=crs_m
    ).to_crs(4326)
    return DisplayShapes(kel_geom, kec, labels, outline, crs_m, simplify_m)


def city_data(
    result: CityResult,
    *,
    lang: Lang = "id",
    simplify_m: float = 5.0,
    basemaps: bool = True,
    title: str | None = None,
    sources: Sequence[str] = (),
    date: _dt.date | None = None,
    extras: Sequence[ExtraLayer | ExtraPanel] = (),  # issue 8: optional extra layers
    display: DisplayShapes | None = None,
) -> dict:
    """Everything the browser needs to draw one city, as a JSON-ready dict.

    See :func:`city_map` for the parameters. Geometries are simplified copies; *result*
    is not modified.
    """
    if lang not in LABELS:
        raise ValueError(f"`lang` was {lang!r} but is expected to be in {sorted(LABELS)}")
    if simplify_m < 0:
        raise ValueError(f"`simplify_m` was {simplify_m!r} but is expected to be >= 0")
    S = schema
    kel = result.kelurahan
    crs_m = metric_crs(
        kel, result.kumuh, result.wilayah_kerja, result.tumpang_tindih, result.celah, result.sliver
    )
    nd = decimals_for(simplify_m)
    programs = [str(p) for p in result.programs]

    def col(gdf: gpd.GeoDataFrame, name: str) -> pd.Series:
        return gdf[name] if name in gdf.columns else pd.Series([None] * len(gdf), index=gdf.index)

    statuses = status_styles(list(col(kel, S.STATUS)), programs, lang)
    status_index = {s["key"]: i for i, s in enumerate(statuses)}

    wk_cols = [(p, S.work_column(p)) for p in programs]
    kel_props: dict[str, Any] = {
        "n": S.KELURAHAN,
        "kc": S.KECAMATAN,
        "k": S.KODE,
        "p": S.PROGRAM,
        "s": lambda r: status_index.get(str(r.get(S.STATUS)), None),
        "a": S.LUAS_HA,
        "kh": S.KUMUH_HA,
        "th": S.TERCAKUP_HA,
        "oh": S.TUMPANG_TINDIH_HA,
        "gh": S.CELAH_HA,
        "sh": S.SLIVER_HA,
        "m": S.METODE_COCOK,
        "w": lambda r: [_clean(r.get(c)) for _, c in wk_cols],
    }
    shapes = (
        display
        if display is not None and display.simplify_m == simplify_m
        else display_shapes(result, simplify_m)
    )
    kel_feats = features(kel, shapes.kelurahan, kel_props, nd)
    kec = shapes.kecamatan
    kec_feats = features(kec, kec.geometry, {"n": "key"}, nd)
    kec_labels = []
    for name, pt in zip(kec["key"], shapes.kecamatan_labels, strict=True):
        if pt is None or not name:
            continue
        kec_labels.append([round(pt.y, nd), round(pt.x, nd), name])
    outline = shapes.outline
    outline_feats = features(outline, outline.geometry, {}, nd)

    def layer(
        gdf: gpd.GeoDataFrame, props: Mapping[str, Any], *, simplify: bool = True, digits: int = nd
    ) -> list[dict]:
        if gdf is None or len(gdf) == 0:
            return []
        geoms = simplify_display(gdf.geometry, crs_m, simplify_m if simplify else 0.0)
        return features(gdf, geoms, props, digits)

    prog_index = {p: i for i, p in enumerate(programs)}
    levels = [lv for lv in S.LEVELS if lv in set(col(result.kumuh, S.TINGKAT).astype(str))]
    extra_levels = sorted(set(col(result.kumuh, S.TINGKAT).dropna().astype(str)) - set(levels))
    levels += extra_levels
    level_index = {lv: i for i, lv in enumerate(levels)}

    wk_feats = layer(
        result.wilayah_kerja,
        {
            "p": lambda r: prog_index.get(str(r.get(S.PROGRAM)), None),
            "pn": S.PROGRAM,
            "n": S.KELURAHAN,
            "k": S.KODE,
            "a": S.LUAS_HA,
        },
    )
    # programs that occur in the work-area layer but are not in result.programs
    for f in wk_feats:
        if f["p"]["p"] is None and f["p"]["pn"] is not None:
            name = f["p"]["pn"]
            if name not in prog_index:
                prog_index[name] = len(programs)
                programs.append(name)
            f["p"]["p"] = prog_index[name]
    kumuh_feats = layer(
        result.kumuh,
        {
            "t": lambda r: level_index.get(str(r.get(S.TINGKAT)), None),
            "a": S.LUAS_HA,
            "n": S.KELURAHAN,
            "k": S.KODE,
        },
    )
    overlap_feats = layer(
        result.tumpang_tindih,
        {
            "pn": S.PROGRAM,
            "a": S.LUAS_HA,
            "n": S.KELURAHAN,
            "k": S.KODE,
        },
    )
    gap_feats = layer(result.celah, {"a": S.LUAS_HA, "n": S.KELURAHAN, "k": S.KODE})
    # slivers are thin by definition: do not simplify them, keep a finer grid
    sliver_feats = layer(
        result.sliver,
        {
            "j": S.JENIS,
            "pn": S.PROGRAM,
            "a": S.LUAS_HA,
            "n": S.KELURAHAN,
            "k": S.KODE,
            "lw": "lebar_m",
        },
        simplify=False,
        digits=min(7, nd + 1),
    )

    if len(kel) and not kel.geometry.is_empty.all():
        b = kel.to_crs(4326).total_bounds
    else:
        frames = [g for g in (result.kumuh, result.wilayah_kerja) if len(g)]
        b = frames[0].to_crs(4326).total_bounds if frames else np.array([95.0, -11.0, 141.0, 6.0])
    bounds = [[float(b[1]), float(b[0])], [float(b[3]), float(b[2])]]

    r = dict(result.ringkasan)
    totals_keys = [
        "jumlah_kelurahan",
        "kumuh_ha",
        "tercakup_ha",
        "tumpang_tindih_ha",
        "celah_ha",
        "sliver_ha",
        "luar_batas_ha",
    ]
    per_status = r.get("kelurahan_per_status") or {}
    per_combo = r.get("kumuh_per_kombinasi_ha") or {}
    labels = dict(LABELS[lang])
    day = date or build_date()
    nama = str(result.nama)
    data = {
        "lang": lang,
        "title": title if title is not None else labels["title"],
        "city": nama,
        "date": format_date(day, lang),
        "sources": [str(s) for s in sources],
        "labels": labels,
        "programs": [
            {"name": p, "color": PROGRAM_COLORS[i % len(PROGRAM_COLORS)]}
            for i, p in enumerate(programs)
        ],
        "statuses": statuses,
        "levels": [
            {
                "key": lv,
                "label": LEVEL_LABELS[lang].get(lv, lv),
                "color": LEVEL_COLORS.get(lv, "#9E9E9E"),
            }
            for lv in levels
        ],
        "basemaps": bool(basemaps),
        "bounds": bounds,
        "nd": nd,
        "nd_sliver": min(7, nd + 1),
        "layers": {
            "kel": kel_feats,
            "kec": kec_feats,
            "kec_labels": kec_labels,
            "outline": outline_feats,
            "wk": wk_feats,
            "kumuh": kumuh_feats,
            "overlap": overlap_feats,
            "gap": gap_feats,
            "sliver": sliver_feats,
        },
        "totals": {k: _clean(r.get(k)) for k in totals_keys if k in r},
        "per_status": [
            [STATUS_LABELS[lang].get(str(k), str(k)), _clean(v), status_index.get(str(k))]
            for k, v in per_status.items()
        ],
        "per_combo": [
            [str(k) if str(k) else labels["no_program"], _clean(v)] for k, v in per_combo.items()
        ],
    }
    if extras:  # issue 8: only when given, so maps without extras stay byte-identical
        data["extra"] = extra_data(extras, crs_m=crs_m, simplify_m=simplify_m, nd=nd)
    return data


def city_map(
    result: CityResult,
    *,
    lang: Lang = "id",
    simplify_m: float = 5.0,
    basemaps: bool = True,
    title: str | None = None,
    sources: Sequence[str] = (),
    date: _dt.date | None = None,
    extras: Sequence[ExtraLayer | ExtraPanel] = (),
    display: DisplayShapes | None = None,
) -> folium.Map:
    """Draw one city's integration map (peta keterpaduan).

    Parameters
    ----------
    result : CityResult
        The analysis of one kab/kota (EPSG:4326); not modified.
    lang : {"id", "en"}, default "id"
        Language of every label; Bahasa Indonesia by default.
    simplify_m : float, default 5.0
        Display simplification tolerance in metres (0: none); coordinates are rounded
        to match (see :func:`decimals_for`).
    basemaps : bool, default True
        Offer OpenStreetMap and Esri World Imagery in the layer control (off by default;
        they need internet). ``False`` leaves them out entirely.
    title : str, optional
        Map title; default "Peta Keterpaduan Penanganan Permukiman Kumuh".
    sources : sequence of str
        Data sources, printed in the page footer.
    date : datetime.date, optional
        Date shown on the map and print (default today).
    extras : sequence of ExtraLayer or ExtraPanel, optional
        Optional extra layers (toggleable, with legend entries; layers sharing a
        ``group`` get a switch, e.g. one layer per year) and panels (a chart); see
        :class:`ExtraLayer`, :mod:`kotaku_map.sync`, :mod:`kotaku_map.progress`,
        :mod:`kotaku_map.funding`.
    display : DisplayShapes, optional
        The city's simplified kelurahan, kecamatan and outline, if already made by
        :func:`display_shapes` with the same ``simplify_m`` (the build reuses them for the
        overview); made here otherwise.

    Returns
    -------
    folium.Map
        An :class:`OfflineMap`; display it in Jupyter or write it with :func:`save_map`.

    Examples
    --------
    >>> from kotaku_map.render import _example_result
    >>> m = city_map(_example_result())
    >>> isinstance(m, folium.Map)
    True
    """
    data = city_data(
        result,
        lang=lang,
        simplify_m=simplify_m,
        basemaps=basemaps,
        title=title,
        sources=sources,
        date=date,
        extras=extras,
        display=display,
    )
    (s, w), (n, e) = data["bounds"]
    m = OfflineMap(
        location=[(s + n) / 2, (w + e) / 2],
        zoom_start=12,
        tiles=None,
        control_scale=False,
        prefer_canvas=False,
        zoom_snap=0.25,
    )
    m.add_child(CityLayers(data, f"{data['title']} – {data['city']}"))
    return m


# =========================================================================== BEGIN issue 8
# Optional extra layers and panels (source reconciliation, progress per year, funding
# mix). They appear only when given to :func:`city_map`; every text travels as JSON and
# is put into the page with textContent (see ``addExtras`` in assets/kotaku_map.js).

_EXTRA_KINDS = ("ha", "pct", "num", "rp", "text")
_KEY = re.compile(r"[^a-z0-9_-]+")


@dataclass(frozen=True)
class ExtraLayer:
    """One optional polygon layer of the city map, with a legend and popups.

    Attributes
    ----------
    key : str
        Identifier (letters, digits, ``_``, ``-``); also the legend section's ``data-layer``.
    label : str
        Name in the layer control and the legend (any text: it is never markup).
    frame : GeoDataFrame
        Polygons in any CRS (shown in EPSG:4326, simplified like the other layers).
    class_column : str
        Column whose value picks the class (colour) of a feature.
    classes : sequence of dict
        ``{"value", "label", "color"}`` and optionally ``"line"`` (outline colour),
        ``"dash"`` (dashed outline), ``"opacity"`` (fill opacity). Legend order.
    popup : sequence of (column, label, kind)
        Rows of the tooltip/popup; kind is one of ``ha, pct, num, rp, text``.
    title_column : str, optional
        Column used as the popup title (default ``kelurahan``).
    group, group_label : str, optional
        Layers with the same ``group`` form ONE entry of the layer control (named
        ``group_label``) with a switch between them (a year switch); ``label`` is then
        the switch's button text (e.g. ``"2021"``). The last layer of a group is shown first.
    on : bool
        Shown when the map opens.
    """

    key: str
    label: str
    frame: gpd.GeoDataFrame
    class_column: str
    classes: Sequence[Mapping[str, Any]]
    popup: Sequence[tuple[str, str, str]] = ()
    title_column: str | None = schema.KELURAHAN
    group: str | None = None
    group_label: str | None = None
    on: bool = False


@dataclass(frozen=True)
class ExtraPanel:
    """A collapsible panel of the city map holding an image (a chart) and a small table.

    ``image`` must be a ``data:image/svg+xml`` or ``data:image/png`` URI (offline);
    ``rows`` are ``(label, text)`` pairs shown below it.
    """

    key: str
    title: str
    image: str = ""
    alt: str = ""
    rows: Sequence[tuple[str, str]] = ()


def extra_data(
    extras: Sequence[ExtraLayer | ExtraPanel], *, crs_m: CRS | None, simplify_m: float, nd: int
) -> dict:
    """The JSON-ready ``extra`` block of :func:`city_data`.

    Examples
    --------
    >>> from shapely import box
    >>> f = gpd.GeoDataFrame({"kelurahan": ["<b>A</b>"], "k": ["x"], "ha": [1.234]},
    ...                      geometry=[box(110, -7, 110.01, -6.99)], crs=4326)
    >>> lyr = ExtraLayer("uji", "Uji", f, "k", [{"value": "x", "label": "X", "color": "#f00"}],
    ...                  popup=[("ha", "Luas", "ha")])
    >>> d = extra_data([lyr], crs_m=None, simplify_m=0, nd=5)
    >>> d["layers"][0]["features"][0]["p"]
    {'c': 0, 't': '<b>A</b>', 'r': [1.234]}
    """
    layers, panels, keys = [], [], set()
    for x in extras:
        key = _KEY.sub("-", str(x.key).lower()).strip("-") or "extra"
        while key in keys:
            key += "-"
        keys.add(key)
        if isinstance(x, ExtraPanel):
            if x.image and not re.match(r"^data:image/(svg\+xml|png)[;,]", x.image):
                raise ValueError(
                    f"ExtraPanel {x.key!r}: image must be a data:image/svg+xml "
                    "or data:image/png URI (maps stay offline)"
                )
            panels.append(
                {
                    "key": key,
                    "title": str(x.title),
                    "image": x.image,
                    "alt": str(x.alt),
                    "rows": [[str(a), str(b)] for a, b in x.rows],
                }
            )
            continue
        if not isinstance(x, ExtraLayer):
            raise TypeError(f"extras takes ExtraLayer or ExtraPanel, not {type(x).__name__}")
        for _, _, kind in x.popup:
            if kind not in _EXTRA_KINDS:
                raise ValueError(f"ExtraLayer {x.key!r}: popup kind {kind!r} not in {_EXTRA_KINDS}")
        values = [str(c["value"]) for c in x.classes]
        index = {v: i for i, v in enumerate(values)}
        frame = x.frame
        if frame is None or len(frame) == 0:
            feats: list[dict] = []
        else:
            frame = frame.to_crs(4326)
            geoms = simplify_display(frame.geometry, crs_m, simplify_m)
            cols = [c for c, _, _ in x.popup]
            tcol = x.title_column
            ccol = x.class_column
            feats = features(
                frame,
                geoms,
                {
                    "c": lambda r, ix=index, cc=ccol: ix.get(str(r.get(cc)), None),
                    "t": lambda r, tc=tcol: None if tc is None else r.get(tc),
                    "r": lambda r, cs=cols: [_clean(r.get(c)) for c in cs],
                },
                nd,
            )
        present = {f["p"]["c"] for f in feats}
        layers.append(
            {
                "key": key,
                "label": str(x.label),
                "on": bool(x.on),
                "group": None if x.group is None else str(x.group),
                "group_label": str(x.group_label if x.group_label is not None else x.group or ""),
                "classes": [
                    {
                        "label": str(c.get("label", c["value"])),
                        "color": str(c["color"]),
                        "line": str(c.get("line", "#333333")),
                        "dash": bool(c.get("dash")),
                        "opacity": float(c.get("opacity", 0.6)),
                        "used": i in present,
                    }
                    for i, c in enumerate(x.classes)
                ],
                "popup": [[str(label), kind] for _, label, kind in x.popup],
                "features": feats,
            }
        )
    return {"layers": layers, "panels": panels}


# =========================================================================== END issue 8


_URL_ATTR = re.compile(
    r"<(?:script|link|img|iframe|source|embed|object)\b[^>]*?\b(?:src|href|data)\s*=\s*"
    r"[\"']?\s*(?!data:)([a-z][a-z0-9+.-]*:|//)",
    re.IGNORECASE,
)


def external_references(html_text: str) -> list[str]:
    """Tags in *html_text* that would make a browser fetch something on load.

    Examples
    --------
    >>> external_references('<script src="https://x/y.js"></script><img src="data:,">')
    ['<script src="https:']
    """
    return [m.group(0) for m in _URL_ATTR.finditer(html_text)]


def _write_atomic(data: bytes, path: str | os.PathLike) -> int:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return len(data)


def write_html(html_text: str, path: str | os.PathLike, *, size_budget_mb: float) -> int:
    """Check that *html_text* is self-contained, write it atomically, warn if over budget."""
    refs = external_references(html_text)
    if refs:
        raise ValueError(
            f"the map for {os.fspath(path)!r} is not self-contained: it would load "
            f"{refs[:3]} from the network (a folium plugin with CDN links?); "
            "expected only inline scripts, styles and data: URIs"
        )
    data = html_text.encode("utf-8")
    written = _write_atomic(data, path)
    if written > size_budget_mb * 1_000_000:
        warnings.warn(
            f"{os.fspath(path)!r} is {written / 1e6:.1f} MB, over the {size_budget_mb:g} MB "
            "budget: raise `simplify_m` or leave out layers",
            MapSizeWarning,
            stacklevel=3,
        )
    return written


def save_map(m: folium.Map, path: str | os.PathLike, *, size_budget_mb: float = 5.0) -> int:
    """Write *m* as ONE self-contained HTML file, atomically.

    Parameters
    ----------
    m : folium.Map
        A map from :func:`city_map` (any :class:`OfflineMap`).
    path : path-like
        Target file; written to a temporary file in the same folder, then
        :func:`os.replace`-d, so readers never see half a file.
    size_budget_mb : float, default 5.0
        Warn with :class:`MapSizeWarning` when the file is larger (10^6 bytes per MB).

    Returns
    -------
    int
        Bytes written.

    Raises
    ------
    ValueError
        If the page would load anything from the network (e.g. a plain ``folium.Map``
        or a plugin with CDN links).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from kotaku_map.render import _example_result
    >>> with tempfile.TemporaryDirectory() as d:
    ...     n = save_map(city_map(_example_result()), pathlib.Path(d) / "peta.html")
    >>> n > 150_000
    True
    """
    _stable_ids(m)
    return write_html(m.get_root().render(), path, size_budget_mb=size_budget_mb)


def _stable_ids(m: folium.Map) -> None:
    """Replace folium's random element ids by ones numbered in tree order.

    The same result then renders to the same bytes: builds are reproducible.
    """

    def walk(el: Element, counter: list[int]) -> None:
        counter[0] += 1
        el._id = f"{counter[0]:08x}"
        for child in el._children.values():
            walk(child, counter)

    walk(m.get_root(), [0])


def _example_result() -> CityResult:
    """Build a tiny two-kelurahan city for doctests."""
    from shapely import box

    a, b = box(110.40, -6.91, 110.41, -6.90), box(110.41, -6.91, 110.42, -6.90)
    kel = gpd.GeoDataFrame(
        {
            "kode": ["33.74.01.1001", "33.74.01.1002"],
            "kelurahan": ["Satu", "Dua"],
            "kecamatan": ["Kec A", "Kec A"],
            "kabkota": ["Kota Contoh"] * 2,
            "luas_ha": [121.0, 121.0],
            "program": ["NSUP", ""],
            "status": ["NSUP", schema.STATUS_GAP],
            "kumuh_ha": [10.0, 5.0],
            "tercakup_ha": [10.0, 0.0],
            "tumpang_tindih_ha": [0.0, 0.0],
            "celah_ha": [0.0, 5.0],
            "sliver_ha": [0.0, 0.0],
            "metode_cocok": ["kode", "nama"],
            "wk_nsup_ha": [121.0, 0.0],
        },
        geometry=[a, b],
        crs=4326,
    )
    empty = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=4326))
    kumuh = gpd.GeoDataFrame(
        {
            "tingkat": ["kumuh ringan", "kumuh berat"],
            "luas_ha": [10.0, 5.0],
            "baris_sumber": [1, 2],
            "kode": ["33.74.01.1001", "33.74.01.1002"],
            "kelurahan": ["Satu", "Dua"],
        },
        geometry=[box(110.402, -6.908, 110.405, -6.905), box(110.412, -6.908, 110.414, -6.906)],
        crs=4326,
    )
    return CityResult(
        "33.74",
        "Kota Contoh",
        ("NSUP",),
        kel,
        empty,
        kumuh,
        empty,
        empty,
        empty,
        {"jumlah_kelurahan": 2, "kumuh_ha": 15.0},
    )
