"""What every reader checks first: the file is there, and a library's error in one line."""

from __future__ import annotations

import stat
from pathlib import Path

from ..errors import InputError

__all__ = ["LAYER_SUFFIXES", "MAX_TABLE_BYTES", "TABLE_SUFFIXES", "require_file", "short_error"]

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

#: the largest table read, by suffix: a table lists kelurahan (the whole country's 85,000
#: desa fit in 20 MB of CSV); anything far larger is the wrong file, refused before it is
#: read (a workbook takes some 50 times its size in memory)
MAX_TABLE_BYTES = {
    ".csv": 200 * 2**20,
    ".txt": 200 * 2**20,
    ".xlsx": 25 * 2**20,
    ".xlsm": 25 * 2**20,
}

_NOT_REGULAR = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def require_file(path: Path, kind: str) -> None:
    """Raise :class:`InputError` unless ``path`` is a regular file (of a plausible size).

    Only regular files are read: a named pipe or a device would make the build wait
    forever, or read without end. A table larger than :data:`MAX_TABLE_BYTES` is refused
    before it is read.

    Parameters
    ----------
    path : pathlib.Path
        The input file (a symbolic link to a regular file is fine).
    kind : str
        What the file should hold (``"layer"``, ``"table"``), for the message.

    Returns
    -------
    None
        Returns when ``path`` is a regular file.

    Raises
    ------
    kotaku_map.errors.InputError
        If ``path`` does not exist, is a folder, a named pipe, a device or a socket, or
        is a table too large to be one.

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
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        found = _NOT_REGULAR.get(stat.S_IFMT(info.st_mode), "no regular file")
        raise InputError(
            f"{path}: expected a {kind} file, found {found}; only regular files are read"
        )
    limit = MAX_TABLE_BYTES.get(path.suffix.lower()) if kind == "table" else None
    if limit is not None and info.st_size > limit:
        raise InputError(
            f"{path}: the table is {info.st_size / 2**20:,.0f} MiB, larger than any list of "
            f"kelurahan (at most {limit // 2**20} MiB for {path.suffix.lower()}); "
            "is it the right file?"
        )


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
