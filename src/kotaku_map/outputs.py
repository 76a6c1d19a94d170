"""Writing a build's outputs: every file, into a staging folder swapped in whole.

:func:`write_outputs` writes each city's folder (GeoPackage, tables, map) in worker
processes, the build's own tables (``ringkasan_kabkota``, ``masalah.csv``,
``pencocokan``), the overview ``index.html``, the atlas if asked for, and
``manifest.json``; :func:`write_atlas_outputs` adds the atlas to the build already in a
folder. The words and styles people read come from :mod:`kotaku_map.desk`, the files are
written by :mod:`kotaku_map.writers`, the maps drawn by :mod:`kotaku_map.render`.
"""

from __future__ import annotations

import json
import os
import shutil
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd

from . import schema as s
from .analysis import analyse_city_job, summary_table
from .cities import city_identity
from .city_files import write_city_job
from .config import Config
from .desk import illustrative_inputs, sheet_text, shown_sources
from .inputs import Inputs
from .jobs import auto_workers, run_jobs
from .manifest import base_folder, config_as_reported, shown_path, write_manifest
from .results import CityResult
from .sync import CitySync
from .writers import (
    MARKER,
    city_slugs,
    staged_output,
    write_table,
)

__all__ = [
    "Written",
    "analyse_and_write",
    "input_paths",
    "write_atlas_outputs",
    "write_outputs",
]


@dataclass(frozen=True)
class Written:
    """What :func:`write_outputs` wrote: the paths, the manifest, each city's seconds.

    Parameters
    ----------
    paths : list of Path
        Every file written.
    manifest : dict
        The manifest as written (with ``keluaran``, the list of outputs).
    seconds : dict of str to float
        Wall seconds each city's writing took, by city code.
    """

    paths: list[Path]
    manifest: dict
    seconds: dict[str, float]


def write_outputs(
    results: list[CityResult],
    inputs: Inputs,
    cfg: Config,
    out_dir: Path,
    *,
    manifest: dict,
    progress: bool = False,
    workers: int | None = None,
    synced: dict[str, CitySync] | None = None,
    force: bool = False,
) -> Written:
    """Write every output of a build into ``out_dir``, replacing it whole, atomically.

    Each city's folder (GeoPackage, tables, map), the build's tables (``ringkasan_kabkota``,
    ``masalah.csv``, ``pencocokan``), the overview ``index.html`` and ``manifest.json``
    are written into a staging folder, which replaces ``out_dir`` only once all are there
    (:func:`kotaku_map.writers.staged_output`): ``out_dir`` then holds exactly this build.

    Parameters
    ----------
    results : list of CityResult
        The analysed cities (:func:`kotaku_map.analysis.analyse`).
    inputs : Inputs
        The build's inputs: their problems and match reports are written too.
    cfg : Config
        The config: its ``[output]`` options and title.
    out_dir : Path
        The output folder: new, empty, or made by kotaku-map (unless ``force``); it must
        not hold an input.
    manifest : dict
        The build's manifest; written with the output folder and the list of outputs
        (the dict given is not modified).
    progress : bool
        Show a progress bar over the cities.
    workers : int, optional
        Worker processes (see :mod:`kotaku_map.jobs`).
    synced : dict of str to CitySync, optional
        What ``[sync]`` adds, per city code.
    force : bool
        Replace a non-empty folder that kotaku-map did not make.

    Returns
    -------
    Written
        The paths written (in ``out_dir``), the manifest as written, and the seconds
        each city's outputs took, by city code.

    Raises
    ------
    kotaku_map.errors.OutputError
        If ``out_dir`` is refused or locked (see :func:`kotaku_map.writers.claim_output`).
    """
    slugs = city_slugs(results)
    sources = _source_names(inputs)
    synced = synced or {}
    out_dir = Path(out_dir).absolute()
    inputs_read = input_paths(cfg, inputs)
    with (
        staged_output(out_dir, inputs=inputs_read, force=force) as stage,
        _warnings_naming(stage, out_dir),
    ):
        shapes, seconds = _write_cities(
            results,
            cfg,
            stage,
            slugs,
            sources=sources,
            synced=synced,
            progress=progress,
            workers=workers,
        )
        manifest = _write_build_files(
            results,
            inputs,
            cfg,
            stage,
            out_dir=out_dir,
            slugs=slugs,
            shapes=shapes,
            manifest=manifest,
            sources=sources,
            synced=synced,
            progress=progress,
            workers=workers,
        )
    return Written([out_dir / p for p in manifest["keluaran"]], manifest, seconds)


def analyse_and_write(
    jobs: list[dict[str, Any]],
    inputs: Inputs,
    cfg: Config,
    out_dir: Path,
    *,
    manifest_of: Callable[[list[CityResult]], dict],
    analysed: Callable[[list[CityResult]], None] = lambda results: None,
    progress: bool = False,
    workers: int | None = None,
    force: bool = False,
) -> tuple[list[CityResult], Written]:
    """Analyse every city and write its folder in the same job; then the build's own files.

    What :func:`kotaku_map.analysis.analyse` and then :func:`write_outputs` do, with one
    pool of workers instead of two: a worker writes the city it has just analysed, so the
    city's layers are not kept by the parent for a second worker to read (and copy, page by
    page, into its own memory), and no worker waits for the slowest city in between. The
    outputs are the same, byte for byte. A build with ``[sync]``, which needs every city
    before it writes one, analyses first and writes after.

    Parameters
    ----------
    jobs : list of dict
        The cities to analyse (:func:`kotaku_map.cities.city_jobs`).
    inputs : Inputs
        The build's inputs, loaded and matched.
    cfg : Config
        The config.
    out_dir : Path
        The output folder (see :func:`write_outputs`).
    manifest_of : callable
        The build's manifest, from the analysed cities.
    analysed : callable, optional
        Called with the analysed cities before the build's own tables are written (e.g.
        to add to the problems report).
    progress : bool
        Show a progress bar over the cities.
    workers : int, optional
        Worker processes (see :mod:`kotaku_map.jobs`).
    force : bool
        Replace a non-empty folder that kotaku-map did not make.

    Returns
    -------
    results : list of CityResult
        The analysed cities, sorted by code, their ``seconds`` with ``tulis``.
    written : Written
        What was written.
    """
    # every job holds the same kelurahan layer: its three identifying columns, taken once
    ident = jobs[0]["kel"][[s.KODE, s.KABKOTA, s.KODE_KABKOTA]] if jobs else None
    named = [
        SimpleNamespace(kode=k, nama=n)
        for k, n in (city_identity(ident.iloc[j["rows"]]) for j in jobs)
    ]
    slugs = city_slugs(named)
    sources = _source_names(inputs)
    out_dir = Path(out_dir).absolute()
    with (
        staged_output(out_dir, inputs=input_paths(cfg, inputs), force=force) as stage,
        _warnings_naming(stage, out_dir),
    ):
        done = run_jobs(
            _analyse_and_write_city_job,
            [
                {"job": j, "folder": stage / slugs[c.kode], "cfg": cfg, "sources": sources}
                for j, c in zip(jobs, named, strict=True)
            ],
            workers=auto_workers(workers, kelurahan=len(inputs.kelurahan), cities=len(jobs)),
            progress=progress,
            desc="kab/kota",
            sizes=[len(j["rows"]) for j in jobs],
        )
        results, shapes, seconds = _gathered(done, named)
        analysed(results)
        manifest = _write_build_files(
            results,
            inputs,
            cfg,
            stage,
            out_dir=out_dir,
            slugs=slugs,
            shapes=shapes,
            manifest=manifest_of(results),
            sources=sources,
            synced={},
            progress=progress,
            workers=workers,
        )
    return results, Written([out_dir / p for p in manifest["keluaran"]], manifest, seconds)


def _analyse_and_write_city_job(
    job: dict[str, Any], folder: Path, cfg: Config, sources: tuple[str, ...]
) -> tuple[CityResult, tuple]:
    """Analyse one city and write its folder (a job for :func:`run_jobs`)."""
    result = analyse_city_job(**job)
    return result, write_city_job(result, folder, cfg, sources)


def _gathered(
    done: list[tuple[CityResult, tuple]], named: list[SimpleNamespace]
) -> tuple[list[CityResult], dict[str, tuple | None], dict[str, float]]:
    """The cities as analysed (with their writing seconds), their outlines, their seconds."""
    results, shapes, seconds = [], {}, {}
    for (result, (_paths, shape, took, given)), city in zip(done, named, strict=True):
        if (result.kode, result.nama) != (city.kode, city.nama):  # its folder's name
            raise RuntimeError(f"city {result.kode} analysed as {city.kode}: a bug, report it")
        results.append(replace(result, seconds={**result.seconds, "tulis": took}))
        shapes[result.kode], seconds[result.kode] = shape, took
        for w in given:  # given in a worker process: given again here
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return results, shapes, seconds


def _write_build_files(
    results: list[CityResult],
    inputs: Inputs,
    cfg: Config,
    stage: Path,
    *,
    out_dir: Path,
    slugs: dict[str, str],
    shapes: dict[str, tuple | None],
    manifest: dict,
    sources: tuple[str, ...],
    synced: dict[str, CitySync],
    progress: bool,
    workers: int | None,
) -> dict:
    """The build's tables, atlas, overview and manifest, once every city is written.

    ``slugs`` and ``shapes`` are the city folders and outlines; returns the manifest as
    written.
    """
    _write_build_tables(results, inputs, cfg, stage)
    if cfg.output.atlas and results:
        from .printing import write_atlas_files

        write_atlas_files(results, inputs, cfg, stage, progress=progress, workers=workers)
    if cfg.output.maps and results:
        _write_overview_page(
            results, cfg, stage, slugs, shapes=shapes, synced=synced, sources=sources
        )
    manifest = {**manifest, "config": config_as_reported(cfg, out_dir)}
    return write_manifest(manifest, stage)


def write_atlas_outputs(
    results: list[CityResult],
    inputs: Inputs,
    cfg: Config,
    out_dir: str | Path,
    *,
    progress: bool = False,
    workers: int | None = None,
    force: bool = False,
) -> list[Path]:
    """Write the printed atlas (``atlas.pdf``, ``atlas/*.png``) into an output folder.

    The folder is replaced whole, as by :func:`write_outputs`: the files of the build that
    is there (its maps, tables, manifest) are kept in the new folder, the atlas of an
    earlier run is not; the manifest, if there is one, lists the atlas too.

    Parameters
    ----------
    results : list of CityResult
        The analysed cities.
    inputs : Inputs
        The build's inputs.
    cfg : Config
        The config: its ``[output]`` atlas options and title.
    out_dir : str or Path
        The output folder.
    progress : bool
        Show a progress bar.
    workers : int, optional
        Worker processes (see :mod:`kotaku_map.jobs`).
    force : bool
        Write into a non-empty folder that kotaku-map did not make.

    Returns
    -------
    list of Path
        ``atlas.pdf`` first, then the PNGs, in the output folder.
    """
    from .printing import write_atlas_files

    target = Path(out_dir).absolute()
    with staged_output(target, inputs=input_paths(cfg, inputs), force=force) as stage:
        _keep_build(target, stage, leave=("atlas", "atlas.pdf"))
        paths = write_atlas_files(results, inputs, cfg, stage, progress=progress, workers=workers)
        written = [target / p.relative_to(stage) for p in paths]
        if (stage / "manifest.json").is_file():
            manifest = json.loads((stage / "manifest.json").read_text(encoding="utf-8"))
            (stage / "manifest.json").unlink()
            write_manifest(manifest, stage)
    return written


def input_paths(cfg: Config, inputs: Inputs | None = None) -> list[Path]:
    """Every file the build reads (and its config): the output folder must hold none.

    Parameters
    ----------
    cfg : Config
        The config: its inputs and its own file.
    inputs : Inputs, optional
        The loaded inputs: the files they named too.

    Returns
    -------
    list of Path
    """
    paths = [cfg.boundaries.path] + [p.path for p in cfg.programs]
    paths += [cfg.slum.path] if cfg.slum is not None else []
    paths += [cfg.sync.workbook] if cfg.sync is not None else []
    paths += [cfg.path] if cfg.path is not None else []
    paths += [Path(f.path) for f in inputs.files] if inputs is not None else []
    return paths


@contextmanager
def _warnings_naming(stage: Path, out_dir: Path) -> Iterator[None]:
    """Warnings given while writing name the output folder, not the staging folder.

    (A map over its size budget names the file where it will be.) They are given again
    before the folder is replaced, so a warning that is an error stops the build whole.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for w in caught:
        _warn_again(w, stage, out_dir)


def _warn_again(w: warnings.WarningMessage, stage: Path, out_dir: Path) -> None:
    """Give a recorded warning again, its staging paths replaced by the output folder's."""
    text = str(w.message).replace(str(stage), str(out_dir))
    warnings.warn_explicit(text, w.category, w.filename, w.lineno)


def _write_cities(
    results: list[CityResult],
    cfg: Config,
    stage: Path,
    slugs: dict[str, str],
    *,
    sources: tuple[str, ...],
    synced: dict[str, CitySync],
    progress: bool,
    workers: int | None,
) -> tuple[dict[str, tuple | None], dict[str, float]]:
    """Write each city's folder, in worker processes; return its outline and its seconds."""
    jobs = [
        {
            "result": r,
            "folder": stage / slugs[r.kode],
            "cfg": cfg,
            "sources": sources,
            "synced": synced.get(r.kode),
        }
        for r in results
    ]
    n_workers = auto_workers(
        workers, kelurahan=sum(len(r.kelurahan) for r in results), cities=len(results)
    )
    done = run_jobs(
        write_city_job,
        jobs,
        workers=n_workers,
        progress=progress,
        desc="menulis",
        sizes=[len(r.kelurahan) for r in results],
    )
    shapes, seconds = {}, {}
    for r, (_paths, shape, took, given) in zip(results, done, strict=True):
        shapes[r.kode] = shape
        seconds[r.kode] = took
        for w in given:  # given in a worker process: given again here
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return shapes, seconds


def _write_overview_page(
    results: list[CityResult],
    cfg: Config,
    stage: Path,
    slugs: dict[str, str],
    *,
    shapes: dict[str, tuple | None],
    synced: dict[str, CitySync],
    sources: tuple[str, ...],
) -> None:
    """Write ``index.html``: every city on one map, linked to its own map."""
    from .render import overview_figures, write_overview

    extra = {k: overview_figures(v, cfg.output.lang) for k, v in synced.items()} or None
    write_overview(
        results,
        stage / "index.html",
        links={r.kode: f"{slugs[r.kode]}/peta.html" for r in results},
        lang=cfg.output.lang,
        shapes=shapes,
        extra_columns=extra,
        simplify_m=cfg.output.overview_simplify_m,
        size_budget_mb=cfg.output.map_size_budget_mb,
        sources=shown_sources(cfg, sources),
        illustrative=bool(illustrative_inputs(cfg)),
    )


def _keep_build(out: Path, stage: Path, *, leave: Sequence[str]) -> None:
    """Hard-link (or copy) the files of the build in ``out`` into ``stage``, but ``leave``.

    A folder kotaku-map did not make gives nothing (:func:`staged_output` has checked it).
    """
    if not (out / MARKER).is_file():
        return
    for src in sorted(out.rglob("*")):
        rel = src.relative_to(out)
        if rel.parts[0] in leave or rel.name == MARKER or not src.is_file():
            continue
        dst = stage / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)


def _write_build_tables(
    results: list[CityResult], inputs: Inputs, cfg: Config, stage: Path
) -> list[Path]:
    """The build's own tables: kab/kota summary, problems report, match report."""
    summary = summary_table(results)
    programs = [p.name for p in cfg.programs]
    illustrative = bool(illustrative_inputs(cfg))
    texts = {
        name: sheet_text(
            df, name, lang=cfg.output.lang, programs=programs, illustrative=illustrative
        )
        for name, df in (("ringkasan", summary), ("pencocokan", inputs.matches))
    }
    paths = write_table(
        summary,
        stage / "ringkasan_kabkota",
        xlsx=cfg.output.xlsx,
        sheet="kabkota",
        text=texts["ringkasan"],
    )
    base = base_folder(cfg)
    paths += write_table(
        _with_shown_paths(inputs.problems.to_frame(), base), stage / "masalah", xlsx=False
    )
    # always written: a build without table inputs says so with an empty report
    paths += write_table(
        _with_shown_paths(inputs.matches, base),
        stage / "pencocokan",
        xlsx=cfg.output.xlsx,
        sheet="pencocokan",
        text=texts["pencocokan"],
    )
    return paths


def _source_names(inputs: Inputs) -> tuple[str, ...]:
    """``"role: file"`` of every input, as the cities' footers and metadata name them."""
    return tuple(f"{f.role}: {Path(f.path).name}" for f in inputs.files)


def _with_shown_paths(table: pd.DataFrame, base: Path) -> pd.DataFrame:
    """The table with its ``berkas`` column relative to the config's folder."""
    shown = {b: shown_path(b, base) for b in table["berkas"].dropna().unique()}
    return table.assign(berkas=table["berkas"].map(lambda b: shown.get(b, b)))
