"""Reading polygon layers, in the formats GIS teams really hand over.

Shapefile (also zipped), GeoPackage (named layer), GeoJSON, FlatGeobuf, GeoParquet,
KML/KMZ, all read through pyogrio (GeoParquet through pyarrow).

Every layer comes back in EPSG:4326 with polygonal, valid, 2D geometries and a
``baris_sumber`` column (the 1-based row in the source); every row that could not be
used, or was repaired, is recorded in the :class:`~kotaku_map.problems.ProblemLog`.
"""

from __future__ import annotations

import difflib
import struct
import warnings
import zipfile
from pathlib import Path
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from pyproj import CRS

from ..crs import DISPLAY_CRS, check_lonlat, resolve_crs
from ..errors import CRSError, InputError, where
from ..geometry import polygonal
from ..problems import ProblemLog
from ..schema import SUMBER_BARIS
from .files import TABLE_SUFFIXES, require_file, short_error

__all__ = ["clean_polygons", "first_non_finite", "read_layer"]


def _ogr_path(path: Path) -> str:
    """Return the path pyogrio should open: zipped shapefiles and KMZ through /vsizip/."""
    suffix = path.suffix.lower()
    if suffix in (".zip", ".kmz"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
        except (zipfile.BadZipFile, OSError) as exc:
            raise InputError(
                f"{path}: not a readable zip archive (truncated or not a zip?): {short_error(exc)}"
            ) from None
        wanted = (".shp",) if suffix == ".zip" else (".kml",)
        inner = [n for n in names if n.lower().endswith(wanted) and not n.startswith("__MACOSX")]
        if not inner:
            raise InputError(f"{path}: the archive holds no {wanted[0]} file (found {names[:5]})")
        if suffix == ".zip" and len(inner) > 1:
            raise InputError(
                f"{path}: the archive holds {len(inner)} shapefiles {inner}; "
                "unzip it and name one, or keep one shapefile per zip"
            )
        return f"/vsizip/{path.resolve()}/{inner[0]}"
    return str(path)


def read_layer(
    path: str | Path,
    *,
    layer: str | None = None,
    crs: str | None = None,
    assume_crs: str | None = None,
    problems: ProblemLog | None = None,
) -> gpd.GeoDataFrame:
    """Read a polygon layer, check its CRS, clean its geometries, return it in EPSG:4326.

    Parameters
    ----------
    path : str or Path
        Shapefile (.shp or zipped .zip), GeoPackage, GeoJSON, FlatGeobuf, GeoParquet,
        KML or KMZ.
    layer : str, optional
        Layer name; required when a GeoPackage or KML holds several layers.
    crs : str, optional
        The CRS the file really is in: overrides the file's own label.
    assume_crs : str, optional
        CRS to assume when the file carries none.
    problems : ProblemLog, optional
        Where row-level problems are recorded.

    Returns
    -------
    GeoDataFrame
        In EPSG:4326, with ``baris_sumber`` (1-based source row) and only the rows
        with a usable polygonal geometry.

    Raises
    ------
    InputError, CRSError
        Missing or unreadable file or layer, empty layer, no CRS, CRS mislabels,
        no polygons at all.
    """
    path = Path(path)
    problems = problems if problems is not None else ProblemLog()
    require_file(path, "layer")
    _refuse_table(path)
    w = where(path, layer)
    gdf = _number_rows(_read_frame(path, layer), source=w)
    gdf = _with_crs(gdf, crs=crs, assume_crs=assume_crs, source=w)
    rows_read = np.arange(1, len(gdf) + 1)  # every source row, for the row accounting
    gdf = _finite_rows(gdf, source=str(path), layer=layer, problems=problems)
    gdf = clean_polygons(gdf, source=str(path), layer=layer, problems=problems)
    out = _to_display(gdf, source=str(path), layer=layer, problems=problems)
    out.attrs["rows_read"] = rows_read
    return out


def _refuse_table(path: Path) -> None:
    """Refuse a table given where polygons are expected."""
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        raise InputError(
            f"{path}: is a table ({suffix}), but polygons were expected here; "
            "give a spatial file or set kind = 'table'"
        )


def _read_frame(path: Path, layer: str | None) -> gpd.GeoDataFrame:
    """Read the file as it is: GeoParquet through pyarrow, every other format through GDAL."""
    if path.suffix.lower() in (".parquet", ".geoparquet"):
        return _read_geoparquet(path, source=where(path, layer))
    return _read_ogr(path, layer)


def _read_geoparquet(path: Path, *, source: str) -> gpd.GeoDataFrame:
    """Read a GeoParquet file; any failure of pyarrow becomes an :class:`InputError`."""
    try:
        return gpd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many types
        raise InputError(
            f"{source}: cannot be read as GeoParquet (truncated, or a plain "
            f"Parquet table without geometry?): {short_error(exc)}"
        ) from None


def _read_ogr(path: Path, layer: str | None) -> gpd.GeoDataFrame:
    """Read one layer through pyogrio, after checking that the layer asked for is there."""
    src = _ogr_path(path)
    _check_layer_name(path, layer, _layer_names(path, src))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return pyogrio.read_dataframe(src, layer=layer, use_arrow=False)
    except Exception as exc:
        first = exc
    try:  # a geometry GEOS refuses whole (a ring that a NaN vertex leaves unclosed)
        return _read_ogr_leniently(src, layer)
    except Exception:
        raise InputError(
            f"{where(path, layer)}: cannot be read (truncated or corrupt?): {short_error(first)}"
        ) from None


def _read_ogr_leniently(src: str, layer: str | None) -> gpd.GeoDataFrame:
    """Read a layer whose geometries are decoded one by one, repairing what WKB allows.

    A ring that does not close because a vertex is NaN is closed here, so that the row
    reaches :func:`_finite_rows`, which reports it by its number.
    """
    from pyogrio.raw import read

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        meta, _fids, wkb, values = read(src, layer=layer)
        geoms = shapely.from_wkb(wkb, on_invalid="fix")
    for i in np.flatnonzero(shapely.is_missing(geoms)):
        found = first_non_finite(wkb[i]) if wkb[i] is not None else None
        if found is not None:  # keep the vertex, so that the row is reported with it
            geoms[i] = shapely.Point(found)
    data = dict(zip(meta["fields"], values, strict=True))
    return gpd.GeoDataFrame(data, geometry=geoms, crs=meta["crs"])


def first_non_finite(wkb: bytes) -> tuple[float, float] | None:
    """The first vertex of a WKB geometry with a NaN or infinite x or y, if any.

    Parameters
    ----------
    wkb : bytes
        A geometry as (ISO or extended) WKB, of any type.

    Returns
    -------
    tuple of float, or None
        ``(x, y)`` of the first such vertex; ``None`` if every vertex is finite.

    Examples
    --------
    >>> first_non_finite(shapely.to_wkb(shapely.box(0, 0, 1, 1))) is None
    True
    >>> import struct
    >>> first_non_finite(struct.pack("<BIdd", 1, 1, float("nan"), 2.0))
    (nan, 2.0)
    """
    found: list[tuple[float, float]] = []
    _scan_wkb(memoryview(wkb), 0, found)
    return found[0] if found else None


def _scan_wkb(data: memoryview, pos: int, found: list[tuple[float, float]]) -> int:
    """Walk one WKB geometry from ``pos``; note its first non-finite vertex; return its end."""
    order = "<" if data[pos] == 1 else ">"
    (code,) = struct.unpack_from(order + "I", data, pos + 1)
    pos += 5
    flags, code = code & 0xE0000000, code & 0x0FFFFFFF
    if flags & 0x20000000:  # extended WKB with an SRID
        pos += 4
    dims = (
        2
        + bool(flags & 0x80000000)
        + bool(flags & 0x40000000)
        + {1: 1, 2: 1, 3: 2}.get(code // 1000, 0)
    )
    kind = code % 1000
    if kind in (4, 5, 6, 7):  # collections: their parts, each a whole WKB geometry
        (n,) = struct.unpack_from(order + "I", data, pos)
        pos += 4
        for _ in range(n):
            pos = _scan_wkb(data, pos, found)
        return pos
    rings = 1
    if kind == 3:
        (rings,) = struct.unpack_from(order + "I", data, pos)
        pos += 4
    for _ in range(rings):
        n = 1
        if kind != 1:
            (n,) = struct.unpack_from(order + "I", data, pos)
            pos += 4
        xy = np.frombuffer(data, dtype=order + "f8", count=n * dims, offset=pos).reshape(n, dims)
        bad = np.flatnonzero(~np.isfinite(xy[:, :2]).all(axis=1))
        if len(bad) and not found:
            found.append((float(xy[bad[0], 0]), float(xy[bad[0], 1])))
        pos += 8 * n * dims
    return pos


def _layer_names(path: Path, src: str) -> list[str]:
    """Return the names of the layers GDAL finds in ``src`` (the path of ``path`` for GDAL)."""
    try:
        layers = pyogrio.list_layers(src)
    except Exception as exc:
        raise InputError(
            f"{path}: cannot be read as a spatial file "
            f"(truncated or wrong format?): {short_error(exc)}"
        ) from None
    return [str(n) for n in layers[:, 0]]


def _check_layer_name(path: Path, layer: str | None, names: list[str]) -> None:
    """Refuse a missing layer name in a file of several layers, or a name not there."""
    if layer is None and len(names) > 1 and path.suffix.lower() in (".gpkg", ".kml", ".kmz"):
        raise InputError(
            f"{path}: holds {len(names)} layers {names}; name one with layer = '...' in the config"
        )
    if layer is not None and layer not in names:
        close = difflib.get_close_matches(layer, names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise InputError(f"{path}: has no layer {layer!r}{hint}; layers are {names}")


def _number_rows(gdf: object, *, source: str) -> gpd.GeoDataFrame:
    """Refuse a frame without geometry or rows; number the rows from 1 (``baris_sumber``)."""
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry.name not in gdf:
        raise InputError(
            f"{source}: has no geometry column; for a list of kelurahan set kind = 'table'"
        )
    if len(gdf) == 0:
        raise InputError(f"{source}: the layer is empty (0 rows)")
    gdf = gdf.reset_index(drop=True)
    gdf[SUMBER_BARIS] = np.arange(1, len(gdf) + 1)
    return gdf


def _finite_rows(
    gdf: gpd.GeoDataFrame, *, source: str, layer: str | None, problems: ProblemLog
) -> gpd.GeoDataFrame:
    """Drop and report the rows with a NaN or infinite vertex (no area can be trusted)."""
    coords, owner = shapely.get_coordinates(gdf.geometry.values, return_index=True)
    bad = ~np.isfinite(coords).all(axis=1)
    if not bad.any():
        return gdf
    rows = gdf[SUMBER_BARIS].to_numpy()
    bad_k = np.flatnonzero(bad)
    where_bad, first = np.unique(owner[bad_k], return_index=True)  # each row's first bad vertex
    for i, k in zip(where_bad, bad_k[first], strict=True):
        x, y = coords[k]
        n = k - np.searchsorted(owner, i) + 1
        problems.add(
            source,
            layer,
            int(rows[i]),
            "geometry",
            "koordinat tidak sah",
            f"titik ke-{n} (x={x}, y={y}) bukan angka terhingga (NaN/inf); baris tidak dipakai",
        )
    keep = ~np.isin(np.arange(len(gdf)), where_bad)
    if not keep.any():
        i = where_bad[0]
        raise InputError(
            f"{where(source, layer, 'geometry', int(rows[i]))}: every row has a vertex that "
            "is not a finite number (NaN or inf); expected coordinates"
        )
    return gdf.loc[keep].reset_index(drop=True)


def _with_crs(
    gdf: gpd.GeoDataFrame, *, crs: str | None, assume_crs: str | None, source: str
) -> gpd.GeoDataFrame:
    """Label the layer with its CRS: the config's word beats the file's; none is refused."""
    if crs:
        return gdf.set_crs(resolve_crs(crs, source=source), allow_override=True)
    if gdf.crs is not None:
        return gdf
    if not assume_crs:
        raise CRSError(
            f"{source}: the layer has no CRS (missing .prj?); set crs = 'EPSG:...' for this "
            "layer or analysis.assume_crs in the config"
        )
    return gdf.set_crs(resolve_crs(assume_crs, source=source, key="analysis.assume_crs"))


def _to_display(
    gdf: gpd.GeoDataFrame, *, source: str, layer: str | None, problems: ProblemLog
) -> gpd.GeoDataFrame:
    crs = CRS.from_user_input(gdf.crs)
    rows = gdf[SUMBER_BARIS].to_numpy()
    # the file's own units first: swapped axes, metres labelled as degrees and degrees
    # labelled as metres are refused before reprojection hides them
    check_lonlat(
        shapely.bounds(gdf.geometry.values), source=source, layer=layer, crs=crs, rows=rows
    )
    if not crs.equals(DISPLAY_CRS):
        gdf = gdf.to_crs(DISPLAY_CRS)
    inside = check_lonlat(
        shapely.bounds(gdf.geometry.values), source=source, layer=layer, crs=DISPLAY_CRS, rows=rows
    )
    if not inside.any():
        b = gdf.total_bounds
        raise CRSError(
            f"{where(source, layer)}: no geometry lies in Indonesia (bounds in lon/lat "
            f"{b[0]:.4f}, {b[1]:.4f}, {b[2]:.4f}, {b[3]:.4f}); the layer's CRS "
            f"{crs.to_string()} is probably wrong: set crs = 'EPSG:...' in the config"
        )
    for r in rows[~inside]:
        problems.add(
            source,
            layer,
            r,
            "geometry",
            "di luar Indonesia",
            "geometri di luar wilayah Indonesia (CRS salah?)",
        )
    return gdf.loc[inside].reset_index(drop=True)


def clean_polygons(
    gdf: gpd.GeoDataFrame,
    *,
    source: str = "<layer>",
    layer: str | None = None,
    problems: ProblemLog | None = None,
) -> gpd.GeoDataFrame:
    """Drop Z/M, repair invalid geometries, keep polygonal parts; record every change.

    Rows whose geometry is null, empty, or has no polygonal part (points, lines) are
    dropped and reported. Repaired rows are kept and reported as used.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer; not modified. Without ``baris_sumber``, rows count from 1.
    source, layer : str, optional
        File and layer, for the problems report.
    problems : ProblemLog, optional
        Where to report; a new log by default.

    Returns
    -------
    geopandas.GeoDataFrame
        The rows kept (index reset), with 2D Polygon or MultiPolygon geometries.

    Raises
    ------
    kotaku_map.errors.InputError
        If no row has a polygonal part, naming the geometry types found.

    Examples
    --------
    >>> bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    >>> gdf = gpd.GeoDataFrame({"baris_sumber": [1, 2]},
    ...                        geometry=[bowtie, shapely.Point(0, 0)], crs=3857)
    >>> log = ProblemLog()
    >>> out = clean_polygons(gdf, problems=log)
    >>> len(out), float(out.area.sum()), [p.masalah for p in log.items]
    (1, 0.5, ['geometri diperbaiki', 'bukan poligon'])
    """
    problems = problems if problems is not None else ProblemLog()
    if SUMBER_BARIS not in gdf:
        gdf = gdf.assign(**{SUMBER_BARIS: np.arange(1, len(gdf) + 1)})
    rows = gdf[SUMBER_BARIS].to_numpy()
    fix = _repair_geometries(gdf.geometry.values)
    geoms = fix.geometry
    usable = np.isin(shapely.get_type_id(geoms), _POLYGONAL) & ~shapely.is_empty(geoms)
    if not usable.any():
        raise _no_polygon_error(fix, source=source, layer=layer)
    _report_repairs(fix, usable, rows, source=source, layer=layer, problems=problems)
    _report_dropped(fix, usable, rows, source=source, layer=layer, problems=problems)
    out = gdf.loc[usable].copy()
    out = out.set_geometry(gpd.GeoSeries(geoms[usable], index=out.index, crs=gdf.crs), crs=gdf.crs)
    return out.reset_index(drop=True)


class _Repair(NamedTuple):
    """The geometries of a layer after repair, and what was wrong with each before."""

    geometry: np.ndarray  # 2D, valid, collections reduced to their polygonal part
    missing: np.ndarray  # null
    empty: np.ndarray  # empty, not null
    invalid: np.ndarray  # neither null nor empty, and not valid
    reasons: np.ndarray  # why invalid (GEOS), "" for the others
    original_type: np.ndarray  # shapely type id before repair


def _repair_geometries(values: object) -> _Repair:
    """Drop Z/M, make invalid geometries valid, keep the polygonal part of collections."""
    arr = np.asarray(values, dtype=object)
    missing = shapely.is_missing(arr)
    arr = shapely.force_2d(np.where(missing, np.array(None, dtype=object), arr))
    empty = ~missing & shapely.is_empty(arr)
    original_type = shapely.get_type_id(arr)
    invalid = ~missing & ~empty & ~shapely.is_valid(arr)
    reasons = np.full(len(arr), "", dtype=object)
    if invalid.any():
        reasons[invalid] = shapely.is_valid_reason(arr[invalid])
        arr[invalid] = shapely.make_valid(arr[invalid], method="structure", keep_collapsed=False)
    # GeometryCollections (also what a repair may return): keep the polygonal part
    collection = ~missing & ~empty & (shapely.get_type_id(arr) == 7)
    if collection.any():
        arr[collection] = polygonal(arr[collection])
    return _Repair(arr, missing, empty, invalid, reasons, original_type)


def _no_polygon_error(fix: _Repair, *, source: str, layer: str | None) -> InputError:
    """The error for a layer without any polygon, naming the geometry types it holds."""
    found = sorted({int(t) for t in fix.original_type[~fix.missing & ~fix.empty]})
    names = [_TYPE_NAMES.get(t, str(t)) for t in found] or ["only null or empty geometries"]
    return InputError(
        f"{where(source, layer)}: no polygon in the layer (found {', '.join(names)} in "
        f"{len(fix.geometry)} rows); expected Polygon or MultiPolygon work areas or slum "
        "delineations"
    )


def _report_repairs(
    fix: _Repair,
    usable: np.ndarray,
    rows: np.ndarray,
    *,
    source: str,
    layer: str | None,
    problems: ProblemLog,
) -> None:
    """Report the rows kept after a repair: invalid ones first, then collections."""
    for i in np.flatnonzero(usable & fix.invalid):
        problems.add(
            source,
            layer,
            rows[i],
            "geometry",
            "geometri diperbaiki",
            str(fix.reasons[i]),
            dipakai=True,
        )
    for i in np.flatnonzero(usable & ~fix.invalid & (fix.original_type == 7)):
        problems.add(
            source,
            layer,
            rows[i],
            "geometry",
            "GeometryCollection",
            "hanya bagian poligon yang dipakai",
            dipakai=True,
        )


def _report_dropped(
    fix: _Repair,
    usable: np.ndarray,
    rows: np.ndarray,
    *,
    source: str,
    layer: str | None,
    problems: ProblemLog,
) -> None:
    """Report the rows dropped, in row order, each with why it has no polygon."""
    for i in np.flatnonzero(~usable):
        problems.add(source, layer, rows[i], "geometry", *_drop_reason(fix, i))


def _drop_reason(fix: _Repair, i: int) -> tuple[str, str]:
    """Return the problem and its detail for row ``i``, which has no polygonal part."""
    if fix.missing[i]:
        return "geometri kosong", "geometri null"
    if fix.empty[i]:
        return "geometri kosong", "geometri kosong"
    if fix.invalid[i] and fix.original_type[i] in _POLYGONAL:
        return "geometri kosong", f"poligon tidak sah tanpa luas ({fix.reasons[i]})"
    found = _TYPE_NAMES.get(int(fix.original_type[i]), "?")
    return (
        "bukan poligon",
        f"ditemukan {found} tanpa bagian poligon, diharapkan Polygon/MultiPolygon",
    )


_POLYGONAL = (3, 6)
_TYPE_NAMES = {
    0: "Point",
    1: "LineString",
    2: "LinearRing",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
    7: "GeometryCollection",
}
