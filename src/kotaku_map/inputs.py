"""Load and validate one job's inputs: boundaries, programs and slum areas.

This is the stage between the config and the analysis: :func:`load_inputs` reads the
kelurahan boundaries (:mod:`kotaku_map.boundaries`), then each program's locations and the
slum areas (:mod:`kotaku_map.input_layers`; tables that list kelurahan are joined to the
boundaries and become the polygons of the matched kelurahan), and, with ``[sync]``, the SK
Kumuh workbook (:func:`load_sync_inputs`). Every row read is either used or recorded in the
problems report; every file is listed with its checksum for the manifest.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .boundaries import load_boundaries
from .config import Columns, Config, LayerConfig, SyncOptions
from .input_layers import MATCH_COLUMNS, load_layer
from .problems import ProblemLog
from .readers import SKWorkbook, read_layer, read_sk_workbook, read_table

__all__ = ["InputFile", "Inputs", "SyncInputs", "load_inputs", "load_sync_inputs"]


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
