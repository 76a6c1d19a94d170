"""Optional layers and panels of the city map: reconciliation, progress per year, funding.

:class:`ExtraLayer` and :class:`ExtraPanel` are the general form (any polygons, any
classes, a chart); :func:`sync_layer`, :func:`progress_layers` and :func:`funding_layer`
draw the tables of :mod:`kotaku_map.reconciliation`, :mod:`kotaku_map.progress` and
:mod:`kotaku_map.funding` with the classes of the style source; :func:`city_extras`
gathers them for one city of a build with ``[sync]``. Every text travels as JSON and is
put into the page with ``textContent`` (see ``addExtras`` in ``assets/kotaku_map.js``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS

from kotaku_map import schema as S
from kotaku_map.funding import SOURCES
from kotaku_map.results import CityResult
from kotaku_map.sync import CitySync

from .chart import progress_chart
from .labels import text
from .shapes import features, json_value, simplify_display
from .style import (
    EXTRA_UNKNOWN,
    extra_symbol,
    funding_categories,
    progress_categories,
    symbol_data,
    sync_categories,
)
from .symbols import Category

__all__ = [
    "ExtraLayer",
    "ExtraPanel",
    "city_extras",
    "extra_data",
    "funding_layer",
    "overview_figures",
    "progress_layers",
    "sync_layer",
]

_EXTRA_KINDS = ("ha", "pct", "num", "rp", "text")
_KEY = re.compile(r"[^a-z0-9_-]+")
_DATA_IMAGE = re.compile(r"^data:image/(svg\+xml|png)[;,]")


@dataclass(frozen=True)
class ExtraLayer:
    """One optional polygon layer of the city map, with a legend and popups.

    Parameters
    ----------
    key : str
        Identifier (letters, digits, ``_``, ``-``); also the legend section's ``data-layer``.
    label : str
        Name in the layer control and the legend (any text: it is never markup).
    frame : GeoDataFrame
        Polygons in any CRS (shown in EPSG:4326, simplified like the other layers).
    class_column : str
        Column whose value picks the class (colour) of a feature.
    classes : sequence of Category or dict
        The classes in legend order: :class:`~kotaku_map.render.symbols.Category` objects, or
        dicts ``{"value", "label", "color"}`` with optional ``"line"`` (outline colour),
        ``"dash"`` (dashed outline) and ``"opacity"`` (fill opacity).
    popup : sequence of (column, label, kind)
        Rows of the tooltip/popup; kind is one of ``ha, pct, num, rp, text``.
    title_column : str, optional
        Column used as the popup title (default ``kelurahan``).
    group, group_label : str, optional
        Layers with the same ``group`` form ONE entry of the layer control (named
        ``group_label``) with a switch between them (a year switch); ``label`` is then
        the switch's button text (e.g. ``"2021"``). The last layer of a group is shown first.
    on : bool
        Shown when the map opens.
    """

    key: str
    label: str
    frame: gpd.GeoDataFrame
    class_column: str
    classes: Sequence[Category | Mapping[str, Any]]
    popup: Sequence[tuple[str, str, str]] = ()
    title_column: str | None = S.KELURAHAN
    group: str | None = None
    group_label: str | None = None
    on: bool = False


@dataclass(frozen=True)
class ExtraPanel:
    """A collapsible panel of the city map holding an image (a chart) and a small table.

    Parameters
    ----------
    key : str
        Identifier (letters, digits, ``_``, ``-``).
    title : str
        The panel's heading (any text: it is never markup).
    image : str
        A ``data:image/svg+xml`` or ``data:image/png`` URI (offline); ``""``: no image.
    alt : str
        The image's alternative text.
    rows : sequence of (str, str)
        ``(label, text)`` pairs shown below the image.
    """

    key: str
    title: str
    image: str = ""
    alt: str = ""
    rows: Sequence[tuple[str, str]] = ()


def _category(c: Category | Mapping[str, Any]) -> Category:
    """A class given as a dict (the public form) as a style :class:`Category`."""
    if isinstance(c, Category):
        return c
    symbol = extra_symbol(
        str(c["color"]),
        str(c.get("line", "#333333")),
        float(c.get("opacity", 0.6)),
        dash=bool(c.get("dash")),
    )
    return Category(str(c["value"]), str(c.get("label", c["value"])), symbol)


def _panel_data(x: ExtraPanel, key: str) -> dict:
    if x.image and not _DATA_IMAGE.match(x.image):
        raise ValueError(
            f"ExtraPanel {x.key!r}: image must be a data:image/svg+xml "
            "or data:image/png URI (maps stay offline)"
        )
    rows = [[str(a), str(b)] for a, b in x.rows]
    return {"key": key, "title": str(x.title), "image": x.image, "alt": str(x.alt), "rows": rows}


def _layer_data(x: ExtraLayer, key: str, crs_m: CRS | None, simplify_m: float, nd: int) -> dict:
    for _, _, kind in x.popup:
        if kind not in _EXTRA_KINDS:
            raise ValueError(f"ExtraLayer {x.key!r}: popup kind {kind!r} not in {_EXTRA_KINDS}")
    classes = [_category(c) for c in x.classes]
    index = {c.value: i for i, c in enumerate(classes)}
    feats: list[dict] = []
    if x.frame is not None and len(x.frame):
        frame = x.frame.to_crs(4326)
        geoms = simplify_display(frame.geometry, crs_m, simplify_m)
        cols = [c for c, _, _ in x.popup]
        tcol, ccol = x.title_column, x.class_column
        feats = features(
            frame,
            geoms,
            {
                "c": lambda r: index.get(str(r.get(ccol)), None),
                "t": lambda r: None if tcol is None else r.get(tcol),
                "r": lambda r: [json_value(r.get(c)) for c in cols],
            },
            nd,
        )
    present = {f["p"]["c"] for f in feats}
    return {
        "key": key,
        "label": str(x.label),
        "on": bool(x.on),
        "group": None if x.group is None else str(x.group),
        "group_label": str(x.group_label if x.group_label is not None else x.group or ""),
        "classes": [
            {"label": c.label, "symbol": symbol_data(c.symbol), "used": i in present}
            for i, c in enumerate(classes)
        ],
        "popup": [[str(label), kind] for _, label, kind in x.popup],
        "features": feats,
    }


def extra_data(
    extras: Sequence[ExtraLayer | ExtraPanel],
    *,
    crs_m: CRS | None,
    simplify_m: float,
    nd: int,
    lang: str = "id",
) -> dict:
    """The JSON-ready ``extra`` block of :func:`~kotaku_map.render.city.city_data`.

    Parameters
    ----------
    extras : sequence of ExtraLayer or ExtraPanel
    crs_m : pyproj.CRS or None
        Metric CRS for the display simplification.
    simplify_m : float
        Tolerance, metres.
    nd : int
        Decimals of the encoded coordinates.
    lang : {"id", "en"}

    Returns
    -------
    dict
        ``{"layers": [...], "panels": [...], "unknown": symbol}``.

    Examples
    --------
    >>> from shapely import box
    >>> f = gpd.GeoDataFrame({"kelurahan": ["<b>A</b>"], "k": ["x"], "ha": [1.234]},
    ...                      geometry=[box(110, -7, 110.01, -6.99)], crs=4326)
    >>> lyr = ExtraLayer("uji", "Uji", f, "k", [{"value": "x", "label": "X", "color": "#f00"}],
    ...                  popup=[("ha", "Luas", "ha")])
    >>> d = extra_data([lyr], crs_m=None, simplify_m=0, nd=5)
    >>> d["layers"][0]["features"][0]["p"]
    {'c': 0, 't': '<b>A</b>', 'r': [1.234]}
    """
    layers, panels, keys = [], [], set()
    for x in extras:
        key = _KEY.sub("-", str(x.key).lower()).strip("-") or "extra"
        while key in keys:
            key += "-"
        keys.add(key)
        if isinstance(x, ExtraPanel):
            panels.append(_panel_data(x, key))
        elif isinstance(x, ExtraLayer):
            layers.append(_layer_data(x, key, crs_m, simplify_m, nd))
        else:
            raise TypeError(f"extras takes ExtraLayer or ExtraPanel, not {type(x).__name__}")
    return {"layers": layers, "panels": panels, "unknown": symbol_data(EXTRA_UNKNOWN)}


# --- the layers of the synchronisation (issue 8) ------------------------------------------


def _source_names(table: pd.DataFrame) -> tuple[str, str]:
    """The short names of the two sources of a reconciliation table (reference, other)."""
    lu = [c for c in table.columns if c.startswith("luas_") and c.endswith("_ha")]
    stat = table["status"].astype(str)
    pairs = [x.split(op) for op in (" < ", " > ") for x in stat if op in x]
    other = pairs[0][0] if pairs else lu[1][len("luas_") : -3].upper()
    reference = pairs[0][1] if pairs else lu[0][len("luas_") : -3].upper()
    return reference, other


def sync_layer(
    table: pd.DataFrame,
    differences: gpd.GeoDataFrame,
    kelurahan: gpd.GeoDataFrame,
    *,
    lang: str = "id",
    show: bool = False,
) -> ExtraLayer:
    """The map layer "Data tidak sinkron": flagged kelurahan and the ground in only one source.

    Kelurahan flagged ``tidak_sinkron`` are drawn in the colour of their status (second
    source larger / smaller / only in one source); the pieces of ``differences`` whose
    ``jenis`` is ``poligon`` are drawn on top, by source.

    Parameters
    ----------
    table, differences : DataFrame, GeoDataFrame
        From :func:`kotaku_map.reconciliation.reconcile`.
    kelurahan : GeoDataFrame
        The kelurahan polygons (``kode``).
    lang : {"id", "en"}
    show : bool
        Shown when the map opens.

    Returns
    -------
    ExtraLayer

    Examples
    --------
    >>> from shapely import box
    >>> from kotaku_map.reconciliation import reconcile
    >>> kel = gpd.GeoDataFrame({"kode": ["33.75.01.1001"], "kelurahan": ["A"],
    ...     "kecamatan": ["K"], "kabkota": ["X"]}, geometry=[box(110, -7, 110.01, -6.99)],
    ...     crs=4326)
    >>> t, d = reconcile(gpd.GeoDataFrame(geometry=[box(110, -7, 110.01, -6.995)], crs=4326),
    ...                  gpd.GeoDataFrame(geometry=[box(110, -7, 110.01, -6.999)], crs=4326),
    ...                  kel)
    >>> lyr = sync_layer(t, d, kel)
    >>> lyr.label, len(lyr.frame), [c.label for c in lyr.classes][:2]
    ('Data tidak sinkron', 2, ['SIM < SK', 'SIM > SK'])
    """
    lu = [c for c in table.columns if c.startswith("luas_") and c.endswith("_ha")]
    ca, cb = lu[0], lu[1]
    reference, other = _source_names(table)
    only_in = sorted({x for x in table["status"].astype(str) if x.startswith("hanya di ")})
    flagged = table[table["tidak_sinkron"].fillna(False).astype(bool) & table[S.KODE].notna()]
    kel = kelurahan[[S.KODE, "geometry"]].assign(kode=kelurahan[S.KODE].astype(str))
    frame = gpd.GeoDataFrame(
        flagged.assign(kode=flagged[S.KODE].astype(str)).merge(kel, on=S.KODE, how="inner"),
        geometry="geometry",
        crs=kelurahan.crs,
    ).to_crs(4326)
    frame["_kelas"] = frame["status"].astype(str)
    if len(differences):
        d = differences[differences["jenis"] == "poligon"].copy()
        if len(d):
            look = table.set_index(table[S.KODE].astype(str))
            for c in (ca, cb, "selisih_ha", "selisih_pct"):
                d[c] = [look[c].get(k) for k in d[S.KODE].astype(str)]
            d["_kelas"] = "poligon " + d["sumber"].astype(str)
            frame = pd.concat([frame, d.to_crs(4326)], ignore_index=True)
    frame = gpd.GeoDataFrame(frame, geometry="geometry", crs=4326)
    popup = [
        (ca, reference, "ha"),
        (cb, other, "ha"),
        ("selisih_ha", text("sync_difference", lang), "ha"),
        ("selisih_pct", text("sync_difference_pct", lang), "pct"),
        ("status", text("status", lang), "text"),
    ]
    return ExtraLayer(
        key="sinkronisasi",
        label=text("sync_layer", lang),
        frame=frame,
        class_column="_kelas",
        classes=sync_categories(reference, other, only_in, lang),
        popup=popup,
        title_column=S.KELURAHAN,
        on=show,
    )


def progress_layers(
    table: pd.DataFrame,
    geometries: gpd.GeoDataFrame,
    *,
    on: str = S.KODE,
    lang: str = "id",
    group_label: str | None = None,
    show: bool = False,
) -> list[ExtraLayer]:
    """One map layer per year (slum level per unit), for ``city_map(..., extras=...)``.

    Parameters
    ----------
    table : DataFrame
        From :func:`kotaku_map.progress.progress_table` (or a per-kelurahan
        :func:`~kotaku_map.progress.progress_summary` with ``tingkat``).
    geometries : GeoDataFrame
        The units' polygons, joined on column ``on`` (``kode``: the kelurahan polygons when
        kawasan are named after kelurahan; ``kawasan_id`` for kawasan delineations).
    on : str
    lang : {"id", "en"}
    group_label : str, optional
        Name of the layer entry (default "Tingkat kumuh per tahun").
    show : bool
        Shown when the map opens.

    Returns
    -------
    list of ExtraLayer
    """
    label = group_label or text("progress_group", lang)
    geo = geometries[[on, "geometry"]].drop_duplicates(on)
    popup = [
        ("nama_kawasan", text("progress_kawasan", lang), "text"),
        ("skor", text("progress_score", lang), "num"),
        (S.LUAS_HA, text("progress_area", lang), "ha"),
        (S.KUMUH_HA, text("progress_slum_area", lang), "ha"),
        ("keluar_ha", text("progress_left", lang), "ha"),
    ]
    popup = [p for p in popup if p[0] in table.columns]
    classes = progress_categories(lang)
    layers = []
    for y, part in table.groupby("tahun", sort=True):
        frame = gpd.GeoDataFrame(
            part.merge(geo, on=on, how="inner"), geometry="geometry", crs=geometries.crs
        )
        layers.append(
            ExtraLayer(
                key=f"kemajuan-{int(y)}",
                label=str(int(y)),
                frame=frame,
                class_column=S.TINGKAT,
                classes=classes,
                popup=popup,
                title_column=S.KELURAHAN,
                group="kemajuan",
                group_label=label,
                on=show,
            )
        )
    return layers


def funding_layer(
    mix: pd.DataFrame,
    geometries: gpd.GeoDataFrame,
    *,
    on: str = S.KODE,
    lang: str = "id",
    show: bool = False,
) -> ExtraLayer:
    """Map layer of the funding mix: slum areas without funding stand out (red, dashed).

    Parameters
    ----------
    mix : DataFrame
        From :func:`kotaku_map.funding.funding_mix` (grouped by ``on``).
    geometries : GeoDataFrame
        Polygons of the groups (kelurahan polygons for ``on="kode"``).
    on : str
    lang : {"id", "en"}
    show : bool
        Shown when the map opens.

    Returns
    -------
    ExtraLayer
    """
    m = mix.copy()
    m["_kelas"] = np.select(
        [m["tanpa_pendanaan"], m["jumlah_sumber"] >= 2], ["tanpa", "multi"], "satu"
    )
    frame = gpd.GeoDataFrame(
        m.merge(geometries[[on, "geometry"]].drop_duplicates(on), on=on, how="inner"),
        geometry="geometry",
        crs=geometries.crs,
    )
    popup = [
        ("sumber_dana", text("funding_sources", lang), "text"),
        ("jumlah_kegiatan", text("funding_activities", lang), "num"),
        ("kegiatan_tanpa_sumber", text("funding_unfunded", lang), "num"),
    ]
    for c in m.columns:
        if c.startswith("anggaran_") and c.endswith("_rp"):
            src = c[len("anggaran_") : -3]
            popup.append((c, next((s for s in SOURCES if S.slug(s) == src), src), "rp"))
    return ExtraLayer(
        key="pendanaan",
        label=text("funding_layer", lang),
        frame=frame,
        class_column="_kelas",
        classes=funding_categories(lang),
        popup=popup,
        title_column=S.KELURAHAN,
        on=show,
    )


def city_extras(
    result: CityResult, synced: CitySync, *, lang: str = "id"
) -> list[ExtraLayer | ExtraPanel]:
    """A city's extra layers and chart panel from its synchronisation (``[sync]``).

    Parameters
    ----------
    result : CityResult
    synced : CitySync
        From :func:`kotaku_map.sync.synchronise`.
    lang : {"id", "en"}

    Returns
    -------
    list of ExtraLayer or ExtraPanel
    """
    kel = result.kelurahan
    extras: list[ExtraLayer | ExtraPanel] = [
        sync_layer(synced.table, synced.differences, kel, lang=lang)
    ]
    if len(synced.progress):
        extras += progress_layers(synced.progress, kel, lang=lang)
    extras.append(funding_layer(synced.funding, kel, lang=lang))
    if len(synced.progress_summary):
        chart = progress_chart(synced.progress_summary, title=str(result.nama), lang=lang)
        extras.append(
            ExtraPanel(
                "kemajuan", text("progress_panel", lang), chart, text("progress_panel_alt", lang)
            )
        )
    return extras


def overview_figures(synced: CitySync, lang: str = "id") -> dict[str, float]:
    """The overview's extra columns for one city: their labels and values.

    Parameters
    ----------
    synced : CitySync
    lang : {"id", "en"}

    Returns
    -------
    dict of str to float
        Label -> value; counts as ``int`` (the overview writes them without decimals).
    """
    out: dict[str, float] = {}
    for key, value in synced.figures.items():
        name, _, year = key.partition(":")
        # hectares stay decimal; counts (kelurahan, kawasan) are whole numbers
        out[text(name, lang, x=year)] = value if name.endswith("_ha") else int(round(value))
    return out
