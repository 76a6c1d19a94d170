"""The project config: one TOML file that describes one build, as frozen dataclasses.

A config names the kelurahan boundaries, any number of programs, the slum areas,
the analysis parameters and the output options: :class:`Config` and a dataclass per
section, read by :func:`load_config` (or :func:`config_from_dict`), which assembles the
sections and checks how they fit together. Relative paths are resolved against the folder
of the config file. Unknown keys, wrong types and numbers out of range raise
:class:`~kotaku_map.errors.ConfigError` naming the key; reading the file and checking
each table is :mod:`kotaku_map.config_parse`.

Example
-------
.. code-block:: toml

    [boundaries]
    path = "batas_kelurahan.geojson"
    code = "kode"
    kelurahan = "nama"
    kecamatan = "nama_kec"
    kabkota = "nama_kab"

    [[programs]]
    name = "NSUP"
    path = "nsup.geojson"
    kind = "polygons"

    [[programs]]
    name = "NUSP-2"
    path = "nusp2.xlsx"
    kind = "table"
    sheet = "lokasi"
    columns = { code = "kode_kel", kelurahan = "kelurahan", kecamatan = "kecamatan" }

    [slum]
    path = "kumuh.geojson"
    kind = "polygons"
    level = "tingkat"
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from .config_parse import (
    check_keys,
    check_layers,
    check_program_names,
    check_range,
    read_toml,
    table_to_dataclass,
)
from .errors import ConfigError

__all__ = [
    "AnalysisOptions",
    "BoundariesConfig",
    "Columns",
    "Config",
    "LayerConfig",
    "LingkunganColumns",
    "OutputOptions",
    "SyncOptions",
    "load_config",
]

Kind = Literal["polygons", "table"]

#: default sliver thresholds, documented in docs/analisis.md
DEFAULT_SLIVER_WIDTH_M = 5.0
DEFAULT_SLIVER_AREA_M2 = 100.0


@dataclass(frozen=True)
class Columns:
    """Which columns of a table or layer hold the kelurahan's code and names.

    Every field is optional; a table that lists kelurahan needs ``code`` or
    ``kelurahan``.

    Parameters
    ----------
    code : str, optional
        Kemendagri code, dotted or not (``33.75.01.1002``, ``3375011002``).
    kelurahan : str, optional
        Kelurahan or desa name.
    kecamatan : str, optional
        Kecamatan name: narrows name matching to it.
    kabkota : str, optional
        Kabupaten/kota name: narrows name matching to it.
    """

    code: str | None = None
    kelurahan: str | None = None
    kecamatan: str | None = None
    kabkota: str | None = None


@dataclass(frozen=True)
class LingkunganColumns:
    """Which columns of the slum layer identify and name each delineation (lingkungan).

    Each is one column or several (their values joined: the id by ``/``, the name by a
    space), e.g. ``id = ["Kode_Kel", "Kode_RTRW"]`` for SIM KOTAKU's RT polygons.

    Parameters
    ----------
    id : tuple of str
        Columns whose values identify a delineation (``kotaku-map banding`` joins two
        builds' lingkungan on them).
    name : tuple of str
        Columns whose values name it, as people read it (kawasan name, RT/RW).
    """

    id: tuple[str, ...] = ()
    name: tuple[str, ...] = ()


@dataclass(frozen=True)
class BoundariesConfig:
    """The kelurahan boundaries layer and its columns.

    Parameters
    ----------
    path : Path
        The layer's file (any format :func:`kotaku_map.readers.read_layer` reads).
    layer : str, optional
        Layer of a multi-layer file (GeoPackage).
    code : str or None, default "kode"
        Column of the Kemendagri code; ``None`` where the layer has none.
    kelurahan : str, default "nama"
        Column of the kelurahan name.
    kecamatan, kabkota : str, optional
        Columns of the kecamatan and kab/kota names.
    crs : str, optional
        The layer's CRS, where its file states none or a wrong one.
    """

    path: Path
    layer: str | None = None
    code: str | None = "kode"
    kelurahan: str = "nama"
    kecamatan: str | None = None
    kabkota: str | None = None
    crs: str | None = None


@dataclass(frozen=True)
class LayerConfig:
    """A program's locations or the slum areas: polygons, or a table of kelurahan.

    Parameters
    ----------
    name : str
        The program's name (``"NSUP"``); for the slum layer ``"kumuh"``.
    path : Path
        Its file: a layer, or a CSV/XLSX table.
    kind : {"polygons", "table"}
        Polygons of the work areas (or slum delineations), or a list of kelurahan.
    layer, sheet : str, optional
        Layer of a multi-layer file; sheet of a workbook.
    crs : str, optional
        The layer's CRS, where its file states none or a wrong one.
    year : int, optional
        The year the data describe (carried as column ``tahun``).
    columns : Columns
        Where a table names its kelurahan.
    level : str, optional
        Slum layer: column of the slum level (words, codes or a score).
    area : str, optional
        Slum table: column of the stated hectares.
    source : str, optional
        Where the data come from, as the maps' footers and the GeoPackage state it.
    illustrative : bool
        The data are illustrative, not real program data: the outputs say so.
    lingkungan : LingkunganColumns
        Slum layer: the columns that identify and name each delineation
        (``lingkungan.csv``).
    """

    name: str
    path: Path
    kind: Kind = "polygons"
    layer: str | None = None
    sheet: str | None = None
    crs: str | None = None
    year: int | None = None
    columns: Columns = field(default_factory=Columns)
    level: str | None = None
    area: str | None = None
    source: str | None = None
    illustrative: bool = False
    lingkungan: LingkunganColumns = field(default_factory=LingkunganColumns)


@dataclass(frozen=True)
class AnalysisOptions:
    """Analysis parameters.

    Parameters
    ----------
    sliver_width_m : float
        A piece of overlap or gap thinner than this many metres on average
        (2 x area / perimeter) is a sliver (default 5 m: digitising mismatches between
        separately drawn layers). Pieces in the seams of the boundary layer are slivers
        whatever their width (see ``docs/analisis.md``).
    sliver_area_m2 : float
        A piece smaller than this many square metres is a sliver (default 100 m²).
    assume_crs : str or None
        CRS to assume for files that carry none. Without it such files are refused.
    fuzzy_threshold : float
        Minimum rapidfuzz score (0-100) for a fuzzy name match (default 88).
    min_presence_ha : float
        A program given as polygons counts for a kelurahan's status only where its work
        area there (slivers aside) is at least this many hectares (default 0). Raise it
        when neighbouring RT polygons that cross a kelurahan border by a few tenths of a
        hectare should not make that kelurahan a program location.
    overrides : mapping
        Hand-made matches: source name -> Kemendagri code.
    """

    sliver_width_m: float = DEFAULT_SLIVER_WIDTH_M
    sliver_area_m2: float = DEFAULT_SLIVER_AREA_M2
    assume_crs: str | None = None
    fuzzy_threshold: float = 88.0
    min_presence_ha: float = 0.0
    overrides: Mapping[str, str] = field(default_factory=dict)


#: the output options that only a build with the atlas records in its manifest
ATLAS_KEYS = ("atlas", "paper", "orientation", "dpi")


@dataclass(frozen=True)
class OutputOptions:
    """Where and what to write.

    Parameters
    ----------
    dir : Path
        The output folder (relative to the config's folder; default ``output`` in the
        current folder).
    lang : {"id", "en"}
        Language of the maps and the overview.
    simplify_m : float
        Display simplification of the maps, metres (the analysis never simplifies).
    map_size_budget_mb : float
        A map (or the overview) larger than this many MB gets a warning.
    overview_simplify_m : float
        Simplification of the city outlines on the overview, metres (the country's scale).
    maps : bool
        Write the HTML maps and the overview.
    xlsx : bool
        Write every table as XLSX next to its CSV.
    atlas : bool
        Also write the printed atlas: ``atlas.pdf`` and a PNG per map sheet in ``atlas/``
        (default off; ``kotaku-map atlas`` writes it alone).
    paper : {"A4", "A3"}
        The atlas's paper.
    orientation : {"landscape", "portrait"}
        The atlas's orientation.
    dpi : int
        Resolution of the atlas's PNGs (:data:`~kotaku_map.config_parse.ATLAS_DPI_RANGE`).
    """

    dir: Path = Path("output")
    lang: Literal["id", "en"] = "id"
    simplify_m: float = 5.0
    map_size_budget_mb: float = 5.0
    overview_simplify_m: float = 50.0
    maps: bool = True
    xlsx: bool = True
    atlas: bool = False
    paper: Literal["A4", "A3"] = "A4"
    orientation: Literal["landscape", "portrait"] = "landscape"
    dpi: int = 150


@dataclass(frozen=True)
class SyncOptions:
    """Synchronising field data: the city's SK Kumuh workbook against the ``[slum]`` layer.

    Parameters
    ----------
    workbook : Path
        The SK Kumuh workbook (sheets ``kawasan``, ``kumuhKawasan``, ``investasi``): its
        slum areas are reconciled with ``[slum]``, its yearly scores give the progress
        toward 0 ha and its investments the funding mix (see ``docs/sinkronisasi.md``).
    slum_area : str or None
        Column of stated hectares in the slum layer (``luas_awal``); without it the
        slum polygons are measured (ellipsoidal ha).
    tolerance_pct, tolerance_ha : float
        A kelurahan whose two figures differ by more than both is flagged
        "tidak sinkron" (defaults 10 % and 0.05 ha).
    """

    workbook: Path
    slum_area: str | None = None
    tolerance_pct: float = 10.0
    tolerance_ha: float = 0.05


@dataclass(frozen=True)
class Config:
    """One build: boundaries, programs, slum areas, analysis and output options.

    Parameters
    ----------
    boundaries : BoundariesConfig
        Section ``[boundaries]``.
    programs : tuple of LayerConfig
        The ``[[programs]]``, in config order.
    slum : LayerConfig, optional
        Section ``[slum]``.
    analysis : AnalysisOptions
        Section ``[analysis]``.
    output : OutputOptions
        Section ``[output]``.
    title : str, optional
        The maps' title.
    path : Path, optional
        The config file this came from.
    sync : SyncOptions, optional
        Section ``[sync]``.
    """

    boundaries: BoundariesConfig
    programs: tuple[LayerConfig, ...]
    slum: LayerConfig | None = None
    analysis: AnalysisOptions = field(default_factory=AnalysisOptions)
    output: OutputOptions = field(default_factory=OutputOptions)
    title: str | None = None
    path: Path | None = None
    sync: SyncOptions | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the resolved config as plain JSON-able data (for the manifest).

        The atlas's settings are left out of a build that does not write the atlas, and the
        lingkungan columns where none are named, so that its manifest stays what it was
        before they existed.

        Returns
        -------
        dict
        """
        data = _plain(asdict(self))
        if not self.output.atlas:
            for key in ATLAS_KEYS:
                data["output"].pop(key, None)
        # the lingkungan columns only where named (the manifest of a build without them
        # stays what it was)
        for layer in [*data["programs"], data["slum"]]:
            if layer is not None and not any(layer["lingkungan"].values()):
                layer.pop("lingkungan")
        return data


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def load_config(path: str | Path, *, output_dir: str | Path | None = None) -> Config:
    """Read and validate a project config (TOML).

    Parameters
    ----------
    path : str or Path
        The TOML file. Relative paths inside it are relative to its folder.
    output_dir : str or Path, optional
        Overrides ``[output] dir``.

    Returns
    -------
    Config

    Raises
    ------
    ConfigError
        On a missing file, bad TOML, an unknown key or a value of the wrong type;
        the message names the key.
    """
    path = Path(path)
    data = read_toml(path)
    return config_from_dict(data, base=path.parent, path=path, output_dir=output_dir)


def config_from_dict(
    data: Mapping[str, Any],
    *,
    base: str | Path = ".",
    path: Path | None = None,
    output_dir: str | Path | None = None,
) -> Config:
    """Build a :class:`Config` from parsed TOML data (see :func:`load_config`).

    Parameters
    ----------
    data : mapping
        The parsed TOML: sections ``boundaries``, ``programs``, ``slum``, ``sync``,
        ``analysis``, ``output`` and the key ``title``.
    base : str or Path
        The folder relative paths are resolved against (the config file's folder).
    path : Path, optional
        The config file, named in messages and kept in :attr:`Config.path`.
    output_dir : str or Path, optional
        Overrides ``[output] dir``.

    Returns
    -------
    Config
        The validated config, every path resolved.

    Raises
    ------
    ConfigError
        On an unknown key, a missing section or key, a value of the wrong type or out of
        range, or sections that contradict each other; the message names the key.

    Examples
    --------
    >>> cfg = config_from_dict({
    ...     "boundaries": {"path": "kel.geojson"},
    ...     "programs": [{"name": "NSUP", "path": "nsup.geojson"}],
    ... })
    >>> cfg.programs[0].kind, cfg.analysis.sliver_width_m
    ('polygons', 5.0)
    >>> config_from_dict({"boundaries": {"path": "k.gpkg"}, "programs": [], "sliver": 1})
    Traceback (most recent call last):
    ...
    kotaku_map.errors.ConfigError: unknown key 'sliver' in the config; expected one of ...
    """
    base = Path(base)
    where = str(path) if path else "the config"
    top = dict(data)
    check_keys(
        top, {"title", "boundaries", "programs", "slum", "analysis", "output", "sync"}, "", where
    )
    boundaries = _boundaries_section(top, base, where)
    programs = _programs_section(top, base, where)
    slum = _slum_section(top, base, where)
    check_layers(programs, slum, where)
    sync = _sync_section(top, slum, base, where)
    analysis = _analysis_section(top, base, where)
    output = _output_section(top, base, where, output_dir=output_dir)
    title = _title(top, where)
    return Config(
        boundaries=boundaries,
        programs=programs,
        slum=slum,
        analysis=analysis,
        output=output,
        sync=sync,
        title=title,
        path=path,
    )


def _boundaries_section(top: Mapping[str, Any], base: Path, where: str) -> BoundariesConfig:
    """Section ``[boundaries]``, which every config needs."""
    if "boundaries" not in top:
        raise ConfigError(f"{where}: missing section [boundaries] (the kelurahan boundaries layer)")
    return table_to_dataclass(BoundariesConfig, top["boundaries"], "boundaries", base, where)


def _programs_section(top: Mapping[str, Any], base: Path, where: str) -> tuple[LayerConfig, ...]:
    """The ``[[programs]]`` array, each program named uniquely."""
    programs_raw = top.get("programs", [])
    if not isinstance(programs_raw, list):
        raise ConfigError(
            f"{where}: key 'programs' must be an array of tables ([[programs]]), "
            f"got {type(programs_raw).__name__}"
        )
    programs = tuple(
        table_to_dataclass(LayerConfig, p, f"programs[{i}]", base, where)
        for i, p in enumerate(programs_raw)
    )
    check_program_names(programs, where)
    for i, p in enumerate(programs):
        check_range(p.year, f"programs[{i}].year", where, "year")
        if p.lingkungan != LingkunganColumns():
            raise ConfigError(
                f"{where}: key 'programs[{i}].lingkungan' names the columns of slum "
                "delineations; it belongs in [slum]"
            )
    return programs


def _slum_section(top: Mapping[str, Any], base: Path, where: str) -> LayerConfig | None:
    """Section ``[slum]`` (named ``kumuh``); a table of slum kelurahan needs its columns."""
    if "slum" not in top:
        return None
    raw = dict(top["slum"]) if isinstance(top["slum"], Mapping) else top["slum"]
    if isinstance(raw, dict):
        if raw.get("name", "kumuh") != "kumuh":
            raise ConfigError(
                f"{where}: key 'slum.name' was {raw['name']!r} but the slum layer is "
                "always called 'kumuh'; remove the key"
            )
        raw["name"] = "kumuh"
    slum = table_to_dataclass(LayerConfig, raw, "slum", base, where)
    check_range(slum.year, "slum.year", where, "year")
    if slum.kind == "table" and not slum.area:
        raise ConfigError(
            f"{where}: key 'slum.area' is required when slum.kind = 'table' "
            "(the column with the slum hectares per kelurahan)"
        )
    if slum.kind == "table" and not (slum.columns.code or slum.columns.kelurahan):
        raise ConfigError(
            f"{where}: key 'slum.columns' needs 'code' or 'kelurahan' when "
            "slum.kind = 'table' (the column that names each row's kelurahan)"
        )
    return slum


def _sync_section(
    top: Mapping[str, Any], slum: LayerConfig | None, base: Path, where: str
) -> SyncOptions | None:
    """Section ``[sync]``, which compares the workbook with ``[slum]``."""
    if "sync" not in top:
        return None
    sync = table_to_dataclass(SyncOptions, top["sync"], "sync", base, where)
    if slum is None:
        raise ConfigError(
            f"{where}: section [sync] compares the workbook with [slum]: add a [slum] section"
        )
    for key in ("tolerance_pct", "tolerance_ha"):
        check_range(getattr(sync, key), f"sync.{key}", where)
    return sync


def _analysis_section(top: Mapping[str, Any], base: Path, where: str) -> AnalysisOptions:
    """Section ``[analysis]``, its thresholds in range."""
    analysis = table_to_dataclass(AnalysisOptions, top.get("analysis", {}), "analysis", base, where)
    for key in ("sliver_width_m", "sliver_area_m2", "fuzzy_threshold", "min_presence_ha"):
        check_range(getattr(analysis, key), f"analysis.{key}", where)
    return analysis


def _output_section(
    top: Mapping[str, Any], base: Path, where: str, *, output_dir: str | Path | None
) -> OutputOptions:
    """Section ``[output]``; ``output_dir`` (the command line's) beats its ``dir``."""
    # an explicit output dir is relative to the config's folder, like every other path;
    # without one, "output" in the current folder
    output = table_to_dataclass(OutputOptions, top.get("output", {}), "output", base, where)
    for key in ("simplify_m", "map_size_budget_mb", "overview_simplify_m", "dpi"):
        check_range(getattr(output, key), f"output.{key}", where)
    if output_dir is not None:
        output = replace(output, dir=Path(output_dir))
    elif "dir" not in top.get("output", {}):
        output = replace(output, dir=Path("output"))
    return output


def _title(top: Mapping[str, Any], where: str) -> str | None:
    """The key ``title``: a string, or absent."""
    title = top.get("title")
    if title is not None and not isinstance(title, str):
        raise ConfigError(f"{where}: key 'title' must be a string, got {type(title).__name__}")
    return title
