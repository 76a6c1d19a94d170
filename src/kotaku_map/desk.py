"""Desk outputs: the GeoPackage a GIS expert opens in QGIS, the workbooks a coordinator prints.

The writers (:mod:`kotaku_map.writers`) write the layers and tables; this module gives them
what people read, from :mod:`kotaku_map.render` and in the build's language:

* :func:`sheet_text`: a table's readable headers, what each column holds, a totals row
  where a sum means something, the title printed on every page;
* :func:`style_gpkg`: every layer of a city's GeoPackage styled for QGIS (QML) and other
  GIS (SLD) from the style source (:mod:`kotaku_map.render.qgis`,
  :mod:`~kotaku_map.render.qgis_xml`, :mod:`~kotaku_map.render.sld`), with its title,
  description and QGIS metadata, and the GeoPackage's own metadata: title, date, sources,
  thresholds, the illustrative flag, the project's version; and a QGIS project next to it
  (``<name>.qgs``) that opens every layer in the map's order.

It sits between the build and the render/writers floor: it reads the config and the
results, asks :mod:`kotaku_map.render` for words and styles, and hands them to
:mod:`kotaku_map.writers` as plain data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from . import schema as S
from ._version import __version__
from .clock import build_date
from .config import Config, LayerConfig
from .funding import SOURCES
from .render.labels import column_text, format_date, text
from .render.qgis import city_layers
from .render.qgis_xml import QgisLayer, layer_metadata, project, qml
from .render.sld import sld
from .results import CityResult
from .writers import LayerDoc, SheetText, gpkg_describe, gpkg_project, work_layer

__all__ = [
    "TOTALS",
    "column_names",
    "gpkg_metadata",
    "illustrative_inputs",
    "sheet_text",
    "shown_sources",
    "stated_sources",
    "style_gpkg",
]

#: the tables whose workbook gets a totals row (their hectares, Rupiah and counts add up;
#: a table per year does not, and ``sinkronisasi_kecamatan`` has a total row of its own)
TOTALS = frozenset({"kelurahan", "lingkungan", "ringkasan", "sinkronisasi", "pendanaan"})

_SOURCE_COLUMN = re.compile(r"(?:luas|hanya)_(.+)_ha|baris_(.+)")


def column_names(programs: Iterable[str] = (), columns: Iterable[str] = ()) -> dict[str, str]:
    """The names behind the slugs in column names: programs, funding sources, sync sources.

    Parameters
    ----------
    programs : iterable of str
        The program names (``wk_<slug>_ha``).
    columns : iterable of str
        Columns of a synchronisation table: ``luas_sk_ha`` names the source ``SK``.

    Returns
    -------
    dict of str to str
        Slug -> name.

    Examples
    --------
    >>> column_names(["NUSP-2"], ["luas_sk_ha", "baris_sumber"])["nusp_2"]
    'NUSP-2'
    >>> column_names([], ["luas_sk_ha"])["sk"], column_names()["apbd_kab_kota"]
    ('SK', 'APBD kab/kota')
    """
    names = {S.slug(src): src for src in SOURCES}
    names.update({S.slug(p): p for p in programs})
    for c in columns:
        m = _SOURCE_COLUMN.fullmatch(str(c))
        slug = m and (m.group(1) or m.group(2))
        if slug and slug not in ("sumber", "kelurahan"):
            names.setdefault(slug, slug.upper())
    return names


def sheet_text(
    df: pd.DataFrame,
    table: str,
    *,
    lang: str,
    programs: Sequence[str] = (),
    place: str = "",
    illustrative: bool = False,
) -> SheetText:
    """The words of one table's workbook: headers, column notes, totals, page header.

    Parameters
    ----------
    df : DataFrame
        The table (its columns are labelled).
    table : str
        Which table: ``kelurahan``, ``ringkasan``, ``pencocokan``, ``sinkronisasi``,
        ``sinkronisasi_kecamatan``, ``kemajuan``, ``pendanaan``.
    lang : {"id", "en"}
    programs : sequence of str
        The build's programs (for the columns named after them).
    place : str
        The city the table is about (in the printed title).
    illustrative : bool
        Print "ILUSTRATIF" on every page.

    Returns
    -------
    SheetText

    Examples
    --------
    >>> t = sheet_text(pd.DataFrame(columns=["kode", "luas_ha", "wk_nsup_ha"]), "kelurahan",
    ...                lang="en", programs=["NSUP"], place="Kota Contoh")
    >>> t.title, t.headers["luas_ha"], t.headers["wk_nsup_ha"], t.total
    ('Kelurahan: Kota Contoh', 'Kelurahan area (ha)', 'NSUP work area (ha)', 'Total')
    """
    names = column_names(programs, df.columns)
    cols = {str(c): column_text(str(c), lang, names) for c in df.columns}
    if table == "kelurahan" and S.LUAS_HA in cols:
        cols[S.LUAS_HA] = column_text("luas_kelurahan_ha", lang)
    title = text(f"table_{table}", lang, x=place)
    if illustrative:
        title = f"{title} ({text('md_mark', lang)})"
    return SheetText(
        title=title,
        headers={c: h for c, (h, _) in cols.items()},
        notes={c: n for c, (_, n) in cols.items() if n},
        units={k: text(f"unit_{k}", lang) for k in S.COLUMN_KINDS if k != "other"},
        total=text("total", lang) if table in TOTALS else None,
        columns_sheet=text("sheet_columns", lang),
        columns_headers=(
            text("col_header", lang),
            text("col_name", lang),
            text("col_note", lang),
            text("col_unit", lang),
        ),
        note=text("sheet_note", lang),
        footer=text("page_footer", lang),
    )


def illustrative_inputs(cfg: Config) -> list[str]:
    """The inputs whose data the config states are illustrative (``illustrative = true``).

    Parameters
    ----------
    cfg : Config

    Returns
    -------
    list of str
        Their roles: program names, ``kumuh``.
    """
    layers = list(cfg.programs) + ([cfg.slum] if cfg.slum is not None else [])
    return [
        ("kumuh" if layer is cfg.slum else layer.name) for layer in layers if layer.illustrative
    ]


def _input_layers(cfg: Config) -> dict[str, LayerConfig]:
    """The config's program and slum layers by the role the outputs name them with."""
    layers = {p.name: p for p in cfg.programs}
    if cfg.slum is not None:
        layers["kumuh"] = cfg.slum
    return layers


def _stated_source(layers: Mapping[str, LayerConfig], entry: str) -> tuple[str, str, str | None]:
    """``"<role>: <file>"`` split, with the ``source`` the config states for that role."""
    role, _, said = entry.partition(": ")
    layer = layers.get(role)
    return role, said, (layer.source if layer is not None and layer.source else None)


def stated_sources(cfg: Config, sources: Sequence[str]) -> list[str]:
    """The data sources with what the config states about each (its ``source``).

    Parameters
    ----------
    cfg : Config
    sources : sequence of str
        ``"<role>: <file>"`` per input, as the maps list them.

    Returns
    -------
    list of str
        ``"<role>: <stated source> (<file>)"`` where ``[[programs]]`` or ``[slum]`` states a
        ``source``, else as given.
    """
    layers = _input_layers(cfg)
    out = []
    for entry in sources:
        role, said, stated = _stated_source(layers, entry)
        out.append(f"{role}: {stated} ({said})" if stated and stated not in said else entry)
    return out


def gpkg_metadata(result: CityResult, cfg: Config, sources: Sequence[str]) -> dict[str, str]:
    """The GeoPackage's own metadata items (GDAL's dataset metadata).

    Parameters
    ----------
    result : CityResult
        The city.
    cfg : Config
        The build's config (title, thresholds, the illustrative flags, language).
    sources : sequence of str
        The data sources as the maps state them (``"NSUP: nsup.geojson"``); the config's
        ``source`` of each is added (:func:`stated_sources`).

    Returns
    -------
    dict of str to str
        ``TITLE``, ``DATE`` (the build's, :func:`kotaku_map.clock.build_date`),
        ``KOTAKU_MAP_VERSION``, ``SOURCES``, ``SLIVER_WIDTH_M``, ``SLIVER_AREA_M2``,
        ``MIN_PRESENCE_HA``, ``ILLUSTRATIVE`` (``true``/``false``), ``ILLUSTRATIVE_INPUTS``,
        ``KABKOTA``, ``KODE_KABKOTA``, ``PROGRAMS``, ``AREA_CRS``, ``LANGUAGE``.
    """
    lang = cfg.output.lang
    illustrative = illustrative_inputs(cfg)
    a = cfg.analysis
    return {
        "TITLE": f"{cfg.title or text('title', lang)}: {result.nama}",
        "DATE": build_date().isoformat(),
        "KOTAKU_MAP_VERSION": __version__,
        "SOURCES": "; ".join(stated_sources(cfg, sources)),
        "SLIVER_WIDTH_M": f"{a.sliver_width_m:g}",
        "SLIVER_AREA_M2": f"{a.sliver_area_m2:g}",
        "MIN_PRESENCE_HA": f"{a.min_presence_ha:g}",
        "ILLUSTRATIVE": "true" if illustrative else "false",
        "ILLUSTRATIVE_INPUTS": "; ".join(illustrative),
        "KABKOTA": result.nama,
        "KODE_KABKOTA": result.kode,
        "PROGRAMS": "; ".join(result.programs),
        "AREA_CRS": str(result.ringkasan.get("crs_luas", "")),
        "LANGUAGE": lang,
    }


def style_gpkg(
    result: CityResult,
    gpkg: Path,
    cfg: Config,
    *,
    sources: Sequence[str],
    synced: object | None = None,
) -> Path:
    """Style and describe every layer of a city's GeoPackage, state its metadata; a project.

    Parameters
    ----------
    result : CityResult
        The city whose GeoPackage it is.
    gpkg : Path
        The GeoPackage, every layer written (the city's and, with ``[sync]``, the
        synchronisation layers).
    cfg : Config
        The build's config.
    sources : sequence of str
        The data sources as the maps state them.
    synced : CitySync, optional
        The city's ``[sync]`` results (their layers are styled too).

    Returns
    -------
    Path
        The QGIS project written next to the GeoPackage (``<name>.qgs``): every layer in
        the map's drawing order, shown or hidden as the map opens.
    """
    lang = cfg.output.lang
    a = cfg.analysis
    layers = city_layers(
        result,
        lang=lang,
        work_layers={p: work_layer(p) for p in result.programs},
        list_programs=[p.name for p in cfg.programs if p.kind == "table"],
        names=column_names(result.programs),
        thresholds=(a.sliver_width_m, a.sliver_area_m2),
        synced=synced,
    )
    meta = gpkg_metadata(result, cfg, sources)
    docs, titles = [], set()
    for q in layers:
        title = q.title if q.title not in titles else f"{q.title} ({q.name})"
        titles.add(title)
        qml_text, sld_text = _styles(q)
        docs.append(
            LayerDoc(q.name, title, q.description, qml_text, sld_text, _qmd(q, meta, cfg, lang))
        )
    note = text("md_made", lang, x=format_date(build_date(), lang), p=__version__)
    gpkg_describe(gpkg, docs, metadata=meta, style_note=note)
    return gpkg_project(gpkg, project(layers, gpkg.name, title=meta["TITLE"]))


#: a layer's QML and SLD by the layer's repr: most cities' layers look the same
_STYLES: dict[str, tuple[str, str]] = {}


def _styles(layer: QgisLayer) -> tuple[str, str]:
    """The layer's QML and SLD, written once per distinct layer in a process."""
    key = repr(layer)
    if key not in _STYLES:
        _STYLES[key] = (qml(layer), sld(layer))
    return _STYLES[key]


def _qmd(layer: QgisLayer, meta: Mapping[str, str], cfg: Config, lang: str) -> str:
    """A layer's QGIS metadata: the build's statement after the layer's description."""
    made = text("md_made", lang, x=format_date(build_date(), lang), p=__version__)
    a = cfg.analysis
    thresholds = (
        text("md_thresholds", lang)
        .replace("{w}", f"{a.sliver_width_m:g}")
        .replace("{a}", f"{a.sliver_area_m2:g}")
    )
    rights = []
    if meta["ILLUSTRATIVE"] == "true":
        rights.append(text("md_illustrative", lang, x=meta["ILLUSTRATIVE_INPUTS"]))
    abstract = [
        *rights,
        text("md_sources", lang, x=meta["SOURCES"]),
        thresholds,
        text("md_hectares", lang),
        made,
    ]
    return layer_metadata(
        layer,
        lang=lang,
        parent=meta["TITLE"],
        abstract=abstract,
        keywords=["KOTAKU", "peta keterpaduan", meta["KABKOTA"], *meta["PROGRAMS"].split("; ")],
        rights=rights or [text("md_real", lang)],
        history=[made],
        date=meta["DATE"],
    )


def shown_sources(cfg: Config, sources: Sequence[str]) -> tuple[str, ...]:
    """The data sources as the maps show them: each input's stated ``source``, else its file.

    Parameters
    ----------
    cfg : Config
    sources : sequence of str
        ``"<role>: <file>"`` per input.

    Returns
    -------
    tuple of str
        ``"<role>: <source>"``: the ``source`` that ``[[programs]]`` or ``[slum]`` states,
        else the file name.
    """
    layers = _input_layers(cfg)
    out = []
    for entry in sources:
        role, _, stated = _stated_source(layers, entry)
        out.append(f"{role}: {stated}" if stated else entry)
    return tuple(out)
