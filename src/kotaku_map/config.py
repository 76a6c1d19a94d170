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
    """

    code: str | None = None
    kelurahan: str | None = None
    kecamatan: str | None = None
    kabkota: str | None = None


@dataclass(frozen=True)
class BoundariesConfig:
    """The kelurahan boundaries layer and its columns."""

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

    ``name`` is the program's name (``"NSUP"``); for the slum layer it is
    ``"kumuh"``. ``level`` and ``area`` name the slum level and hectare columns.
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


@dataclass(frozen=True)
class AnalysisOptions:
    """Analysis parameters.

    Attributes
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


#: the PNGs of the atlas: dots per inch, from and to
ATLAS_DPI_RANGE = (72, 600)
#: the output options that only a build with the atlas records in its manifest
ATLAS_KEYS = ("atlas", "paper", "orientation", "dpi")


@dataclass(frozen=True)
class OutputOptions:
    """Where and what to write.

    Attributes
    ----------
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
    maps: bool = True
    xlsx: bool = True
    atlas: bool = False
    paper: Literal["A4", "A3"] = "A4"
    orientation: Literal["landscape", "portrait"] = "landscape"
    dpi: int = 150


@dataclass(frozen=True)
class SyncOptions:
    """Synchronising field data: the city's SK Kumuh workbook against the ``[slum]`` layer.

    Attributes
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
    """One build: boundaries, programs, slum areas, analysis and output options."""

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

        The atlas's settings are left out of a build that does not write the atlas, so that
        its manifest stays what it was before the atlas existed.
        """
        data = _plain(asdict(self))
        if not self.output.atlas:
            for key in ATLAS_KEYS:
                data["output"].pop(key, None)
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
    if not path.is_file():
        raise ConfigError(f"config file {str(path)!r} does not exist")
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
    if "boundaries" not in top:
        raise ConfigError(f"{where}: missing section [boundaries] (the kelurahan boundaries layer)")
    boundaries = _build(BoundariesConfig, top["boundaries"], "boundaries", base, where)
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
    slum = None
    if "slum" in top:
        raw = dict(top["slum"]) if isinstance(top["slum"], Mapping) else top["slum"]
        if isinstance(raw, dict):
            if raw.get("name", "kumuh") != "kumuh":
                raise ConfigError(
                    f"{where}: key 'slum.name' was {raw['name']!r} but the slum layer is "
                    "always called 'kumuh'; remove the key"
                )
            raw["name"] = "kumuh"
        slum = _build(LayerConfig, raw, "slum", base, where)
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
    sync = _build(SyncOptions, top["sync"], "sync", base, where) if "sync" in top else None
    if sync is not None:
        if slum is None:
            raise ConfigError(
                f"{where}: section [sync] compares the workbook with [slum]: add a [slum] section"
            )
        for key in ("tolerance_pct", "tolerance_ha"):
            _check_range(getattr(sync, key), f"sync.{key}", where, low=0.0)
    analysis = _build(AnalysisOptions, top.get("analysis", {}), "analysis", base, where)
    for key in ("sliver_width_m", "sliver_area_m2"):
        _check_range(getattr(analysis, key), f"analysis.{key}", where, low=0.0)
    _check_range(analysis.fuzzy_threshold, "analysis.fuzzy_threshold", where, low=0.0, high=100.0)
    _check_range(analysis.min_presence_ha, "analysis.min_presence_ha", where, low=0.0)
    # an explicit output dir is relative to the config's folder, like every other path;
    # without one, "output" in the current folder
    output = _build(OutputOptions, top.get("output", {}), "output", base, where)
    for key in ("simplify_m", "map_size_budget_mb"):
        _check_range(getattr(output, key), f"output.{key}", where, low=0.0)
    _check_range(output.dpi, "output.dpi", where, low=ATLAS_DPI_RANGE[0], high=ATLAS_DPI_RANGE[1])
    if output_dir is not None:
        output = OutputOptions(**{**_fields(output), "dir": Path(output_dir)})
    elif "dir" not in top.get("output", {}):
        output = OutputOptions(**{**_fields(output), "dir": Path("output")})
    title = top.get("title")
    if title is not None and not isinstance(title, str):
        raise ConfigError(f"{where}: key 'title' must be a string, got {type(title).__name__}")
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


def _check_range(
    value: float, key: str, where: str, *, low: float, high: float | None = None
) -> None:
    import math

    ok = math.isfinite(value) and value >= low and (high is None or value <= high)
    if not ok:
        expected = f">= {low:g}" if high is None else f"between {low:g} and {high:g}"
        raise ConfigError(f"{where}: key {key!r} must be a number {expected}, got {value!r}")


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
    if hint is Columns:
        return _build(Columns, value, key, base, where)
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
