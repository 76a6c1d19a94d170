"""One build, end to end: config -> inputs -> analysis -> (sync) -> outputs.

The CLI's ``kotaku-map build`` and the notebooks call :func:`build`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from . import schema as s
from ._version import __version__
from .analysis import analyse, summary_table
from .clock import build_time
from .config import Config, load_config
from .inputs import Inputs, load_inputs
from .jobs import auto_workers, run_jobs
from .results import CityResult
from .sync import CitySync, synchronise
from .writers import city_slugs, staged_output, write_city, write_json, write_table

__all__ = ["BuildResult", "Written", "build", "write_outputs"]


@dataclass(frozen=True)
class BuildResult:
    """What a build produced: the cities' results, the inputs and the manifest."""

    cities: list[CityResult]
    inputs: Inputs
    config: Config
    out_dir: Path
    manifest: dict = field(default_factory=dict)
    sync: dict[str, CitySync] = field(default_factory=dict)

    def __repr__(self) -> str:
        return (
            f"BuildResult({len(self.cities)} kab/kota, "
            f"{len(self.inputs.problems)} masalah, out_dir={str(self.out_dir)!r})"
        )

    def city(self, name_or_code: str) -> CityResult:
        """The result of one city, by code (``"33.75"``) or name (``"Kota Pekalongan"``)."""
        for r in self.cities:
            if name_or_code in (r.kode, r.nama):
                return r
        raise KeyError(f"no city {name_or_code!r}; cities are {[r.nama for r in self.cities]}")

    @property
    def summary(self) -> pd.DataFrame:
        """The kabupaten/kota level table."""
        return summary_table(self.cities)

    @property
    def problems(self) -> pd.DataFrame:
        """The problems report: every input row not used (or repaired), and why."""
        return self.inputs.problems.to_frame()

    @property
    def matches(self) -> pd.DataFrame:
        """The match report of every table input."""
        return self.inputs.matches

    def write_atlas(
        self,
        out_dir: str | Path | None = None,
        *,
        progress: bool = False,
        workers: int | None = None,
    ) -> list[Path]:
        """Write only the printed atlas (``atlas.pdf``, ``atlas/*.png``), atomically.

        Other files in the output folder are left as they are.

        Parameters
        ----------
        out_dir : str or Path, optional
            Default: the build's output folder.
        progress : bool
            Show a progress bar.
        workers : int, optional
            Worker processes (see :mod:`kotaku_map.jobs`).

        Returns
        -------
        list of Path
        """
        from .printing import write_atlas_files

        target = Path(out_dir) if out_dir is not None else self.out_dir
        with staged_output(target) as stage:
            paths = write_atlas_files(
                self.cities, self.inputs, self.config, stage, progress=progress, workers=workers
            )
            written = [target / p.relative_to(stage) for p in paths]
        return written

    def write(self, out_dir: str | Path | None = None) -> list[Path]:
        """Write every output (maps, tables, GeoPackages, manifest), atomically."""
        target = Path(out_dir) if out_dir is not None else self.out_dir
        return write_outputs(
            self.cities,
            self.inputs,
            self.config,
            target,
            manifest=self.manifest,
            synced=self.sync or None,
        ).paths


@dataclass(frozen=True)
class Written:
    """What :func:`write_outputs` wrote: the paths, the manifest, each city's seconds."""

    paths: list[Path]
    manifest: dict
    seconds: dict[str, float]


def build(
    config: Config | str | Path,
    *,
    output_dir: str | Path | None = None,
    progress: bool = False,
    write: bool = True,
    workers: int | None = None,
) -> BuildResult:
    """Run a whole build: load and match the inputs, analyse every city, write the outputs.

    Parameters
    ----------
    config : Config, str or Path
        A config, or the path of a TOML config.
    output_dir : str or Path, optional
        Overrides the config's ``[output] dir``.
    progress : bool
        Show a progress bar over the cities.
    write : bool
        Write the outputs (default); ``False`` only analyses.
    workers : int, optional
        Worker processes for the per-city work; by default the machine's cores for big
        builds (see :mod:`kotaku_map.jobs`).

    Returns
    -------
    BuildResult
    """
    t0 = time.perf_counter()
    cfg = config if isinstance(config, Config) else load_config(config)
    out_dir = (Path(output_dir) if output_dir is not None else cfg.output.dir).absolute()
    inputs = load_inputs(cfg)
    results = analyse(
        inputs.kelurahan,
        inputs.programs,
        inputs.slum,
        sliver_width_m=cfg.analysis.sliver_width_m,
        sliver_area_m2=cfg.analysis.sliver_area_m2,
        min_presence_ha=cfg.analysis.min_presence_ha,
        problems=inputs.problems,
        sources=inputs.sources,
        progress=progress,
        workers=workers,
    )
    synced = {}
    if cfg.sync is not None and inputs.sync is not None:
        synced = synchronise(
            inputs.sync, cfg.sync, inputs.kelurahan, results, problems=inputs.problems
        )
    manifest = _manifest(cfg, inputs, results)
    if write:
        written = write_outputs(
            results,
            inputs,
            cfg,
            out_dir,
            manifest=manifest,
            progress=progress,
            workers=workers,
            synced=synced,
        )
        manifest = written.manifest
        results = [
            replace(r, seconds={**r.seconds, "tulis": written.seconds[r.kode]}) for r in results
        ]
    manifest = {**manifest, "detik_analisis_dan_tulis": round(time.perf_counter() - t0, 3)}
    return BuildResult(results, inputs, cfg, out_dir, manifest, synced)


def _rows_accounting(inputs: Inputs, results: list[CityResult]) -> dict[str, dict[str, int]]:
    """Per input: rows read = rows used + rows reported (and any row unaccounted for)."""
    used: dict[str, set[int]] = {f.role: set() for f in inputs.files}
    used["batas"] = set(inputs.kelurahan[s.SUMBER_BARIS].astype(int))
    for r in results:
        for name in r.programs:
            sel = r.wilayah_kerja[r.wilayah_kerja[s.PROGRAM] == name]
            used[name] |= set(sel[s.SUMBER_BARIS].astype(int))
        if "kumuh" in used:
            used["kumuh"] |= set(r.kumuh[s.SUMBER_BARIS].astype(int))
    out = {}
    for f in inputs.files:
        if not f.rows:  # the SK workbook: several sheets, its rows are in masalah.csv by sheet
            continue
        reported = inputs.problems.unused_rows(f.path)
        u = used.get(f.role, set())
        all_rows = set(f.rows)
        out[f.role] = {
            "baris_dibaca": len(all_rows),
            "baris_dipakai": len(u),
            "baris_dilaporkan": len(reported - u),
            "baris_hilang": len(all_rows - u - reported),
        }
    return out


def _manifest(cfg: Config, inputs: Inputs, results: list[CityResult]) -> dict:
    return {
        "kotaku_map": __version__,
        "dibuat": build_time().isoformat(),
        "config": cfg.to_dict(),
        "ambang_sliver": {
            "lebar_m": cfg.analysis.sliver_width_m,
            "luas_m2": cfg.analysis.sliver_area_m2,
        },
        "masukan": [
            {"peran": f.role, "berkas": f.path, "layer": f.layer, "sha256": f.sha256}
            for f in inputs.files
        ],
        "baris": _rows_accounting(inputs, results),
        "kabkota": [r.ringkasan["kabkota"] for r in results],
        "jumlah_masalah": len(inputs.problems),
    }


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
) -> Written:
    """Write every output of a build into ``out_dir``, atomically (see :mod:`.writers`).

    Parameters
    ----------
    results : list of CityResult
    inputs : Inputs
    cfg : Config
    out_dir : Path
    manifest : dict
        The build's manifest; written with the list of outputs added (not modified).
    progress : bool
        Show a progress bar over the cities.
    workers : int, optional
        Worker processes (see :mod:`kotaku_map.jobs`).
    synced : dict of str to CitySync, optional
        What ``[sync]`` adds, per city code.

    Returns
    -------
    Written
    """
    slugs = city_slugs(results)
    written: list[Path] = []
    sources = tuple(f"{f.role}: {Path(f.path).name}" for f in inputs.files)
    synced = synced or {}
    seconds: dict[str, float] = {}
    with staged_output(out_dir) as stage:
        maps = {r.kode: f"{slugs[r.kode]}/peta.html" for r in results} if cfg.output.maps else {}
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
        shapes = {}
        done = run_jobs(
            _write_city_job,
            jobs,
            workers=n_workers,
            progress=progress,
            desc="menulis",
            sizes=[len(r.kelurahan) for r in results],
        )
        for r, (paths, shape, took) in zip(results, done, strict=True):
            written += paths
            shapes[r.kode] = shape
            seconds[r.kode] = took
        written += _write_build_tables(results, inputs, cfg, stage)
        if cfg.output.atlas and results:
            from .printing import write_atlas_files

            written += write_atlas_files(
                results, inputs, cfg, stage, progress=progress, workers=workers
            )
        if cfg.output.maps and results:
            from .render import overview_figures, write_overview

            extra = {k: overview_figures(v, cfg.output.lang) for k, v in synced.items()} or None
            write_overview(
                results,
                stage / "index.html",
                links=maps,
                lang=cfg.output.lang,
                shapes=shapes,
                extra_columns=extra,
            )
        outputs = sorted(str(p.relative_to(stage)) for p in stage.rglob("*") if p.is_file())
        manifest = {**manifest, "keluaran": outputs + ["manifest.json"]}
        write_json(manifest, stage / "manifest.json")
    return Written([out_dir / p for p in manifest["keluaran"]], manifest, seconds)


def _write_build_tables(
    results: list[CityResult], inputs: Inputs, cfg: Config, stage: Path
) -> list[Path]:
    """The build's own tables: kab/kota summary, problems report, match report."""
    paths = write_table(
        summary_table(results), stage / "ringkasan_kabkota", xlsx=cfg.output.xlsx, sheet="kabkota"
    )
    inputs.problems.to_frame().to_csv(stage / "masalah.csv", index=False, encoding="utf-8-sig")
    paths.append(stage / "masalah.csv")
    if len(inputs.matches):
        paths += write_table(
            inputs.matches, stage / "pencocokan", xlsx=cfg.output.xlsx, sheet="pencocokan"
        )
    return paths


def _write_city_job(
    result: CityResult,
    folder: Path,
    cfg: Config,
    sources: tuple[str, ...],
    synced: CitySync | None = None,
) -> tuple[list[Path], tuple | None, float]:
    """Write one city's GeoPackage, tables and map (a job for :func:`run_jobs`).

    Returns the paths written, the city's outline for the overview map (drawn here, in
    the worker, rather than for every city in turn at the end) and the seconds it took.
    """
    t0 = time.perf_counter()
    paths = write_city(result, folder, xlsx=cfg.output.xlsx)
    if synced is not None:
        from .writers import write_reconciliation

        paths += write_reconciliation(
            synced.table,
            synced.differences,
            folder,
            gpkg=folder / f"{folder.name}.gpkg",
            xlsx=cfg.output.xlsx,
            extra_tables=synced.tables,
            kelurahan=result.kelurahan,
        )
    shape = None
    if cfg.output.maps:
        from .render import city_extras, city_map, city_shape, display_shapes, save_map

        lang = cfg.output.lang
        extras = city_extras(result, synced, lang=lang) if synced is not None else []
        # simplified and dissolved once: the map draws them, the overview takes the outline
        shapes = display_shapes(result, cfg.output.simplify_m)
        outline = shapes.outline.geometry.iloc[0] if len(shapes.outline) else None
        shape = city_shape(result, outline=outline)
        page = city_map(
            result,
            lang=lang,
            simplify_m=cfg.output.simplify_m,
            title=cfg.title,
            sources=sources,
            extras=extras,
            display=shapes,
        )
        save_map(page, folder / "peta.html", size_budget_mb=cfg.output.map_size_budget_mb)
        paths.append(folder / "peta.html")
    return paths, shape, round(time.perf_counter() - t0, 3)
