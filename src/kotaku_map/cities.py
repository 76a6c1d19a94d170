"""The kab/kota of a build: which rows of each layer belong to each, as analysis jobs.

* :func:`city_key`: the kab/kota each kelurahan belongs to;
* :func:`city_jobs`: one job per kab/kota (row numbers, not frames: a worker slices its
  city out of the layers it inherits), rows outside every kelurahan reported;
* :func:`city_identity`: a city's code and name, known before its analysis (the build
  names each city's folder from them while the cities are still being analysed).

The analysis of one job is :func:`kotaku_map.analysis.analyse_city_job`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import STRtree

from . import schema as s
from .crs import DISPLAY_CRS
from .errors import InputError
from .problems import ProblemLog

__all__ = ["KELURAHAN_COLUMNS", "city_identity", "city_jobs", "city_key", "require_columns"]

#: the columns every kelurahan layer has once loaded
KELURAHAN_COLUMNS = [s.KODE, s.KELURAHAN, s.KECAMATAN, s.KABKOTA, s.KODE_KABKOTA]
_NONE = np.array([], dtype=int)


def city_key(kelurahan: pd.DataFrame) -> pd.Series:
    """The kab/kota each kelurahan belongs to: its ``kode_kabkota``, else its ``kabkota`` name.

    Parameters
    ----------
    kelurahan : DataFrame
        With ``kode_kabkota`` and ``kabkota`` columns.

    Returns
    -------
    Series of string
        One key per row, ``"(tanpa kab/kota)"`` where both are missing.

    Examples
    --------
    >>> city_key(pd.DataFrame({"kode_kabkota": ["33.75", None], "kabkota": ["X", None]})).tolist()
    ['33.75', '(tanpa kab/kota)']
    """
    key = kelurahan[s.KODE_KABKOTA].astype("string")
    return key.fillna(kelurahan[s.KABKOTA].astype("string")).fillna("(tanpa kab/kota)")


def city_jobs(
    kelurahan: gpd.GeoDataFrame,
    programs: Mapping[str, gpd.GeoDataFrame],
    slum: gpd.GeoDataFrame | None = None,
    *,
    problems: ProblemLog | None = None,
    sources: Mapping[str, str | tuple[str, str | None]] | None = None,
    **options: float,
) -> list[dict[str, Any]]:
    """The analysis of every kab/kota as jobs for :func:`analyse_city_job`, sorted by city.

    Rows of the layers that lie outside every kelurahan are reported to ``problems``.

    Parameters
    ----------
    kelurahan, programs, slum, problems, sources
        As for :func:`analyse`.
    **options : float
        ``sliver_width_m``, ``sliver_area_m2``, ``min_presence_ha`` (as for :func:`analyse`).

    Returns
    -------
    list of dict
        One job (keyword arguments of :func:`analyse_city_job`) per kab/kota; its ``rows``
        are the city's kelurahan rows, its :func:`city_identity` that of ``kel.iloc[rows]``.
    """
    require_columns(kelurahan, KELURAHAN_COLUMNS, "kelurahan")
    kel = _in_display(kelurahan).reset_index(drop=True)
    problems = problems if problems is not None else ProblemLog()
    splitter = _CitySplitter(kel, problems, sources)
    return _city_jobs(kel, programs, slum, splitter, options)


def _city_jobs(
    kel: gpd.GeoDataFrame,
    programs: Mapping[str, gpd.GeoDataFrame],
    slum: gpd.GeoDataFrame | None,
    splitter: _CitySplitter,
    options: Mapping[str, float],
) -> list[dict[str, Any]]:
    """One job per kab/kota (sorted by key) for :func:`~kotaku_map.analysis.analyse_city_job`.

    A job holds row numbers, not frames: the workers slice their city out of the layers
    they inherit (in parallel), not the parent for every city in turn.
    """
    prog_layers = {n: _in_display(g).reset_index(drop=True) for n, g in programs.items()}
    prog_split = {n: splitter.rows(g, n) for n, g in prog_layers.items()}
    slum4326 = _in_display(slum).reset_index(drop=True) if slum is not None else None
    slum_split = splitter.rows(slum4326, "kumuh") if slum4326 is not None else {}
    by_key = pd.Series(np.arange(len(kel))).groupby(splitter.keys, sort=False).indices
    return [
        {
            "kel": kel,
            "rows": by_key[c],
            "programs": prog_layers,
            "prog_rows": {n: prog_split[n].get(c, _NONE) for n in prog_layers},
            "slum": slum4326,
            "slum_rows": slum_split.get(c, _NONE) if slum4326 is not None else None,
            **options,
        }
        for c in sorted(by_key, key=str)
    ]


def _in_display(layer: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return layer.to_crs(DISPLAY_CRS) if layer.crs != DISPLAY_CRS else layer


class _CitySplitter:
    """Rows of a layer per kab/kota (by the kelurahan they intersect); the rest reported."""

    def __init__(
        self,
        kel: gpd.GeoDataFrame,
        problems: ProblemLog,
        sources: Mapping[str, str | tuple[str, str | None]] | None,
    ) -> None:
        self.keys = city_key(kel).to_numpy()
        self.tree = STRtree(kel.geometry.values)
        self.problems, self.sources = problems, dict(sources or {})

    def rows(self, layer: gpd.GeoDataFrame, name: str) -> dict[str, np.ndarray]:
        """City key to the sorted row numbers of ``layer`` in that city."""
        layer = _in_display(layer)
        rows, kels = self.tree.query(layer.geometry.values, predicate="intersects")
        inside = np.zeros(len(layer), dtype=bool)
        inside[rows] = True
        source = self.sources.get(name, name)
        path, layer_name = source if isinstance(source, tuple) else (source, None)
        for r in np.flatnonzero(~inside):
            src = layer[s.SUMBER_BARIS].iloc[r] if s.SUMBER_BARIS in layer else r + 1
            self.problems.add(
                path,
                layer_name,
                int(src),
                "geometry",
                "di luar batas kelurahan",
                f"{name}: geometri tidak bersinggungan dengan kelurahan mana pun",
                peran=name,
            )
        by_city: dict[str, np.ndarray] = {}
        pairs = pd.DataFrame({"row": rows, "city": self.keys[kels]}).drop_duplicates()
        for c, grp in pairs.groupby("city", sort=False):
            by_city[str(c)] = np.sort(grp["row"].to_numpy())
        return by_city


def require_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Refuse a table without ``columns``, naming what it is and what is missing.

    Parameters
    ----------
    frame : DataFrame
        The table.
    columns : sequence of str
        The columns it must have.
    what : str
        What the table is, for the message.

    Raises
    ------
    InputError
        If a column is missing.
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{what}: missing columns {missing}; expected {list(columns)}")


def city_identity(kelurahan: pd.DataFrame) -> tuple[str, str]:
    """A city's code and name, as its :class:`CityResult` has them: of its first kelurahan.

    Parameters
    ----------
    kelurahan : DataFrame
        The city's kelurahan (``kode``, ``kabkota``, ``kode_kabkota``), in any order: the
        first by code decides (a missing code gives the name; a missing name the code).

    Returns
    -------
    kode, nama : str

    Examples
    --------
    >>> city_identity(pd.DataFrame({"kode": ["33.75.01.1002", "33.75.01.1001"],
    ...     "kabkota": ["Kota X", "Kota Pekalongan"], "kode_kabkota": ["33.75", "33.75"]}))
    ('33.75', 'Kota Pekalongan')
    """
    first = kelurahan.sort_values(s.KODE, kind="stable", na_position="last").iloc[0]
    code = str(first[s.KODE_KABKOTA]) if pd.notna(first[s.KODE_KABKOTA]) else str(first[s.KABKOTA])
    return code, str(first[s.KABKOTA]) if pd.notna(first[s.KABKOTA]) else code
