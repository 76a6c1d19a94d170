"""GeoPackage layers written with SQLite itself: the tables GDAL would write, without GDAL.

GDAL opens a GeoPackage again for every layer it writes, about 6 ms of the ~8 ms a small
layer costs; a kab/kota writes ten (its layers and ``layer_styles``). A GeoPackage is an
SQLite file with a few tables of its own (OGC 12-128r15, version 1.2), so the layers
the build writes (polygons in EPSG:4326, plain columns, fewer rows than get a spatial
index) go in with :mod:`sqlite3`, as GDAL 3 writes them: the same tables and columns,
the same geometry blobs, the same feature counts (GDAL's ``gpkg_ogr_contents`` and its
triggers), so that GDAL, QGIS and this module's tests read the same layer back.

* :func:`sql_type`: the column type GDAL gives a pandas dtype (``None``: not written here);
* :func:`geometry_blobs`: polygons as GeoPackage geometry blobs (MultiPolygons);
* :func:`write_features`: a layer of features into a new or existing GeoPackage;
* :func:`write_attributes`: a table without geometry (``layer_styles``);
* :func:`write_dataset_metadata`: the GeoPackage's own metadata, as GDAL states it;
* :func:`add_metadata`: one metadata document, of a table or of the whole GeoPackage.

Anything else (another CRS, other geometry types, a layer that already exists, a layer
big enough for a spatial index) is GDAL's: :func:`kotaku_map.writers.gpkg.gpkg_layers`
decides.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

__all__ = [
    "APPLICATION_ID",
    "add_metadata",
    "geometry_blobs",
    "has_table",
    "sql_type",
    "write_attributes",
    "write_dataset_metadata",
    "write_features",
]

#: ``PRAGMA application_id`` of a GeoPackage ("GPKG")
APPLICATION_ID = 0x47504B47
#: ``PRAGMA user_version`` of GeoPackage 1.2
USER_VERSION = 10200
#: the only CRS written here (every layer of the build is in it)
SRS_ID = 4326
_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
    'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]'
)
_SRS_ROWS = [
    ("Undefined Cartesian SRS", -1, "NONE", -1, "undefined",
     "undefined Cartesian coordinate reference system"),
    ("Undefined geographic SRS", 0, "NONE", 0, "undefined",
     "undefined geographic coordinate reference system"),
    ("WGS 84 geodetic", SRS_ID, "EPSG", SRS_ID, _WGS84_WKT,
     "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"),
]  # fmt: skip
#: the GeoPackage's own tables, as GDAL creates them (the tile tables are left out: a
#: GeoPackage of features needs none)
_BASE_TABLES = (
    "CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (srs_name TEXT NOT NULL,"
    "srs_id INTEGER NOT NULL PRIMARY KEY,organization TEXT NOT NULL,"
    "organization_coordsys_id INTEGER NOT NULL,definition  TEXT NOT NULL,description TEXT)",
    "CREATE TABLE IF NOT EXISTS gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY,"
    "data_type TEXT NOT NULL,identifier TEXT UNIQUE,description TEXT DEFAULT '',"
    "last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),"
    "min_x DOUBLE, min_y DOUBLE,max_x DOUBLE, max_y DOUBLE,srs_id INTEGER,"
    "CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))",
    "CREATE TABLE IF NOT EXISTS gpkg_ogr_contents(table_name TEXT NOT NULL PRIMARY KEY,"
    "feature_count INTEGER DEFAULT NULL)",
    "CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (table_name TEXT NOT NULL,"
    "column_name TEXT NOT NULL,geometry_type_name TEXT NOT NULL,srs_id INTEGER NOT NULL,"
    "z TINYINT NOT NULL,m TINYINT NOT NULL,"
    "CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),"
    "CONSTRAINT uk_gc_table_name UNIQUE (table_name),"
    "CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),"
    "CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))",
)
_BASE_NAMES = {
    "gpkg_spatial_ref_sys", "gpkg_contents", "gpkg_ogr_contents", "gpkg_geometry_columns"
}  # fmt: skip
_METADATA_TABLES = (
    "CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT,column_name TEXT,"
    "extension_name TEXT NOT NULL,definition TEXT NOT NULL,scope TEXT NOT NULL,"
    "CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))",
    "CREATE TABLE IF NOT EXISTS gpkg_metadata (id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC "
    "NOT NULL,md_scope TEXT NOT NULL DEFAULT 'dataset',md_standard_uri TEXT NOT NULL,"
    "mime_type TEXT NOT NULL DEFAULT 'text/xml',metadata TEXT NOT NULL DEFAULT '')",
    "CREATE TABLE IF NOT EXISTS gpkg_metadata_reference (reference_scope TEXT NOT NULL,"
    "table_name TEXT,column_name TEXT,row_id_value INTEGER,timestamp DATETIME NOT NULL "
    "DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),md_file_id INTEGER NOT NULL,"
    "md_parent_id INTEGER,CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) REFERENCES "
    "gpkg_metadata(id),CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) REFERENCES "
    "gpkg_metadata(id))",
)
_METADATA_EXTENSION = "http://www.geopackage.org/spec120/#extension_metadata"


def sql_type(dtype: object) -> str | None:
    """The GeoPackage column type GDAL writes for a pandas dtype; ``None`` if not here.

    Parameters
    ----------
    dtype : dtype
        A column's pandas dtype.

    Returns
    -------
    str or None
        ``TEXT``, ``REAL``, ``INTEGER``, ``BOOLEAN`` or ``DATETIME`` (a datetime without a
        time zone); ``None`` for any other dtype (32-bit numbers, time zones, ...).

    Examples
    --------
    >>> sql_type(np.dtype("float64")), sql_type(pd.Int64Dtype()), sql_type(np.dtype("int32"))
    ('REAL', 'INTEGER', None)
    """
    if isinstance(dtype, pd.StringDtype) or pd.api.types.is_object_dtype(dtype):
        return "TEXT"
    if isinstance(dtype, pd.DatetimeTZDtype):
        return None
    if pd.api.types.is_bool_dtype(dtype):
        return "BOOLEAN"
    if pd.api.types.is_datetime64_dtype(dtype):
        return "DATETIME"
    wide = getattr(getattr(dtype, "numpy_dtype", dtype), "itemsize", 0) == 8
    if pd.api.types.is_float_dtype(dtype) and wide:
        return "REAL"
    if pd.api.types.is_signed_integer_dtype(dtype) and wide:
        return "INTEGER"
    return None


def geometry_blobs(geoms: np.ndarray, srs_id: int = SRS_ID) -> list[bytes | None]:
    """Polygons as GeoPackage geometry blobs of MultiPolygons, as GDAL writes them.

    Each blob: the header (``GP``, version 0, little-endian flags, the SRS id, the
    envelope ``minx, maxx, miny, maxy``; an empty geometry has the empty flag and no
    envelope), then the little-endian WKB; a Polygon becomes a MultiPolygon of one.

    Parameters
    ----------
    geoms : ndarray of Geometry
        Polygons and MultiPolygons (or missing: ``None``).
    srs_id : int
        The SRS id written in each header.

    Returns
    -------
    list of bytes or None
        One blob per geometry, ``None`` where it is missing.
    """
    geoms = np.asarray(geoms, dtype=object)
    missing = shapely.is_missing(geoms)
    empty = shapely.is_empty(geoms) & ~missing
    bounds = shapely.bounds(geoms)
    header = np.zeros(
        len(geoms),
        dtype=[("magic", "S2"), ("version", "u1"), ("flags", "u1"), ("srs", "<i4"),
               ("env", "<f8", (4,))],
    )  # fmt: skip
    header["magic"], header["srs"] = b"GP", srs_id
    header["flags"] = np.where(empty, 0x11, 0x03)  # little-endian; empty, or an xy envelope
    header["env"] = bounds[:, [0, 2, 1, 3]]
    wkb = shapely.to_wkb(geoms, byte_order=1, output_dimension=2, flavor="iso")
    single = shapely.get_type_id(geoms) == 3
    rows = header.tobytes()
    size = header.itemsize
    multi_of_one = b"\x01\x06\x00\x00\x00\x01\x00\x00\x00"
    out: list[bytes | None] = []
    for i, (blob, is_missing, is_empty, is_single) in enumerate(
        zip(wkb.tolist(), missing.tolist(), empty.tolist(), single.tolist(), strict=True)
    ):
        if is_missing:
            out.append(None)
            continue
        head = rows[i * size : i * size + (8 if is_empty else size)]
        out.append(head + multi_of_one + blob if is_single else head + blob)
    return out


def has_table(db: sqlite3.Connection, name: str) -> bool:
    """Whether the file holds a table (or view) ``name`` (case-insensitively, as SQLite).

    Parameters
    ----------
    db : sqlite3.Connection
    name : str

    Returns
    -------
    bool
    """
    row = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND lower(name) = lower(?)",
        (name,),
    ).fetchone()
    return row is not None


def _prepare(db: sqlite3.Connection) -> None:
    """Make the file a GeoPackage 1.2 if it is new; add the base tables it lacks."""
    tables = {n for (n,) in db.execute("SELECT lower(name) FROM sqlite_master")}
    if (
        _BASE_NAMES <= tables
        and db.execute("SELECT 1 FROM gpkg_spatial_ref_sys WHERE srs_id = ?", (SRS_ID,)).fetchone()
    ):
        return
    if not tables:
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {USER_VERSION}")
    for ddl in _BASE_TABLES:
        db.execute(ddl)
    db.executemany(
        "INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)", _SRS_ROWS
    )


def _column_values(series: pd.Series, kind: str) -> list:
    """A column's values as SQLite takes them (missing values, NaN too, as ``None``)."""
    if kind == "REAL":
        values = series.to_numpy(dtype=float, na_value=np.nan)
        missing = np.isnan(values)
        out = values.tolist()
    elif kind == "TEXT":
        if not isinstance(series.dtype, pd.StringDtype):
            series = series.astype("string")
        return series.to_numpy(dtype=object, na_value=None).tolist()
    else:
        missing = series.isna().to_numpy()
        if kind == "INTEGER":
            out = series.to_numpy(dtype=np.int64, na_value=0).tolist()
        elif kind == "BOOLEAN":
            out = series.to_numpy(dtype=bool, na_value=False).tolist()
        else:  # DATETIME, as GDAL writes one without a time zone
            out = series.dt.strftime("%Y-%m-%dT%H:%M:%S.%f").str[:-3].tolist()
    if missing.any():
        out = [None if m else v for v, m in zip(out, missing.tolist(), strict=True)]
    return out


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _create_table(
    db: sqlite3.Connection, table: str, fid: str, columns: Sequence[tuple[str, str]]
) -> None:
    """The table as GDAL creates it: its integer key ``fid`` first, then ``columns``."""
    body = ", ".join(f"{_quoted(c)} {t}" for c, t in columns)
    db.execute(
        f"CREATE TABLE {_quoted(table)} ( {_quoted(fid)} INTEGER PRIMARY KEY AUTOINCREMENT "
        f"NOT NULL, {body})"
    )


def _count_triggers(db: sqlite3.Connection, table: str, count: int) -> None:
    """GDAL's feature count of the table (``gpkg_ogr_contents``) and the triggers keeping it."""
    db.execute("INSERT INTO gpkg_ogr_contents VALUES (?, ?)", (table, count))
    literal = "'" + table.replace("'", "''") + "'"
    for event, sign in (("insert", "+"), ("delete", "-")):
        trigger = _quoted(f"trigger_{event}_feature_count_{table}")
        db.execute(
            f"CREATE TRIGGER {trigger} AFTER {event.upper()} ON {_quoted(table)} BEGIN UPDATE "
            f"gpkg_ogr_contents SET feature_count = feature_count {sign} 1 "
            f"WHERE lower(table_name) = lower({literal}); END"
        )


def _insert(
    db: sqlite3.Connection, table: str, names: Sequence[str], columns: Sequence[list]
) -> None:
    if not names:
        return
    marks = ", ".join("?" * len(names))
    db.executemany(
        f"INSERT INTO {_quoted(table)} ({', '.join(map(_quoted, names))}) VALUES ({marks})",
        zip(*columns, strict=True),
    )


def _attribute_columns(frame: pd.DataFrame, skip: str | None) -> list[tuple[str, str]] | None:
    """``(name, type)`` of every column but ``skip``; ``None`` if one has no type here."""
    out = []
    for name, dtype in frame.dtypes.items():
        if name == skip:
            continue
        kind = sql_type(dtype)
        if kind is None or not isinstance(name, str):
            return None
        out.append((name, kind))
    return out


def write_features(
    db: sqlite3.Connection, gdf: gpd.GeoDataFrame, layer: str, *, last_change: str
) -> bool:
    """Write ``gdf`` as a new MultiPolygon layer, as GDAL would; ``False`` if it cannot.

    Written here: polygons in EPSG:4326 (or missing geometries), columns of the types of
    :func:`sql_type`, and a layer name not yet in the file. For anything else nothing is
    written and ``False`` is returned: the layer is GDAL's.

    Parameters
    ----------
    db : sqlite3.Connection
        The GeoPackage (a new, empty file is made one); the caller commits.
    gdf : GeoDataFrame
        The features; the index is not written.
    layer : str
        The layer's name.
    last_change : str
        ``gpkg_contents.last_change`` (a fixed timestamp: reproducible files).

    Returns
    -------
    bool
        Whether the layer was written.
    """
    geometry = gdf.active_geometry_name
    columns = _attribute_columns(gdf, geometry)
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    polygonal = np.isin(shapely.get_type_id(geoms), (-1, 3, 6)).all()
    reserved = {"fid", "geom"} & {c.lower() for c, _ in columns or []}
    if columns is None or reserved or not polygonal or gdf.crs is None:
        return False
    if gdf.crs.to_epsg() != SRS_ID or has_table(db, layer):
        return False
    _prepare(db)
    _create_table(db, layer, "fid", [("geom", "MULTIPOLYGON"), *columns])
    _insert(
        db,
        layer,
        ["geom", *(c for c, _ in columns)],
        [geometry_blobs(geoms), *(_column_values(gdf[c], kind) for c, kind in columns)],
    )
    bounds = shapely.bounds(geoms[~shapely.is_empty(geoms) & ~shapely.is_missing(geoms)])
    extent = (  # exact (GDAL writes 16 significant digits)
        [float(v) for v in (*bounds[:, :2].min(axis=0), *bounds[:, 2:].max(axis=0))]
        if len(bounds)
        else [None] * 4
    )
    db.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, "
        "last_change, min_x, min_y, max_x, max_y, srs_id) "
        "VALUES (?, 'features', ?, '', ?, ?, ?, ?, ?, ?)",
        (layer, layer, last_change, *extent, SRS_ID),
    )
    db.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'MULTIPOLYGON', ?, 0, 0)",
        (layer, SRS_ID),
    )
    _count_triggers(db, layer, len(gdf))
    return True


def write_attributes(
    db: sqlite3.Connection, frame: pd.DataFrame, table: str, *, fid: str, last_change: str
) -> bool:
    """Write ``frame`` as a new table without geometry (``attributes``); ``False`` if it cannot.

    Parameters
    ----------
    db : sqlite3.Connection
        The GeoPackage; the caller commits.
    frame : DataFrame
        The rows; columns of the types of :func:`sql_type`.
    table : str
        The table's name (not yet in the file).
    fid : str
        The name of its integer key column.
    last_change : str
        ``gpkg_contents.last_change``.

    Returns
    -------
    bool
        Whether the table was written.
    """
    columns = _attribute_columns(frame, None)
    if columns is None or fid.lower() in {c.lower() for c, _ in columns} or has_table(db, table):
        return False
    _prepare(db)
    _create_table(db, table, fid, columns)
    _insert(db, table, [c for c, _ in columns], [_column_values(frame[c], k) for c, k in columns])
    db.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, "
        "last_change, srs_id) VALUES (?, 'attributes', ?, '', ?, 0)",
        (table, table, last_change),
    )
    _count_triggers(db, table, len(frame))
    return True


def write_dataset_metadata(
    db: sqlite3.Connection, items: Mapping[str, str], *, timestamp: str
) -> None:
    """The GeoPackage's own metadata items, as GDAL stores its dataset metadata.

    One ``gpkg_metadata`` document (``http://gdal.org``, GDAL's XML, keys in GDAL's order)
    referenced to the whole GeoPackage, and the metadata extension declared: ``ogrinfo``
    and every GDAL-based GIS list the items as the dataset's metadata.

    Parameters
    ----------
    db : sqlite3.Connection
        The GeoPackage; the caller commits.
    items : mapping of str to str
        Metadata items (``TITLE``, ``DATE``, ...).
    timestamp : str
        The reference's timestamp.
    """
    for ddl in _METADATA_TABLES:
        db.execute(ddl)
    db.executemany(
        "INSERT OR IGNORE INTO gpkg_extensions VALUES (?, NULL, 'gpkg_metadata', ?, 'read-write')",
        [("gpkg_metadata", _METADATA_EXTENSION), ("gpkg_metadata_reference", _METADATA_EXTENSION)],
    )
    lines = [
        f'    <MDI key="{escape(k, {chr(34): "&quot;"})}">{escape(v)}</MDI>'
        for k, v in sorted(items.items(), key=lambda kv: _gdal_key_order(kv[0]))
    ]
    document = "\n".join(
        ["<GDALMultiDomainMetadata>", "  <Metadata>", *lines, "  </Metadata>",
         "</GDALMultiDomainMetadata>", ""]
    )  # fmt: skip
    add_metadata(db, document, uri="http://gdal.org", table=None, timestamp=timestamp)


def add_metadata(
    db: sqlite3.Connection, document: str, *, uri: str, table: str | None, timestamp: str
) -> None:
    """One XML metadata document, referenced to a table or to the whole GeoPackage.

    Parameters
    ----------
    db : sqlite3.Connection
        The GeoPackage, its metadata tables made; the caller commits.
    document : str
        The document (``text/xml``, scope ``dataset``).
    uri : str
        Its standard (``md_standard_uri``): GDAL's, QGIS's, ...
    table : str or None
        The table it describes; ``None``: the GeoPackage itself.
    timestamp : str
        The reference's timestamp.
    """
    cur = db.execute(
        "INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) "
        "VALUES ('dataset', ?, 'text/xml', ?)",
        (uri, document),
    )
    db.execute(
        "INSERT INTO gpkg_metadata_reference (reference_scope, table_name, column_name, "
        "row_id_value, timestamp, md_file_id, md_parent_id) VALUES (?, ?, NULL, NULL, ?, ?, NULL)",
        ("geopackage" if table is None else "table", table, timestamp, cur.lastrowid),
    )


def _gdal_key_order(key: str) -> list[int]:
    """GDAL's order of metadata keys: case-insensitive, by signed bytes."""
    return [b - 256 if b >= 128 else b for b in key.lower().encode()]
