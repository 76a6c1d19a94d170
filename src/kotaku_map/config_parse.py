"""Parsing a config: the TOML file read, each table checked and made a dataclass.

:func:`read_toml` reads the file (a regular file of a few kB, UTF-8, valid TOML);
:func:`table_to_dataclass` turns a TOML table into one of the config's dataclasses, every
key checked (:func:`check_keys`: an unknown key is refused, the closest one named) and
every value converted to its field's type (paths resolved against the config's folder);
:func:`check_range` refuses a number outside its :data:`RANGES` entry; and the rules
between tables: program names distinct (:func:`check_program_names`), something to
analyse and every table of kelurahan naming its column (:func:`check_layers`). Every
refusal is a :class:`~kotaku_map.errors.ConfigError` naming the key. The dataclasses
themselves and :func:`~kotaku_map.config.load_config` are in :mod:`kotaku_map.config`.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Mapping, Sequence
from dataclasses import MISSING, fields
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints

from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "ATLAS_DPI_RANGE",
    "MAX_CONFIG_BYTES",
    "RANGES",
    "check_keys",
    "check_layers",
    "check_program_names",
    "check_range",
    "read_toml",
    "table_to_dataclass",
]

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


def read_toml(path: Path) -> dict[str, Any]:
    """Read a config file: a regular file of a few kB, UTF-8 (a BOM allowed), valid TOML.

    Parameters
    ----------
    path : Path
        The config file.

    Returns
    -------
    dict
        The parsed TOML.

    Raises
    ------
    ConfigError
        If the file is missing, a folder, not a regular file, too big, not UTF-8 or not
        valid TOML; the message names it.
    """
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
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: not valid TOML: the file is not UTF-8 text ({exc.reason} "
            f"at byte {exc.start}); save it as UTF-8"
        ) from None


def table_to_dataclass(target: Any, raw: Any, prefix: str, base: Path, where: str) -> Any:
    """Build the dataclass ``target`` from a TOML table, checking keys and types.

    Parameters
    ----------
    target : type
        A dataclass of the config (its type hints say what each key must be).
    raw : object
        The TOML value: must be a table.
    prefix : str
        Its key in the config (``"programs[0]"``), for messages.
    base : Path
        The folder relative paths are resolved against.
    where : str
        The config file, for messages.

    Returns
    -------
    object
        An instance of ``target``: paths resolved, numbers as ``float``, nested tables as
        their dataclasses.

    Raises
    ------
    ConfigError
        On an unknown or missing key, or a value of the wrong type.
    """
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: key {prefix!r} must be a table, got {type(raw).__name__}")
    hints = get_type_hints(target)
    names = {f.name for f in fields(target)}
    check_keys(raw, names, prefix + ".", where)
    values: dict[str, Any] = {}
    for name, value in raw.items():
        values[name] = _convert(value, hints[name], f"{prefix}.{name}", base, where)
    required = [
        f.name
        for f in fields(target)
        if f.default is MISSING and f.default_factory is MISSING and f.name not in values
    ]
    if required:
        raise ConfigError(f"{where}: missing key {prefix + '.' + required[0]!r}")
    return target(**values)


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
    if dataclasses.is_dataclass(hint):  # a table inside a table (``columns``)
        return table_to_dataclass(hint, value, key, base, where)
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


def check_keys(raw: Mapping[str, Any], allowed: set[str], prefix: str, where: str) -> None:
    """Refuse a key of a TOML table that is not one of ``allowed`` (the closest named).

    Parameters
    ----------
    raw : mapping
        The table.
    allowed : set of str
        Its keys.
    prefix : str
        The table's key in the config, with a final dot (``"output."``), for the message.
    where : str
        The config file, for the message.

    Raises
    ------
    ConfigError
        On the first unknown key.
    """
    for key in raw:
        if key not in allowed:
            import difflib

            close = difflib.get_close_matches(key, sorted(allowed), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(
                f"unknown key {prefix + key!r} in {where}{hint}; expected one of {sorted(allowed)}"
            )


def check_range(value: float | None, key: str, where: str, kind: str | None = None) -> None:
    """Refuse a number outside its :data:`RANGES` entry (``kind``, else ``key``), or NaN.

    Parameters
    ----------
    value : float or None
        The number (``None``: not given, nothing to check).
    key : str
        Its key in the config, for the message.
    where : str
        The config file, for the message.
    kind : str, optional
        The :data:`RANGES` entry, where it is not ``key`` (``"year"``).

    Raises
    ------
    ConfigError
        If the number is outside its range or not finite.
    """
    import math

    if value is None:
        return
    low, high = RANGES[kind or key]
    if not (math.isfinite(value) and low <= value <= high):
        raise ConfigError(
            f"{where}: key {key!r} must be a number between {low:g} and {high:g}, got {value!r}"
        )


def check_program_names(programs: Sequence[Any], where: str) -> None:
    """Names must be non-empty and distinct, also once made into column names.

    Parameters
    ----------
    programs : sequence of LayerConfig
        The ``[[programs]]``, in config order.
    where : str
        The config file, for the message.

    Raises
    ------
    ConfigError
        On an empty name, or two that make the same column name.
    """
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


def check_layers(programs: Sequence[Any], slum: Any, where: str) -> None:
    """Something to analyse, and every program given as a table names its kelurahan.

    Parameters
    ----------
    programs : sequence of LayerConfig
        The ``[[programs]]``.
    slum : LayerConfig or None
        The ``[slum]``.
    where : str
        The config file, for the message.

    Raises
    ------
    ConfigError
        If there is neither a program nor a slum layer, or a program's table names no
        kelurahan column.
    """
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
