"""CRS discipline and hectares.

Three CRS roles, each converted in one place:

* **display**: EPSG:4326, the CRS of every loaded layer and every result;
* **area**: a Lambert azimuthal equal-area projection on the WGS 84 ellipsoid centred
  on the city (:func:`local_equal_area`); planar areas in it are ellipsoidal areas;
* **width**: the same local projection serves for sliver widths (its scale error is
  below 0.01 % within 60 km of the centre).

A plain UTM projection is off by up to 0.2 % in area at a zone's edge: it is never
used for hectares.
"""

from __future__ import annotations

import functools
from typing import Any, Literal

import numpy as np
import pyproj
import shapely
from pyproj import CRS
from pyproj.crs import GeographicCRS, ProjectedCRS
from pyproj.crs.coordinate_operation import LambertAzimuthalEqualAreaConversion

from .errors import CRSError, where

__all__ = [
    "DISPLAY_CRS",
    "INDONESIA_BOUNDS",
    "M2_PER_HA",
    "area_ha",
    "check_lonlat",
    "geodesic_area_ha",
    "local_equal_area",
    "local_metric_crs",
    "reproject",
    "resolve_crs",
]

DISPLAY_CRS = CRS.from_epsg(4326)
#: lon/lat box around Indonesia (with a margin of about 1 degree)
INDONESIA_BOUNDS = (94.0, -12.0, 142.0, 7.0)
_GEOD = pyproj.Geod(ellps="WGS84")
#: square metres per hectare: every conversion of m² to ha divides by it
M2_PER_HA = 10_000.0


def resolve_crs(value: object, *, source: str, key: str = "crs") -> CRS:
    """Parse a CRS given in a config (``"EPSG:9476"``, ``4326``, WKT...).

    Parameters
    ----------
    value : object
        Anything :meth:`pyproj.CRS.from_user_input` takes.
    source : str
        Where the value came from (the config file), named in the error.
    key : str
        The config key, named in the error.

    Returns
    -------
    pyproj.CRS
        The CRS.

    Raises
    ------
    CRSError
        When pyproj does not know the value.

    Examples
    --------
    >>> resolve_crs("EPSG:9470", source="config").name
    'SRGI2013'
    """
    try:
        return CRS.from_user_input(value)
    except pyproj.exceptions.CRSError:
        raise CRSError(
            f"{source}: {key} {value!r} is not a CRS pyproj knows "
            "(expected e.g. 'EPSG:4326' or 'EPSG:9476')"
        ) from None


def local_equal_area(lon: float, lat: float) -> CRS:
    """Return a Lambert azimuthal equal-area CRS on WGS 84 centred on ``(lon, lat)``.

    Parameters
    ----------
    lon, lat : float
        The centre, in degrees (rounded to 6 decimals, so that the CRS is reproducible).

    Returns
    -------
    pyproj.CRS
        A projected CRS in metres named ``"LAEA <lon> <lat> (WGS 84)"``.

    Examples
    --------
    >>> local_equal_area(109.67, -6.89).name
    'LAEA 109.670000 -6.890000 (WGS 84)'
    """
    lat0, lon0 = round(float(lat), 6), round(float(lon), 6)
    conversion = LambertAzimuthalEqualAreaConversion(
        latitude_natural_origin=lat0, longitude_natural_origin=lon0
    )
    crs = ProjectedCRS(
        conversion=conversion,
        geodetic_crs=_wgs84(),
        name=f"LAEA {lon:.6f} {lat:.6f} (WGS 84)",
    )
    _LAEA_STEPS[crs.name] = (
        crs,
        f"proj=laea lat_0={lat0!r} lon_0={lon0!r} x_0=0 y_0=0 ellps=WGS84",
    )
    return crs


#: the PROJ step of every local equal-area CRS made here, by its name (see :func:`reproject`)
_LAEA_STEPS: dict[str, tuple[CRS, str]] = {}


def reproject(geoms: np.ndarray, src: CRS, dst: CRS) -> np.ndarray:
    """Geometries from ``src`` to ``dst``, coordinate for coordinate as ``GeoSeries.to_crs``.

    Between lon/lat (:data:`DISPLAY_CRS`) and a local equal-area CRS of
    :func:`local_equal_area`, the transformation is made from its PROJ pipeline (a quarter
    of a millisecond) instead of asked of PROJ's database (about 20 ms for each new
    centre, so once or twice per kabupaten/kota); the coordinates are the same to the
    last bit (``tests/test_crs.py``). Any other pair goes through pyproj as geopandas does.

    Parameters
    ----------
    geoms : ndarray of Geometry
        Geometries in ``src``.
    src, dst : pyproj.CRS
        Their CRS and the one wanted.

    Returns
    -------
    ndarray of Geometry
        New geometries in ``dst`` (``geoms`` itself when the two CRS are the same).
    """
    if src.is_exact_same(dst):
        return geoms
    # each geometry keeps its dimension (include_z=None), as geopandas' ``to_crs`` does
    return shapely.transform(
        geoms, _transformer(src, dst).transform, include_z=None, interleaved=False
    )


#: the steps of a pipeline from degrees to radians and back
_DEG_TO_RAD = "step proj=unitconvert xy_in=deg xy_out=rad"
_RAD_TO_DEG = "step proj=unitconvert xy_in=rad xy_out=deg"


@functools.lru_cache(maxsize=16)
def _transformer(src: CRS, dst: CRS) -> pyproj.Transformer:
    """The transformer from ``src`` to ``dst``, from its pipeline where it is ours."""
    to_laea, from_laea = _LAEA_STEPS.get(dst.name), _LAEA_STEPS.get(src.name)
    if to_laea is not None and to_laea[0] == dst and src == DISPLAY_CRS:
        return pyproj.Transformer.from_pipeline(f"proj=pipeline {_DEG_TO_RAD} step {to_laea[1]}")
    if from_laea is not None and from_laea[0] == src and dst == DISPLAY_CRS:
        return pyproj.Transformer.from_pipeline(
            f"proj=pipeline step inv {from_laea[1]} {_RAD_TO_DEG}"
        )
    return pyproj.Transformer.from_crs(src, dst, always_xy=True)


def local_metric_crs(*frames: Any, kind: Literal["equal_area", "utm"] = "equal_area") -> CRS | None:
    """The one metric CRS picker: a local CRS at the centre of the first frame with geometry.

    Parameters
    ----------
    *frames : GeoDataFrame or GeoSeries or None
        Tried in order; the first that has a non-empty geometry decides (its lon/lat box's
        centre). ``None`` and empty frames are skipped.
    kind : {"equal_area", "utm"}
        ``"equal_area"``: :func:`local_equal_area` at that centre, for hectares and widths;
        ``"utm"``: the WGS 84 UTM zone of that centre, for display simplification in metres
        (no database query, unlike ``estimate_utm_crs``).

    Returns
    -------
    pyproj.CRS or None
        ``None`` when no frame has any geometry.

    Examples
    --------
    >>> import geopandas as gpd
    >>> f = gpd.GeoDataFrame(geometry=[shapely.box(110.4, -6.9, 110.5, -6.8)], crs=4326)
    >>> local_metric_crs(None, f).name
    'LAEA 110.450000 -6.850000 (WGS 84)'
    >>> local_metric_crs(f, kind="utm").to_epsg()
    32749
    """
    for frame in frames:
        if frame is None or len(frame) == 0 or frame.geometry.is_empty.all():
            continue
        geo = frame if frame.crs == DISPLAY_CRS else frame.to_crs(DISPLAY_CRS)
        x0, y0, x1, y1 = geo.total_bounds
        if not np.all(np.isfinite([x0, y0, x1, y1])):  # pragma: no cover - odd extents
            continue
        lon, lat = (x0 + x1) / 2, (y0 + y1) / 2
        if kind == "utm":
            zone = int((lon + 180) // 6) % 60 + 1
            return CRS.from_epsg((32700 if lat < 0 else 32600) + zone)
        return local_equal_area(lon, lat)
    return None


@functools.lru_cache(maxsize=1)
def _wgs84() -> GeographicCRS:
    """WGS 84, made once (building it takes a few ms, and every city needs it)."""
    return GeographicCRS(datum="WGS84")


def area_ha(geoms: np.ndarray | shapely.Geometry) -> np.ndarray:
    """Hectares of geometries already in an equal-area CRS (metres).

    Parameters
    ----------
    geoms : shapely.Geometry or array of shapely.Geometry
        Geometries in an equal-area CRS in metres (e.g. :func:`local_equal_area`).

    Returns
    -------
    ndarray of float
        Hectares, one per geometry (a 0-d array for a single geometry).

    Examples
    --------
    >>> float(area_ha(shapely.box(0, 0, 100, 100)))
    1.0
    """
    return np.asarray(shapely.area(geoms)) / M2_PER_HA


def geodesic_area_ha(geom_lonlat: shapely.Geometry) -> float:
    """Geodesic area of a lon/lat geometry on the WGS 84 ellipsoid, in hectares.

    The reference for :func:`area_ha`: the two agree to 0.01 %. Rings are oriented
    first (exterior counter-clockwise, holes clockwise): pyproj sums *signed* ring
    areas, so a MultiPolygon with parts drawn in opposite directions, or a hole drawn
    like its shell, would otherwise come out too small or too large.

    Parameters
    ----------
    geom_lonlat : shapely.Geometry or None
        A geometry in lon/lat degrees (EPSG:4326).

    Returns
    -------
    float
        Hectares; 0 for ``None`` or an empty geometry.

    Examples
    --------
    >>> round(geodesic_area_ha(shapely.box(110.0, -7.0, 110.01, -6.99)), 1)
    122.2
    >>> ccw = shapely.box(110.0, -7.0, 110.01, -6.99)
    >>> cw = shapely.box(110.02, -7.0, 110.03, -6.99, ccw=False)
    >>> round(geodesic_area_ha(shapely.MultiPolygon([ccw, cw])), 1)
    244.4
    """
    if geom_lonlat is None or shapely.is_empty(geom_lonlat):
        return 0.0
    area, _ = _GEOD.geometry_area_perimeter(shapely.orient_polygons(geom_lonlat))
    return abs(area) / M2_PER_HA


def check_lonlat(
    bounds: np.ndarray, *, source: str, layer: str | None, crs: CRS, rows: np.ndarray
) -> np.ndarray:
    """Check per-row lon/lat bounds against Indonesia's extent.

    Returns a boolean mask of rows inside the extent. Raises :class:`CRSError`
    when the layer as a whole contradicts its CRS label: swapped lat/lon or metre
    coordinates labelled as degrees (when most rows look so), or degree coordinates
    labelled with a projected CRS (when every row looks so).

    Parameters
    ----------
    bounds : ndarray of float, shape (n, 4)
        ``minx, miny, maxx, maxy`` per row, as the layer's CRS states them (NaN for an
        empty geometry).
    source : str
        The file, named in errors.
    layer : str or None
        The layer in the file, named in errors.
    crs : pyproj.CRS
        The CRS the layer is labelled with.
    rows : ndarray of int
        The 1-based row number in the file of each row of ``bounds``, named in errors.

    Returns
    -------
    ndarray of bool
        True for rows inside Indonesia's extent (:data:`INDONESIA_BOUNDS`).

    Raises
    ------
    CRSError
        When the coordinates contradict the CRS label.

    Examples
    --------
    >>> b = np.array([[110.4, -6.9, 110.5, -6.8], [10.0, 50.0, 10.1, 50.1]])
    >>> check_lonlat(b, source="a.shp", layer=None, crs=DISPLAY_CRS, rows=np.array([1, 2]))
    array([ True, False])
    >>> check_lonlat(b[:, [1, 0, 3, 2]][:1], source="a.shp", layer=None, crs=DISPLAY_CRS,
    ...              rows=np.array([1]))
    Traceback (most recent call last):
    ...
    kotaku_map.errors.CRSError: a.shp: latitude and longitude look swapped (row 1: ...
    """
    minx, miny, maxx, maxy = (bounds[:, i] for i in range(4))
    finite = np.isfinite(minx)
    if not finite.any():
        return finite
    w = where(source, layer)
    lon0, lat0, lon1, lat1 = INDONESIA_BOUNDS
    inside = finite & (minx >= lon0) & (maxx <= lon1) & (miny >= lat0) & (maxy <= lat1)
    if crs.is_geographic:
        # swapped first: a latitude read as longitude (|y| up to 142) is not "metres"
        swapped = finite & (minx >= lat0) & (maxx <= lat1) & (miny >= lon0) & (maxy <= lon1)
        if swapped.sum() > inside.sum():
            first = int(np.argmax(swapped))
            raise CRSError(
                f"{w}: latitude and longitude look swapped (row {int(rows[first])}: "
                f"x={minx[first]:.4f}, y={miny[first]:.4f}; in Indonesia x = longitude "
                "95..141, y = latitude -11..6); fix the axis order of the file (e.g. ogr2ogr "
                "with -s_srs '+proj=longlat +datum=WGS84 +axis=neu')"
            )
        big = finite & (
            (np.abs(minx) > 360) | (np.abs(maxx) > 360) | (np.abs(miny) > 90) | (np.abs(maxy) > 90)
        )
        if big.sum() > inside.sum():
            first = int(np.argmax(big))
            raise CRSError(
                f"{w}: coordinates look like metres (row {int(rows[first])}: "
                f"x={minx[first]:.0f}, y={miny[first]:.0f}) but the layer is labelled "
                f"{crs.to_string()} (degrees, expected x = longitude 95..141, y = latitude "
                "-11..6); set the right projected CRS in the config (e.g. crs = 'EPSG:32749' "
                "for UTM 49S or 'EPSG:9489' for SRGI2013 UTM 49S)"
            )
    elif crs.is_projected:
        # degrees labelled with a projected CRS: every coordinate a few hundred "metres"
        # from the origin, which would land as a speck near the equator or the pole
        small = (
            finite
            & (np.abs(minx) <= 360)
            & (np.abs(maxx) <= 360)
            & (np.abs(miny) <= 90)
            & (np.abs(maxy) <= 90)
        )
        if small.all():
            first = int(np.argmax(small))
            raise CRSError(
                f"{w}: coordinates look like degrees (row {int(rows[first])}: "
                f"x={minx[first]:.4f}, y={miny[first]:.4f}) but the layer is labelled "
                f"{crs.to_string()} (projected, expected metres); set crs = 'EPSG:4326' "
                "in the config"
            )
    return inside
