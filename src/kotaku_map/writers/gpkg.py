"""GeoPackage layers: one file per city, written reproducibly, described and styled.

:func:`gpkg_layers` writes a city's layers in one transaction (as GeoPackage 1.2: QGIS
3.16-3.28, the LTR releases on government laptops, open a 1.4 file with a warning on
every layer): with SQLite itself where it can (:mod:`kotaku_map.writers.gpkg_sql`, the
tables GDAL writes), with GDAL otherwise; :func:`gpkg_describe` adds, once every layer
is there, what a GIS reads besides the features: each layer's title and description
(``gpkg_contents``), its default style (QGIS's ``layer_styles`` table: QML and SLD),
its QGIS metadata and the GeoPackage's own metadata (the GeoPackage metadata extension);
:func:`gpkg_project` writes a QGIS project next to it that opens every layer in the
map's order.
"""

from __future__ import annotations

import sqlite3
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from kotaku_map.files import FIXED_DATETIME, FIXED_ISO

from .gpkg_sql import add_metadata, write_attributes, write_dataset_metadata, write_features

__all__ = [
    "GPKG_VERSION",
    "SPATIAL_INDEX_FROM",
    "LayerDoc",
    "gpkg_describe",
    "gpkg_layer",
    "gpkg_layers",
    "gpkg_project",
]

#: the GeoPackage version written (GDAL's ``VERSION`` creation option)
GPKG_VERSION = "1.2"


#: GDAL options for writing a GeoPackage: a fixed timestamp (reproducible files); and
#: SQLite without fsync or an on-disk journal, a third faster: the file is written in the
#: staging folder, and a build that fails never moves it into place
_GPKG_OPTIONS = {
    "OGR_CURRENT_DATE": FIXED_ISO,
    "OGR_SQLITE_SYNCHRONOUS": "OFF",
    "OGR_SQLITE_JOURNAL": "MEMORY",
}


#: GeoPackage layers with at least this many features get an R-tree spatial index; a GIS
#: reads a smaller layer whole faster than it would use one (and writing it costs a fifth
#: of the write)
SPATIAL_INDEX_FROM = 10_000


def gpkg_layer(gdf: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    """Write one layer into a GeoPackage (made if missing), as MultiPolygons.

    Parameters
    ----------
    gdf : GeoDataFrame
        Polygons; text columns are written as text.
    path : Path
        The GeoPackage; other layers in it are kept.
    layer : str
        The layer's name (GDAL appends to a layer that exists).

    See Also
    --------
    gpkg_layers : several layers at once (which this is, for one).
    """
    gpkg_layers(path, [(layer, gdf)])


def gpkg_layers(path: Path, layers: Sequence[tuple[str, gpd.GeoDataFrame]]) -> None:
    """Write layers into a GeoPackage (made if missing), as MultiPolygons, in one go.

    Layers of polygons in EPSG:4326 with fewer rows than :data:`SPATIAL_INDEX_FROM` go in
    with SQLite itself, in one transaction (:mod:`kotaku_map.writers.gpkg_sql`: the
    tables GDAL writes, without GDAL opening the file again for each layer, ~6 ms each);
    any other layer, and one already in the file, is GDAL's, after them.

    Parameters
    ----------
    path : Path
        The GeoPackage; other layers in it are kept.
    layers : sequence of (str, GeoDataFrame)
        Each layer's name and rows (polygons; text columns are written as text).
    """
    existed = path.exists()
    rest = list(layers)
    try:
        with _transaction(path) as db:
            rest = [
                (name, gdf)
                for name, gdf in layers
                if len(gdf) >= SPATIAL_INDEX_FROM
                or not write_features(db, gdf, name, last_change=FIXED_ISO)
            ]
    except sqlite3.DatabaseError:  # not a file SQLite reads: GDAL says what it is
        rest = list(layers)
    if not existed and len(rest) == len(layers):
        path.unlink(missing_ok=True)  # the empty file SQLite made
    for name, gdf in rest:
        _gdal_layer(gdf, path, name)


def _gdal_layer(gdf: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    """One layer written by GDAL (a new file as GeoPackage :data:`GPKG_VERSION`)."""
    frame = gdf.copy()
    for col, dtype in gdf.dtypes.items():
        if col != gdf.active_geometry_name and pd.api.types.is_object_dtype(dtype):
            frame[col] = frame[col].astype("string")
    with _gdal_options():
        pyogrio.write_dataframe(
            frame,
            path,
            layer=layer,
            driver="GPKG",
            promote_to_multi=True,
            geometry_type="MultiPolygon",
            append=path.exists(),
            dataset_options=None if path.exists() else {"VERSION": GPKG_VERSION},
            layer_options={"SPATIAL_INDEX": "YES" if len(frame) >= SPATIAL_INDEX_FROM else "NO"},
        )


@contextmanager
def _transaction(path: Path) -> Iterator[sqlite3.Connection]:
    """One transaction on the GeoPackage, without fsync and with the journal in memory.

    As GDAL writes the layers (:data:`_GPKG_OPTIONS`): the file is written in the staging
    folder, and a build that fails never moves it into place. Rolled back on an error.
    """
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        _unsynced(db)
        db.execute("BEGIN")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


@contextmanager
def _gdal_options() -> Iterator[None]:
    """GDAL's options for writing a GeoPackage (:data:`_GPKG_OPTIONS`), for one write."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        old = {k: pyogrio.get_gdal_config_option(k) for k in _GPKG_OPTIONS}
        pyogrio.set_gdal_config_options(_GPKG_OPTIONS)
        try:
            yield
        finally:
            pyogrio.set_gdal_config_options(old)


@dataclass(frozen=True)
class LayerDoc:
    """What a GIS reads about one layer besides its features.

    Parameters
    ----------
    layer : str
        The GeoPackage layer.
    title : str
        Its title (``gpkg_contents.identifier``; unique in the file).
    description : str
        What it holds (``gpkg_contents.description``).
    qml : str
        Its default QGIS style.
    sld : str
        The same style as SLD, for other GIS.
    metadata : str
        Its QGIS metadata document (QMD; empty: none).
    """

    layer: str
    title: str
    description: str
    qml: str = ""
    sld: str = ""
    metadata: str = ""


#: the name of the default style of every layer in ``layer_styles`` (QGIS allows 30 chars)
STYLE_NAME = "kotaku_map"
#: QGIS's identifier of its metadata documents (``md_standard_uri``)
QGIS_METADATA_URI = "http://mrcc.com/qgis.dtd"


def gpkg_describe(
    path: Path,
    layers: Sequence[LayerDoc],
    *,
    metadata: Mapping[str, str],
    style_note: str = "",
) -> None:
    """Describe and style the layers of a GeoPackage; state its metadata.

    Writes the table ``layer_styles`` as QGIS does (one default style per layer: QGIS
    loads it when the layer is opened), the layers' titles and descriptions into
    ``gpkg_contents``, each layer's QGIS metadata and the GeoPackage's own metadata
    (``metadata``: GDAL's dataset metadata, which ``ogrinfo`` and every GDAL-based GIS
    show) into the metadata extension's tables. Timestamps are fixed, as for the layers.

    Parameters
    ----------
    path : Path
        The GeoPackage, its layers written (:func:`gpkg_layer`).
    layers : sequence of LayerDoc
        The layers to describe, in order.
    metadata : mapping of str to str
        The GeoPackage's metadata items (``TITLE``, ``DATE``, ...).
    style_note : str
        The description of each style (``layer_styles.description``).
    """
    styles = pd.DataFrame(
        {
            "f_table_catalog": "",
            "f_table_schema": "",
            "f_table_name": [d.layer for d in layers],
            "f_geometry_column": "geom",
            "styleName": STYLE_NAME,
            "styleQML": [d.qml for d in layers],
            "styleSLD": [d.sld for d in layers],
            "useAsDefault": True,
            "description": style_note,
            "owner": "",
            "ui": pd.Series([None] * len(layers), dtype=object),
            "update_time": pd.Timestamp(FIXED_DATETIME),
        }
    )
    with _transaction(path) as db:
        written = write_attributes(db, styles, "layer_styles", fid="id", last_change=FIXED_ISO)
        if written:
            write_dataset_metadata(db, metadata, timestamp=FIXED_ISO)
            _describe_layers(db, layers)
    if written:
        return
    # a file that has its styles already: GDAL appends to them
    with _gdal_options():
        pyogrio.write_dataframe(
            styles,
            path,
            layer="layer_styles",
            driver="GPKG",
            append=True,
            layer_options={"FID": "id"},
            dataset_metadata=dict(metadata),
        )
    with _transaction(path) as db:
        _describe_layers(db, layers)


def _unsynced(db: sqlite3.Connection) -> None:
    """No fsync, journal in memory: as GDAL writes the layers (:data:`_GPKG_OPTIONS`)."""
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA journal_mode = MEMORY")


def _describe_layers(db: sqlite3.Connection, layers: Sequence[LayerDoc]) -> None:
    """Titles, descriptions and QGIS metadata of the layers."""
    for d in layers:
        db.execute(
            "UPDATE gpkg_contents SET identifier = ?, description = ? WHERE table_name = ?",
            (d.title, d.description, d.layer),
        )
        if d.metadata:
            # as QGIS itself stores a layer's metadata
            add_metadata(db, d.metadata, uri=QGIS_METADATA_URI, table=d.layer, timestamp=FIXED_ISO)


def gpkg_project(path: Path, document: str) -> Path:
    """Write a QGIS project of a GeoPackage next to it: ``<name>.qgs``.

    Parameters
    ----------
    path : Path
        The GeoPackage.
    document : str
        The project (:func:`kotaku_map.render.qgis_xml.project`: its layers name the GeoPackage
        by a relative path).

    Returns
    -------
    Path
        The project file.
    """
    target = path.with_suffix(".qgs")
    target.write_text(document, encoding="utf-8")
    return target
