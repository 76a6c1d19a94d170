"""Reading inputs: polygon layers, tables and the SK Kumuh workbook.

:mod:`~kotaku_map.readers.layers` reads polygon layers (Shapefile, GeoPackage, GeoJSON,
FlatGeobuf, GeoParquet, KML/KMZ) into clean polygons in EPSG:4326;
:mod:`~kotaku_map.readers.tables` reads CSV and XLSX tables (header found below title
rows) and checks their columns, each sheet read alone by
:mod:`~kotaku_map.readers.xlsx_cells`; :mod:`~kotaku_map.readers.sk_workbook` reads the SK
Kumuh workbook SIM KOTAKU exports. Every row that cannot be used, or was repaired, is recorded
in a :class:`~kotaku_map.problems.ProblemLog`.
"""

from __future__ import annotations

from .layers import clean_polygons, read_layer
from .sk_workbook import SK_SHEETS, SKWorkbook, read_sk_workbook
from .tables import read_sheet, read_table, require_columns

__all__ = [
    "SKWorkbook",
    "SK_SHEETS",
    "clean_polygons",
    "read_layer",
    "read_sheet",
    "read_sk_workbook",
    "read_table",
    "require_columns",
]
