"""GeoPackage layers: one file per city, written reproducibly."""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import pyogrio

from kotaku_map.files import FIXED_ISO

__all__ = ["SPATIAL_INDEX_FROM", "gpkg_layer"]


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
        The layer's name (replaced if it exists).
    """
    frame = gdf.copy()
    for col in frame.columns:
        if col != frame.geometry.name and frame[col].dtype == object:
            frame[col] = frame[col].astype("string")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        old = {k: pyogrio.get_gdal_config_option(k) for k in _GPKG_OPTIONS}
        pyogrio.set_gdal_config_options(_GPKG_OPTIONS)
        try:
            pyogrio.write_dataframe(
                frame,
                path,
                layer=layer,
                driver="GPKG",
                promote_to_multi=True,
                geometry_type="MultiPolygon",
                append=path.exists(),
                layer_options={
                    "SPATIAL_INDEX": "YES" if len(frame) >= SPATIAL_INDEX_FROM else "NO"
                },
            )
        finally:
            pyogrio.set_gdal_config_options(old)
