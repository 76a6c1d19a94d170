"""Files on disk: atomic writes (a reader never sees half a file), checksums, fixed times."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "FIXED_ISO",
    "FIXED_TIME",
    "city_slugs",
    "reproducible_zip",
    "safe_name",
    "sha256",
    "write_atomic",
]

#: the timestamp written into files whose format demands one (XLSX, GeoPackage), so that
#: the same inputs give byte-identical outputs
FIXED_TIME = (2017, 2, 1, 0, 0, 0)
FIXED_ISO = "2017-02-01T00:00:00Z"
FIXED_DATETIME = dt.datetime(*FIXED_TIME)


def write_atomic(data: bytes, path: str | os.PathLike) -> int:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    Parameters
    ----------
    data : bytes
    path : path-like
        The target; its folder is made if missing. An existing file is replaced whole.

    Returns
    -------
    int
        Bytes written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_atomic(b"abc", pathlib.Path(d) / "sub" / "x.txt")
    3
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return len(data)


def sha256(path: str | os.PathLike) -> str:
    """SHA-256 of a file, hex.

    Parameters
    ----------
    path : path-like

    Returns
    -------
    str
        64 hex digits.
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def reproducible_zip(path: Path) -> None:
    """Rewrite a zip-based file (XLSX) with fixed entry times and document dates.

    Parameters
    ----------
    path : Path
        Rewritten in place.
    """
    with zipfile.ZipFile(path) as zin:
        entries = [(info, zin.read(info.filename)) for info in zin.infolist()]
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                    rb"\g<1>" + FIXED_ISO.encode(),
                    data,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            zout.writestr(fixed, data)
    os.replace(tmp, path)


def safe_name(text: str, *, max_len: int = 60) -> str:
    """A file-name-safe ASCII slug: lower case, ``a-z0-9-`` only, never empty.

    Parameters
    ----------
    text : str
        Any text (accents are dropped, other characters become ``-``).
    max_len : int
        Longest slug.

    Returns
    -------
    str
        The slug, or ``"tanpa-nama"`` when nothing is left.

    Examples
    --------
    >>> safe_name("Kota Pekalongan")
    'kota-pekalongan'
    >>> safe_name("../../etc/passwd")
    'etc-passwd'
    >>> safe_name("Kota Bau-Bau: <Süd>")
    'kota-bau-bau-sud'
    >>> safe_name("")
    'tanpa-nama'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_len].strip("-") or "tanpa-nama"


def city_slugs(results: Sequence[Any]) -> dict[str, str]:
    """A unique, safe folder name per city: ``<code digits>-<name>``.

    Parameters
    ----------
    results : sequence of CityResult
        Or anything with ``kode`` and ``nama``.
        The cities (``kode`` and ``nama`` are read).

    Returns
    -------
    dict of str to str
        City code -> folder name; a repeated name gets ``-2``, ``-3``...

    Examples
    --------
    >>> class R:  # a stand-in with the two attributes used
    ...     def __init__(self, kode, nama): self.kode, self.nama = kode, nama
    >>> city_slugs([R("33.75", "Kota Pekalongan"), R("33.26", "Kabupaten Pekalongan")])
    {'33.75': '3375-kota-pekalongan', '33.26': '3326-kabupaten-pekalongan'}
    """
    out: dict[str, str] = {}
    used: set[str] = set()
    for r in results:
        digits = re.sub(r"\D", "", r.kode)[:4]
        base = safe_name(f"{digits} {r.nama}" if digits else r.nama)
        slug, k = base, 2
        while slug in used:
            slug, k = f"{base}-{k}", k + 1
        used.add(slug)
        out[r.kode] = slug
    return out
