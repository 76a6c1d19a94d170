"""The output folder: city folder names, and staging so that a build is whole or absent.

Everything a build writes goes first into a staging folder next to the output folder;
only when every file is complete are they moved into place (``os.replace``, one file at a
time, each an atomic rename on the same file system). A build that fails or is
interrupted leaves the previous outputs as they were and no partial file.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from kotaku_map.results import CityResult

__all__ = ["city_slugs", "safe_name", "staged_output"]


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


def city_slugs(results: Sequence[CityResult]) -> dict[str, str]:
    """A unique, safe folder name per city: ``<code digits>-<name>``.

    Parameters
    ----------
    results : sequence of CityResult
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


@contextmanager
def staged_output(out_dir: str | os.PathLike[str]) -> Iterator[Path]:
    """Stage a build's files; move them into ``out_dir`` only when the block succeeds.

    Files already in ``out_dir`` that the build does not write again are kept.
    On an exception the staging folder is removed and ``out_dir`` is untouched.

    Parameters
    ----------
    out_dir : path-like
        The output folder (made if missing; its parent holds the staging folder).

    Yields
    ------
    Path
        The staging folder to write into.
    """
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    try:
        out.mkdir(parents=True, exist_ok=True)
        for src in sorted(stage.rglob("*")):
            if src.is_dir():
                continue
            dst = out / src.relative_to(stage)
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
