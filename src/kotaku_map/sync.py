"""Synchronising field data (``[sync]``): the SK Kumuh workbook against the slum layer.

The stage of a build with a ``[sync]`` section, after the analysis: per city, the SK's
kawasan are reconciled with the ``[slum]`` layer (:mod:`kotaku_map.reconciliation`), the
workbook's yearly scores give the progress toward 0 ha (:mod:`kotaku_map.progress`) and its
investments the funding mix (:mod:`kotaku_map.funding`). The result is tables and figures;
:func:`kotaku_map.render.city_extras` draws them and the writers write them.
See ``docs/sinkronisasi.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from . import schema as S
from .config import SyncOptions
from .funding import funding_mix, investment_rows
from .inputs import SyncInputs
from .problems import ProblemLog
from .progress import kawasan_kelurahan, progress_summary, progress_table
from .reconciliation import (
    OUTSIDE,
    SourceHectares,
    kelurahan_hectares,
    reconcile,
    reconcile_by,
)
from .results import CityResult

__all__ = ["CitySync", "synchronise"]

#: the short names of the two sources in column names (``luas_sk_ha``, ``luas_sim_ha``)
SK, SIM = "SK", "SIM"


@dataclass(frozen=True)
class CitySync:
    """What synchronisation adds to one city: tables, and figures for the overview.

    Parameters
    ----------
    table, differences : DataFrame, GeoDataFrame
        The city's rows of :func:`kotaku_map.reconciliation.reconcile`.
    progress : DataFrame
        :func:`kotaku_map.progress.progress_table` rows of the city's kawasan.
    progress_summary : DataFrame
        Their :func:`~kotaku_map.progress.progress_summary` per year (empty if none).
    funding : DataFrame
        :func:`kotaku_map.funding.funding_mix` per kelurahan.
    tables : dict of str to DataFrame
        What the writers write besides ``sinkronisasi``: ``sinkronisasi_kecamatan``,
        ``kemajuan`` (per kelurahan and year), ``pendanaan``.
    figures : dict of str to float
        The overview's extra columns, by label key of :mod:`kotaku_map.render.labels`
        (``"figure_slum_left_ha:2023"``: key and the value of its ``{x}``).
    """

    table: pd.DataFrame
    differences: gpd.GeoDataFrame
    progress: pd.DataFrame
    progress_summary: pd.DataFrame
    funding: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    figures: dict[str, float]


def _sources(
    inputs: SyncInputs, options: SyncOptions, kelurahan: gpd.GeoDataFrame, problems: ProblemLog
) -> tuple[SourceHectares, SourceHectares]:
    """The SK's kawasan and the slum layer, in hectares per kelurahan."""
    wb = inputs.workbook
    sk = kelurahan_hectares(
        wb.kawasan,
        kelurahan,
        name=SK,
        area="luasVerifikasi",
        kel_name="kawasan",
        kecamatan="wilayah",
        source=wb.path,
        layer="kawasan",
        problems=problems,
    )
    cols = inputs.slum_columns
    other = kelurahan_hectares(
        inputs.slum,
        kelurahan,
        name=SIM,
        area=options.slum_area,
        code=cols.code,
        kel_name=cols.kelurahan,
        kecamatan=cols.kecamatan,
        kabkota=cols.kabkota,
        source=inputs.slum_source,
        layer=inputs.slum_layer,
        problems=problems,
    )
    return sk, other


def _figures(t: pd.DataFrame, summary: pd.DataFrame, mix: pd.DataFrame) -> dict[str, float]:
    figures = {
        "figure_sk_ha": float(t[f"luas_{S.slug(SK)}_ha"].sum()),
        "figure_sim_ha": float(t[f"luas_{S.slug(SIM)}_ha"].sum()),
        "figure_unsynced": float(t["tidak_sinkron"].sum()),
    }
    if len(summary):
        last = summary.iloc[-1]
        figures[f"figure_slum_left_ha:{int(last['tahun'])}"] = float(last[S.KUMUH_HA])
    if "tanpa_pendanaan" in mix:
        figures["figure_unfunded"] = float(mix["tanpa_pendanaan"].sum())
    return figures


def synchronise(
    inputs: SyncInputs,
    options: SyncOptions,
    kelurahan: gpd.GeoDataFrame,
    results: Sequence[CityResult],
    *,
    problems: ProblemLog,
) -> dict[str, CitySync]:
    """Reconcile the SK workbook with the slum layer, per city; progress and funding too.

    Parameters
    ----------
    inputs : SyncInputs
        The workbook and the raw slum layer, as :func:`kotaku_map.inputs.load_inputs`
        read them.
    options : SyncOptions
        The config's ``[sync]`` section (tolerances, the slum layer's area column).
    kelurahan : GeoDataFrame
        The build's kelurahan boundaries.
    results : sequence of CityResult
        The analysed cities.
    problems : ProblemLog
        The build's problems report: the rows read or dropped here are added to it, after
        those found while reading the workbook.

    Returns
    -------
    dict of str to CitySync
        One per city code of ``results``.
    """
    problems.extend(inputs.problems)
    with problems.acting_as("sinkronisasi"):
        sk, other = _sources(inputs, options, kelurahan, problems)
        table, diff = reconcile(
            sk,
            other,
            kelurahan,
            tolerance_pct=options.tolerance_pct,
            tolerance_ha=options.tolerance_ha,
        )
        wb = inputs.workbook
        units = kawasan_kelurahan(wb.kawasan, kelurahan, source=wb.path, problems=problems)
        prog = progress_table(wb.skor, units, problems=problems, source=wb.path)
        invest = investment_rows(wb.investasi, units, source=wb.path, problems=problems)
    out: dict[str, CitySync] = {}
    # the hectares of no kelurahan (outside every boundary, rows not matched): a row of
    # their own, so each column sums to its source's total; a build of several cities
    # cannot tell whose they are (they stay in masalah.csv only)
    outside = table[table[S.KODE].isna()].assign(tidak_sinkron=False, status=OUTSIDE)
    for r in results:
        codes = set(r.kelurahan[S.KODE])
        t = table[table[S.KODE].isin(codes)]
        if len(results) == 1 and len(outside):
            t = pd.concat([t, outside], ignore_index=True)
        d = diff[diff[S.KODE].isin(codes)] if S.KODE in diff else diff
        p = prog[prog[S.KODE].isin(codes)]
        mix = funding_mix(invest[invest[S.KODE].isin(codes)], units[units[S.KODE].isin(codes)])
        summary = progress_summary(p) if len(p) else pd.DataFrame()
        tables = {
            "sinkronisasi_kecamatan": reconcile_by(t) if len(t) else t,
            "kemajuan": progress_summary(p, by=[S.KODE, S.KELURAHAN]) if len(p) else p,
            "pendanaan": mix,
        }
        out[r.kode] = CitySync(t, d, p, summary, mix, tables, _figures(t, summary, mix))
    return out
