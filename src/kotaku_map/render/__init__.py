"""Rendering: the web maps, the QGIS styles, the printed atlas, and the style they share.

Modules, one concept each:

* :mod:`~kotaku_map.render.labels`: every text a reader sees, in Indonesian and English
  (how it is looked up); its tables in :mod:`~kotaku_map.render.map_text` (the web maps),
  :mod:`~kotaku_map.render.desk_text` (GeoPackage, workbooks, columns) and
  :mod:`~kotaku_map.render.atlas_text` (the atlas);
* :mod:`~kotaku_map.render.style`: how every layer looks (the one style source that the
  web map, the QGIS styles and the printed atlas read), built of the kinds of
  :mod:`~kotaku_map.render.symbols`; :mod:`~kotaku_map.render.print_style`: what only
  paper has (text sizes in points, the sheet's own colours, px to points);
* :mod:`~kotaku_map.render.shapes`: display geometry (simplify, dissolve, encode);
* :mod:`~kotaku_map.render.page`: the offline HTML page (template, inline assets);
* :mod:`~kotaku_map.render.city`, :mod:`~kotaku_map.render.overview`: the two pages;
* :mod:`~kotaku_map.render.extras`, :mod:`~kotaku_map.render.chart`: the optional layers
  and the progress chart of a build with ``[sync]``;
* the GeoPackage's styles: :mod:`~kotaku_map.render.qgis` (its layers as QGIS shows them),
  :mod:`~kotaku_map.render.qgis_xml` (QML, QGIS metadata, a QGIS project) and
  :mod:`~kotaku_map.render.sld` (SLD for other GIS);
* the printed atlas: :mod:`~kotaku_map.render.atlas` (options, pages of text, page
  numbers), :mod:`~kotaku_map.render.city_sheet` and
  :mod:`~kotaku_map.render.overview_sheet` (the map sheets),
  :mod:`~kotaku_map.render.sheet` (paper, layout, header and footer),
  :mod:`~kotaku_map.render.map_frame` (the map at a round scale, scale bar, north arrow,
  map labels), :mod:`~kotaku_map.render.legend` (legend and totals panel),
  :mod:`~kotaku_map.render.table` (tables over pages), :mod:`~kotaku_map.render.draw` (the
  style's symbols in matplotlib), :mod:`~kotaku_map.render.canvas` and
  :mod:`~kotaku_map.render.textpdf` (pages of text written straight into PDF),
  :mod:`~kotaku_map.render.atlas_pdf` (``atlas.pdf`` and the PNGs, cities in workers).
"""

from __future__ import annotations

from .atlas import AtlasOptions
from .atlas_pdf import write_atlas
from .chart import progress_chart
from .city import city_data, city_map
from .city_sheet import city_sheet
from .extras import (
    ExtraLayer,
    ExtraPanel,
    city_extras,
    extra_data,
    funding_layer,
    overview_figures,
    progress_layers,
    sync_layer,
)
from .overview import overview_data, overview_html, write_overview
from .overview_sheet import overview_sheet
from .page import MapSizeWarning, Page, external_references, json_for_html, save_map, write_html
from .shapes import DisplayShapes, city_shape, display_shapes

__all__ = [
    "AtlasOptions",
    "DisplayShapes",
    "ExtraLayer",
    "ExtraPanel",
    "MapSizeWarning",
    "Page",
    "city_data",
    "city_extras",
    "city_map",
    "city_shape",
    "city_sheet",
    "display_shapes",
    "external_references",
    "extra_data",
    "funding_layer",
    "json_for_html",
    "overview_data",
    "overview_figures",
    "overview_html",
    "overview_sheet",
    "progress_chart",
    "progress_layers",
    "save_map",
    "sync_layer",
    "write_atlas",
    "write_html",
    "write_overview",
]
