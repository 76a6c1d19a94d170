"""Writing the outputs: tables (CSV, XLSX), GeoPackages, the manifest, the output folder.

* :mod:`~kotaku_map.writers.stage`: the output folder, checked, locked and replaced whole;
* :mod:`~kotaku_map.writers.tables`: CSV (for machines), XLSX (for people) and JSON;
* :mod:`~kotaku_map.writers.gpkg`: GeoPackage layers, their styles, descriptions, metadata
  (:mod:`~kotaku_map.writers.gpkg_sql`: the layers written with SQLite itself);
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
    gpkg_layers,
    gpkg_project,
)
from .stage import (
    MARKER,
    check_output_folder,
    city_slugs,
    claim_output,
    replace_folder,
    safe_name,
    staged_output,
)
from .tables import SheetText, write_json, write_table, write_xlsx

__all__ = [
    "GPKG_VERSION",
    "MARKER",
    "SPATIAL_INDEX_FROM",
    "LayerDoc",
    "SheetText",
    "check_output_folder",
    "city_slugs",
    "claim_output",
    "gpkg_describe",
    "gpkg_layer",
    "gpkg_layers",
    "gpkg_project",
    "replace_folder",
    "safe_name",
    "staged_output",
    "work_layer",
    "write_city",
    "write_json",
    "write_reconciliation",
    "write_table",
    "write_xlsx",
]
