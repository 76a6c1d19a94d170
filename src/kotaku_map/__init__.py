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
from .build import BuildResult, build
from .config import Config, load_config
from .crs import area_ha, geodesic_area_ha, local_equal_area
from .demo import make_demo
from .errors import ConfigError, CRSError, InputError, KotakuMapError, MatchError
from .inputs import Inputs, load_boundaries, load_inputs, load_layer, normalise_level
from .matching import classify_code, match_table, normalise_name, parse_kemendagri_code
from .numbers import parse_number, parse_numbers
from .overview import overview_html, write_overview
from .problems import ProblemLog
from .readers import read_layer, read_table
from .render import city_map, save_map
from .results import CityResult

__all__ = [
    "BuildResult",
    "CRSError",
    "CityResult",
    "Config",
    "ConfigError",
    "InputError",
    "Inputs",
    "KotakuMapError",
    "MatchError",
    "ProblemLog",
    "analyse",
    "analyse_city",
    "area_ha",
    "build",
    "city_map",
    "classify_code",
    "geodesic_area_ha",
    "load_boundaries",
    "load_config",
    "load_inputs",
    "load_layer",
    "local_equal_area",
    "make_demo",
    "match_table",
    "normalise_level",
    "normalise_name",
    "overview_html",
    "parse_kemendagri_code",
    "parse_number",
    "parse_numbers",
    "read_layer",
    "read_table",
    "save_map",
    "summary_table",
    "write_overview",
]
