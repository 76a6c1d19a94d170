"""kotaku_map: peta keterpaduan (integration maps) of slum-upgrading programs in Indonesia.

The public API, in the order data flows::

    config  ->  inputs  ->  matching  ->  analysis  ->  maps and tables

>>> import kotaku_map as km
>>> sorted(km.__all__) == km.__all__
True

In five lines, on the bundled demo::

    import kotaku_map as km
    result = km.build(km.make_demo("layers/demo"), write=False)   # analyse, write nothing
    kota = result.cities[0]                                      # a CityResult
    kota.kelurahan.plot(column="status", legend=True)              # a GeoDataFrame
    km.city_map(kota)                                              # shows inline in Jupyter
"""

from __future__ import annotations

from ._version import __version__  # noqa: F401  (re-exported as kotaku_map.__version__)
from .analysis import analyse, analyse_city, summary_table
from .boundaries import load_boundaries
from .build import BuildResult, build
from .codes import classify_code, parse_kemendagri_code
from .config import Config, load_config
from .crs import area_ha, geodesic_area_ha, local_equal_area
from .demo import make_demo
from .errors import ConfigError, CRSError, InputError, KotakuMapError, OutputError
from .funding import funding_mix, investment_rows, normalise_source
from .input_layers import load_layer
from .inputs import Inputs, load_inputs
from .levels import normalise_level
from .matching import match_table
from .names import normalise_name
from .number_text import parse_number, parse_numbers
from .problems import ProblemLog
from .progress import kawasan_kelurahan, progress_summary, progress_table
from .readers import read_layer, read_sk_workbook, read_table
from .reconciliation import kelurahan_hectares, reconcile, reconcile_by
from .render import (
    AtlasOptions,
    ExtraLayer,
    ExtraPanel,
    city_map,
    city_sheet,
    funding_layer,
    overview_html,
    progress_chart,
    progress_layers,
    save_map,
    sync_layer,
    write_atlas,
    write_overview,
)
from .results import CityResult
from .writers import write_reconciliation

__all__ = [
    "AtlasOptions",
    "BuildResult",
    "CRSError",
    "CityResult",
    "Config",
    "ConfigError",
    "ExtraLayer",
    "ExtraPanel",
    "InputError",
    "Inputs",
    "KotakuMapError",
    "OutputError",
    "ProblemLog",
    "analyse",
    "analyse_city",
    "area_ha",
    "build",
    "city_map",
    "city_sheet",
    "classify_code",
    "funding_layer",
    "funding_mix",
    "geodesic_area_ha",
    "investment_rows",
    "kawasan_kelurahan",
    "kelurahan_hectares",
    "load_boundaries",
    "load_config",
    "load_inputs",
    "load_layer",
    "local_equal_area",
    "make_demo",
    "match_table",
    "normalise_level",
    "normalise_name",
    "normalise_source",
    "overview_html",
    "parse_kemendagri_code",
    "parse_number",
    "parse_numbers",
    "progress_chart",
    "progress_layers",
    "progress_summary",
    "progress_table",
    "read_layer",
    "read_sk_workbook",
    "read_table",
    "reconcile",
    "reconcile_by",
    "save_map",
    "summary_table",
    "sync_layer",
    "write_atlas",
    "write_overview",
    "write_reconciliation",
]
