"""A program's locations or the slum areas, loaded as polygons: read, or matched to kelurahan.

A polygon layer is read as it is. A table that lists kelurahan is matched to the boundaries
(:func:`kotaku_map.matching.match_table`): matched rows take their kelurahan's polygon, the
rest go to the problems report, and every row goes to the match report
(:data:`MATCH_COLUMNS`). A slum table's hectares are then checked
(:mod:`kotaku_map.plausibility`). See :func:`load_layer`.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from . import schema as s
from .config import Config, LayerConfig
from .crs import DISPLAY_CRS
from .errors import InputError, where
from .levels import normalise_level
from .matching import match_table
from .number_text import parse_numbers
from .plausibility import plausible_slum_areas
from .problems import ProblemLog
from .readers import read_layer, read_table, require_columns

__all__ = ["MATCH_COLUMNS", "load_layer"]

#: the column of the year a layer is from, where the config gives one (``year``)
TAHUN = "tahun"
#: the columns of the match report (``pencocokan``), one row per table row
MATCH_COLUMNS = [
    "berkas",
    "layer",
    "program",
    "baris",
    "kode_sumber",
    "nama_sumber",
    "kecamatan_sumber",
    "kode",
    "kelurahan_cocok",
    "metode",
    "skor",
    "kandidat",
    "catatan",
]


def load_layer(
    cfg: LayerConfig,
    kelurahan: gpd.GeoDataFrame,
    *,
    config: Config,
    problems: ProblemLog,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Load a program's locations or the slum layer, as polygons.

    Polygons are read as they are. A table is matched to ``kelurahan``
    (:func:`kotaku_map.matching.match_table`, with the config's fuzzy threshold and
    overrides); matched rows take the kelurahan's polygon, the rest go to the problems
    report.

    Parameters
    ----------
    cfg : LayerConfig
        One of ``config.programs``, or ``config.slum``.
    kelurahan : geopandas.GeoDataFrame
        The boundaries, as :func:`load_boundaries` returns them.
    config : Config
        The whole config (``[analysis]`` options; whether `cfg` is the slum layer).
    problems : ProblemLog
        Where to report rows that were repaired or not used.

    Returns
    -------
    (GeoDataFrame, DataFrame)
        The layer in EPSG:4326 (with ``baris_sumber``, ``kode`` for tables,
        ``metode_cocok``, ``tingkat`` for slum, ``luas_tabel_ha`` for a slum table,
        ``tahun`` when the config gives a year) and the match report of a table
        (empty for polygons).

    Raises
    ------
    kotaku_map.errors.InputError
        If the file cannot be read, a configured column is missing, or no row can be used.
    """
    is_slum = cfg.name == "kumuh" and config.slum is cfg
    role = "kumuh" if is_slum else cfg.name
    w = where(cfg.path, cfg.layer or cfg.sheet)
    with problems.acting_as(role):  # one file may serve two roles: masalah.csv says which
        if cfg.kind == "polygons":
            out, rows_read = _load_polygons(cfg, config=config, problems=problems, is_slum=is_slum)
            report = pd.DataFrame(columns=MATCH_COLUMNS)
        else:
            out, report, rows_read = _load_table(
                cfg, kelurahan, config=config, problems=problems, is_slum=is_slum, role=role
            )
    if cfg.year is not None:
        out[TAHUN] = cfg.year
    out.attrs["rows_read"] = rows_read
    if len(out) == 0:
        # the build stops here and writes no masalah.csv: say why in the message itself
        mine = [
            p
            for p in problems.items
            if p.berkas == str(cfg.path) and not p.dipakai and p.peran in (role, None)
        ]
        first = ""
        if mine:
            p0 = mine[0]
            first = f"; first: row {p0.baris}, column {p0.kolom!r}: {p0.masalah}" + (
                f" ({p0.rincian})" if p0.rincian else ""
            )
        raise InputError(
            f"{w}: no row of {role!r} could be used ({len(rows_read)} rows read, "
            f"{len(mine)} with a problem){first}"
        )
    return out, report


def _load_polygons(
    cfg: LayerConfig, *, config: Config, problems: ProblemLog, is_slum: bool
) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """Read a polygon layer: its rows, ``tingkat`` for slum or ``program``; rows read."""
    gdf = read_layer(
        cfg.path,
        layer=cfg.layer,
        crs=cfg.crs,
        assume_crs=config.analysis.assume_crs,
        problems=problems,
    )
    rows_read = gdf.attrs["rows_read"]
    extra = {"level": cfg.level, "area": cfg.area} if is_slum else {}
    require_columns(
        gdf,
        {f"{'slum' if is_slum else 'programs'}.{k}": v for k, v in extra.items()},
        source=cfg.path,
        layer=cfg.layer,
    )
    if is_slum:
        require_columns(gdf, _lingkungan_keys(cfg), source=cfg.path, layer=cfg.layer)
    out = gpd.GeoDataFrame(
        {s.SUMBER_BARIS: gdf[s.SUMBER_BARIS].to_numpy()},
        geometry=gdf.geometry.values,
        crs=DISPLAY_CRS,
    )
    if is_slum:
        out[s.TINGKAT] = (
            normalise_level(gdf[cfg.level]).to_numpy() if cfg.level else "tidak diketahui"
        )
        for column, values in _lingkungan_values(cfg, gdf).items():
            out[column] = values.to_numpy()
    else:
        out[s.PROGRAM] = cfg.name
    return out, rows_read


def _load_table(
    cfg: LayerConfig,
    kelurahan: gpd.GeoDataFrame,
    *,
    config: Config,
    problems: ProblemLog,
    is_slum: bool,
    role: str,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame, np.ndarray]:
    cols = cfg.columns
    key = "slum" if is_slum else "programs"
    wanted = {
        f"{key}.columns.code": cols.code,
        f"{key}.columns.kelurahan": cols.kelurahan,
        f"{key}.columns.kecamatan": cols.kecamatan,
        f"{key}.columns.kabkota": cols.kabkota,
    }
    if is_slum:
        wanted.update({"slum.area": cfg.area, "slum.level": cfg.level})
        wanted.update(_lingkungan_keys(cfg))
    table = read_table(cfg.path, sheet=cfg.sheet, expect=[c for c in wanted.values() if c])
    rows_read = table[s.SUMBER_BARIS].to_numpy(dtype=int)
    layer = cfg.sheet or cfg.layer
    require_columns(table, wanted, source=cfg.path, layer=layer)
    m = match_table(
        table,
        kelurahan,
        code=cols.code,
        name=cols.kelurahan,
        kecamatan=cols.kecamatan,
        kabkota=cols.kabkota,
        source=str(cfg.path),
        layer=layer,
        threshold=config.analysis.fuzzy_threshold,
        overrides=config.analysis.overrides,
    )
    rows = table[s.SUMBER_BARIS].to_numpy()
    report = _match_report(cfg, table, m, layer=layer, role=role)
    matched = m["kode"].notna().to_numpy()
    _report_unmatched(cfg, m, rows, matched, layer=layer, problems=problems)
    geom_by_code = dict(zip(kelurahan[s.KODE], kelurahan.geometry.values, strict=False))
    codes = m["kode"].to_numpy()[matched]
    out = gpd.GeoDataFrame(
        {
            s.SUMBER_BARIS: rows[matched],
            s.KODE: codes,
            s.METODE_COCOK: m["metode"].to_numpy()[matched],
        },
        geometry=[geom_by_code[c] for c in codes],
        crs=DISPLAY_CRS,
    )
    if is_slum:
        out = _slum_columns(cfg, table, out, matched, layer=layer, problems=problems)
        out = plausible_slum_areas(cfg, out, kelurahan, layer=layer, problems=problems)
    else:
        out[s.PROGRAM] = cfg.name
    return out, report, rows_read


def _match_report(
    cfg: LayerConfig, table: pd.DataFrame, m: pd.DataFrame, *, layer: str | None, role: str
) -> pd.DataFrame:
    """The rows of ``pencocokan``: each table row, what it said and what it matched."""
    cols = cfg.columns
    return pd.DataFrame(
        {
            "berkas": str(cfg.path),
            "layer": layer,
            "program": role,
            "baris": table[s.SUMBER_BARIS].to_numpy(),
            "kode_sumber": table[cols.code].to_numpy() if cols.code else None,
            "nama_sumber": table[cols.kelurahan].to_numpy() if cols.kelurahan else None,
            "kecamatan_sumber": table[cols.kecamatan].to_numpy() if cols.kecamatan else None,
            "kode": m["kode"].to_numpy(),
            "kelurahan_cocok": m["kelurahan_cocok"].to_numpy(),
            "metode": m["metode"].to_numpy(),
            "skor": m["skor"].to_numpy(),
            "kandidat": m["kandidat"].to_numpy(),
            "catatan": m["catatan"].to_numpy(),
        }
    )


def _report_unmatched(
    cfg: LayerConfig,
    m: pd.DataFrame,
    rows: np.ndarray,
    matched: np.ndarray,
    *,
    layer: str | None,
    problems: ProblemLog,
) -> None:
    """Report every table row that matched no kelurahan, with why and its candidates."""
    cols = cfg.columns
    for r, meth, note, cand in zip(
        rows[~matched],
        m["metode"][~matched],
        m["catatan"][~matched],
        m["kandidat"][~matched],
        strict=False,
    ):
        # match_table's string columns hold pd.NA, whose truth value raises
        note = "" if pd.isna(note) else str(note)
        cand = "" if pd.isna(cand) else str(cand)
        detail = "; ".join(x for x in (note, f"kandidat: {cand}" if cand else "") if x)
        problems.add(
            cfg.path,
            layer,
            int(r),
            cols.kelurahan or cols.code,
            "tidak cocok" if meth != "ambigu" else "ambigu",
            detail,
        )


def _slum_columns(
    cfg: LayerConfig,
    table: pd.DataFrame,
    out: gpd.GeoDataFrame,
    matched: np.ndarray,
    *,
    layer: str | None,
    problems: ProblemLog,
) -> gpd.GeoDataFrame:
    """Add a slum table's hectares and level to its matched rows; drop rows without ha."""
    rows = table[s.SUMBER_BARIS].to_numpy()
    area = parse_numbers(
        table[cfg.area], source=str(cfg.path), column=str(cfg.area), layer=layer, rows=rows
    )
    out[s.LUAS_TABEL_HA] = area.to_numpy(float)[matched]
    nan = np.isnan(out[s.LUAS_TABEL_HA].to_numpy())
    for r in out.loc[nan, s.SUMBER_BARIS]:
        problems.add(
            cfg.path,
            layer,
            int(r),
            cfg.area,
            "luas kosong",
            "baris tanpa luas (ha) tidak dipakai",
        )
    out = out.loc[~nan].reset_index(drop=True)
    levels = normalise_level(table[cfg.level]).to_numpy() if cfg.level else None
    out[s.TINGKAT] = levels[matched][~nan] if levels is not None else "tidak diketahui"
    for column, values in _lingkungan_values(cfg, table).items():
        out[column] = values.to_numpy()[matched][~nan]
    return out


def _lingkungan_keys(cfg: LayerConfig) -> dict[str, str | None]:
    """The columns ``[slum] lingkungan`` names, by config key (to require them)."""
    named = cfg.lingkungan
    return {
        **{f"slum.lingkungan.id[{i}]": c for i, c in enumerate(named.id)},
        **{f"slum.lingkungan.name[{i}]": c for i, c in enumerate(named.name)},
    }


def _lingkungan_values(cfg: LayerConfig, frame: pd.DataFrame) -> dict[str, pd.Series]:
    """Each row's lingkungan id and name: the named columns' texts joined (empty: none)."""
    out = {}
    for column, names, sep in (
        (s.ID_LINGKUNGAN, cfg.lingkungan.id, "/"),
        (s.NAMA_LINGKUNGAN, cfg.lingkungan.name, " "),
    ):
        if not names:
            continue
        parts = [frame[c].astype("string").str.strip() for c in names]
        joined = parts[0].fillna("")
        for part in parts[1:]:
            joined = joined.str.cat(part.fillna(""), sep=sep)
        out[column] = joined.str.strip(sep).replace("", pd.NA).astype(object)
    return out
