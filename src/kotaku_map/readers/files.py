"""What every reader checks first: the file is there, and a library's error in one line."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError

__all__ = ["LAYER_SUFFIXES", "TABLE_SUFFIXES", "require_file", "short_error"]

#: file suffixes of the layers and the tables the readers read
LAYER_SUFFIXES = {
    ".shp",
    ".zip",
    ".gpkg",
    ".geojson",
    ".json",
    ".fgb",
    ".parquet",
    ".geoparquet",
    ".kml",
    ".kmz",
}
TABLE_SUFFIXES = {".csv", ".txt", ".xlsx", ".xlsm"}


def require_file(path: Path, kind: str) -> None:
    """Raise :class:`InputError` unless ``path`` is an existing file.

    Parameters
    ----------
    path : pathlib.Path
        The input file.
    kind : str
        What the file should hold (``"layer"``, ``"table"``), for the message.

    Returns
    -------
    None
        Returns when ``path`` is a file.

    Raises
    ------
    kotaku_map.errors.InputError
        If ``path`` does not exist or is a folder.

    Examples
    --------
    >>> require_file(Path("no/such/kelurahan.gpkg"), "layer")
    Traceback (most recent call last):
    ...
    kotaku_map.errors.InputError: no/such/kelurahan.gpkg: layer file does not exist
    """
    if not path.exists():
        raise InputError(f"{path}: {kind} file does not exist")
    if path.is_dir():
        raise InputError(f"{path}: expected a {kind} file, found a folder")


def short_error(exc: BaseException) -> str:
    r"""Return the first line of an exception's message (at most 300 characters).

    Parameters
    ----------
    exc : BaseException
        An error raised by a library (pyogrio, openpyxl, pyarrow, csv).

    Returns
    -------
    str
        The message's first line, or the exception's type name when it has no message.

    Examples
    --------
    >>> short_error(ValueError("bad header\nin line 3"))
    'bad header'
    >>> short_error(KeyError())
    'KeyError'
    """
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:300]
