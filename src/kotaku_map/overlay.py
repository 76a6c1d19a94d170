"""Overlays on the 1 mm grid, element-wise over arrays of geometries in metres.

The analysis and the kelurahan partition cut, subtract and unite shapes only through
these functions: every result is snap-rounded to :data:`GRID` and keeps its polygonal
parts only (the edges and points where two shapes touch go). Where the result is known
without an overlay (an empty operand, or shapes whose boxes are apart) it is taken as
is, which is most of the pairs of a city.

Also here: :func:`grouped_union` (the pieces of each kelurahan united, vectorised),
:func:`pairs_in` and :func:`sum_per`, small index helpers of the same overlays.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import shapely

from .geometry import polygonal

__all__ = [
    "EMPTY",
    "GRID",
    "difference",
    "grouped_union",
    "intersection",
    "overlay",
    "pairs_in",
    "sum_per",
    "union",
    "union_all",
]

#: precision grid of every overlay, in metres: 1 mm snap-rounding keeps results free of
#: the zero-width spikes that collinear edges otherwise leave
GRID = 0.001
#: the empty result (an empty Polygon), shared: geometries are immutable
EMPTY = shapely.Polygon()


def _polygonal(g):  # type: ignore[no-untyped-def]
    """Overlay results keep their polygonal parts only (edges and points where shapes touch go)."""
    if isinstance(g, np.ndarray):
        return polygonal(g)
    return polygonal(np.array([g], dtype=object))[0]


def overlay(op: Literal["intersection", "difference", "union"], a, b):  # type: ignore[no-untyped-def]
    """``a op b`` on the 1 mm grid, element-wise; no overlay where the result is known.

    An overlay with an empty operand, or of shapes whose boxes are apart, would still
    node the other shape in full; its result is ``a``, ``b`` or empty, taken as is.

    Parameters
    ----------
    op : {"intersection", "difference", "union"}
        The shapely overlay to run.
    a, b : Geometry or array of Geometry
        Operands in metres, broadcast against each other; two scalars give a scalar.

    Returns
    -------
    Geometry or ndarray of Geometry
        Polygonal results (an empty Polygon where nothing is left).

    Examples
    --------
    >>> a = np.array([shapely.box(0, 0, 2, 2), shapely.box(0, 0, 1, 1)])
    >>> shapely.area(overlay("intersection", a, shapely.box(1, 0, 3, 2))).tolist()
    [2.0, 0.0]
    >>> far = shapely.box(5, 5, 6, 6)
    >>> overlay("difference", a[1], far) is a[1]  # boxes apart: no overlay, ``a`` as is
    True
    """
    if not isinstance(a, np.ndarray) and not isinstance(b, np.ndarray):
        return overlay(op, np.array([a], dtype=object), np.array([b], dtype=object))[0]
    a, b = np.broadcast_arrays(np.asarray(a, dtype=object), np.asarray(b, dtype=object))
    a_empty = shapely.is_empty(a) | shapely.is_missing(a)
    b_empty = shapely.is_empty(b) | shapely.is_missing(b)
    ba, bb = shapely.bounds(a), shapely.bounds(b)
    apart = (
        (ba[:, 0] > bb[:, 2])
        | (bb[:, 0] > ba[:, 2])
        | (ba[:, 1] > bb[:, 3])
        | (bb[:, 1] > ba[:, 3])
    )  # False where a box is NaN (empty)
    out = np.full(len(a), EMPTY, dtype=object)
    work = ~a_empty & ~b_empty
    if op == "intersection":
        work &= ~apart
    elif op == "difference":
        keep = ~a_empty & (b_empty | apart)
        out[keep] = a[keep]
        work &= ~apart
    else:  # union (of shapes apart too: the overlay makes them one MultiPolygon)
        out[b_empty] = a[b_empty]
        out[a_empty & ~b_empty] = b[a_empty & ~b_empty]
    if work.any():
        out[work] = _polygonal(getattr(shapely, op)(a[work], b[work], grid_size=GRID))
    return out


def intersection(a, b):  # type: ignore[no-untyped-def]
    """``a ∩ b`` on the 1 mm grid, element-wise (see :func:`overlay`).

    Parameters
    ----------
    a, b : Geometry or array of Geometry
        Operands in metres, broadcast against each other.

    Returns
    -------
    Geometry or ndarray of Geometry
        Polygonal; a Geometry when both operands are one.
    """
    return overlay("intersection", a, b)


def difference(a, b):  # type: ignore[no-untyped-def]
    """``a - b`` on the 1 mm grid, element-wise (see :func:`overlay`).

    Parameters
    ----------
    a, b : Geometry or array of Geometry
        Operands in metres, broadcast against each other.

    Returns
    -------
    Geometry or ndarray of Geometry
        Polygonal; a Geometry when both operands are one.
    """
    return overlay("difference", a, b)


def union(a, b):  # type: ignore[no-untyped-def]
    """``a ∪ b`` on the 1 mm grid, element-wise (see :func:`overlay`).

    Parameters
    ----------
    a, b : Geometry or array of Geometry
        Operands in metres, broadcast against each other.

    Returns
    -------
    Geometry or ndarray of Geometry
        Polygonal; a Geometry when both operands are one.
    """
    return overlay("union", a, b)


def union_all(geoms):  # type: ignore[no-untyped-def]
    """The union of all ``geoms`` on the 1 mm grid: one polygonal geometry.

    Parameters
    ----------
    geoms : array of Geometry
        Polygons in metres.

    Returns
    -------
    Geometry
        Polygonal (an empty Polygon when nothing is left).
    """
    return _polygonal(shapely.union_all(geoms, grid_size=GRID))


def grouped_union(kidx: np.ndarray, geoms: np.ndarray, n: int) -> np.ndarray:
    """Union of the pieces of each kelurahan: an array of n geometries (empty where none).

    Vectorised: the groups with the same number of pieces are united at once, as the
    rows of one 2-D array.

    Parameters
    ----------
    kidx : ndarray of int
        The kelurahan (group) of each piece, in ``0 .. n-1``.
    geoms : ndarray of Geometry
        The pieces, in metres.
    n : int
        Number of kelurahan.

    Returns
    -------
    ndarray of Geometry
        Length ``n``: a group of one piece is that piece, others their union on the grid.

    Examples
    --------
    >>> pieces = np.array([shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)])
    >>> shapely.area(grouped_union(np.array([2, 2]), pieces, 3)).tolist()
    [0.0, 0.0, 2.0]
    """
    out = np.array([EMPTY] * n, dtype=object)
    if len(kidx) == 0:
        return out
    order = np.argsort(kidx, kind="stable")
    k_sorted, g_sorted = kidx[order], geoms[order]
    uniq, start, count = np.unique(k_sorted, return_index=True, return_counts=True)
    one = count == 1
    out[uniq[one]] = g_sorted[start[one]]
    for c in np.unique(count[~one]).tolist():
        sel = count == c
        rows = start[sel][:, None] + np.arange(c)[None, :]
        out[uniq[sel]] = _polygonal(shapely.union_all(g_sorted[rows], grid_size=GRID, axis=1))
    return out


def pairs_in(a: np.ndarray, b: np.ndarray, a_sub: np.ndarray, b_sub: np.ndarray) -> np.ndarray:
    """Which pairs ``(a[k], b[k])`` are among the pairs ``(a_sub, b_sub)`` (a boolean mask).

    Parameters
    ----------
    a, b : ndarray of int
        The pairs to test, element-wise (non-negative).
    a_sub, b_sub : ndarray of int
        The pairs to look for, element-wise (non-negative).

    Returns
    -------
    ndarray of bool
        Same length as ``a``.

    Examples
    --------
    >>> pairs_in(np.array([0, 0, 1]), np.array([0, 1, 1]), np.array([0]), np.array([1])).tolist()
    [False, True, False]
    """
    if len(a_sub) == 0:
        return np.zeros(len(a), dtype=bool)
    width = int(max(b.max(initial=0), b_sub.max(initial=0))) + 1
    return np.isin(a.astype(np.int64) * width + b, a_sub.astype(np.int64) * width + b_sub)


def sum_per(idx: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Sum ``values`` per index into an array of length ``n`` (zeros where none).

    Parameters
    ----------
    idx : ndarray of int
        Index of each value, in ``0 .. n-1``.
    values : ndarray of float
        The values to sum.
    n : int
        Length of the result.

    Returns
    -------
    ndarray of float
        The sums.

    Examples
    --------
    >>> sum_per(np.array([0, 2, 2]), np.array([1.0, 2.0, 3.0]), 3).tolist()
    [1.0, 0.0, 5.0]
    """
    return np.bincount(idx, weights=values, minlength=n) if len(idx) else np.zeros(n)
