"""The build's manifest: what it read, what it wrote, and the account of every input row.

``manifest.json`` names each input with its checksum (:func:`build_manifest`), the config
as resolved (:func:`config_as_reported`), the sliver thresholds and the version, and
accounts for every row of every input: rows read = rows used + rows reported in
``masalah.csv`` (:func:`rows_accounting`); :func:`write_manifest` adds the list of outputs.
Paths are shown relative to the config's folder where they lie inside it
(:func:`shown_path`), so that the same config gives the same reports wherever it is built.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from . import schema as s
from ._version import __version__
from .clock import build_time
from .config import Config
from .inputs import Inputs
from .results import CityResult
from .writers import write_json

__all__ = [
    "base_folder",
    "build_manifest",
    "config_as_reported",
    "rows_accounting",
    "shown_path",
    "write_manifest",
]


def build_manifest(cfg: Config, inputs: Inputs, results: list[CityResult], out_dir: Path) -> dict:
    """The manifest of a build, before its outputs are listed (see :func:`write_manifest`).

    Parameters
    ----------
    cfg : Config
        The build's config.
    inputs : Inputs
        Its inputs: their files, checksums, rows and problems.
    results : list of CityResult
        The analysed cities.
    out_dir : Path
        The output folder (the config's ``output.dir`` as reported).

    Returns
    -------
    dict
        ``kotaku_map`` (version), ``dibuat``, ``config``, ``ambang_sliver``, ``masukan``,
        ``baris`` (:func:`rows_accounting`), ``kabkota`` and ``jumlah_masalah``.
    """
    base = base_folder(cfg)
    return {
        "kotaku_map": __version__,
        "dibuat": build_time().isoformat(),
        "config": config_as_reported(cfg, out_dir),
        "ambang_sliver": {
            "lebar_m": cfg.analysis.sliver_width_m,
            "luas_m2": cfg.analysis.sliver_area_m2,
        },
        "masukan": [
            {
                "peran": f.role,
                "berkas": shown_path(f.path, base),
                "layer": f.layer,
                "sha256": f.sha256,
            }
            for f in inputs.files
        ],
        "baris": rows_accounting(inputs, results),
        "kabkota": [r.ringkasan["kabkota"] for r in results],
        "jumlah_masalah": len(inputs.problems),
    }


def config_as_reported(cfg: Config, out_dir: Path) -> dict:
    """The resolved config for the manifest, its paths as the reports show them.

    ``output.dir`` is the folder really written (``-o`` included).

    Parameters
    ----------
    cfg : Config
        The build's config.
    out_dir : Path
        The output folder really written.

    Returns
    -------
    dict
        :meth:`Config.to_dict <kotaku_map.config.Config.to_dict>`, its paths shown by
        :func:`shown_path`.
    """
    base = base_folder(cfg)
    data = cfg.to_dict()
    sections = [data["boundaries"], *data["programs"], data["slum"]]
    for section in sections:
        if section is not None:
            section["path"] = shown_path(section["path"], base)
    if data["sync"] is not None:
        data["sync"]["workbook"] = shown_path(data["sync"]["workbook"], base)
    if data["path"] is not None:
        data["path"] = shown_path(data["path"], base)
    data["output"]["dir"] = shown_path(out_dir, base)
    return data


def rows_accounting(inputs: Inputs, results: list[CityResult]) -> dict[str, dict[str, int]]:
    """Per input: rows read = rows used + rows reported (and any row unaccounted for).

    Parameters
    ----------
    inputs : Inputs
        The build's inputs: the rows each file gave, and the problems report.
    results : list of CityResult
        The analysed cities: the source rows their layers kept.

    Returns
    -------
    dict of str to dict
        Per role (``batas``, a program, ``kumuh``): ``baris_dibaca``, ``baris_dipakai``,
        ``baris_dilaporkan`` and ``baris_hilang`` (0 when every row is accounted for).
        The SK workbook (rows by sheet, in ``masalah.csv``) is left out.
    """
    used: dict[str, set[int]] = {f.role: set() for f in inputs.files}
    used["batas"] = set(inputs.kelurahan[s.SUMBER_BARIS].astype(int))
    for r in results:
        for name in r.programs:
            sel = r.wilayah_kerja[r.wilayah_kerja[s.PROGRAM] == name]
            used[name] |= _source_rows(sel[s.SUMBER_BARIS])
        if "kumuh" in used:
            used["kumuh"] |= set(r.kumuh[s.SUMBER_BARIS].astype(int))
    out = {}
    for f in inputs.files:
        if not f.rows:  # the SK workbook: several sheets, its rows are in masalah.csv by sheet
            continue
        reported = inputs.problems.unused_rows(f.path, f.role)
        u = used.get(f.role, set())
        all_rows = set(f.rows)
        out[f.role] = {
            "baris_dibaca": len(all_rows),
            "baris_dipakai": len(u),
            "baris_dilaporkan": len(reported - u),
            "baris_hilang": len(all_rows - u - reported),
        }
    return out


def _source_rows(values: pd.Series) -> set[int]:
    """The source rows of work-area features: a number, or a list program's ``"4; 17"``."""
    return {int(v) for value in values for v in str(value).split(";")}


def base_folder(cfg: Config) -> Path:
    """The folder report paths are relative to: the config's, else the current one.

    Parameters
    ----------
    cfg : Config

    Returns
    -------
    Path
        Absolute.
    """
    return Path(os.path.abspath(cfg.path.parent if cfg.path is not None else "."))


def shown_path(path: str | os.PathLike[str], base: Path) -> str:
    """A path as the reports show it: relative to the config's folder, or absolute.

    Relative (``/``-separated) where it lies inside the config's folder: the same config
    then gives the same reports whatever folder it is built from.

    Parameters
    ----------
    path : str or path-like
        A file or folder.
    base : Path
        The config's folder (:func:`base_folder`), absolute.

    Returns
    -------
    str

    Examples
    --------
    >>> base = Path("/proyek")
    >>> shown_path("/proyek/data/batas.gpkg", base), shown_path("/lain/x.csv", base)
    ('data/batas.gpkg', '/lain/x.csv')
    """
    p = Path(os.path.abspath(path))
    try:
        return p.relative_to(base).as_posix()
    except ValueError:
        return str(p)


def write_manifest(manifest: dict, stage: Path) -> dict:
    """Write ``manifest.json`` listing every file in ``stage``; return it as written.

    Parameters
    ----------
    manifest : dict
        The manifest (not modified).
    stage : Path
        The folder being written: every file in it is listed under ``keluaran``, and
        ``manifest.json`` itself last.

    Returns
    -------
    dict
        The manifest as written.
    """
    outputs = sorted(str(p.relative_to(stage)) for p in stage.rglob("*") if p.is_file())
    manifest = {**manifest, "keluaran": outputs + ["manifest.json"]}
    write_json(manifest, stage / "manifest.json")
    return manifest
