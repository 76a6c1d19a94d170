"""Display geometry and values encoded for a map page's JSON, compact and lossless.

* :func:`encode_geometries`: polygons quantised to ``10**-nd`` degrees and delta-encoded
  (``KotakuMap`` decodes them in the browser);
* :func:`json_value`, :func:`json_column`: values (one, or a column at once) made JSON-safe.

Used by :mod:`kotaku_map.render.shapes` (which also offers them) and the map pages.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import shapely

__all__ = ["encode_geometries", "encode_geometry", "json_column", "json_value"]


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

    Parameters
    ----------
    geoms : array of shapely.Geometry
        Geometries in EPSG:4326 (``None`` allowed).
    nd : int
        Decimals kept.

    Returns
    -------
    list
        Per geometry: a list of polygons, each a list of encoded rings; or None.

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

    Parameters
    ----------
    geom : shapely.Geometry or None
        A geometry in EPSG:4326.
    nd : int
        Decimals kept.

    Returns
    -------
    list or None
        Its polygons, each a list of encoded rings; None when nothing is left.

    Examples
    --------
    >>> from shapely import box
    >>> encode_geometry(box(110.4, -6.91, 110.41, -6.9), 2)
    [[[11041, -691, 0, 1, -1, 0, 0, -1]]]
    """
    return encode_geometries([geom], nd)[0]


def json_value(value: Any) -> Any:
    """JSON-safe scalar: NaN/NA -> None, numpy -> Python, floats to 4 decimals.

    Parameters
    ----------
    value : object
        A scalar, or a list or tuple of them (converted element-wise).

    Returns
    -------
    None, bool, int, float, str or list
        ``None`` for missing values; anything but a bool or a number becomes its ``str``.
    """
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
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


def json_column(values: pd.Series) -> list:
    """:func:`json_value` of every value of a column, converted by dtype where it can be.

    Parameters
    ----------
    values : Series
        One column.

    Returns
    -------
    list
        One JSON-safe value per row, as :func:`json_value` gives it.

    Examples
    --------
    >>> json_column(pd.Series([1.23456, float("nan")]))
    [1.2346, None]
    """
    kind = values.dtype.kind if isinstance(values.dtype, np.dtype) else ""
    if kind == "f":
        return [None if v != v else round(v, 4) for v in values.to_numpy().tolist()]
    if kind in "iub" and kind:
        return values.to_numpy().tolist()
    return [json_value(v) for v in values.tolist()]
