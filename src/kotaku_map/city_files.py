"""One city's folder: its tables, its styled GeoPackage and QGIS project, its map.

:func:`write_city_job` writes it (a job for :func:`kotaku_map.jobs.run_jobs`, in a worker
or in the build's own process) and returns the city's outline for the overview map.
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import pandas as pd

from .config import Config
from .desk import illustrative_inputs, sheet_text, shown_sources, style_gpkg
from .results import CityResult
from .sync import CitySync
from .writers import SheetText, write_city

__all__ = ["write_city_job"]


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


def write_city_job(
    result: CityResult,
    folder: Path,
    cfg: Config,
    sources: tuple[str, ...],
    synced: CitySync | None = None,
) -> tuple[list[Path], tuple | None, float, list[warnings.WarningMessage]]:
    """Write one city's GeoPackage, tables and map (a job for :func:`kotaku_map.jobs.run_jobs`).

    Parameters
    ----------
    result : CityResult
        The city.
    folder : Path
        Its folder (made if missing); the GeoPackage and the QGIS project take its name.
    cfg : Config
        The config: its ``[output]`` options and title.
    sources : tuple of str
        ``"role: file"`` of every input, for the footers and metadata.
    synced : CitySync, optional
        What ``[sync]`` adds to the city.

    Returns
    -------
    paths : list of Path
        The files written.
    shape : tuple or None
        The city's outline and label point for the overview map (drawn here, in the
        worker, rather than for every city in turn at the end).
    seconds : float
        Wall seconds it took.
    given : list of warnings.WarningMessage
        The warnings given (a worker process's own would be lost).
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
