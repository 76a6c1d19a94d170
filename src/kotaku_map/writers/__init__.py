"""Writing the outputs: tables (CSV, XLSX), GeoPackages, the manifest, the output folder.

* :mod:`~kotaku_map.writers.stage`: the output folder, checked, locked and replaced whole;
* :mod:`~kotaku_map.writers.tables`: CSV, XLSX and JSON;
* :mod:`~kotaku_map.writers.gpkg`: GeoPackage layers;
* :mod:`~kotaku_map.writers.city`: what a city's folder holds.
"""

from __future__ import annotations

from .city import write_city, write_reconciliation
from .gpkg import SPATIAL_INDEX_FROM, gpkg_layer
from .stage import (
    MARKER,
    check_output_folder,
    city_slugs,
    claim_output,
    replace_folder,
    safe_name,
    staged_output,
)
from .tables import write_json, write_table, write_xlsx

__all__ = [
    "MARKER",
    "SPATIAL_INDEX_FROM",
    "check_output_folder",
    "city_slugs",
    "claim_output",
    "gpkg_layer",
    "replace_folder",
    "safe_name",
    "staged_output",
    "write_city",
    "write_json",
    "write_reconciliation",
    "write_table",
    "write_xlsx",
]
