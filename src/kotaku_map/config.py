"""The project config: one TOML file that describes one build.

A config names the kelurahan boundaries, any number of programs, the slum areas,
the analysis parameters and the output options. Relative paths are resolved
against the folder of the config file. Unknown keys and wrong types raise
:class:`~kotaku_map.errors.ConfigError` naming the key.

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

import sys
from collections.abc import Mapping
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints

from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

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

#: the largest config file read (a config is a few kB)
MAX_CONFIG_BYTES = 1_000_000

#: the PNGs of the atlas: dots per inch, from and to
ATLAS_DPI_RANGE = (72, 600)
#: the range of every number in the config, key -> (lowest, highest): a value outside it
#: cannot be meant (a sliver 1 km wide, a map simplified by a kilometre) and is refused
RANGES: dict[str, tuple[float, float]] = {
    "analysis.sliver_width_m": (0.0, 1000.0),
    "analysis.sliver_area_m2": (0.0, 1_000_000.0),  # 100 ha
    "analysis.fuzzy_threshold": (0.0, 100.0),
    "analysis.min_presence_ha": (0.0, 100_000.0),
    "output.simplify_m": (0.0, 100.0),
    "output.map_size_budget_mb": (0.0, 10_000.0),
    "output.overview_simplify_m": (0.0, 5000.0),
    "output.dpi": ATLAS_DPI_RANGE,
    "sync.tolerance_pct": (0.0, 1000.0),
    "sync.tolerance_ha": (0.0, 100_000.0),
    "year": (1945, 2100),  # programs[i].year and slum.year
}


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
        Resolution of the atlas's PNGs (``ATLAS_DPI_RANGE``).
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
    if path.is_dir():
        raise ConfigError(f"config file {str(path)!r} is a folder; expected a .toml file")
    if not path.exists():
        raise ConfigError(f"config file {str(path)!r} does not exist")
    if not path.is_file():  # a named pipe or a device: reading it could wait forever
        raise ConfigError(f"config file {str(path)!r} is not a regular file; expected a .toml file")
    if path.stat().st_size > MAX_CONFIG_BYTES:
        raise ConfigError(
            f"config file {str(path)!r} is {path.stat().st_size:,} bytes; a config is a few "
            f"kB (at most {MAX_CONFIG_BYTES:,}): is it the right file?"
        )
    try:
        # utf-8-sig: Windows editors save a BOM, which TOML itself does not allow
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: not valid TOML: the file is not UTF-8 text ({exc.reason} "
            f"at byte {exc.start}); save it as UTF-8"
        ) from None
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
    _check_keys(
        top, {"title", "boundaries", "programs", "slum", "analysis", "output", "sync"}, "", where
    )
    boundaries = _boundaries_section(top, base, where)
    programs = _programs_section(top, base, where)
    slum = _slum_section(top, base, where)
    _check_layers(programs, slum, where)
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
    return _build(BoundariesConfig, top["boundaries"], "boundaries", base, where)


def _programs_section(top: Mapping[str, Any], base: Path, where: str) -> tuple[LayerConfig, ...]:
    """The ``[[programs]]`` array, each program named uniquely."""
    programs_raw = top.get("programs", [])
    if not isinstance(programs_raw, list):
        raise ConfigError(
            f"{where}: key 'programs' must be an array of tables ([[programs]]), "
            f"got {type(programs_raw).__name__}"
        )
    programs = tuple(
        _build(LayerConfig, p, f"programs[{i}]", base, where) for i, p in enumerate(programs_raw)
    )
    _check_program_names(programs, where)
    for i, p in enumerate(programs):
        _check_range(p.year, f"programs[{i}].year", where, "year")
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
    slum = _build(LayerConfig, raw, "slum", base, where)
    _check_range(slum.year, "slum.year", where, "year")
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


def _check_layers(programs: tuple[LayerConfig, ...], slum: LayerConfig | None, where: str) -> None:
    """Something to analyse, and every program given as a table names its kelurahan."""
    if not programs and slum is None:
        raise ConfigError(
            f"{where}: the config references no program and no slum layer: "
            "add [[programs]] and/or [slum]"
        )
    for i, p in enumerate(programs):
        if p.kind == "table" and not (p.columns.code or p.columns.kelurahan):
            raise ConfigError(
                f"{where}: key 'programs[{i}].columns' needs 'code' or 'kelurahan' "
                f"for a program given as a table (program {p.name!r}), e.g. "
                "columns = { code = 'kode_kel', kelurahan = 'kelurahan' }"
            )


def _sync_section(
    top: Mapping[str, Any], slum: LayerConfig | None, base: Path, where: str
) -> SyncOptions | None:
    """Section ``[sync]``, which compares the workbook with ``[slum]``."""
    if "sync" not in top:
        return None
    sync = _build(SyncOptions, top["sync"], "sync", base, where)
    if slum is None:
        raise ConfigError(
            f"{where}: section [sync] compares the workbook with [slum]: add a [slum] section"
        )
    for key in ("tolerance_pct", "tolerance_ha"):
        _check_range(getattr(sync, key), f"sync.{key}", where)
    return sync


def _analysis_section(top: Mapping[str, Any], base: Path, where: str) -> AnalysisOptions:
    """Section ``[analysis]``, its thresholds in range."""
    analysis = _build(AnalysisOptions, top.get("analysis", {}), "analysis", base, where)
    for key in ("sliver_width_m", "sliver_area_m2", "fuzzy_threshold", "min_presence_ha"):
        _check_range(getattr(analysis, key), f"analysis.{key}", where)
    return analysis


def _output_section(
    top: Mapping[str, Any], base: Path, where: str, *, output_dir: str | Path | None
) -> OutputOptions:
    """Section ``[output]``; ``output_dir`` (the command line's) beats its ``dir``."""
    # an explicit output dir is relative to the config's folder, like every other path;
    # without one, "output" in the current folder
    output = _build(OutputOptions, top.get("output", {}), "output", base, where)
    for key in ("simplify_m", "map_size_budget_mb", "overview_simplify_m", "dpi"):
        _check_range(getattr(output, key), f"output.{key}", where)
    if output_dir is not None:
        output = OutputOptions(**{**_fields(output), "dir": Path(output_dir)})
    elif "dir" not in top.get("output", {}):
        output = OutputOptions(**{**_fields(output), "dir": Path("output")})
    return output


def _title(top: Mapping[str, Any], where: str) -> str | None:
    """The key ``title``: a string, or absent."""
    title = top.get("title")
    if title is not None and not isinstance(title, str):
        raise ConfigError(f"{where}: key 'title' must be a string, got {type(title).__name__}")
    return title


def _check_program_names(programs: tuple[LayerConfig, ...], where: str) -> None:
    """Names must be non-empty and distinct, also once made into column names."""
    from .schema import work_column

    seen: dict[str, int] = {}
    for i, p in enumerate(programs):
        if not p.name.strip():
            raise ConfigError(f"{where}: key 'programs[{i}].name' is empty; name the program")
        slug = work_column(p.name)
        if slug in seen:
            j = seen[slug]
            same = (
                "the same name"
                if programs[j].name == p.name
                else "a name that differs only in case, spaces or punctuation"
            )
            raise ConfigError(
                f"{where}: key 'programs[{i}].name' is {p.name!r}, {same} as "
                f"programs[{j}].name {programs[j].name!r}; program names must be unique"
            )
        seen[slug] = i


def _check_range(value: float | None, key: str, where: str, kind: str | None = None) -> None:
    """Refuse a number outside its :data:`RANGES` entry (``kind``, else ``key``), or NaN."""
    import math

    if value is None:
        return
    low, high = RANGES[kind or key]
    if not (math.isfinite(value) and low <= value <= high):
        raise ConfigError(
            f"{where}: key {key!r} must be a number between {low:g} and {high:g}, got {value!r}"
        )


def _fields(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def _check_keys(raw: Mapping[str, Any], allowed: set[str], prefix: str, where: str) -> None:
    for key in raw:
        if key not in allowed:
            import difflib

            close = difflib.get_close_matches(key, sorted(allowed), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(
                f"unknown key {prefix + key!r} in {where}{hint}; expected one of {sorted(allowed)}"
            )


def _build(cls: Any, raw: Any, prefix: str, base: Path, where: str) -> Any:
    """Build the dataclass ``cls`` from a TOML table, checking keys and types."""
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: key {prefix!r} must be a table, got {type(raw).__name__}")
    hints = get_type_hints(cls)
    names = {f.name for f in fields(cls)}
    _check_keys(raw, names, prefix + ".", where)
    values: dict[str, Any] = {}
    for name, value in raw.items():
        values[name] = _convert(value, hints[name], f"{prefix}.{name}", base, where)
    required = [
        f.name
        for f in fields(cls)
        if f.default is MISSING and f.default_factory is MISSING and f.name not in values
    ]
    if required:
        raise ConfigError(f"{where}: missing key {prefix + '.' + required[0]!r}")
    return cls(**values)


def _convert(value: Any, hint: Any, key: str, base: Path, where: str) -> Any:
    origin = get_origin(hint)
    args = get_args(hint)

    def wrong(expected: str) -> ConfigError:
        return ConfigError(
            f"{where}: key {key!r} must be {expected}, got {type(value).__name__} {value!r}"
        )

    if origin is not None and type(None) in args:  # Optional[X]
        inner = [a for a in args if a is not type(None)]
        if value is None or value == "":
            return None
        hint = inner[0] if len(inner) == 1 else inner
        origin, args = get_origin(hint), get_args(hint)
    if hint is Path:
        if not isinstance(value, str) or not value:
            raise wrong("a path (string)")
        p = Path(value).expanduser()
        return p if p.is_absolute() else base / p
    if origin is Literal:
        if value not in args:
            raise ConfigError(
                f"{where}: key {key!r} was {value!r} but is expected to be in {list(args)}"
            )
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise wrong("true or false")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise wrong("an integer")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise wrong("a number")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise wrong("a string")
        return value
    if hint is Columns or hint is LingkunganColumns:
        return _build(hint, value, key, base, where)
    if origin is tuple:  # column names: one string or a list of them
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
            raise wrong("a column name or a list of column names")
        return tuple(values)
    if origin in (Mapping, dict) or hint is Mapping:
        if not isinstance(value, Mapping):
            raise wrong("a table of name = code")
        for k, v in value.items():
            if not isinstance(v, str):
                raise ConfigError(
                    f"{where}: key {key + '.' + k!r} must be a string (a Kemendagri code), "
                    f"got {type(v).__name__}"
                )
        return dict(value)
    raise wrong(str(hint))  # pragma: no cover - a config field of a type not handled here
