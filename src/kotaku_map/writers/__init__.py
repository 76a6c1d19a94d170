"""Writing the outputs: tables (CSV, XLSX), GeoPackages, the manifest, the output folder.

* :mod:`~kotaku_map.writers.stage`: the output folder, staged so a build is whole or absent;
* :mod:`~kotaku_map.writers.tables`: CSV (for machines), XLSX (for people) and JSON;
* :mod:`~kotaku_map.writers.gpkg`: GeoPackage layers, their styles, descriptions, metadata;
* :mod:`~kotaku_map.writers.city`: what a city's folder holds.
"""

from __future__ import annotations

from .city import work_layer, write_city, write_reconciliation
from .gpkg import (
    GPKG_VERSION,
    SPATIAL_INDEX_FROM,
    LayerDoc,
    gpkg_describe,
    gpkg_layer,
    gpkg_project,
)
from .stage import city_slugs, safe_name, staged_output
from .tables import SheetText, write_json, write_table, write_xlsx

__all__ = [
    "GPKG_VERSION",
    "SPATIAL_INDEX_FROM",
    "LayerDoc",
    "SheetText",
    "city_slugs",
    "gpkg_describe",
    "gpkg_layer",
    "gpkg_project",
    "safe_name",
    "staged_output",
    "work_layer",
    "write_city",
    "write_json",
    "write_reconciliation",
    "write_table",
    "write_xlsx",
]
