"""The kelurahan boundaries, read into the standard columns: the layer everything is matched to.

Each row gets its Kemendagri village code (``PP.KK.CC.DDDD``), kelurahan, kecamatan and
kab/kota names and its kab/kota code; a code that is no village code is reported and the
row kept (``#<row>`` for its code), a duplicate code is reported and only its first row
used (:func:`load_boundaries`).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from . import schema as s
from .codes import classify_code, parse_kemendagri_code
from .config import BoundariesConfig
from .crs import DISPLAY_CRS
from .problems import ProblemLog
from .readers import read_layer, require_columns

__all__ = ["load_boundaries"]


def load_boundaries(
    cfg: BoundariesConfig, *, assume_crs: str | None = None, problems: ProblemLog | None = None
) -> gpd.GeoDataFrame:
    """Read the kelurahan boundaries into the standard columns.

    Codes that are no Kemendagri village code are reported (and the row kept, with
    ``#<row>`` for its code); rows with a duplicate code are reported and only the
    first is used.

    Parameters
    ----------
    cfg : BoundariesConfig
        The config's ``[boundaries]``: file, layer, CRS and column names.
    assume_crs : str, optional
        The CRS of a layer that has none (``[analysis] assume_crs``).
    problems : ProblemLog, optional
        Where to report rows that were repaired or not used; a new log by default.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326, with ``kode`` (dotted Kemendagri code, or ``#<row>`` where the
        layer has none), ``kelurahan``, ``kecamatan``, ``kabkota``, ``kode_kabkota`` and
        ``baris_sumber``; ``attrs["rows_read"]`` holds the row numbers read.

    Raises
    ------
    kotaku_map.errors.InputError
        If the file cannot be read or a configured column is not in it.
    """
    problems = problems if problems is not None else ProblemLog()
    raw = read_layer(
        cfg.path, layer=cfg.layer, crs=cfg.crs, assume_crs=assume_crs, problems=problems
    )
    cols = {
        "boundaries.code": cfg.code,
        "boundaries.kelurahan": cfg.kelurahan,
        "boundaries.kecamatan": cfg.kecamatan,
        "boundaries.kabkota": cfg.kabkota,
    }
    require_columns(raw, cols, source=cfg.path, layer=cfg.layer)
    kel = _standard_boundaries(raw, cfg, _boundary_codes(raw, cfg, problems))
    kel = _drop_duplicate_codes(kel, cfg, problems)
    kel.attrs["rows_read"] = raw.attrs["rows_read"]
    return kel


def _standard_boundaries(
    raw: gpd.GeoDataFrame, cfg: BoundariesConfig, codes: pd.Series
) -> gpd.GeoDataFrame:
    """The boundaries in the standard columns, every row kept; a kab/kota name for each."""

    def text(col: str | None) -> pd.Series:
        if not col:
            return pd.Series(pd.NA, index=raw.index, dtype="string")
        return raw[col].astype("string").str.strip()

    kode_kab = codes.where(~codes.str.startswith("#")).str.slice(0, 5).astype("string")
    kel = gpd.GeoDataFrame(
        {
            s.KODE: codes.astype("string"),
            s.KELURAHAN: text(cfg.kelurahan),
            s.KECAMATAN: text(cfg.kecamatan),
            s.KABKOTA: text(cfg.kabkota),
            s.KODE_KABKOTA: kode_kab,
            s.SUMBER_BARIS: raw[s.SUMBER_BARIS].to_numpy(),
        },
        geometry=raw.geometry.values,
        crs=DISPLAY_CRS,
    )
    if kel[s.KABKOTA].isna().all() and kel[s.KODE_KABKOTA].isna().all():
        kel[s.KABKOTA] = "(kab/kota)"
    # without a kab/kota column, the kab/kota code stands for its name
    if cfg.kabkota is None:
        kel[s.KABKOTA] = kel[s.KABKOTA].fillna(kel[s.KODE_KABKOTA])
    return kel


def _drop_duplicate_codes(
    kel: gpd.GeoDataFrame, cfg: BoundariesConfig, problems: ProblemLog
) -> gpd.GeoDataFrame:
    """Keep the first row of each code; report the others as not used."""
    dup = kel[s.KODE].duplicated(keep="first")
    for r, c in zip(kel.loc[dup, s.SUMBER_BARIS], kel.loc[dup, s.KODE], strict=False):
        problems.add(
            cfg.path,
            cfg.layer,
            int(r),
            cfg.code,
            "kode ganda",
            f"kode {c} sudah dipakai baris sebelumnya; baris ini tidak dipakai",
        )
    return kel.loc[~dup].reset_index(drop=True)


def _boundary_codes(
    raw: gpd.GeoDataFrame, cfg: BoundariesConfig, problems: ProblemLog
) -> pd.Series:
    """Dotted Kemendagri village code per row, ``#<row>`` where there is none; report bad ones."""
    rows = raw[s.SUMBER_BARIS].to_numpy()
    if cfg.code:
        codes = raw[cfg.code].map(parse_kemendagri_code)
        bad = codes.isna() | (codes.str.len() != 13)
        for r, v in zip(rows[bad.to_numpy()], raw[cfg.code][bad], strict=False):
            bps = (
                " (kode BPS? jangan digabung dengan kode Kemendagri)"
                if (classify_code(v) == "bps")
                else ""
            )
            problems.add(
                cfg.path,
                cfg.layer,
                int(r),
                cfg.code,
                "kode tidak sah",
                f"{v!r} bukan kode Kemendagri desa/kelurahan (PP.KK.CC.DDDD){bps}",
                dipakai=True,
            )
        codes = codes.where(~bad, ["#" + str(r) for r in rows])
    else:
        codes = pd.Series(["#" + str(r) for r in rows], index=raw.index)
    return codes
