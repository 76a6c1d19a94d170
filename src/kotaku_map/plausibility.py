"""Whether a slum table's hectares can be true: checked per row and per kelurahan.

Not used: a figure that is negative or not finite, and every row of a kelurahan whose
hectares (summed over its rows) exceed the kelurahan's own area by more than
:data:`AREA_TOLERANCE_PCT` plus :data:`AREA_TOLERANCE_HA` (boundaries of another edition,
rounding). Used, and reported: a kelurahan listed in more than one row (its hectares are
summed). Every row left out is named in the problems report (:func:`plausible_slum_areas`).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np

from . import schema as s
from .config import LayerConfig
from .crs import geodesic_area_ha
from .problems import ProblemLog

__all__ = ["AREA_TOLERANCE_HA", "AREA_TOLERANCE_PCT", "plausible_slum_areas"]

#: a slum table's hectares for one kelurahan may exceed the kelurahan's own area by this
#: much (boundaries of another edition, rounding); beyond it the figure cannot be true
AREA_TOLERANCE_PCT = 10.0
AREA_TOLERANCE_HA = 0.5


def plausible_slum_areas(
    cfg: LayerConfig,
    out: gpd.GeoDataFrame,
    kelurahan: gpd.GeoDataFrame,
    *,
    layer: str | None,
    problems: ProblemLog,
) -> gpd.GeoDataFrame:
    """Keep the slum table's rows whose hectares can be true; report the others by row.

    Not used: a figure that is negative or not finite, and every row of a kelurahan whose
    hectares (summed over its rows) exceed its own area beyond the tolerance. Used, and
    reported: a kelurahan listed in more than one row (its hectares are summed).

    Parameters
    ----------
    cfg : LayerConfig
        The config's ``[slum]`` (its file and its hectares column, for the report).
    out : geopandas.GeoDataFrame
        The table's matched rows, with ``kode``, ``baris_sumber`` and ``luas_tabel_ha``.
    kelurahan : geopandas.GeoDataFrame
        The boundaries (their geodesic areas are the bound).
    layer : str or None
        The table's sheet or layer, for the report.
    problems : ProblemLog
        Where each row left out (or summed) is reported.

    Returns
    -------
    geopandas.GeoDataFrame
        The rows kept, renumbered from 0 (``out`` is not modified).
    """
    ha = out[s.LUAS_TABEL_HA].to_numpy(float) + 0.0  # -0.0 is 0.0
    bad = ~np.isfinite(ha) | (ha < 0)
    for r, v in zip(out.loc[bad, s.SUMBER_BARIS], ha[bad], strict=True):
        problems.add(
            cfg.path,
            layer,
            int(r),
            cfg.area,
            "luas tidak masuk akal",
            f"{v:g} ha: luas kumuh harus angka terhingga >= 0; baris tidak dipakai",
        )
    out = out.loc[~bad].assign(**{s.LUAS_TABEL_HA: ha[~bad]}).reset_index(drop=True)
    _report_repeated_kelurahan(cfg, out, layer=layer, problems=problems)
    return _drop_areas_beyond_kelurahan(cfg, out, kelurahan, layer=layer, problems=problems)


def _report_repeated_kelurahan(
    cfg: LayerConfig, out: gpd.GeoDataFrame, *, layer: str | None, problems: ProblemLog
) -> None:
    """Report each row of a kelurahan that an earlier row of the table lists already."""
    first = out.groupby(s.KODE)[s.SUMBER_BARIS].transform("min")
    total = out.groupby(s.KODE)[s.LUAS_TABEL_HA].transform("sum")
    again = out[s.SUMBER_BARIS] != first
    for r, kode, f, t in zip(
        out.loc[again, s.SUMBER_BARIS],
        out.loc[again, s.KODE],
        first[again],
        total[again],
        strict=True,
    ):
        problems.add(
            cfg.path,
            layer,
            int(r),
            cfg.columns.kelurahan or cfg.columns.code,
            "kelurahan ganda",
            f"kelurahan {kode} juga di baris {int(f)}; luas baris-barisnya dijumlah ({t:.2f} ha)",
            dipakai=True,
        )


def _drop_areas_beyond_kelurahan(
    cfg: LayerConfig,
    out: gpd.GeoDataFrame,
    kelurahan: gpd.GeoDataFrame,
    *,
    layer: str | None,
    problems: ProblemLog,
) -> gpd.GeoDataFrame:
    """Drop (and report) the rows of a kelurahan whose slum hectares exceed its area."""
    total = out.groupby(s.KODE)[s.LUAS_TABEL_HA].sum()
    geoms = dict(zip(kelurahan[s.KODE], kelurahan.geometry.values, strict=False))
    own = {k: geodesic_area_ha(geoms.get(k)) for k in total.index}
    beyond = {
        k
        for k, t in total.items()
        if t > own[k] * (1 + AREA_TOLERANCE_PCT / 100) + AREA_TOLERANCE_HA
    }
    drop = out[s.KODE].isin(beyond).to_numpy()
    for r, kode, v in zip(
        out.loc[drop, s.SUMBER_BARIS],
        out.loc[drop, s.KODE],
        out.loc[drop, s.LUAS_TABEL_HA],
        strict=True,
    ):
        summed = f" (jumlah semua barisnya {_ha(total[kode])} ha)" if total[kode] != v else ""
        problems.add(
            cfg.path,
            layer,
            int(r),
            cfg.area,
            "luas melebihi kelurahan",
            f"{_ha(v)} ha kumuh{summed} di kelurahan {kode} yang luasnya {_ha(own[kode])} ha; "
            "baris tidak dipakai",
        )
    return out.loc[~drop].reset_index(drop=True)


def _ha(value: float) -> str:
    """Hectares for a message: ``1,574.45``; a figure of absurd size in short (``1e+308``)."""
    return f"{value:,.2f}" if abs(value) < 1e12 else f"{value:.3g}"
