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
import time
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .analysis import summary_table
from .config import Config
from .desk import illustrative_inputs, sheet_text, shown_sources, style_gpkg
from .inputs import Inputs
from .jobs import auto_workers, run_jobs
from .manifest import base_folder, config_as_reported, shown_path, write_manifest
from .results import CityResult
from .sync import CitySync
from .writers import (
    MARKER,
    SheetText,
    city_slugs,
    staged_output,
    write_city,
    write_table,
)

__all__ = ["Written", "input_paths", "write_atlas_outputs", "write_outputs"]


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
    sources = tuple(f"{f.role}: {Path(f.path).name}" for f in inputs.files)
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
        _write_build_tables(results, inputs, cfg, stage)
        if cfg.output.atlas and results:
            from .printing import write_atlas_files

            write_atlas_files(results, inputs, cfg, stage, progress=progress, workers=workers)
        if cfg.output.maps and results:
            _write_overview_page(
                results, cfg, stage, slugs, shapes=shapes, synced=synced, sources=sources
            )
        manifest = {**manifest, "config": config_as_reported(cfg, out_dir)}
        manifest = write_manifest(manifest, stage)
    return Written([out_dir / p for p in manifest["keluaran"]], manifest, seconds)


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
        _write_city_job,
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


def _write_city_tables(
    result: CityResult,
    folder: Path,
    cfg: Config,
    sources: tuple[str, ...],
    synced: CitySync | None,
) -> list[Path]:
    """Write a city's tables and GeoPackage, styled and described (:mod:`.desk`).

    With ``[sync]``, its layers and tables too.
    """
    gpkg = folder / f"{folder.name}.gpkg"
    illustrative = bool(illustrative_inputs(cfg))

    def words(df: pd.DataFrame, table: str) -> SheetText:
        return sheet_text(
            df,
            table,
            lang=cfg.output.lang,
            programs=result.programs,
            place=result.nama,
            illustrative=illustrative,
        )

    paths = write_city(
        result,
        folder,
        xlsx=cfg.output.xlsx,
        text=words(result.table, "kelurahan"),
        lingkungan_text=words(result.lingkungan, "lingkungan"),
    )
    if synced is not None:
        from .writers import write_reconciliation

        tables = {"sinkronisasi": synced.table, **synced.tables}
        paths += write_reconciliation(
            synced.table,
            synced.differences,
            folder,
            gpkg=gpkg,
            xlsx=cfg.output.xlsx,
            extra_tables=synced.tables,
            kelurahan=result.kelurahan,
            texts={name: words(df, name) for name, df in tables.items()},
        )
    paths.append(style_gpkg(result, gpkg, cfg, sources=sources, synced=synced))
    return paths


def _with_shown_paths(table: pd.DataFrame, base: Path) -> pd.DataFrame:
    """The table with its ``berkas`` column relative to the config's folder."""
    shown = {b: shown_path(b, base) for b in table["berkas"].dropna().unique()}
    return table.assign(berkas=table["berkas"].map(lambda b: shown.get(b, b)))


def _write_city_job(
    result: CityResult,
    folder: Path,
    cfg: Config,
    sources: tuple[str, ...],
    synced: CitySync | None = None,
) -> tuple[list[Path], tuple | None, float, list[warnings.WarningMessage]]:
    """Write one city's GeoPackage, tables and map (a job for :func:`run_jobs`).

    Returns the paths written, the city's outline for the overview map (drawn here, in
    the worker, rather than for every city in turn at the end), the seconds it took and
    the warnings given (a worker process's own would be lost).
    """
    with warnings.catch_warnings(record=True) as given:
        warnings.simplefilter("always")
        paths, shape, took = _write_city_files(result, folder, cfg, sources, synced)
    return paths, shape, took, given


def _write_city_files(
    result: CityResult,
    folder: Path,
    cfg: Config,
    sources: tuple[str, ...],
    synced: CitySync | None,
) -> tuple[list[Path], tuple | None, float]:
    """Write one city's files; return them, its outline and the seconds it took."""
    t0 = time.perf_counter()
    paths = _write_city_tables(result, folder, cfg, sources, synced)
    shape = None
    if cfg.output.maps:
        from .render import city_extras, city_map, city_shape, display_shapes, save_map

        lang = cfg.output.lang
        extras = city_extras(result, synced, lang=lang) if synced is not None else []
        # simplified and dissolved once: the map draws them, the overview takes the outline
        shapes = display_shapes(result, cfg.output.simplify_m)
        outline = shapes.outline.geometry.iloc[0] if len(shapes.outline) else None
        shape = city_shape(result, cfg.output.overview_simplify_m, outline=outline)
        page = city_map(
            result,
            lang=lang,
            simplify_m=cfg.output.simplify_m,
            title=cfg.title,
            sources=shown_sources(cfg, sources),
            illustrative=bool(illustrative_inputs(cfg)),
            extras=extras,
            display=shapes,
        )
        save_map(page, folder / "peta.html", size_budget_mb=cfg.output.map_size_budget_mb)
        paths.append(folder / "peta.html")
    return paths, shape, round(time.perf_counter() - t0, 3)
