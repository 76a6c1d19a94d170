"""The printed atlas of a build: its options from the config, and its files.

The atlas itself is drawn by :mod:`kotaku_map.render.atlas_pdf`; this module turns a
:class:`~kotaku_map.config.Config` and the build's inputs into its options (paper, dpi,
language, title, the sources printed with their notes, ILUSTRATIF when any layer is
``illustrative``) and names the PNGs after the build's city folders. ``kotaku-map build``
calls it with ``[output] atlas = true``, ``kotaku-map atlas`` on its own.
"""

from __future__ import annotations

from pathlib import Path

from .config import Config
from .inputs import Inputs
from .render.atlas import AtlasOptions
from .results import CityResult
from .writers import city_slugs

__all__ = ["atlas_options", "write_atlas_files"]


def atlas_options(cfg: Config, inputs: Inputs) -> AtlasOptions:
    """The atlas's options from a config: paper, dpi, language, title, sources, ILUSTRATIF.

    Parameters
    ----------
    cfg : Config
    inputs : Inputs
        Its files are the sources printed (with the config's ``source`` notes).

    Returns
    -------
    kotaku_map.render.atlas.AtlasOptions
    """
    layers = {p.name: p for p in cfg.programs}
    if cfg.slum is not None:
        layers["kumuh"] = cfg.slum
    sources = []
    for f in inputs.files:
        note = layers[f.role].source if f.role in layers else None
        sources.append(f"{f.role}: {Path(f.path).name}" + (f" ({note})" if note else ""))
    return AtlasOptions(
        paper=cfg.output.paper,
        orientation=cfg.output.orientation,
        dpi=cfg.output.dpi,
        lang=cfg.output.lang,
        title=cfg.title,
        sources=tuple(sources),
        illustrative=any(layer.illustrative for layer in layers.values()),
        simplify_m=cfg.output.simplify_m,
    )


def write_atlas_files(
    results: list[CityResult],
    inputs: Inputs,
    cfg: Config,
    folder: Path,
    *,
    progress: bool,
    workers: int | None,
) -> list[Path]:
    """Write the printed atlas of a build into ``folder`` (a staging folder).

    Parameters
    ----------
    results : list of CityResult
    inputs : Inputs
    cfg : Config
    folder : Path
    progress : bool
        Show a progress bar.
    workers : int, optional
        Worker processes (see :mod:`kotaku_map.jobs`).

    Returns
    -------
    list of Path
        ``atlas.pdf`` and the PNGs (see :func:`kotaku_map.render.atlas_pdf.write_atlas`).
    """
    from .render.atlas_pdf import write_atlas

    return write_atlas(
        results,
        folder,
        options=atlas_options(cfg, inputs),
        names=city_slugs(results),
        workers=workers,
        progress=progress,
    )
