"""Load and validate one job's inputs: boundaries, programs and slum areas.

This is the stage between the config and the analysis. Tables that list kelurahan
(a program's locations, a slum table) are joined to the boundaries with
:func:`kotaku_map.matching.match_table` and become the polygons of the matched
kelurahan. Every row read is either used or recorded in the problems report.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from . import schema as s
from .codes import classify_code, parse_kemendagri_code
from .config import BoundariesConfig, Columns, Config, LayerConfig, SyncOptions
from .crs import DISPLAY_CRS, geodesic_area_ha
from .errors import InputError, where
from .levels import normalise_level
from .matching import match_table
from .number_text import parse_numbers
from .problems import ProblemLog
from .readers import SKWorkbook, read_layer, read_sk_workbook, read_table, require_columns

__all__ = [
    "InputFile",
    "Inputs",
    "SyncInputs",
    "load_boundaries",
    "load_inputs",
    "load_layer",
    "load_sync_inputs",
]

TAHUN = "tahun"

#: a slum table's hectares for one kelurahan may exceed the kelurahan's own area by this
#: much (boundaries of another edition, rounding); beyond it the figure cannot be true
AREA_TOLERANCE_PCT = 10.0
AREA_TOLERANCE_HA = 0.5
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


@dataclass(frozen=True)
class InputFile:
    """One input file as the manifest records it.

    Parameters
    ----------
    role : str
        ``batas``, a program's name, ``kumuh`` or ``sinkronisasi``.
    path : str
        The file, as the config names it.
    sha256 : str
        Its checksum.
    rows : tuple of int
        The row numbers read (as the problems report counts them).
    layer : str, optional
        Its layer or sheet.
    """

    role: str
    path: str
    sha256: str
    rows: tuple[int, ...]
    layer: str | None = None


@dataclass(frozen=True)
class SyncInputs:
    """What ``[sync]`` compares: the SK Kumuh workbook and the slum layer as it was read.

    Parameters
    ----------
    workbook : SKWorkbook
    slum : DataFrame or GeoDataFrame
        The ``[slum]`` input again, with its own columns (names, stated hectares), not
        the analysis' standard columns.
    slum_columns : Columns
        Its kelurahan columns (``[slum] columns``).
    slum_source : str
        Its file, for the problems report.
    slum_layer : str or None
        Its layer or sheet.
    problems : ProblemLog
        What reading the workbook found; the synchronisation adds it to the build's report.
    """

    workbook: SKWorkbook
    slum: pd.DataFrame
    slum_columns: Columns
    slum_source: str
    slum_layer: str | None
    problems: ProblemLog


@dataclass
class Inputs:
    """A job's validated inputs, ready for :func:`kotaku_map.analysis.analyse`.

    Parameters
    ----------
    kelurahan : GeoDataFrame
        The boundaries in the standard columns, EPSG:4326.
    programs : dict of str to GeoDataFrame
        Each program's work-area polygons (a list program: its kelurahan's polygons).
    slum : GeoDataFrame or None
        The slum areas.
    matches : DataFrame
        The match report of every table input.
    problems : ProblemLog
        Every row not used (or repaired), and why.
    files : list of InputFile
        The input files, as the manifest lists them.
    sync : SyncInputs, optional
        What ``[sync]`` compares.
    """

    kelurahan: gpd.GeoDataFrame
    programs: dict[str, gpd.GeoDataFrame]
    slum: gpd.GeoDataFrame | None
    matches: pd.DataFrame
    problems: ProblemLog = field(default_factory=ProblemLog)
    files: list[InputFile] = field(default_factory=list)
    sync: SyncInputs | None = None

    @property
    def sources(self) -> dict[str, tuple[str, str | None]]:
        """Role (program name or ``"kumuh"``) to (file path, layer), for the problems report."""
        return {f.role: (f.path, f.layer) for f in self.files}


def sha256(path: Path) -> str:
    """Compute the SHA-256 of a file, for the manifest.

    Parameters
    ----------
    path : pathlib.Path
        The file; read in chunks of 1 MiB.

    Returns
    -------
    str
        The digest, 64 lower-case hex digits.
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_inputs(config: Config) -> Inputs:
    """Load every input a config names.

    Parameters
    ----------
    config : Config
        The project config (:func:`kotaku_map.config.load_config`).

    Returns
    -------
    Inputs
        Kelurahan boundaries in the standard columns, one polygon layer per program,
        the slum layer, the match report of every table, the problems report and the
        list of input files with their checksums.
    """
    problems = ProblemLog()
    assume = config.analysis.assume_crs
    files: list[InputFile] = []
    with problems.acting_as("batas"):
        kel = load_boundaries(config.boundaries, assume_crs=assume, problems=problems)
    files.append(
        InputFile(
            "batas",
            str(config.boundaries.path),
            sha256(config.boundaries.path),
            tuple(int(r) for r in kel.attrs["rows_read"]),
            config.boundaries.layer,
        )
    )
    matches: list[pd.DataFrame] = []
    programs: dict[str, gpd.GeoDataFrame] = {}
    for p in config.programs:
        layer, report = load_layer(p, kel, config=config, problems=problems)
        programs[p.name] = layer
        files.append(
            InputFile(
                p.name,
                str(p.path),
                sha256(p.path),
                tuple(int(r) for r in layer.attrs["rows_read"]),
                p.layer or p.sheet,
            )
        )
        matches.append(report)
    slum = None
    if config.slum is not None:
        slum, report = load_layer(config.slum, kel, config=config, problems=problems)
        files.append(
            InputFile(
                "kumuh",
                str(config.slum.path),
                sha256(config.slum.path),
                tuple(int(r) for r in slum.attrs["rows_read"]),
                config.slum.layer or config.slum.sheet,
            )
        )
        matches.append(report)
    nonempty = [m for m in matches if len(m)]
    match_report = (
        pd.concat(nonempty, ignore_index=True) if nonempty else pd.DataFrame(columns=MATCH_COLUMNS)
    )
    sync = None
    if config.sync is not None and config.slum is not None:
        sync = load_sync_inputs(config.sync, config.slum, assume_crs=assume)
        files.append(
            InputFile("sinkronisasi", str(config.sync.workbook), sha256(config.sync.workbook), ())
        )
    return Inputs(kel, programs, slum, match_report, problems, files, sync)


def load_sync_inputs(
    options: SyncOptions, slum: LayerConfig, *, assume_crs: str | None = None
) -> SyncInputs:
    """Read what ``[sync]`` compares: the SK Kumuh workbook and the ``[slum]`` input as is.

    Parameters
    ----------
    options : SyncOptions
        The config's ``[sync]`` section.
    slum : LayerConfig
        The config's ``[slum]`` section.
    assume_crs : str, optional
        CRS for a slum layer without one (``[analysis] assume_crs``).

    Returns
    -------
    SyncInputs
    """
    problems = ProblemLog(role="sinkronisasi")
    workbook = read_sk_workbook(options.workbook, problems=problems)
    if slum.kind == "table":
        raw = read_table(slum.path, sheet=slum.sheet)
    else:  # its problems are already reported by the analysis' own reading
        raw = read_layer(
            slum.path, layer=slum.layer, crs=slum.crs, assume_crs=assume_crs, problems=ProblemLog()
        )
    return SyncInputs(
        workbook, raw, slum.columns, str(slum.path), slum.layer or slum.sheet, problems
    )


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
        out = _plausible_slum_areas(cfg, out, kelurahan, layer=layer, problems=problems)
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


def _plausible_slum_areas(
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
