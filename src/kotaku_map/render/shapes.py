"""Display geometry: simplified, dissolved and compactly encoded shapes for the maps.

Geometry is simplified for display only: each layer is projected to a metric CRS (the
city's UTM zone, :func:`kotaku_map.crs.local_metric_crs`), simplified with a tolerance in
metres (kelurahan with :func:`shapely.coverage_simplify`, so shared borders stay shared),
taken back to EPSG:4326 and written with as many decimals as that tolerance justifies.
The results passed in are never modified.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from kotaku_map import schema
from kotaku_map.crs import local_metric_crs
from kotaku_map.results import CityResult

from .encode import encode_geometries, encode_geometry, json_column, json_value

__all__ = [
    "DisplayShapes",
    "city_metric_crs",
    "city_shape",
    "decimals_for",
    "display_shapes",
    "dissolve_by",
    "dissolve_display",
    "drop_small_holes",
    "encode_geometries",
    "encode_geometry",
    "features",
    "json_column",
    "json_value",
    "simplify_display",
    "simplify_metric",
]

#: Metres per degree of latitude (and of longitude at the equator), for rounding.
M_PER_DEGREE = 111_320.0


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
    out = simplify_metric(
        np.asarray(geoms.to_crs(crs_m).values, dtype=object), tolerance_m, coverage=coverage
    )
    return gpd.GeoSeries(out, index=geoms.index, crs=crs_m).to_crs(4326)


def simplify_metric(arr: np.ndarray, tolerance_m: float, *, coverage: bool) -> np.ndarray:
    """Simplify geometries already in metres (the core of :func:`simplify_display`).

    Parameters
    ----------
    arr : ndarray of Geometry
        Geometries in metres; not modified.
    tolerance_m : float
        Tolerance in metres.
    coverage : bool
        Simplify polygons as a coverage (:func:`shapely.coverage_simplify`), so that shared
        borders stay shared; geometries that are not all polygonal, or a coverage GEOS
        cannot handle, are simplified one by one.

    Returns
    -------
    ndarray of Geometry
        Same length; missing and empty geometries as they were.
    """
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


def drop_small_holes(geom: Any, min_area: float) -> Any:
    """Remove interior rings smaller than *min_area* (slivers left by a dissolve).

    Parameters
    ----------
    geom : shapely.Geometry or None
        A Polygon or MultiPolygon; anything else is returned as is.
    min_area : float
        Least area of a hole that stays, in the geometry's units squared.

    Returns
    -------
    shapely.Geometry or None
        A new geometry without the small holes.
    """
    if geom is None or geom.is_empty:
        return geom
    if geom.geom_type == "Polygon":
        keep = [r for r in geom.interiors if shapely.Polygon(r).area >= min_area]
        return shapely.Polygon(geom.exterior, keep)
    if geom.geom_type == "MultiPolygon":
        return shapely.MultiPolygon([drop_small_holes(p, min_area) for p in geom.geoms])
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

    Parameters
    ----------
    geoms : GeoSeries
        Polygons in any CRS.
    keys : Series or None
        The key of each polygon (missing keys are ``""``); ``None``: one row.
    crs_m : pyproj.CRS or None
        Metric CRS to dissolve in (``None``: in ``geoms``' own CRS, no hole is dropped).
    tolerance_m : float
        The simplification tolerance the polygons were simplified with, metres.

    Returns
    -------
    GeoDataFrame
        Column ``key``, sorted by key, in EPSG:4326.
    """
    if len(geoms) == 0:
        return gpd.GeoDataFrame({"key": []}, geometry=gpd.GeoSeries([], crs=4326))
    work = geoms.to_crs(crs_m) if crs_m is not None else geoms
    names, merged = dissolve_by(
        np.asarray(work.values, dtype=object), keys, tolerance_m if crs_m is not None else None
    )
    out = gpd.GeoDataFrame({"key": names}, geometry=merged, crs=work.crs)
    return out.to_crs(4326)


def dissolve_by(
    arr: np.ndarray, keys: pd.Series | None, tolerance_m: float | None
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`dissolve_display`'s dissolve, in the geometries' own CRS: (sorted keys, unions).

    With ``tolerance_m`` (metres), holes smaller than ``(10 * tolerance)²`` are dropped.

    Parameters
    ----------
    arr : ndarray of Geometry
        Polygons (missing and empty ones are left out).
    keys : Series or None
        The key of each polygon (missing keys are ``""``); ``None``: one group.
    tolerance_m : float or None
        The simplification tolerance, metres; ``None``: no hole is dropped.

    Returns
    -------
    keys : ndarray of str
        The distinct keys, sorted.
    unions : ndarray of Geometry
        The union of each key's polygons.
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
        return names, _drop_small_holes_all(np.array(merged, dtype=object), min_area)
    return names, np.array(merged, dtype=object)


def _drop_small_holes_all(geoms: np.ndarray, min_area: float) -> np.ndarray:
    """:func:`drop_small_holes` of every geometry, the rings of all of them at once."""
    out = geoms.copy()
    types = shapely.get_type_id(geoms)
    todo = np.flatnonzero(np.isin(types, (3, 6)) & ~shapely.is_empty(geoms))
    if len(todo) == 0:
        return out
    parts, owner = shapely.get_parts(geoms[todo], return_index=True)
    rings, part_of = shapely.get_rings(parts, return_index=True)
    exterior = np.r_[True, part_of[1:] != part_of[:-1]]
    keep = exterior | (shapely.area(shapely.polygons(rings)) >= min_area)
    rebuilt = shapely.polygons(rings[keep], indices=part_of[keep])
    multi = types[todo] == 6
    if multi.any():
        sel = multi[owner]
        _, dense = np.unique(owner[sel], return_inverse=True)
        out[todo[multi]] = shapely.multipolygons(rebuilt[sel], indices=dense)
    single = ~multi[owner]
    out[todo[owner[single]]] = rebuilt[single]
    return out


def features(
    gdf: gpd.GeoDataFrame, geoms: gpd.GeoSeries, props: Mapping[str, Any], nd: int
) -> list[dict]:
    """Compact features ``{"g": encode_geometry(...), "p": {...}}``.

    ``props`` maps a short key to a column name or a callable(row); only those
    attributes are embedded. Features whose geometry vanishes are dropped.

    Parameters
    ----------
    gdf : GeoDataFrame
        The rows; its attributes are read, not its geometry.
    geoms : GeoSeries
        One geometry per row of ``gdf`` (EPSG:4326, already simplified).
    props : mapping of str to str or callable
        Short property key -> column name, or callable taking the row as a dict.
    nd : int
        Decimals kept in the encoded geometries.

    Returns
    -------
    list of dict
        One ``{"g": ..., "p": ...}`` per row whose geometry is left, in row order.
    """
    geometry_name = gdf.active_geometry_name  # not ``gdf.geometry.name``: that builds a column
    attrs = [c for c in gdf.columns if c != geometry_name]
    encoded = encode_geometries(geoms.values, nd)
    keep = [i for i, g in enumerate(encoded) if g is not None]
    # each property as one column of JSON values, converted column by column
    records = None
    if any(callable(c) for c in props.values()):  # a callable reads the whole row
        columns = [gdf[c].to_numpy(dtype=object)[keep].tolist() for c in attrs]
        rows = zip(*columns, strict=True) if columns else [()] * len(keep)
        records = [dict(zip(attrs, row, strict=True)) for row in rows]
    values: dict[str, list] = {}
    for key, col in props.items():
        if callable(col):
            values[key] = [json_value(col(row)) for row in records or []]
        elif col in attrs:
            values[key] = json_column(gdf[col].iloc[keep])
        else:
            values[key] = [None] * len(keep)
    keys = list(props)
    columns = [values[k] for k in keys]
    return [
        {"g": encoded[i], "p": dict(zip(keys, row, strict=True))}
        for i, row in zip(
            keep, zip(*columns, strict=True) if keys else [()] * len(keep), strict=True
        )
    ]


@dataclass(frozen=True)
class DisplayShapes:
    """A city's boundaries as drawn: simplified, dissolved, in EPSG:4326.

    Parameters
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


def city_metric_crs(result: CityResult) -> CRS | None:
    """The metric CRS a city's map is simplified in: the UTM zone of its centre.

    Parameters
    ----------
    result : CityResult

    Returns
    -------
    pyproj.CRS or None
        ``None`` when the result has no geometry at all.
    """
    return local_metric_crs(
        result.kelurahan,
        result.kumuh,
        result.wilayah_kerja,
        result.tumpang_tindih,
        result.celah,
        result.sliver,
        kind="utm",
    )


def display_shapes(result: CityResult, simplify_m: float = 5.0) -> DisplayShapes:
    """Simplify and dissolve a city's boundaries once, for its map and the overview.

    Parameters
    ----------
    result : CityResult
        The city.
    simplify_m : float
        Simplification tolerance, metres (``<= 0``: none).

    Returns
    -------
    DisplayShapes
        The city's kelurahan, kecamatan and outline as drawn.
    """
    kel = result.kelurahan
    crs_m = city_metric_crs(result)
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
        kel_m = simplify_metric(kel_m, simplify_m, coverage=True)
    kel_geom = gpd.GeoSeries(kel_m, index=kel.index, crs=crs_m).to_crs(4326)
    tol = simplify_m if simplify_m > 0 else 0.0
    kec_names, kec_m = dissolve_by(kel_m, names, tol)
    order = np.argsort(-shapely.area(kec_m), kind="stable")  # largest first: the JS hides
    kec_names, kec_m = kec_names[order], kec_m[order]  # labels that collide
    pts = gpd.GeoSeries(shapely.point_on_surface(kec_m), crs=crs_m).to_crs(4326)
    labels = [None if shapely.is_empty(g) else p for p, g in zip(pts, kec_m, strict=True)]
    kec = gpd.GeoDataFrame({"key": kec_names}, geometry=kec_m, crs=crs_m).to_crs(4326)
    _, outline_m = dissolve_by(kec_m, None, tol)  # from ~20 kecamatan, not ~200 kelurahan
    outline = gpd.GeoDataFrame(
        {"key": [""] * len(outline_m)}, geometry=outline_m, crs=crs_m
    ).to_crs(4326)
    return DisplayShapes(kel_geom, kec, labels, outline, crs_m, simplify_m)


def city_shape(
    result: CityResult, simplify_m: float = 50.0, *, outline: Any = None
) -> tuple[Any, Any]:
    """The city's outline, simplified (EPSG:4326), and a label point inside it.

    ``outline`` is the city already dissolved (EPSG:4326, e.g. the ``outline`` of
    :func:`display_shapes`, as the build passes it); without it the
    kelurahan are simplified and dissolved here.

    Parameters
    ----------
    result : CityResult
        The city.
    simplify_m : float
        Simplification tolerance, metres (``<= 0``: none).
    outline : shapely.Geometry, optional
        The city already dissolved, in EPSG:4326.

    Returns
    -------
    outline : shapely.Geometry or None
        The simplified outline in EPSG:4326; None for a city without geometry.
    label_point : shapely.Point or None
        A point inside it.
    """
    kel = result.kelurahan
    if len(kel) == 0 or kel.geometry.is_empty.all():
        return None, None
    crs_m = local_metric_crs(kel, kind="utm")
    if outline is not None:
        geom = gpd.GeoSeries([outline], crs=4326).to_crs(crs_m).iloc[0]
    else:
        proj = np.asarray(kel.geometry.to_crs(crs_m).values, dtype=object)
        if simplify_m > 0:  # simplify the coverage first: the union then has few vertices
            proj = simplify_metric(proj, simplify_m, coverage=True)
        geom = shapely.union_all(proj)
    if geom is None or geom.is_empty:
        return None, None
    if simplify_m > 0:
        geom = shapely.simplify(geom, simplify_m, preserve_topology=True)
    geom = drop_small_holes(geom, (10.0 * max(simplify_m, 0.5)) ** 2)
    pt = geom.representative_point()
    out = gpd.GeoSeries([geom, pt], crs=crs_m).to_crs(4326)
    return out.iloc[0], out.iloc[1]
