"""One build, end to end: config -> inputs -> analysis -> (sync) -> outputs.

The CLI's ``kotaku-map build`` and the notebooks call :func:`build`; what it gives back is a
:class:`BuildResult` (the cities, the inputs, the manifest), which can write its outputs
again elsewhere or add the atlas. The outputs are written by :mod:`kotaku_map.outputs`,
the manifest made by :mod:`kotaku_map.manifest`.
"""

from __future__ import annotations

import time
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from .analysis import analyse, summary_table
from .cities import city_jobs
from .clock import build_time
from .config import Config, load_config
from .errors import OutputError
from .inputs import Inputs, load_inputs
from .jobs import check_workers
from .lingkungan import report_repeated_ids
from .manifest import build_manifest
from .outputs import analyse_and_write, input_paths, write_atlas_outputs, write_outputs
from .results import CityResult
from .sync import CitySync, synchronise
from .writers import claim_output

__all__ = ["BuildResult", "build"]


@dataclass(frozen=True)
class BuildResult:
    """What a build produced: the cities' results, the inputs and the manifest.

    Parameters
    ----------
    cities : list of CityResult
        One per kab/kota, sorted by code.
    inputs : Inputs
        The loaded inputs, with the match and problems reports.
    config : Config
    out_dir : Path
        Where the outputs are (or would be) written.
    manifest : dict
        Inputs with checksums, row accounting, resolved config, thresholds, version.
    sync : dict of str to CitySync
        What ``[sync]`` added, per city code (empty without ``[sync]``).
    """

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
        """The result of one city, by code (``"33.75"``) or name (``"Kota Pekalongan"``).

        Parameters
        ----------
        name_or_code : str

        Returns
        -------
        CityResult

        Raises
        ------
        KeyError
            If no city has that code or name.
        """
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

    def write(self, out_dir: str | Path | None = None, *, force: bool = False) -> list[Path]:
        """Write every output (maps, tables, GeoPackages, manifest), atomically.

        Parameters
        ----------
        out_dir : str or Path, optional
            Default: the build's ``out_dir``. Replaced whole (see
            :func:`~kotaku_map.outputs.write_outputs`).
        force : bool
            Replace a non-empty folder that kotaku-map did not make.

        Returns
        -------
        list of Path
            Every file written.
        """
        target = Path(out_dir) if out_dir is not None else self.out_dir
        return write_outputs(
            self.cities,
            self.inputs,
            self.config,
            target,
            manifest=self.manifest,
            synced=self.sync or None,
            force=force,
        ).paths

    def write_atlas(
        self,
        out_dir: str | Path | None = None,
        *,
        progress: bool = False,
        workers: int | None = None,
        force: bool = False,
    ) -> list[Path]:
        """Write the printed atlas (``atlas.pdf``, ``atlas/*.png``) into the output folder.

        The folder is replaced whole, as by :meth:`write`: the files of the build that is
        there (its maps, tables, manifest) are kept in the new folder, the atlas of an
        earlier run is not; the manifest, if there is one, lists the atlas too.

        Parameters
        ----------
        out_dir : str or Path, optional
            Default: the build's output folder.
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
        target = out_dir if out_dir is not None else self.out_dir
        return write_atlas_outputs(
            self.cities,
            self.inputs,
            self.config,
            target,
            progress=progress,
            workers=workers,
            force=force,
        )


def build(
    config: Config | str | Path,
    *,
    output_dir: str | Path | None = None,
    progress: bool = False,
    write: bool = True,
    workers: int | None = None,
    force: bool = False,
) -> BuildResult:
    """Run a whole build: load and match the inputs, analyse every city, write the outputs.

    The output folder is checked and locked before anything is read (see
    :func:`kotaku_map.writers.claim_output`): an input's folder, a filesystem root, the
    home folder, a file, a folder another build is writing into, and (without ``force``)
    a non-empty folder kotaku-map did not make are refused at once.

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
        Worker processes for the per-city work, 1 to
        :func:`kotaku_map.jobs.max_workers`; by default the machine's cores for big
        builds (see :mod:`kotaku_map.jobs`).
    force : bool
        Replace a non-empty output folder that kotaku-map did not make.

    Returns
    -------
    BuildResult

    Raises
    ------
    kotaku_map.errors.KotakuMapError
        A config, input or output folder that cannot be used (one line, naming it).
    """
    t0 = time.perf_counter()
    cfg = config if isinstance(config, Config) else load_config(config)
    if output_dir is not None and not str(output_dir).strip():
        raise OutputError("the output folder is empty (''); name a folder, e.g. -o output")
    out_dir = (Path(output_dir) if output_dir is not None else cfg.output.dir).absolute()
    check_workers(workers)
    build_time()  # a malformed SOURCE_DATE_EPOCH is refused before any work
    claim = claim_output(out_dir, inputs=input_paths(cfg), force=force) if write else nullcontext()
    with claim:
        if write and cfg.sync is None:  # each city analysed and written in one job
            inputs = load_inputs(cfg)
            results, written = analyse_and_write(
                city_jobs(**_analysis_args(cfg, inputs)),
                inputs,
                cfg,
                out_dir,
                manifest_of=lambda cities: build_manifest(cfg, inputs, cities, out_dir),
                analysed=lambda cities: _report_repeated_ids(cfg, inputs, cities),
                progress=progress,
                workers=workers,
                force=force,
            )
            manifest = {**written.manifest, "detik_analisis_dan_tulis": _since(t0)}
            return BuildResult(results, inputs, cfg, out_dir, manifest, {})
        inputs, results, synced = _analyse(cfg, progress=progress, workers=workers)
        manifest = build_manifest(cfg, inputs, results, out_dir)
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
                force=force,
            )
            manifest = written.manifest
            results = [
                replace(r, seconds={**r.seconds, "tulis": written.seconds[r.kode]}) for r in results
            ]
    manifest = {**manifest, "detik_analisis_dan_tulis": _since(t0)}
    return BuildResult(results, inputs, cfg, out_dir, manifest, synced)


def _since(t0: float) -> float:
    return round(time.perf_counter() - t0, 3)


def _analysis_args(cfg: Config, inputs: Inputs) -> dict[str, Any]:
    """What the analysis of every city takes from the config and the inputs."""
    return {
        "kelurahan": inputs.kelurahan,
        "programs": inputs.programs,
        "slum": inputs.slum,
        "sliver_width_m": cfg.analysis.sliver_width_m,
        "sliver_area_m2": cfg.analysis.sliver_area_m2,
        "min_presence_ha": cfg.analysis.min_presence_ha,
        "problems": inputs.problems,
        "sources": inputs.sources,
    }


def _report_repeated_ids(cfg: Config, inputs: Inputs, results: list[CityResult]) -> None:
    """Report the slum rows whose lingkungan id another row of their city repeats."""
    if cfg.slum is not None and inputs.slum is not None:
        where = (cfg.slum.path, cfg.slum.sheet or cfg.slum.layer, cfg.slum.lingkungan.id)
        tables = [r.lingkungan for r in results]
        report_repeated_ids(inputs.slum, tables, where, inputs.problems)


def _analyse(
    cfg: Config, *, progress: bool, workers: int | None
) -> tuple[Inputs, list[CityResult], dict[str, CitySync]]:
    """Load the inputs, analyse every city, and synchronise (with ``[sync]``)."""
    inputs = load_inputs(cfg)
    results = analyse(**_analysis_args(cfg, inputs), progress=progress, workers=workers)
    _report_repeated_ids(cfg, inputs, results)
    synced = {}
    if cfg.sync is not None and inputs.sync is not None:
        synced = synchronise(
            inputs.sync, cfg.sync, inputs.kelurahan, results, problems=inputs.problems
        )
    return inputs, results, synced
