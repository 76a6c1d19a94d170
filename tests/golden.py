"""Golden outputs: the sha256 of every file three reference builds write.

The builds (with ``SOURCE_DATE_EPOCH`` fixed, so dates are fixed too):

* ``demo``: ``kotaku-map build`` in an empty folder, as the README's quick start runs it;
* ``pekalongan``: Kota Pekalongan with ``[sync]`` (``tests/configs/pekalongan_sync.toml``);
* ``semarang``: Kota Semarang, 177 real kelurahan, ILLUSTRATIVE programs.

A refactoring must leave every file byte-identical; a change of output that is a fix is
recorded again, on purpose, with::

    python tests/golden.py record          # all three (needs ../shared/data)
    python tests/golden.py check           # compare, print what differs

Paths of the real data folder are written as ``{data}`` and of the build's folder as
``{build}`` before hashing (the outputs name their inputs, and the manifest the output
folder), and XLSX files are hashed entry by entry for the same reason.
The digests hold for one stack of GEOS, GDAL, PROJ and friends: ``versions`` records it.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
DATA = HERE.parents[1] / "shared" / "data"
EPOCH = "1486080000"  # 2017-02-03, the week the programs' team leaders met
BUILDS = ("demo", "pekalongan", "semarang")


def versions() -> dict[str, str]:
    """The libraries whose versions decide the bytes of the outputs."""
    import geopandas
    import matplotlib
    import numpy
    import pandas
    import pyogrio
    import pyproj
    import shapely
    import xlsxwriter

    return {
        "geos": shapely.geos_version_string,
        "shapely": shapely.__version__,
        "gdal": pyogrio.__gdal_version_string__,
        "pyogrio": pyogrio.__version__,
        "proj": pyproj.proj_version_str,
        "numpy": numpy.__version__,
        "pandas": pandas.__version__,
        "geopandas": geopandas.__version__,
        "xlsxwriter": xlsxwriter.__version__,
        "matplotlib": matplotlib.__version__,
    }


@contextlib.contextmanager
def _env(cwd: Path):
    old_cwd, old_epoch = os.getcwd(), os.environ.get("SOURCE_DATE_EPOCH")
    os.chdir(cwd)
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        yield
    finally:
        os.chdir(old_cwd)
        if old_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old_epoch


def run_build(name: str, folder: Path, data: Path = DATA) -> Path:
    """Run one reference build in ``folder``; return its output folder."""
    import projects

    from kotaku_map.cli import main

    folder.mkdir(parents=True, exist_ok=True)
    if name == "demo":
        args = ["build", "-q"]
    elif name == "pekalongan":
        projects.pekalongan_sync(folder, data)
        args = ["build", "kotaku.toml", "-o", "output", "-q"]
    elif name == "semarang":
        projects.semarang(folder, data)
        args = ["build", "kotaku.toml", "-o", "output", "-q"]
    else:
        raise ValueError(f"no build {name!r}; expected one of {BUILDS}")
    with _env(folder):
        status = main(args)
    if status != 0:
        raise RuntimeError(f"the {name} build exited with {status}")
    return folder / "output"


def digest(path: Path, data: Path = DATA, build: Path | None = None) -> str:
    """sha256 of a file with the data folder's path made ``{data}`` and the build folder's
    ``{build}`` (XLSX: per entry)."""

    def masked(raw: bytes) -> bytes:
        raw = raw.replace(data.as_posix().encode(), b"{data}")
        return raw.replace(build.as_posix().encode(), b"{build}") if build else raw

    h = hashlib.sha256()
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                h.update(info.filename.encode() + b"\0")
                h.update(repr(info.date_time).encode())
                h.update(masked(z.read(info)))
    else:
        h.update(masked(path.read_bytes()))
    return h.hexdigest()


def digests(out: Path, data: Path = DATA) -> dict[str, str]:
    """Every file under ``out`` (a build's output folder), relative path to digest."""
    return {
        p.relative_to(out).as_posix(): digest(p, data, out.parent)
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def load(name: str) -> dict:
    """The recorded golden file of one build."""
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


def compare(name: str, got: dict[str, str]) -> list[str]:
    """What differs from the record, one line per file (empty: identical)."""
    want = load(name)["files"]
    lines = [f"missing: {k}" for k in sorted(set(want) - set(got))]
    lines += [f"new: {k}" for k in sorted(set(got) - set(want))]
    lines += [f"changed: {k}" for k in sorted(set(want) & set(got)) if want[k] != got[k]]
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("action", choices=("record", "check"))
    p.add_argument("builds", nargs="*", default=list(BUILDS))
    p.add_argument("--keep", help="build into this folder (kept) instead of a temporary one")
    args = p.parse_args(argv)
    sys.path.insert(0, str(HERE))
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.keep) if args.keep else Path(tmp)
        for name in args.builds:
            got = digests(run_build(name, root / name))
            if args.action == "record":
                GOLDEN.mkdir(exist_ok=True)
                (GOLDEN / f"{name}.json").write_text(
                    json.dumps({"versions": versions(), "files": got}, indent=1, sort_keys=True)
                    + "\n",
                    encoding="utf-8",
                )
                print(f"{name}: recorded {len(got)} files")
                continue
            diff = compare(name, got)
            if load(name)["versions"] != versions():
                print(f"{name}: recorded with {load(name)['versions']}, running {versions()}")
            print(f"{name}: {'identical' if not diff else 'DIFFERS'} ({len(got)} files)")
            for line in diff:
                print("  " + line)
            bad += bool(diff)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
