"""Rendering: the offline web maps (one per city, one overview) and the style they share.

Modules, one concept each:

* :mod:`~kotaku_map.render.labels`: every text a reader sees, in Indonesian and English;
* :mod:`~kotaku_map.render.style`: how every layer looks (the one style source that the
  web map, the QGIS styles and the printed atlas read);
* :mod:`~kotaku_map.render.shapes`: display geometry (simplify, dissolve, encode);
* :mod:`~kotaku_map.render.page`: the offline HTML page (template, inline assets);
* :mod:`~kotaku_map.render.city`, :mod:`~kotaku_map.render.overview`: the two pages;
* :mod:`~kotaku_map.render.extras`, :mod:`~kotaku_map.render.chart`: the optional layers
  and the progress chart of a build with ``[sync]``.
"""

from __future__ import annotations

from .chart import progress_chart
from .city import city_data, city_map
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
from .page import MapSizeWarning, Page, external_references, json_for_html, save_map, write_html
from .shapes import DisplayShapes, city_shape, display_shapes

__all__ = [
    "DisplayShapes",
    "ExtraLayer",
    "ExtraPanel",
    "MapSizeWarning",
    "Page",
    "city_data",
    "city_extras",
    "city_map",
    "city_shape",
    "display_shapes",
    "external_references",
    "extra_data",
    "funding_layer",
    "json_for_html",
    "overview_data",
    "overview_figures",
    "overview_html",
    "progress_chart",
    "progress_layers",
    "save_map",
    "sync_layer",
    "write_html",
    "write_overview",
]
