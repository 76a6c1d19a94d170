"""Writing the outputs: GeoPackage, CSV, XLSX, HTML and the manifest, atomically.

Everything a build writes goes first into a staging folder next to the output
folder; only when every file is complete are they moved into place (``os.replace``,
one file at a time, each an atomic rename on the same file system). A build that
fails or is interrupted leaves the previous outputs as they were and no partial file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
import unicodedata
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from . import schema as s
from .results import CityResult

__all__ = ["city_slugs", "safe_name", "staged_output", "write_city", "write_table"]


def safe_name(text: str, *, max_len: int = 60) -> str:
    """A file-name-safe ASCII slug: lower case, ``a-z0-9-`` only, never empty.

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


def write_table(
    df: pd.DataFrame, path: Path, *, xlsx: bool = True, sheet: str = "data"
) -> list[Path]:
    """Write a table as CSV (UTF-8 with BOM, for Excel) and optionally XLSX."""
    paths = [path.with_suffix(".csv")]
    df.to_csv(paths[0], index=False, encoding="utf-8-sig", float_format="%.4f")
    if xlsx:
        paths.append(path.with_suffix(".xlsx"))
        write_xlsx({sheet: df}, paths[1])
    return paths


def write_xlsx(sheets: Mapping[str, pd.DataFrame], path: Path) -> None:
    """Write sheets to one workbook: bold frozen header, autofilter, fitted column widths.

    Written cell by cell with XlsxWriter's typed calls (several times faster than
    ``DataFrame.to_excel``): numbers as numbers, booleans as booleans, dates as dates,
    everything else as literal text (never a formula or a link); missing values stay
    empty. Timestamps are fixed, so the same tables give a byte-identical workbook.
    """
    import xlsxwriter

    book = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "in_memory": True,
        },
    )
    try:
        book.set_properties({"author": "kotaku_map", "created": _FIXED_DATETIME})
        bold = book.add_format({"bold": True})
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        for name, df in sheets.items():
            ws = book.add_worksheet(name[:31])
            for i, col in enumerate(df.columns):
                _write_column(ws, i, df[col], day)
                width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)])
                ws.set_column(i, i, min(50, width + 2))
                ws.write_string(0, i, str(col), bold)
            ws.freeze_panes(1, 0)
            ws.autofilter(0, 0, max(len(df), 1), max(len(df.columns) - 1, 0))
    finally:
        book.close()  # XlsxWriter dates the zip entries 1980-01-01 and the document "created"


def _write_column(ws: Any, col: int, values: pd.Series, day: Any) -> None:
    """One column below the header, with the cell type its dtype calls for."""
    if pd.api.types.is_bool_dtype(values) and not values.isna().any():
        for row, v in enumerate(values.tolist(), start=1):
            ws.write_boolean(row, col, v)
        return
    if pd.api.types.is_numeric_dtype(values):
        nums = pd.to_numeric(values, errors="coerce").astype(float).to_numpy()
        for i in np.flatnonzero(np.isfinite(nums)).tolist():
            ws.write_number(i + 1, col, float(nums[i]))
        return
    if pd.api.types.is_datetime64_any_dtype(values):
        for row, v in enumerate(values.tolist(), start=1):
            if not pd.isna(v):
                ws.write_datetime(row, col, v.tz_localize(None).to_pydatetime(), day)
        return
    for row, v in enumerate(values.tolist(), start=1):
        if v is None or v is pd.NA or (isinstance(v, float) and v != v):
            continue
        if isinstance(v, bool | np.bool_):
            ws.write_boolean(row, col, bool(v))
        elif isinstance(v, int | float | np.integer | np.floating):
            if np.isfinite(v):
                ws.write_number(row, col, float(v))
        elif isinstance(v, dt.datetime | dt.date):
            ws.write_datetime(row, col, v, day)
        else:
            ws.write_string(row, col, _excel_safe(str(v)))


#: the timestamp written into files whose format demands one (XLSX, GeoPackage), so that
#: the same inputs give byte-identical outputs
FIXED_TIME = (2017, 2, 1, 0, 0, 0)
_FIXED_ISO = "2017-02-01T00:00:00Z"
_FIXED_DATETIME = dt.datetime(*FIXED_TIME)


def _reproducible_zip(path: Path) -> None:
    """Rewrite a zip-based file (XLSX) with fixed entry times and document dates."""
    import zipfile

    with zipfile.ZipFile(path) as zin:
        entries = [(info, zin.read(info.filename)) for info in zin.infolist()]
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                    rb"\g<1>" + _FIXED_ISO.encode(),
                    data,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            zout.writestr(fixed, data)
    os.replace(tmp, path)


_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _excel_safe(v: Any) -> Any:
    """Strip control characters XLSX cannot hold.

    Text that looks like a formula (``=HYPERLINK(...)``) stays literal text: the workbook
    is written with ``strings_to_formulas`` off, so such a cell is a string, never run.
    """
    if not isinstance(v, str):
        return v
    return _ILLEGAL_XLSX.sub("", v)


#: GDAL options for writing a GeoPackage: a fixed timestamp (reproducible files); and
#: SQLite without fsync or an on-disk journal, a third faster: the file is written in the
#: staging folder, and a build that fails never moves it into place
_GPKG_OPTIONS = {
    "OGR_CURRENT_DATE": _FIXED_ISO,
    "OGR_SQLITE_SYNCHRONOUS": "OFF",
    "OGR_SQLITE_JOURNAL": "MEMORY",
}


#: GeoPackage layers with at least this many features get an R-tree spatial index; a GIS
#: reads a smaller layer whole faster than it would use one (and writing it costs a fifth
#: of the write)
SPATIAL_INDEX_FROM = 10_000


def _gpkg_layer(gdf: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    frame = gdf.copy()
    for col in frame.columns:
        if col != frame.geometry.name and frame[col].dtype == object:
            frame[col] = frame[col].astype("string")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        old = {k: pyogrio.get_gdal_config_option(k) for k in _GPKG_OPTIONS}
        pyogrio.set_gdal_config_options(_GPKG_OPTIONS)
        try:
            pyogrio.write_dataframe(
                frame,
                path,
                layer=layer,
                driver="GPKG",
                promote_to_multi=True,
                geometry_type="MultiPolygon",
                append=path.exists(),
                layer_options={
                    "SPATIAL_INDEX": "YES" if len(frame) >= SPATIAL_INDEX_FROM else "NO"
                },
            )
        finally:
            pyogrio.set_gdal_config_options(old)


def write_city(result: CityResult, folder: Path, *, xlsx: bool = True) -> list[Path]:
    """Write a city's GeoPackage and per-kelurahan tables into ``folder``.

    GeoPackage layers: ``kelurahan``, ``wilayah_kerja_<program>`` (one per program),
    ``kawasan_kumuh``, ``tumpang_tindih``, ``celah_cakupan``, ``sliver``.
    Tables: ``kelurahan.csv`` and ``kelurahan.xlsx``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    gpkg = folder / f"{folder.name}.gpkg"
    layers: list[tuple[str, gpd.GeoDataFrame]] = [(s.LAYER_KELURAHAN, result.kelurahan)]
    for name in result.programs:
        sel = result.wilayah_kerja[result.wilayah_kerja[s.PROGRAM] == name]
        layers.append((f"{s.LAYER_WORK}_{safe_name(name).replace('-', '_')}", sel))
    layers += [
        (s.LAYER_SLUM, result.kumuh),
        (s.LAYER_OVERLAP, result.tumpang_tindih),
        (s.LAYER_GAP, result.celah),
        (s.LAYER_SLIVER, result.sliver),
    ]
    for layer, gdf in layers:
        _gpkg_layer(gdf, gpkg, layer)
    paths = [gpkg]
    paths += write_table(result.table, folder / "kelurahan", xlsx=xlsx, sheet="kelurahan")
    return paths


def write_json(data: Any, path: Path) -> None:
    """Write JSON, UTF-8, sorted keys, indented (stable for diffs)."""
    path.write_text(
        json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True, default=str) + "\n",
        encoding="utf-8",
    )
