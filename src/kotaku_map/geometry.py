"""Geometry helpers shared by the loaders and the analysis: polygonal parts and slivers."""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["mean_width_m", "polygonal", "sliver_reasons"]

_POLYGONAL = (3, 6)


def polygonal(geoms: np.ndarray) -> np.ndarray:
    """Keep only the polygonal parts of each geometry (lines and points of a collection go).

    Vectorised: the parts of every collection are gathered at once and reassembled
    into one (Multi)Polygon per input; a geometry with no polygonal part becomes an
    empty Polygon.

    Parameters
    ----------
    geoms : array of shapely.Geometry
        Any geometries (``None`` stays ``None``).

    Returns
    -------
    ndarray of shapely.Geometry
        One (Multi)Polygon per input, in input order; an empty Polygon where there is no
        polygonal part.

    Examples
    --------
    >>> line = shapely.LineString([(0, 0), (5, 5)])
    >>> gc = shapely.GeometryCollection([shapely.box(0, 0, 1, 1), line])
    >>> polygonal(np.array([gc]))[0].geom_type
    'Polygon'
    >>> polygonal(np.array([shapely.LineString([(0, 0), (1, 1)])]))[0].wkt
    'POLYGON EMPTY'
    """
    geoms = np.asarray(geoms, dtype=object)
    out = geoms.copy()
    types = shapely.get_type_id(geoms)
    fix = np.flatnonzero(~np.isin(types, _POLYGONAL) & (types >= 0))
    if len(fix) == 0:
        return out
    out[fix] = _EMPTY
    parts, idx = shapely.get_parts(geoms[fix], return_index=True)
    keep = np.isin(shapely.get_type_id(parts), _POLYGONAL) & ~shapely.is_empty(parts)
    parts, idx = parts[keep], idx[keep]
    if len(parts) == 0:
        return out
    polys, sub = shapely.get_parts(parts, return_index=True)  # MultiPolygons -> Polygons
    owners, dense = np.unique(idx[sub], return_inverse=True)
    counts = np.bincount(dense)
    multi = shapely.multipolygons(polys, indices=dense)
    single = counts == 1
    multi[single] = shapely.get_geometry(multi[single], 0)
    out[fix[owners]] = multi
    return out


_EMPTY = shapely.Polygon()


def mean_width_m(geoms: np.ndarray) -> np.ndarray:
    """Mean width of each polygon, ``2 * area / perimeter`` (exact for a long strip).

    Parameters
    ----------
    geoms : array of shapely.Polygon or shapely.MultiPolygon
        In a metric CRS.

    Returns
    -------
    ndarray of float
        Mean width in metres per geometry; 0 where the perimeter is 0 (empty geometries).

    Examples
    --------
    >>> float(mean_width_m(np.array([shapely.box(0, 0, 1000, 1)]))[0]).__round__(3)
    0.999
    """
    area = shapely.area(geoms)
    perim = shapely.length(geoms)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(perim > 0, 2.0 * area / perim, 0.0)


#: why a piece is a sliver (see docs/analisis.md)
SEBAB_SMALL, SEBAB_THIN, SEBAB_SEAM = "kecil", "sempit", "batas kelurahan"
#: a piece with at least this share of its area in boundary seams is a seam sliver
SEAM_SHARE = 0.9


def sliver_reasons(
    geoms: np.ndarray, *, width_m: float, area_m2: float, seam_share: np.ndarray | None = None
) -> np.ndarray:
    """Why each piece is a sliver, or ``""`` where it is a real finding.

    * ``"kecil"``: smaller than ``area_m2``;
    * ``"sempit"``: thinner on average than ``width_m`` (:func:`mean_width_m`, exact for
      a strip and robust to the local bulges that the overlaps of separately digitised
      layers have: every one of the 68 kelurahan-to-kelurahan overlaps in Kota
      Pekalongan's upstream boundaries is under 4.5 m wide on average);
    * ``"batas kelurahan"``: 90 % or more of it (``seam_share``) lies where two upstream
      kelurahan polygons overlap: a seam of the boundary data, not of the programs.

    Geometries must be in metres.

    Parameters
    ----------
    geoms : array of shapely.Polygon or shapely.MultiPolygon
        The overlap or gap pieces, in a metric CRS.
    width_m : float
        Pieces thinner on average than this are ``"sempit"``.
    area_m2 : float
        Pieces smaller than this are ``"kecil"``.
    seam_share : array of float, optional
        Per piece, the share of its area inside boundary seams (0..1); pieces with
        :data:`SEAM_SHARE` or more are ``"batas kelurahan"``. ``None``: no seam test.

    Returns
    -------
    ndarray of str
        One reason per piece, ``""`` for a real finding. Where several apply, ``"kecil"``
        wins over ``"sempit"``, which wins over ``"batas kelurahan"``.

    Examples
    --------
    >>> pieces = np.array([shapely.box(0, 0, 1000, 1), shapely.box(0, 0, 20, 20),
    ...                    shapely.box(0, 0, 9, 9), shapely.box(0, 0, 50, 50)])
    >>> sliver_reasons(pieces, width_m=5.0, area_m2=100.0,
    ...                seam_share=np.array([0, 0, 0, 0.95])).tolist()
    ['sempit', '', 'kecil', 'batas kelurahan']
    """
    geoms = np.asarray(geoms, dtype=object)
    reason = np.full(len(geoms), "", dtype=object)
    if len(geoms) == 0:
        return reason
    if seam_share is not None:
        reason[np.asarray(seam_share) >= SEAM_SHARE] = SEBAB_SEAM
    reason[mean_width_m(geoms) < width_m] = SEBAB_THIN
    reason[shapely.area(geoms) < area_m2] = SEBAB_SMALL
    return reason
