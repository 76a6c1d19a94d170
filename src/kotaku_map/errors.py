"""Errors raised by kotaku_map.

Every error a user can act on derives from :class:`KotakuMapError`; the CLI catches
that base class, prints its one-line message and exits non-zero. Any other exception
is a bug.
"""

from __future__ import annotations

__all__ = ["ConfigError", "CRSError", "InputError", "KotakuMapError", "OutputError"]


class KotakuMapError(Exception):
    """Base class of every error a user of kotaku_map can act on."""


class ConfigError(KotakuMapError, ValueError):
    """The project config is malformed: unknown key, wrong type, missing value."""


class InputError(KotakuMapError, ValueError):
    """An input layer or table cannot be used as it is.

    The message names the file, the layer or sheet, the column and the row where
    that applies, what was found and what was expected.
    """


class CRSError(InputError):
    """An input layer has no CRS, or coordinates that contradict its CRS."""


class OutputError(KotakuMapError, ValueError):
    """The output folder cannot be written, or not now.

    It holds or is an input's folder, is a filesystem root, the home folder or a file,
    holds files kotaku-map did not write, or another build is writing into it.
    """


def where(
    path: object, layer: str | None = None, column: str | None = None, row: int | None = None
) -> str:
    """Format the location of a problem as ``file [layer 'x', column 'y', row n]``.

    Rows are numbered as people see them in the source: 1 for the first data row.

    Parameters
    ----------
    path : object
        The file (a path or its text).
    layer : str, optional
        The layer or sheet.
    column : str, optional
        The column.
    row : int, optional
        The row, 1-based.

    Returns
    -------
    str
        The parts given, joined by ``", "``.

    Examples
    --------
    >>> where("kumuh.gpkg", "kawasan", "luas", 3)
    "kumuh.gpkg, layer 'kawasan', column 'luas', row 3"
    """
    parts = [str(path)]
    if layer is not None:
        parts.append(f"layer {layer!r}")
    if column is not None:
        parts.append(f"column {column!r}")
    if row is not None:
        parts.append(f"row {row}")
    return ", ".join(parts)
