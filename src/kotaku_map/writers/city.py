"""What a city's folder holds: its GeoPackage and tables (and, with ``[sync]``, more)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd

from kotaku_map import schema as s
from kotaku_map.results import CityResult

from .gpkg import gpkg_layers
from .stage import safe_name
from .tables import SheetText, write_table

__all__ = ["work_layer", "write_city", "write_reconciliation"]


def work_layer(program: str) -> str:
    """The GeoPackage layer of a program's work area.

    Parameters
    ----------
    program : str
        The program's name.

    Returns
    -------
    str
        ``wilayah_kerja_<slug>``.

    Examples
    --------
    >>> work_layer("NUSP-2")
    'wilayah_kerja_nusp_2'
    """
    return f"{s.LAYER_WORK}_{safe_name(program).replace('-', '_')}"


def write_city(
    result: CityResult,
    folder: Path,
    *,
    xlsx: bool = True,
    text: SheetText | None = None,
    lingkungan_text: SheetText | None = None,
) -> list[Path]:
    """Write a city's GeoPackage and per-kelurahan tables into ``folder``.

    GeoPackage layers: ``kelurahan``, ``wilayah_kerja_<program>`` (one per program),
    ``kawasan_kumuh``, ``tumpang_tindih``, ``celah_cakupan``, ``sliver`` and, with slum,
    ``lingkungan``. Tables: ``kelurahan.csv`` and ``kelurahan.xlsx``; with slum,
    ``lingkungan.csv`` and ``lingkungan.xlsx``.

    Parameters
    ----------
    result : CityResult
        The city.
    folder : Path
        The city's output folder (made if missing); the GeoPackage is named after it.
    xlsx : bool
        Also write ``kelurahan.xlsx``.
    text : SheetText, optional
        The workbook's readable headers, totals row and page header.
    lingkungan_text : SheetText, optional
        The same for ``lingkungan.xlsx``.

    Returns
    -------
    list of Path
        The files written: the GeoPackage, then the tables.
    """
    folder.mkdir(parents=True, exist_ok=True)
    gpkg = folder / f"{folder.name}.gpkg"
    layers: list[tuple[str, gpd.GeoDataFrame]] = [(s.LAYER_KELURAHAN, result.kelurahan)]
    for name in result.programs:
        # a list program's rows name their source rows as text ("4; 17"), a polygon
        # program's as numbers: each layer gets the type of its own values
        sel = result.wilayah_kerja[result.wilayah_kerja[s.PROGRAM] == name].infer_objects()
        layers.append((work_layer(name), sel))
    layers += [
        (s.LAYER_SLUM, result.kumuh),
        (s.LAYER_OVERLAP, result.tumpang_tindih),
        (s.LAYER_GAP, result.celah),
        (s.LAYER_SLIVER, result.sliver),
    ]
    if len(result.lingkungan):
        layers.append((s.LAYER_LINGKUNGAN, result.lingkungan))
    gpkg_layers(gpkg, layers)
    paths = [gpkg]
    paths += write_table(
        result.table, folder / "kelurahan", xlsx=xlsx, sheet="kelurahan", text=text
    )
    if len(result.lingkungan):
        paths += write_table(
            pd.DataFrame(result.lingkungan.drop(columns="geometry")),
            folder / "lingkungan",
            xlsx=xlsx,
            sheet="lingkungan",
            text=lingkungan_text,
        )
    return paths


def write_reconciliation(
    table: pd.DataFrame,
    differences: gpd.GeoDataFrame,
    folder: str | os.PathLike,
    *,
    gpkg: str | os.PathLike | None = None,
    xlsx: bool = True,
    extra_tables: Mapping[str, pd.DataFrame] | None = None,
    kelurahan: gpd.GeoDataFrame | None = None,
    texts: Mapping[str, SheetText] | None = None,
) -> list[Path]:
    """Write ``sinkronisasi.csv``/``.xlsx`` and the GeoPackage layer ``data_tidak_sinkron``.

    Parameters
    ----------
    table, differences : DataFrame, GeoDataFrame
        The two results of :func:`kotaku_map.reconciliation.reconcile`.
    folder : path-like
        The city's output folder.
    gpkg : path-like, optional
        GeoPackage to add the layer to (default: ``<folder>/<folder name>.gpkg``, the
        city's GeoPackage).
    xlsx : bool
        Also write the XLSX.
    extra_tables : mapping, optional
        More sheets/CSVs, e.g. ``{"sinkronisasi_kecamatan": reconcile_by(table)}``.
    kelurahan : GeoDataFrame, optional
        The city's kelurahan: the table's rows are also written with their polygons, as
        GeoPackage layer ``sinkronisasi_kelurahan``.
    texts : mapping of str to SheetText, optional
        The workbooks' readable headers, by table (``sinkronisasi``, ``pendanaan``, ...).

    Returns
    -------
    list of Path
        The files written: the tables, then the GeoPackage.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    texts = texts or {}
    paths = write_table(
        table, out / "sinkronisasi", xlsx=xlsx, sheet="sinkronisasi", text=texts.get("sinkronisasi")
    )
    for name, df in (extra_tables or {}).items():
        paths += write_table(df, out / name, xlsx=xlsx, sheet=name, text=texts.get(name))
    target = Path(gpkg) if gpkg is not None else out / f"{out.name}.gpkg"
    # always written, empty or not: a GIS expert sees "no ground in one source only"
    frame = (
        differences
        if len(differences)
        else gpd.GeoDataFrame(
            {s.KODE: pd.Series([], dtype="string")}, geometry=gpd.GeoSeries([], crs=4326)
        )
    )
    layers = [(s.LAYER_SYNC, frame)]
    if kelurahan is not None:
        flagged = kelurahan[[s.KODE, "geometry"]].merge(table, on=s.KODE, how="inner")
        flagged = gpd.GeoDataFrame(flagged, geometry="geometry", crs=kelurahan.crs)
        layers.append((s.LAYER_SYNC_KELURAHAN, flagged))
    gpkg_layers(target, layers)
    if target not in paths:
        paths.append(target)
    return paths
